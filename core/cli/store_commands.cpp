#include "core/cli/store_commands.h"
#include "core/cli/command_arguments.h"
#include "core/cli/group_join.h"
#include "core/cli/group_resume.h"
#include "core/cli/sweep_runner.h"
#include "core/cli/table_text.h"
#include "core/cli/tensorboard_commands.h"
#include "core/cli/train_command.h"
#include "core/runs/export.h"
#include "core/runs/recorded_run.h"
#include "core/store/run_store.h"
#include "core/util/error.h"
#include "core/util/json_writer.h"
#include "core/util/number_text.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>

namespace bp {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

const char* const kCommands[] = {"list", "show", "export", "import", "resume", "delete"};

// A store command's arguments: the shared options and switches, and the positional run id.
struct Arguments : CommandArguments {
    std::optional<int64_t> runId;
};

Arguments parse(const std::vector<std::string>& args, const std::vector<std::string>& valued,
                const std::vector<std::string>& switches, bool needsId) {
    Arguments a;
    static_cast<CommandArguments&>(a) = parseCommandArguments(args, valued, switches);
    if (a.positional) {
        const std::string& arg = *a.positional;
        const std::optional<int64_t> parsed = parseInteger(arg);
        const int64_t id = parsed.value_or(0);
        if (id <= 0)
            throw Error(a.command + ": '" + arg +
                        "' is not a run id (a positive integer; see burstprop-train list)");
        a.runId = id;
    }
    if (needsId && !a.runId && !a.has("help"))
        throw Error(a.command + ": which run? Give its id (burstprop-train list shows them)");
    return a;
}

std::string joinTags(const std::vector<std::string>& tags) {
    std::string out;
    for (const std::string& t : tags)
        out += (out.empty() ? "" : ",") + t;
    return out;
}

RunRecord requireRun(RunStore& store, int64_t id) {
    std::optional<RunRecord> run = store.getRun(id);
    if (!run)
        throw Error("run " + std::to_string(id) + " is not in " + store.path() + " (burstprop-train list)");
    return *run;
}

// A data-parallel run's processes (world_size, recorded with its hyperparameters); 1 for any other run.
int worldSizeOf(RunStore& store, int64_t runId) {
    for (const Hyperparameter& h : store.hyperparameters(runId))
        if (h.key == "world_size")
            return static_cast<int>(h.integer);
    return 1;
}

std::string runJson(const RunRecord& r, int worldSize = 1) {
    JsonWriter j;
    j.field("id", static_cast<long long>(r.id)).field("name", r.name).field("status", toString(r.status));
    j.field("dataset", r.dataset).field("rule", r.rule).field("architecture", r.architecture);
    j.field("device", r.device).field("seed", static_cast<long long>(r.seed)).field("threads", r.threads);
    j.field("epochs_done", r.epochsDone).field("epochs_total", r.epochsTotal).field("world_size", worldSize);
    if (r.bestTestError)
        j.field("best_test_error", *r.bestTestError);
    else
        j.null("best_test_error");
    j.field("created_at", r.createdAt);
    if (r.startedAt)
        j.field("started_at", *r.startedAt);
    if (r.finishedAt)
        j.field("finished_at", *r.finishedAt);
    j.field("program_version", r.programVersion).field("torch_version", r.torchVersion);
    j.field("host", r.host).field("pid", static_cast<long long>(r.pid)).field("notes", r.notes);
    j.field("tags", joinTags(r.tags)).field("results_dir", r.resultsDir);
    return j.str();
}

int listCommand(RunStore& store, const Arguments& a, std::ostream& out) {
    RunFilter filter;
    filter.text = a.get("filter");
    if (a.has("status")) {
        filter.status = parseRunStatus(a.get("status"));
        if (!filter.status)
            throw Error(
                "list: --status '" + a.get("status") +
                "' is not one of queued, running, paused, completed, stopped, diverged, failed, interrupted");
    }
    if (a.has("sweep")) {
        filter.sweepId = *parseInteger(a.get("sweep")); // checked by requireIntegerOption
        if (!store.sweep(*filter.sweepId))
            throw Error("list: sweep " + a.get("sweep") + " is not in " + store.path() +
                        " (burstprop-train sweep list)");
    }
    if (a.has("limit"))
        filter.limit = static_cast<int>(*parseInteger(a.get("limit"))); // checked by requireIntegerOption
    const std::vector<RunRecord> runs = store.listRuns(filter);
    if (a.has("json")) {
        for (const RunRecord& r : runs)
            out << runJson(r, worldSizeOf(store, r.id)) << '\n';
        return 0;
    }
    // A "procs" column only when a listed run trained in several processes.
    std::vector<int> worlds;
    bool several = false;
    for (const RunRecord& r : runs) {
        worlds.push_back(worldSizeOf(store, r.id));
        several = several || worlds.back() > 1;
    }
    char line[512];
    std::snprintf(line, sizeof line, "%6s  %-11s  %-28s  %-13s  %-18s  %9s  %9s  %s%s\n", "id", "status",
                  "name", "dataset", "rule", "epochs", "best err", several ? "procs  " : "", "started");
    out << line;
    for (size_t i = 0; i < runs.size(); ++i) {
        const RunRecord& r = runs[i];
        const std::string epochs = std::to_string(r.epochsDone) + "/" + std::to_string(r.epochsTotal);
        std::string name = r.name.size() > 28 ? r.name.substr(0, 27) + "~" : r.name;
        char procs[16] = "";
        if (several)
            std::snprintf(procs, sizeof procs, "%5d  ", worlds[i]);
        std::snprintf(line, sizeof line, "%6lld  %-11s  %-28s  %-13s  %-18s  %9s  %9s  %s%s\n",
                      static_cast<long long>(r.id), toString(r.status).c_str(), name.c_str(),
                      r.dataset.c_str(), r.rule.c_str(), epochs.c_str(),
                      formatPercent(r.bestTestError).c_str(), procs, formatTime(r.startedAt).c_str());
        out << line;
    }
    if (runs.empty())
        out << "(no runs in " << store.path() << ")\n";
    return 0;
}

int showCommand(RunStore& store, const Arguments& a, std::ostream& out) {
    const RunRecord r = requireRun(store, *a.runId);
    if (a.has("json")) {
        out << runJson(r, worldSizeOf(store, r.id)) << '\n';
        return 0;
    }
    out << "run " << r.id << ": " << r.name << '\n';
    out << "  status        " << toString(r.status) << " (" << r.epochsDone << "/" << r.epochsTotal
        << " epochs, best test error " << formatPercent(r.bestTestError) << ")\n";
    out << "  setup         " << r.dataset << ", " << r.architecture << ", " << r.rule << ", seed " << r.seed
        << ", " << r.device << ", " << r.threads << " threads\n";
    if (const int world = worldSizeOf(store, r.id); world > 1)
        out << "  processes     " << world << " (data-parallel; the messages say where)\n";
    out << "  created       " << formatTime(r.createdAt) << ", started " << formatTime(r.startedAt)
        << ", finished " << formatTime(r.finishedAt) << '\n';
    out << "  program       burstprop " << r.programVersion << ", LibTorch " << r.torchVersion << ", host "
        << r.host << ", process " << r.pid << '\n';
    if (!r.tags.empty())
        out << "  tags          " << joinTags(r.tags) << '\n';
    if (!r.notes.empty())
        out << "  notes         " << r.notes << '\n';
    out << "  files         " << r.resultsDir << '\n';
    out << "hyperparameters:\n";
    for (const Hyperparameter& h : store.hyperparameters(r.id))
        out << "  " << h.key << " = " << h.display() << '\n';
    const std::vector<CheckpointRecord> checkpoints = store.checkpoints(r.id);
    if (!checkpoints.empty()) {
        out << "checkpoints:\n";
        for (const CheckpointRecord& c : checkpoints)
            out << "  " << toString(c.kind) << " (epoch " << c.epoch << ", step " << c.step << "): " << c.path
                << '\n';
    }
    const std::vector<RunMessage> messages = store.messages(r.id);
    if (!messages.empty()) {
        out << "messages:\n";
        for (const RunMessage& m : messages)
            out << "  " << formatTime(m.time) << " " << m.level << ": " << m.text << '\n';
    }
    return 0;
}

// export --sweep ID --metrics FILE: every run of the sweep, with a column per swept hyperparameter.
int exportSweep(RunStore& store, const Arguments& a, std::ostream& out) {
    if (a.runId)
        throw Error("export: give a run id or --sweep ID, not both");
    if ((!a.has("metrics") && !a.has("tensorboard") && !a.has("signals")) || a.has("checkpoint") ||
        a.has("native"))
        throw Error("export: --sweep writes the metrics of the sweep's runs: give --metrics FILE.csv, "
                    "--signals FILE.csv or --tensorboard DIR");
    const int64_t id = *parseInteger(a.get("sweep")); // checked by requireIntegerOption
    const std::optional<SweepRecord> sweep = store.sweep(id);
    if (!sweep)
        throw Error("sweep " + a.get("sweep") + " is not in " + store.path() +
                    " (burstprop-train sweep list)");
    std::vector<int64_t> ids;
    for (const RunRecord& r : store.runsOfSweep(id))
        ids.push_back(r.id);
    std::vector<std::string> keys;
    for (const std::string& key : sweptKeys(sweepArguments(*sweep)))
        if (key != "seed")
            keys.push_back(key);
    if (a.has("metrics")) {
        exportSweepMetricsCsv(store, ids, keys, a.get("metrics"));
        out << "metrics of the " << ids.size() << " runs of sweep " << id << " written to "
            << a.get("metrics") << '\n';
    }
    if (a.has("signals")) {
        exportSweepSignalHistogramsCsv(store, ids, keys, a.get("signals"));
        out << "signal histograms of the " << ids.size() << " runs of sweep " << id << " written to "
            << a.get("signals") << '\n';
    }
    if (a.has("tensorboard"))
        exportTensorboardRuns(store, ids, a.get("tensorboard"), out);
    return 0;
}

int exportCommand(RunStore& store, const Arguments& a, std::ostream& out) {
    if (a.has("sweep"))
        return exportSweep(store, a, out);
    if (!a.runId)
        throw Error("export: which run? Give its id (burstprop-train list shows them), or --sweep ID");
    const RunRecord r = requireRun(store, *a.runId);
    if (!a.has("metrics") && !a.has("signals") && !a.has("checkpoint") && !a.has("native") &&
        !a.has("tensorboard"))
        throw Error(
            "export: say what to write: --metrics FILE.csv, --signals FILE.csv, --checkpoint FILE.pt, "
            "--native FILE.ckpt or --tensorboard DIR");
    if (a.has("tensorboard"))
        exportTensorboardRuns(store, {r.id}, a.get("tensorboard"), out);
    if (a.has("metrics")) {
        exportMetricsCsv(store, {r.id}, a.get("metrics"));
        out << "metrics of run " << r.id << " written to " << a.get("metrics") << '\n';
    }
    if (a.has("signals")) {
        exportSignalHistogramsCsv(store, {r.id}, a.get("signals"));
        out << "signal histograms of run " << r.id << " written to " << a.get("signals") << '\n';
    }
    if (a.has("checkpoint") || a.has("native")) {
        std::string source;
        try {
            source = findCheckpoint(store, r.id, a.get("which"));
        } catch (const Error& e) {
            throw Error(std::string("export: ") + e.what());
        }
        const Checkpoint checkpoint = loadCheckpoint(source);
        if (a.has("checkpoint")) {
            exportPythonCheckpoint(a.get("checkpoint"), checkpoint, a.has("momentum"));
            out << "epoch " << checkpoint.epoch << " of run " << r.id << " written to " << a.get("checkpoint")
                << " (Python: torch.load)\n";
        }
        if (a.has("native")) {
            saveCheckpoint(a.get("native"), checkpoint);
            out << "epoch " << checkpoint.epoch << " of run " << r.id << " written to " << a.get("native")
                << '\n';
        }
    }
    return 0;
}

int deleteCommand(RunStore& store, const Arguments& a, std::ostream& out) {
    const RunRecord r = requireRun(store, *a.runId);
    if (r.status == RunStatus::Running || r.status == RunStatus::Paused)
        throw Error("run " + std::to_string(r.id) + " is " + toString(r.status) + " (process " +
                    std::to_string(r.pid) + " on " + r.host + "); stop it before deleting it");
    if (!a.has("yes"))
        throw Error("delete: this removes run " + std::to_string(r.id) + " (\"" + r.name +
                    "\"), its metrics and its checkpoint files; add --yes to confirm");
    store.deleteRun(r.id);
    out << "deleted run " << r.id << " (\"" << r.name << "\")\n";
    return 0;
}

int resumeCommand(RunStore& store, const Arguments& a, std::ostream& out) {
    auto number = [&](const char* key) {
        return a.has(key) ? std::optional<int>(static_cast<int>(*parseInteger(a.get(key)))) : std::nullopt;
    };
    ResumePlan plan = planResume(store, *a.runId, number("n_epochs"), number("threads"));
    TrainJob job;
    job.options.config = plan.config;
    job.options.json = a.has("json");
    job.options.progress = !a.has("no_progress");
    job.options.database = a.get("db");
    // As recorded with the run unless given; an explicit 0 stops them and is recorded.
    job.options.checkpointEvery = number("checkpoint_every").value_or(plan.checkpointEvery);
    if (a.has("checkpoint_every") && job.options.checkpointEvery == 0 && plan.checkpointEvery > 0)
        store.setExecutionValue(plan.run.id, "checkpoint_every", 0);
    job.store = &store;
    job.runId = plan.run.id;
    job.checkpointDir = plan.checkpointDir;
    job.resultsToContinue = plan.checkpointDir;
    job.owner = ownerOf(store, plan.run.id);
    recordResume(store, plan);
    job.resume = std::move(plan.checkpoint);
    return executeTraining(job, out);
}

} // namespace

bool isStoreCommand(const std::vector<std::string>& args) {
    if (args.empty())
        return false;
    for (const char* c : kCommands)
        if (args[0] == c)
            return true;
    return false;
}

std::string storeCommandsHelp() {
    return "Usage: burstprop-train list   [--db FILE] [--status S] [--filter TEXT] [--sweep ID] [--limit N] "
           "[--json]\n"
           "       burstprop-train show   ID [--db FILE] [--json]\n"
           "       burstprop-train export ID [--db FILE] [--metrics FILE.csv] [--signals FILE.csv]\n"
           "                              [--checkpoint FILE.pt]\n"
           "                              [--native FILE.ckpt] [--which latest|best|initial|epoch-N] "
           "[--momentum]\n"
           "       burstprop-train export ID|--sweep ID --tensorboard DIR [--db FILE]\n"
           "       burstprop-train export --sweep ID [--metrics FILE.csv] [--signals FILE.csv] [--db FILE]\n"
           "       burstprop-train import REFERENCE_DIR [--db FILE] [--name N] [--json]\n"
           "       burstprop-train resume ID [--db FILE] [-n_epochs N] [--threads N] [--nproc N] [--json] "
           "[--no-progress]\n"
           "       burstprop-train delete ID [--db FILE] --yes\n"
           "       burstprop-train evaluate ID [--db FILE] [--which latest|best|initial|epoch-N] [--data-dir "
           "DIR]\n"
           "                              [--json] [--confusion FILE.csv]   (evaluate --help)\n\n"
           "The run database is " +
           defaultDatabasePath() +
           " unless --db says otherwise.\n"
           "export --checkpoint writes a dict Python's torch.load opens (layer0.weight, layer0.bias,\n"
           "layer0.weight_fa, layer0.weight_r, ..., config as JSON); --metrics writes long-format CSV\n"
           "(run_id,run,metric,epoch,step,wall_time,value; with --sweep: run_id, the swept hyperparameters,\n"
           "seed,metric,epoch,step,value); --signals writes the signal histograms as long-format CSV, one "
           "row\n"
           "per bin (run_id,run or the sweep's columns, then epoch,step,layer,quantity,low,high,bin,count,\n"
           "units,silent_units,silent_classes); --tensorboard writes "
           "DIR/run-<id>-<name>/events.out.tfevents.*\n"
           "(scalars, and the signal histograms as histograms) and params.txt per run (tensorboard --logdir\n"
           "DIR; docs/tensorboard.md). import records a\n"
           "reference results folder (params.txt, the tensorboardX events) as a run tagged \"imported\".\n"
           "resume continues a stopped or interrupted run "
           "from its\n"
           "latest checkpoint in the same record; -n_epochs extends a finished one; --nproc N (or torchrun,\n"
           "srun) continues it in N processes, any N: the checkpoint holds the global state\n"
           "(--dist-timeout, --backend, --master-port as for a run; docs/distributed.md).\n";
}

int runStoreCommand(const std::vector<std::string>& args, std::ostream& out) {
    const std::string& command = args.at(0);
    try {
        Arguments a;
        if (command == "list")
            a = parse(args, {"db", "status", "filter", "limit", "sweep"}, {"json", "help", "h"}, false);
        else if (command == "show")
            a = parse(args, {"db"}, {"json", "help", "h"}, true);
        else if (command == "import")
            return runImportCommand(args, out);
        else if (command == "export")
            a = parse(args,
                      {"db", "metrics", "checkpoint", "native", "which", "sweep", "tensorboard", "signals"},
                      {"momentum", "help", "h"}, false);
        else if (command == "resume")
            a = parse(args,
                      {"db", "n_epochs", "threads", "checkpoint_every", "nproc", "dist_timeout", "backend",
                       "master_port"},
                      {"json", "no_progress", "help", "h"}, true);
        else
            a = parse(args, {"db"}, {"yes", "help", "h"}, true);
        if (a.has("help") || a.has("h")) {
            out << storeCommandsHelp();
            return 0;
        }
        for (const char* key : {"limit", "n_epochs", "threads", "checkpoint_every"})
            requireIntegerOption(a, key, 1000000);
        requireIntegerOption(a, "sweep", 1000000000);
        if (command == "export" && !a.runId && !a.has("sweep"))
            throw Error("export: which run? Give its id (burstprop-train list shows them), or --sweep ID");
        if (command == "resume") {
            requireIntegerOption(a, "nproc", 1024);
            requireIntegerOption(a, "dist_timeout", 86400);
            requireIntegerOption(a, "master_port", 65535);
            if (a.has("backend") && a.get("backend") != "gloo" && a.get("backend") != "nccl")
                throw Error("resume: --backend '" + a.get("backend") + "' is not a backend (gloo or nccl)");
            GroupResume group;
            group.options.json = a.has("json");
            group.options.progress = !a.has("no_progress");
            group.options.nproc = a.has("nproc") ? std::stoi(a.get("nproc")) : 0;
            if (a.has("dist_timeout"))
                group.options.distTimeoutSeconds = std::max(1, std::stoi(a.get("dist_timeout")));
            group.options.backend = a.get("backend");
            if (a.has("master_port"))
                group.options.masterPort = std::stoi(a.get("master_port"));
            if (group.options.nproc > 1 || inLaunchGroup(group.options)) {
                group.runId = *a.runId;
                group.database = a.get("db", defaultDatabasePath());
                if (a.has("n_epochs"))
                    group.epochs = std::stoi(a.get("n_epochs"));
                if (a.has("threads"))
                    group.threads = std::stoi(a.get("threads"));
                group.checkpointEvery = a.has("checkpoint_every") ? std::stoi(a.get("checkpoint_every")) : -1;
                try {
                    return resumeInGroup(group, args, out);
                } catch (const Error& e) {
                    printCliError(e.what());
                    return kExitFailed;
                }
            }
        }
        try {
            RunStore store(a.get("db", defaultDatabasePath()));
            if (command == "list")
                return listCommand(store, a, out);
            if (command == "show")
                return showCommand(store, a, out);
            if (command == "export")
                return exportCommand(store, a, out);
            if (command == "resume")
                return resumeCommand(store, a, out);
            return deleteCommand(store, a, out);
        } catch (const Error& e) {
            printCliError(e.what());
            return kExitFailed;
        }
    } catch (const Error& e) {
        printCliError(e.what());
        return kExitUsage;
    }
}

} // namespace bp
