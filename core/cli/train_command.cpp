#include "core/cli/train_command.h"
#include "core/checkpoint/checkpoint.h"
#include "core/cli/group_join.h"
#include "core/cli/json_reporter.h"
#include "core/cli/progress_printer.h"
#include "core/cli/results_writer.h"
#include "core/cli/stop_signal.h"
#include "core/events/observer_list.h"
#include "core/runs/recorded_run.h"
#include "core/setup/command_line.h"
#include "core/setup/defaults.h"
#include "core/setup/known_problems.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include "core/train/trainer.h"
#include "core/util/json_writer.h"
#include "core/util/number_text.h"
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

namespace bp {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitStopped = 130;

} // namespace

namespace {
std::string g_errorPrefix = "burstprop-train: ";
}

void setCliErrorRank(int rank) {
    g_errorPrefix = "burstprop-train (rank " + std::to_string(rank) + "): ";
}

void printCliError(const std::string& message) {
    std::istringstream lines(message);
    std::string line;
    while (std::getline(lines, line))
        std::cerr << g_errorPrefix << line << '\n';
    std::cerr.flush();
}

namespace {

// A rank other than 0: the same training, no output but its errors, no record, no checkpoints (rank 0's).
int trainQuietly(TrainJob& job) {
    Trainer trainer(job.options.config);
    trainer.setDataParallel(job.member->hook.get());
    if (job.resume)
        trainer.resumeFrom(std::move(*job.resume));
    job.resume.reset();
    RunStatus status;
    {
        StopOnSignal stopOnSignal([&trainer] { trainer.requestStop(); });
        status = trainer.run();
    }
    if (status == RunStatus::Completed)
        return 0;
    if (status == RunStatus::Stopped)
        return kExitStopped;
    if (status != RunStatus::Diverged) // rank 0 reports a divergence
        printCliError(trainer.message().empty() ? "the run ended as " + toString(status) : trainer.message());
    return kExitFailed;
}

// How long rank 0 waited for gradient sums, against the whole run: the share of communication that the
// top-down computation did not hide. Recorded as a message; printed with the text output.
void reportCommunication(const TrainJob& job, double seconds, std::ostream* out) {
    const double waited = job.member->hook->communicationWaitSeconds();
    const std::string text = "data-parallel: rank 0 waited " + formatFixed(waited, 2) +
                             " s for gradient sums, " +
                             formatFixed(seconds > 0 ? 100.0 * waited / seconds : 0.0, 1) + " % of its " +
                             formatFixed(seconds, 1) + " s";
    if (job.store)
        job.store->addMessage(job.runId, "info", text);
    if (out)
        *out << text << '\n';
}

} // namespace

int executeTraining(TrainJob& job, std::ostream& out) {
    const CliOptions& options = job.options;
    // The other ranks of a data-parallel run train quietly: rank 0 speaks for the run.
    const bool speaks = !job.member || job.member->rank() == 0;
    // On standard error, so that --json output stays one object per line.
    if (speaks)
        for (const std::string& problem : knownProblems(options.config))
            printCliError("warning: " + problem);
    if (!speaks)
        return trainQuietly(job);
    ObserverList observers;
    std::unique_ptr<RunRecorder> recorder;
    if (job.store) {
        recorder = std::make_unique<RunRecorder>(*job.store, job.runId);
        // Kept with the run, so that resume (and sweep resume) keeps writing epoch-N.ckpt.
        if (options.checkpointEvery > 0)
            job.store->setExecutionValue(job.runId, "checkpoint_every", options.checkpointEvery);
    }
    std::unique_ptr<ResultsWriter> results;
    if (!options.resultsDir.empty()) {
        results = std::make_unique<ResultsWriter>(options.resultsDir, options.config, job.invocation);
    } else if (!job.resultsToContinue.empty()) {
        results = ResultsWriter::continuing(job.resultsToContinue, options.config,
                                            job.resume ? job.resume->epoch : -1);
    }
    if (results)
        observers.add(results.get());
    std::unique_ptr<JsonReporter> json;
    std::unique_ptr<ProgressPrinter> printer;
    if (options.json) {
        json = std::make_unique<JsonReporter>(out, options.config);
        if (job.store) {
            JsonWriter run;
            run.field("event", "run")
                .field("run_id", static_cast<long long>(job.runId))
                .field("database", job.store->path())
                .field("checkpoints", job.checkpointDir)
                .field("resumed_from_epoch", job.resume ? job.resume->epoch : -1);
            out << run.str() << std::endl;
        }
        observers.add(json.get());
    } else {
        const bool bar = options.progress && stdoutIsTerminal();
        printer = std::make_unique<ProgressPrinter>(out, options.config, bar, bar ? terminalColumns() : 80);
        observers.add(printer.get());
        out << configurationLine(options.config) << '\n';
        if (job.store)
            out << "run " << job.runId << " in " << job.store->path() << '\n';
        if (job.resume)
            out << "resuming after epoch " << job.resume->epoch
                << (job.resume->batchInEpoch > 0 ? ", batch " + std::to_string(job.resume->batchInEpoch) : "")
                << '\n';
        if (results)
            out << "results: " << results->dir() << '\n';
        out.flush();
    }
    // The recorder goes last: it flushes on each status change, after the screen has been told.
    observers.add(recorder.get());

    Trainer trainer(options.config, &observers);
    if (job.member)
        trainer.setDataParallel(job.member->hook.get());
    if (!job.checkpointDir.empty())
        trainer.setCheckpointing({job.checkpointDir, options.checkpointEvery, job.owner});
    if (job.resume)
        trainer.resumeFrom(std::move(*job.resume));
    job.resume.reset();
    RunStatus status;
    const auto started = std::chrono::steady_clock::now();
    {
        StopOnSignal stopOnSignal([&trainer] { trainer.requestStop(); });
        // SIGUSR1 pauses at the next batch (recorded as paused, the lease kept), SIGUSR2 continues. The
        // ranks of a data-parallel run wait on each other at every step: such a run is not paused.
        const bool group = job.member != nullptr;
        PauseOnSignal pauseOnSignal(
            [&trainer, group] {
                if (group)
                    printCliError("a data-parallel run cannot be paused: the signal is ignored (stop it and "
                                  "resume it later)");
                else
                    trainer.requestPause();
            },
            [&trainer, group] {
                if (!group)
                    trainer.requestResume();
            });
        status = trainer.run();
    }
    if (job.member)
        reportCommunication(job,
                            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                            printer ? &out : nullptr);
    if (json)
        json->finish(status, trainer.message());
    if (recorder && !recorder->flush())
        printCliError("warning: the last metrics were not recorded: " + recorder->lastError());

    switch (status) {
    case RunStatus::Completed:
        if (printer)
            out << "completed" << std::endl;
        return 0;
    case RunStatus::Stopped:
        printCliError("stopped" + std::string(StopOnSignal::signalled() ? " by a signal" : "") +
                      (trainer.message().empty() ? "" : ": " + trainer.message()) +
                      (job.store ? "; continue with: burstprop-train resume " + std::to_string(job.runId) +
                                       (options.database.empty() ? "" : " --db " + job.store->path())
                                 : std::string()));
        return kExitStopped;
    case RunStatus::Interrupted: // a lost rank of its group: resumable
        printCliError(trainer.message() +
                      (job.store
                           ? "; the run is interrupted: continue with burstprop-train resume " +
                                 std::to_string(job.runId) + " --db " + job.store->path() +
                                 (job.member ? " --nproc " + std::to_string(job.member->worldSize()) : "")
                           : std::string()));
        return kExitFailed;
    default:
        printCliError(trainer.message().empty() ? "the run ended as " + toString(status) : trainer.message());
        return kExitFailed;
    }
}

void recordGroup(RunStore& store, int64_t runId, const GroupMember& member, const RunConfig& config) {
    std::string hosts;
    for (const std::string& h : member.hosts)
        hosts += (hosts.empty() ? "" : ",") + h;
    store.setExecutionValue(runId, "world_size", member.worldSize());
    store.setExecutionValue(runId, "dist_backend", member.backend);
    store.setExecutionValue(runId, "dist_hosts", hosts);
    store.addMessage(runId, "info",
                     "data-parallel: " + member.describe() + "; launched by " + member.env.source +
                         "; each rank trains its share of every batch of " +
                         std::to_string(config.batchSize) + " examples");
}

int runTrainCommand(const CliOptions& options, const std::string& invocation, std::ostream& out) {
    TrainJob job;
    job.options = options;
    job.invocation = invocation;
    // A process of a data-parallel run joins its group first; then whatever fails on any rank before training
    // (a results folder, a checkpoint, the database) is told to every rank, and nothing trains.
    std::unique_ptr<GroupMember> member = joinLaunchGroup(options);
    if (member) {
        job.member = member.get();
        if (member->rank() != 0)
            setCliErrorRank(member->rank());
        if (job.options.config.device.rfind("cuda", 0) == 0) // each process takes its own GPU
            job.options.config.device = "cuda:" + std::to_string(member->env.localRank);
    }
    const bool leads = !member || member->rank() == 0; // records, checkpoints and writes the results folder
    std::unique_ptr<RunStore> store;
    std::string failure;
    try {
        // A folder that holds another run's checkpoints is refused before anything is recorded or written.
        if (leads && !options.resultsDir.empty())
            requireFolderFree(options.resultsDir);
        // -resume_path: read before anything is recorded; a wrong path or a damaged file is refused with the
        // file's name (and the trainer refuses a checkpoint of another network, naming both).
        if (!options.resumePath.empty())
            job.resume = loadCheckpoint(options.resumePath);
        if (leads && options.record) {
            store = std::make_unique<RunStore>(options.database.empty() ? defaultDatabasePath()
                                                                        : options.database);
            const std::string name = options.name.empty()
                                         ? options.config.rule + " on " + toString(options.config.dataset)
                                         : options.name;
            job.store = store.get();
            job.runId = store->createRun(
                options.config, name, options.notes, options.tags,
                [&](const std::string& key) { return hyperparameterApplies(options.config, key); });
            job.checkpointDir =
                std::filesystem::absolute(options.resultsDir.empty() ? store->defaultRunFolder(job.runId)
                                                                     : options.resultsDir)
                    .lexically_normal()
                    .string();
            store->setResultsDir(job.runId, job.checkpointDir);
            job.owner = ownerOf(*store, job.runId);
            if (member)
                recordGroup(*store, job.runId, *member, options.config);
            if (job.resume)
                store->addMessage(
                    job.runId, "info",
                    "started from checkpoint " +
                        std::filesystem::absolute(options.resumePath).lexically_normal().string() + " (" +
                        job.resume->owner.describe() + ", after epoch " + std::to_string(job.resume->epoch) +
                        ")");
        } else if (leads && !options.resultsDir.empty()) {
            job.checkpointDir = options.resultsDir;
        }
    } catch (const std::exception& e) {
        if (!member)
            throw;
        failure = e.what();
    }
    if (member)
        requireEveryRankReady(*member, "started", failure);
    return executeTraining(job, out);
}

} // namespace bp
