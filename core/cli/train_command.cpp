#include "core/cli/train_command.h"
#include "core/checkpoint/checkpoint.h"
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
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

namespace bp {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitStopped = 130;

} // namespace

void printCliError(const std::string& message) {
    std::istringstream lines(message);
    std::string line;
    while (std::getline(lines, line))
        std::cerr << "burstprop-train: " << line << '\n';
    std::cerr.flush();
}

int executeTraining(TrainJob& job, std::ostream& out) {
    const CliOptions& options = job.options;
    // On standard error, so that --json output stays one object per line.
    for (const std::string& problem : knownProblems(options.config))
        printCliError("warning: " + problem);
    ObserverList observers;
    std::unique_ptr<RunRecorder> recorder;
    if (job.store)
        recorder = std::make_unique<RunRecorder>(*job.store, job.runId);
    std::unique_ptr<ResultsWriter> results;
    if (!options.resultsDir.empty()) {
        results = std::make_unique<ResultsWriter>(options.resultsDir, options.config, job.invocation);
        observers.add(results.get());
    }
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
    if (!job.checkpointDir.empty())
        trainer.setCheckpointing({job.checkpointDir, options.checkpointEvery, job.owner});
    if (job.resume)
        trainer.resumeFrom(std::move(*job.resume));
    job.resume.reset();
    RunStatus status;
    {
        StopOnSignal stopOnSignal([&trainer] { trainer.requestStop(); });
        status = trainer.run();
    }
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
    default:
        printCliError(trainer.message().empty() ? "the run ended as " + toString(status) : trainer.message());
        return kExitFailed;
    }
}

int runTrainCommand(const CliOptions& options, const std::string& invocation, std::ostream& out) {
    TrainJob job;
    job.options = options;
    job.invocation = invocation;
    // A folder that holds another run's checkpoints is refused before anything is recorded or written.
    if (!options.resultsDir.empty())
        requireFolderFree(options.resultsDir);
    // -resume_path: read before anything is recorded; a wrong path or a damaged file is refused with the
    // file's name (and the trainer refuses a checkpoint of another network, naming both).
    std::optional<Checkpoint> start;
    if (!options.resumePath.empty())
        start = loadCheckpoint(options.resumePath);
    std::unique_ptr<RunStore> store;
    if (options.record) {
        store =
            std::make_unique<RunStore>(options.database.empty() ? defaultDatabasePath() : options.database);
        const std::string name = options.name.empty()
                                     ? options.config.rule + " on " + toString(options.config.dataset)
                                     : options.name;
        job.store = store.get();
        job.runId =
            store->createRun(options.config, name, options.notes, options.tags, [&](const std::string& key) {
                return hyperparameterApplies(options.config, key);
            });
        job.checkpointDir =
            std::filesystem::absolute(options.resultsDir.empty() ? store->defaultRunFolder(job.runId)
                                                                 : options.resultsDir)
                .lexically_normal()
                .string();
        store->setResultsDir(job.runId, job.checkpointDir);
        job.owner = ownerOf(*store, job.runId);
    } else if (!options.resultsDir.empty()) {
        job.checkpointDir = options.resultsDir;
    }
    if (start) {
        job.resume = std::move(start);
        if (store)
            store->addMessage(job.runId, "info",
                              "started from checkpoint " +
                                  std::filesystem::absolute(options.resumePath).lexically_normal().string() +
                                  " (" + job.resume->owner.describe() + ", after epoch " +
                                  std::to_string(job.resume->epoch) + ")");
    }
    return executeTraining(job, out);
}

} // namespace bp
