#include "core/runs/recorded_run.h"
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/train/trainer.h"
#include "core/util/error.h"
#include "core/util/number_text.h"

namespace bp {

std::string checkpointLabel(const CheckpointRecord& checkpoint) {
    return checkpoint.kind == CheckpointKind::Epoch ? "epoch-" + std::to_string(checkpoint.epoch)
                                                    : toString(checkpoint.kind);
}

std::string findCheckpoint(RunStore& store, int64_t runId, const std::string& label) {
    std::string wanted = label.empty() ? "latest" : label;
    if (wanted.rfind("epoch:", 0) == 0) {
        const auto epoch = parseInteger(wanted.substr(6));
        if (!epoch || *epoch < 0)
            throw Error("'" + label + "' is not latest, best, initial or epoch-N");
        wanted = "epoch-" + std::to_string(*epoch);
    }
    if (wanted != "latest" && wanted != "best" && wanted != "initial" && wanted.rfind("epoch-", 0) != 0)
        throw Error("'" + label + "' is not latest, best, initial or epoch-N");
    std::string kept;
    for (const CheckpointRecord& c : store.checkpoints(runId)) {
        if (checkpointLabel(c) == wanted)
            return c.path;
        kept += (kept.empty() ? "" : ", ") + checkpointLabel(c);
    }
    throw Error("run " + std::to_string(runId) + " has no " + wanted +
                " checkpoint (kept: " + (kept.empty() ? "none" : kept) + ")");
}

CheckpointOwner ownerOf(const RunStore& store, int64_t runId) {
    return {store.databaseId(), store.path(), runId};
}

void requireFolderFree(const std::string& dir) {
    const std::string existing = Trainer::resumableCheckpoint(dir);
    if (existing.empty())
        return;
    std::string whose = "another run";
    try {
        const CheckpointOwner owner = loadCheckpoint(existing).owner;
        if (owner.known())
            whose = owner.describe();
    } catch (const Error&) {
        whose = "another run (the file cannot be read)";
    }
    throw Error(dir + " already holds the checkpoints of " + whose + " (" + existing +
                "): a new run would overwrite them; give another results folder");
}

ResumePlan planResume(RunStore& store, int64_t runId, std::optional<int> epochs, std::optional<int> threads) {
    const std::optional<RunRecord> record = store.getRun(runId);
    if (!record)
        throw Error("run " + std::to_string(runId) + " is not in " + store.path() +
                    " (burstprop-train list)");
    ResumePlan plan;
    plan.run = *record;
    const RunRecord& r = plan.run;
    const std::string id = std::to_string(r.id);
    if (r.status == RunStatus::Running || r.status == RunStatus::Paused)
        throw Error("run " + id + " is " + toString(r.status) + " in process " + std::to_string(r.pid) +
                    " on " + r.host);
    if (r.status == RunStatus::Completed && !epochs)
        throw Error("run " + id + " is completed (" + std::to_string(r.epochsDone) +
                    " epochs); give -n_epochs N to train it further");
    plan.config = configFromJson(r.configJson);
    if (epochs)
        plan.config.epochs = *epochs;
    if (threads)
        plan.config.threads = *threads;
    requireValid(plan.config);
    plan.checkpointDir = r.resultsDir.empty() ? store.defaultRunFolder(r.id) : r.resultsDir;
    for (const Hyperparameter& h : store.hyperparameters(r.id))
        if (h.key == "checkpoint_every")
            plan.checkpointEvery = static_cast<int>(h.integer);
    plan.checkpointPath = Trainer::resumableCheckpoint(plan.checkpointDir);
    if (plan.checkpointPath.empty()) {
        // Killed before its first checkpoint (while the data loaded): it starts again from its recorded
        // configuration, whose seed gives the same initial state. A run that trained has checkpoints.
        if (r.epochsDone > 0)
            throw Error("run " + id + " has no checkpoint to resume from in " + plan.checkpointDir +
                        " although it trained " + std::to_string(r.epochsDone) +
                        " epochs (were its files removed?)");
        return plan;
    }
    Checkpoint checkpoint = loadCheckpoint(plan.checkpointPath);
    const CheckpointOwner self = ownerOf(store, r.id);
    if (checkpoint.owner.known() && !checkpoint.owner.sameRun(self))
        throw Error(plan.checkpointPath + " belongs to " + checkpoint.owner.describe() + ", not to " +
                    self.describe() + ": run " + id + " cannot resume from it");
    RunConfig saved = configFromJson(checkpoint.configJson);
    saved.epochs = plan.config.epochs;
    saved.threads = plan.config.threads;
    if (toJson(normalized(saved)) != toJson(normalized(plan.config)))
        throw Error(plan.checkpointPath + " was written by another configuration than run " + id + "'s");
    // A run killed after its last epoch's checkpoint, before it recorded its end, has nothing left to train:
    // resuming it records it completed.
    const bool trained = checkpoint.epoch == plan.config.epochs && checkpoint.batchInEpoch == 0 &&
                         r.status != RunStatus::Completed;
    if (checkpoint.epoch >= plan.config.epochs && !trained)
        throw Error("run " + id + " has trained " + std::to_string(checkpoint.epoch) +
                    " epochs already; give -n_epochs above that to continue");
    plan.checkpoint = std::move(checkpoint);
    return plan;
}

void recordResume(RunStore& store, const ResumePlan& plan) {
    if (plan.config.epochs != plan.run.epochsTotal) {
        store.setEpochsTotal(plan.run.id, plan.config.epochs);
        store.addMessage(plan.run.id, "info",
                         "epochs changed from " + std::to_string(plan.run.epochsTotal) + " to " +
                             std::to_string(plan.config.epochs));
    }
    if (plan.checkpoint) {
        // The file may be newer than the store's record of it (a process killed between the two): record it.
        CheckpointRecord record;
        record.kind =
            plan.checkpointPath == Trainer::checkpointPath(plan.checkpointDir, CheckpointKind::Latest)
                ? CheckpointKind::Latest
                : CheckpointKind::Initial;
        record.epoch = plan.checkpoint->epoch;
        record.step = plan.checkpoint->step;
        record.path = plan.checkpointPath;
        store.addCheckpoint(plan.run.id, record);
    }
    store.addMessage(plan.run.id, "info",
                     plan.checkpoint ? "resumed from " + plan.checkpointPath
                     : plan.run.status == RunStatus::Queued && !plan.run.startedAt
                         ? "started (it was queued)"
                         : "started again from its recorded configuration (it had written no checkpoint)");
}

} // namespace bp
