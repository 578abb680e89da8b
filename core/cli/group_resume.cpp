#include "core/cli/group_resume.h"
#include "core/cli/group_join.h"
#include "core/cli/group_launch.h"
#include "core/cli/train_command.h"
#include "core/config/hyperparameters.h"
#include "core/runs/recorded_run.h"
#include "core/store/run_store.h"
#include "core/util/error.h"
#include <nlohmann/json.hpp>

namespace bp {

int resumeInGroup(const GroupResume& resume, const std::vector<std::string>& args, std::ostream& out) {
    if (launchesLocalGroup(resume.options))
        return launchLocalGroup(resume.options, args, out);
    std::unique_ptr<GroupMember> member = joinGroup(resume.options);
    if (!member)
        throw Error("resume: no data-parallel group to resume run " + std::to_string(resume.runId) + " in");
    if (member->rank() != 0)
        setCliErrorRank(member->rank());

    TrainJob job;
    job.options = resume.options;
    job.options.checkpointEvery = std::max(0, resume.checkpointEvery);
    job.options.database = resume.database;
    job.member = member.get();
    std::unique_ptr<RunStore> store;
    std::optional<ResumePlan> plan;
    std::string failure;
    if (member->rank() == 0) {
        try {
            store = std::make_unique<RunStore>(resume.database);
            plan = planResume(*store, resume.runId, resume.epochs, resume.threads);
            if (resume.checkpointEvery < 0) // not given: as recorded with the run
                job.options.checkpointEvery = plan->checkpointEvery;
            else if (resume.checkpointEvery == 0 && plan->checkpointEvery > 0)
                store->setExecutionValue(resume.runId, "checkpoint_every", 0);
        } catch (const std::exception& e) {
            failure = e.what();
        }
    }
    requireEveryRankReady(*member, "planned", failure);

    // Rank 0's plan for all: the configuration, and the checkpoint each rank reads for itself.
    nlohmann::json shared;
    if (plan)
        shared = {{"config", toJson(plan->config)}, {"checkpoint", plan->checkpointPath}};
    const std::vector<std::string> plans =
        member->group->exchange("plan", plan ? shared.dump() : std::string());
    try {
        const nlohmann::json given = nlohmann::json::parse(plans.at(0));
        job.options.config = configFromJson(given.at("config").get<std::string>());
        if (resume.threads)
            job.options.config.threads = *resume.threads;
        const std::string checkpoint = given.at("checkpoint").get<std::string>();
        if (plan) {
            job.resume = std::move(plan->checkpoint);
        } else if (!checkpoint.empty()) {
            try {
                job.resume = loadCheckpoint(checkpoint);
            } catch (const Error& e) {
                throw Error(std::string(e.what()) +
                            " (every rank reads rank 0's checkpoint: ranks on other hosts "
                            "need the run's folder on a shared file system)");
            }
        }
        failure.clear();
    } catch (const std::exception& e) {
        failure = e.what();
    }
    requireEveryRankReady(*member, "loaded", failure);
    if (job.options.config.device.rfind("cuda", 0) == 0)
        job.options.config.device = "cuda:" + std::to_string(member->env.localRank);

    if (plan) {
        job.store = store.get();
        job.runId = plan->run.id;
        job.checkpointDir = plan->checkpointDir;
        job.resultsToContinue = plan->checkpointDir;
        job.owner = ownerOf(*store, plan->run.id);
        recordResume(*store, *plan);
        recordGroup(*store, plan->run.id, *member, job.options.config);
    }
    return executeTraining(job, out);
}

} // namespace bp
