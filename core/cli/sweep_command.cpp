#include "core/cli/sweep_command.h"
#include "core/cli/command_arguments.h"
#include "core/cli/options.h"
#include "core/cli/sweep_runner.h"
#include "core/cli/table_text.h"
#include "core/cli/train_command.h"
#include "core/config/hyperparameters.h"
#include "core/runs/run_control.h"
#include "core/setup/command_line.h"
#include "core/setup/config_options.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/study/run_groups.h"
#include "core/study/statistics.h"
#include "core/study/sweep_spec.h"
#include "core/util/error.h"
#include "core/util/json_writer.h"
#include "core/util/number_text.h"
#include "core/util/system_info.h"
#include <cctype>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace bp {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kMaxParallel = 1024;

struct SweepArguments {
    std::vector<std::string> grid;       // each --grid KEY=SPEC
    std::vector<std::string> configArgs; // the configuration's options, as typed
    std::vector<std::string> runArgs;    // every option a run takes (configuration and recording)
    std::vector<std::string> definition; // the arguments as given, but --db and its value
    study::SweepPlan plan;
    int parallel = 0; // 0: not given
    bool threadsGiven = false;
    bool dryRun = false;
    bool commands = false;
    bool help = false;
};

bool looksLikeOption(const std::string& arg) {
    return arg.size() >= 2 && arg[0] == '-' &&
           !(std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.');
}

int intValue(const std::string& flag, const std::string& value, long long lo, long long hi) {
    return parseIntValue(flag, value, lo, hi);
}

SweepArguments parseSweepArguments(const std::vector<std::string>& args) {
    // Options of a run that are not the configuration's: they will apply to each run of the sweep.
    static const std::set<std::string> runValued = {"db", "name", "tags", "notes", "checkpoint_every"};
    static const std::set<std::string> runSwitches = {"json", "no_progress", "no_db"};
    SweepArguments a;
    bool random = false;
    for (size_t i = 1; i < args.size(); ++i) {
        const size_t first = i;
        const std::string& arg = args[i];
        if (!looksLikeOption(arg))
            throw Error("sweep: unexpected argument '" + arg +
                        "' (a sweep takes options only; burstprop-train sweep --help)");
        std::string name = arg.substr(arg.compare(0, 2, "--") == 0 ? 2 : 1);
        std::string value;
        bool hasValue = false;
        if (const size_t eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            hasValue = true;
            name = name.substr(0, eq);
        }
        const std::string flag = arg.substr(0, arg.size() - (hasValue ? value.size() + 1 : 0));
        const std::string key = normalisedOptionKey(name);
        auto takeValue = [&]() -> std::string {
            if (hasValue)
                return value;
            if (i + 1 >= args.size())
                throw Error("sweep: " + flag + " needs a value");
            return args[++i];
        };
        if (key == "grid") {
            a.grid.push_back(takeValue());
        } else if (key == "parallel") {
            a.parallel = intValue(flag, takeValue(), 1, kMaxParallel);
        } else if (key == "random") {
            a.plan.mode = study::SweepMode::Random;
            a.plan.randomCount = intValue(flag, takeValue(), 1, static_cast<long long>(study::kMaxSweepRuns));
            random = true;
        } else if (key == "draw_seed") {
            const std::string v = takeValue();
            const auto seed = parseUnsigned(v);
            if (!seed)
                throw Error(flag + ": '" + v + "' is not an integer in [0, 18446744073709551615]");
            a.plan.drawSeed = *seed;
        } else if (key == "seeds") {
            a.plan.seeds = intValue(flag, takeValue(), 1, 10000);
        } else if (key == "dry_run") {
            a.dryRun = true;
        } else if (key == "commands") {
            a.commands = true;
        } else if (key == "help" || key == "h") {
            a.help = true;
        } else if (const auto kind = configOptionKind(key)) {
            std::vector<std::string> words{arg};
            if (*kind != OptionKind::Switch && !hasValue)
                words.push_back(takeValue());
            a.configArgs.insert(a.configArgs.end(), words.begin(), words.end());
            a.runArgs.insert(a.runArgs.end(), words.begin(), words.end());
            a.threadsGiven = a.threadsGiven || key == "threads";
        } else if (runValued.count(key)) {
            a.runArgs.push_back(arg);
            if (!hasValue)
                a.runArgs.push_back(takeValue());
        } else if (runSwitches.count(key)) {
            a.runArgs.push_back(arg);
        } else {
            throw Error("sweep: unknown option '" + flag + "' (burstprop-train sweep --help)");
        }
        if (key != "db")
            a.definition.insert(a.definition.end(), args.begin() + static_cast<long>(first),
                                args.begin() + static_cast<long>(i) + 1);
    }
    if (a.help)
        return a;
    if (a.grid.empty())
        throw Error("sweep: give at least one --grid KEY=VALUES (burstprop-train sweep --help)");
    if (!random && a.plan.drawSeed != 1)
        throw Error("sweep: --draw-seed goes with --random N");
    return a;
}

std::string runLine(const study::SweepRun& run) {
    std::string line;
    for (const auto& [key, value] : run.assignments)
        line += key + "=" + value + " ";
    return line + "seed=" + std::to_string(run.config.seed);
}

std::string definitionLine(const SweepRecord& sweep) {
    std::string line = "burstprop-train sweep";
    for (const std::string& word : sweepArguments(sweep))
        line += " " + shellQuoted(word);
    return line;
}

// Whether the sweep is recorded as run by a process now (running or paused).
bool sweepActive(const SweepRecord& sweep) {
    return sweep.status == "running" || sweep.status == "paused";
}

// The sweep's status as recorded, but "interrupted" when the process of this host that ran it is gone.
std::string sweepStatus(const SweepRecord& sweep) {
    if (sweepActive(sweep) && sweep.host == sys::hostName() && !sys::processAlive(sweep.pid))
        return "interrupted";
    return sweep.status;
}

bool runnerAlive(const SweepRecord& sweep) {
    return sweepActive(sweep) && sweep.pid > 0 &&
           (sweep.host != sys::hostName() || sys::processAlive(sweep.pid));
}

// "4 runs: 3 completed, 1 queued"
std::string runCounts(const std::vector<RunRecord>& runs) {
    std::map<std::string, int> counts;
    for (const RunRecord& r : runs)
        ++counts[toString(r.status)];
    std::string text = std::to_string(runs.size()) + (runs.size() == 1 ? " run" : " runs");
    bool first = true;
    for (const auto& [status, n] : counts) {
        text += (first ? ": " : ", ") + std::to_string(n) + " " + status;
        first = false;
    }
    return text;
}

// The number of processes to run at once when --parallel is not given: as many as the cores allow at the
// thread count of a run (0: all cores).
int defaultParallel(int threadsPerRun) {
    const int cores = availableCores();
    return std::max(1, cores / (threadsPerRun > 0 ? threadsPerRun : cores));
}

// A sweep's subcommand (list, show, resume, stop, delete) among args, which start with "sweep": the first
// word that is neither an option nor the value of --db or --parallel.
std::string sweepSubcommand(const std::vector<std::string>& args) {
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (looksLikeOption(arg)) {
            const std::string name = arg.substr(arg.compare(0, 2, "--") == 0 ? 2 : 1);
            if (name.find('=') == std::string::npos &&
                (normalisedOptionKey(name) == "db" || normalisedOptionKey(name) == "parallel"))
                ++i;
            continue;
        }
        for (const char* c : {"list", "show", "resume", "stop", "pause", "continue", "delete"})
            if (arg == c)
                return arg;
        return {};
    }
    return {};
}

SweepRecord requireSweep(RunStore& store, int64_t id) {
    std::optional<SweepRecord> sweep = store.sweep(id);
    if (!sweep)
        throw Error("sweep " + std::to_string(id) + " is not in " + store.path() +
                    " (burstprop-train sweep list)");
    return *sweep;
}

int listSweeps(RunStore& store, std::ostream& out) {
    const std::vector<SweepRecord> sweeps = store.listSweeps();
    char line[512];
    std::snprintf(line, sizeof line, "%6s  %-11s  %-28s  %-16s  %s\n", "id", "status", "name", "created",
                  "runs");
    out << line;
    for (const SweepRecord& sw : sweeps) {
        const std::string name = sw.name.size() > 28 ? sw.name.substr(0, 27) + "~" : sw.name;
        std::snprintf(line, sizeof line, "%6lld  %-11s  %-28s  %-16s  %s\n", static_cast<long long>(sw.id),
                      sweepStatus(sw).c_str(), name.c_str(), formatTime(sw.createdAt).c_str(),
                      runCounts(store.runsOfSweep(sw.id)).c_str());
        out << line;
    }
    if (sweeps.empty())
        out << "(no sweeps in " << store.path() << ")\n";
    return 0;
}

int showSweep(RunStore& store, int64_t id, std::ostream& out) {
    const SweepRecord sw = requireSweep(store, id);
    const std::vector<std::string> keys = sweptKeys(sweepArguments(sw));
    const std::vector<RunRecord> runs = store.runsOfSweep(id);
    out << "sweep " << sw.id << ": " << sw.name << '\n';
    out << "  status      " << sweepStatus(sw);
    if (sweepActive(sw))
        out << " (process " << sw.pid << " on " << sw.host << ")";
    out << '\n';
    out << "  created     " << formatTime(sw.createdAt) << '\n';
    out << "  definition  " << definitionLine(sw) << '\n';
    out << "  runs        " << runCounts(runs) << '\n';
    char line[512];
    std::snprintf(line, sizeof line, "%6s  %-11s  %7s  %10s  %10s  %s\n", "id", "status", "epochs",
                  "final err", "best err", "swept values");
    out << line;
    std::vector<RunConfig> configs;
    std::vector<std::string> labels;
    std::vector<std::optional<double>> finals;
    for (const RunRecord& r : runs) {
        const std::string label = sweptLabel(store, r, keys);
        const std::optional<double> final = finalTestError(store, r.id);
        const std::string epochs = std::to_string(r.epochsDone) + "/" + std::to_string(r.epochsTotal);
        std::snprintf(line, sizeof line, "%6lld  %-11s  %7s  %10s  %10s  %s\n", static_cast<long long>(r.id),
                      toString(r.status).c_str(), epochs.c_str(), formatPercent(final).c_str(),
                      formatPercent(r.bestTestError).c_str(), label.c_str());
        out << line;
        configs.push_back(configFromJson(r.configJson));
        labels.push_back(label.substr(0, label.rfind("seed=")));
        finals.push_back(r.status == RunStatus::Completed ? final : std::nullopt);
    }
    if (runs.empty())
        return 0;
    out << "groups (runs that differ only by seed; final test error of their completed runs):\n";
    for (const study::RunGroup& group : study::groupRuns(configs)) {
        std::vector<double> values;
        for (size_t member : group.members)
            if (finals[member])
                values.push_back(*finals[member]);
        const study::Summary summary = study::summary(values);
        std::string label = labels[group.members.front()];
        if (label.empty())
            label = "(all runs) ";
        out << "  " << label << " n=" << summary.n;
        if (summary.mean)
            out << "  " << formatFixed(*summary.mean, 2)
                << (summary.std ? " ± " + formatFixed(*summary.std, 2) : std::string()) << " %";
        if (summary.n < group.members.size())
            out << " (" << summary.n << " of " << group.members.size() << " runs completed)";
        else if (summary.n == 1)
            out << " (one run: no spread)";
        out << '\n';
    }
    return 0;
}

// resume --json: a run of the sweep that resume leaves alone, and why.
std::string leftRun(int64_t sweep, const RunRecord& r, const std::string& reason) {
    JsonWriter j;
    j.field("event", "sweep_run_left")
        .field("sweep", static_cast<long long>(sweep))
        .field("run_id", static_cast<long long>(r.id))
        .field("status", toString(r.status))
        .field("reason", reason);
    return j.str();
}

int stopSweep(RunStore& store, int64_t id, std::ostream& out) {
    const SweepRecord sw = requireSweep(store, id);
    // The process that runs the sweep stops its runs itself (one signal each) and starts no more.
    if (sweepActive(sw) && sw.host == sys::hostName() && sys::processAlive(sw.pid) &&
        sw.pid != sys::processId()) {
        ::kill(static_cast<pid_t>(sw.pid), SIGTERM);
        out << "sweep " << id << ": asked process " << sw.pid
            << " that runs it to stop; its running runs checkpoint and end as stopped\n";
        return 0;
    }
    if (runnerAlive(sw))
        throw Error("sweep " + std::to_string(id) + " runs in process " + std::to_string(sw.pid) + " on " +
                    sw.host + ": stop it there");
    int signalled = 0;
    for (const RunRecord& r : store.runsOfSweep(id)) {
        if (r.status != RunStatus::Running && r.status != RunStatus::Paused)
            continue;
        if (r.host != sys::hostName() || !sys::processAlive(r.pid)) {
            out << "run " << r.id << " runs in process " << r.pid << " on " << r.host << ": stop it there\n";
            continue;
        }
        ::kill(static_cast<pid_t>(r.pid), SIGTERM);
        out << "run " << r.id << ": asked process " << r.pid << " to stop\n";
        ++signalled;
    }
    if (sweepActive(sw) || sw.status == "queued")
        store.setSweepStatus(id, "stopped");
    if (signalled == 0)
        out << "sweep " << id << " has no run running on this host\n";
    return 0;
}

int deleteSweep(RunStore& store, int64_t id, bool keepRuns, bool confirmed, std::ostream& out) {
    const SweepRecord sw = requireSweep(store, id);
    if (runnerAlive(sw))
        throw Error("sweep " + std::to_string(id) + " is running in process " + std::to_string(sw.pid) +
                    " on " + sw.host + ": stop it first (burstprop-train sweep stop " + std::to_string(id) +
                    "); nothing was deleted");
    const size_t runs = store.runsOfSweep(id).size();
    const std::string what =
        keepRuns ? "its " + std::to_string(runs) + (runs == 1 ? " run stays" : " runs stay") + ", in no sweep"
                 : "with its " + std::to_string(runs) + (runs == 1 ? " run" : " runs") +
                       ", their metrics and checkpoint files";
    if (!confirmed)
        throw Error("sweep delete: this removes sweep " + std::to_string(id) + " (\"" + sw.name + "\") " +
                    (keepRuns ? "(" + what + ")" : what) + "; add --yes to confirm" +
                    (keepRuns ? "" : " (--keep-runs keeps the runs)"));
    store.deleteSweep(id, !keepRuns);
    out << "deleted sweep " << id << " (\"" << sw.name << "\")" << (keepRuns ? "; " : " ") << what << '\n';
    return 0;
}

int resumeSweep(RunStore& store, int64_t id, int parallel, bool json, std::ostream& out) {
    const SweepRecord sw = requireSweep(store, id);
    if (runnerAlive(sw))
        throw Error("sweep " + std::to_string(id) + " is running in process " + std::to_string(sw.pid) +
                    " on " + sw.host + " (burstprop-train sweep stop " + std::to_string(id) + ")");
    const std::vector<std::string> keys = sweptKeys(sweepArguments(sw));
    SweepExecution execution;
    execution.sweepId = id;
    int threads = 1;
    for (const RunRecord& r : store.runsOfSweep(id)) {
        switch (r.status) {
        case RunStatus::Queued:
        case RunStatus::Stopped:
        case RunStatus::Interrupted:
            execution.tasks.push_back({r.id, sweptLabel(store, r, keys)});
            threads = std::max(threads, configFromJson(r.configJson).threads);
            break;
        case RunStatus::Running:
        case RunStatus::Paused:
            if (json)
                out << leftRun(id, r, "runs in process " + std::to_string(r.pid) + " on " + r.host) << '\n';
            else
                out << "run " << r.id << " is " << toString(r.status) << " in process " << r.pid << " on "
                    << r.host << ": left to it\n";
            break;
        case RunStatus::Failed:
        case RunStatus::Diverged:
            if (json)
                out << leftRun(id, r, "left as it is") << '\n';
            else
                out << "run " << r.id << " " << toString(r.status) << ": left as it is (burstprop-train show "
                    << r.id << ")\n";
            break;
        case RunStatus::Completed:
            break;
        }
    }
    if (execution.tasks.empty()) {
        const std::vector<RunRecord> runs = store.runsOfSweep(id);
        const bool all = std::all_of(runs.begin(), runs.end(),
                                     [](const RunRecord& r) { return r.status == RunStatus::Completed; });
        if (!sweepActive(sw))
            store.setSweepStatus(id, all ? "completed" : "failed");
        if (json) {
            JsonWriter j;
            j.field("event", "sweep_ended")
                .field("sweep", static_cast<long long>(id))
                .field("status", all ? "completed" : "failed")
                .field("nothing_left", true)
                .field("runs", runCounts(runs));
            out << j.str() << '\n';
        } else {
            out << "sweep " << id << " has nothing left to run (" << runCounts(runs) << ")\n";
        }
        return all ? 0 : kExitFailed;
    }
    execution.parallel = parallel > 0 ? parallel : defaultParallel(threads);
    execution.json = json;
    if (json) {
        JsonWriter j;
        j.field("event", "sweep")
            .field("sweep", static_cast<long long>(id))
            .field("name", sw.name)
            .field("database", std::filesystem::absolute(store.path()).lexically_normal().string())
            .field("runs", static_cast<long long>(execution.tasks.size()))
            .field("parallel", execution.parallel)
            .field("resumed", true);
        out << j.str() << std::endl;
        return executeSweep(store, execution, out);
    }
    out << "sweep " << id << ": " << execution.tasks.size()
        << (execution.tasks.size() == 1 ? " run" : " runs") << " to run, " << execution.parallel
        << " at a time\n";
    return executeSweep(store, execution, out);
}

int runSweepSubcommand(const std::string& sub, const std::vector<std::string>& args, std::ostream& out) {
    try {
        std::vector<std::string> rest{"sweep " + sub};
        bool skipped = false;
        for (size_t i = 1; i < args.size(); ++i) {
            if (!skipped && args[i] == sub) {
                skipped = true;
                continue;
            }
            rest.push_back(args[i]);
        }
        const bool needsId = sub != "list";
        const CommandArguments a = parseCommandArguments(
            rest,
            sub == "resume" ? std::vector<std::string>{"db", "parallel"} : std::vector<std::string>{"db"},
            sub == "resume"   ? std::vector<std::string>{"help", "h", "json"}
            : sub == "delete" ? std::vector<std::string>{"help", "h", "yes", "keep_runs"}
                              : std::vector<std::string>{"help", "h"});
        if (a.has("help") || a.has("h")) {
            out << sweepCommandHelp();
            return 0;
        }
        int64_t id = 0;
        if (needsId) {
            if (!a.positional)
                throw Error(a.command + ": which sweep? Give its id (burstprop-train sweep list shows them)");
            id = parseInteger(*a.positional).value_or(0);
            if (id <= 0)
                throw Error(a.command + ": '" + *a.positional +
                            "' is not a sweep id (a positive integer; see burstprop-train sweep list)");
        } else if (a.positional) {
            throw Error(a.command + ": unexpected argument '" + *a.positional + "'");
        }
        int parallel = 0;
        if (a.has("parallel"))
            parallel = parseIntValue("--parallel", a.get("parallel"), 1, kMaxParallel);
        try {
            RunStore store(a.get("db", defaultDatabasePath()));
            if (sub == "list")
                return listSweeps(store, out);
            if (sub == "show")
                return showSweep(store, id, out);
            if (sub == "stop")
                return stopSweep(store, id, out);
            if (sub == "pause" || sub == "continue") {
                const ControlOutcome outcome =
                    controlSweep(store, id, sub == "pause" ? RunAction::Pause : RunAction::Continue);
                if (!outcome.ok)
                    throw Error(outcome.message);
                out << outcome.message << '\n';
                return 0;
            }
            if (sub == "delete")
                return deleteSweep(store, id, a.has("keep_runs"), a.has("yes"), out);
            return resumeSweep(store, id, parallel, a.has("json"), out);
        } catch (const Error& e) {
            printCliError(e.what());
            return kExitFailed;
        }
    } catch (const Error& e) {
        printCliError(e.what());
        return kExitUsage;
    }
}

// Records the sweep and its runs (queued, each tagged with the sweep), then runs them.
int runSweep(const SweepArguments& a, const CliOptions& base, study::SweepExpansion& expansion,
             const std::vector<study::SweepDimension>& dimensions, std::ostream& out) {
    // Threads per run: as asked; else 1 when several run at once (or by default), all cores for one at a
    // time.
    bool threadsGiven = a.threadsGiven;
    for (const study::SweepDimension& d : dimensions)
        threadsGiven = threadsGiven || d.key == "threads";
    const int threads = threadsGiven ? base.config.threads : (a.parallel == 1 ? 0 : 1);
    const int parallel = a.parallel > 0 ? a.parallel : defaultParallel(threads);
    std::string name = base.name;
    if (name.empty()) {
        for (const study::SweepDimension& d : dimensions)
            name += (name.empty() ? "sweep of " : ", ") + d.key;
    }
    const std::vector<std::string> keys = sweptKeys(a.definition);
    RunStore store(base.database.empty() ? defaultDatabasePath() : base.database);
    const int64_t sweepId = store.createSweep(name, nlohmann::json(a.definition).dump());
    SweepExecution execution;
    execution.sweepId = sweepId;
    execution.parallel = parallel;
    execution.checkpointEvery = base.checkpointEvery;
    execution.json = base.json;
    for (study::SweepRun& run : expansion.runs) {
        if (!threadsGiven)
            run.config.threads = threads;
        const std::string label = runLine(run);
        const RunConfig& config = run.config;
        const int64_t id = store.createRun(
            config, name + ": " + label, base.notes, base.tags,
            [&](const std::string& key) { return hyperparameterApplies(config, key); }, sweepId);
        execution.tasks.push_back({id, sweptLabel(store, *store.getRun(id), keys)});
    }
    const size_t n = execution.tasks.size();
    if (base.json) {
        JsonWriter j;
        j.field("event", "sweep")
            .field("sweep", static_cast<long long>(sweepId))
            .field("name", name)
            .field("database", std::filesystem::absolute(store.path()).lexically_normal().string())
            .field("runs", static_cast<long long>(n))
            .field("points", static_cast<long long>(expansion.points))
            .field("duplicates", static_cast<long long>(expansion.duplicates))
            .field("parallel", parallel)
            .field("threads", threads);
        out << j.str() << std::endl;
        return executeSweep(store, execution, out);
    }
    out << "sweep " << sweepId << " (\"" << name << "\") in " << store.path() << ": " << n
        << (n == 1 ? " run, " : " runs, ") << parallel << " at a time, "
        << (threads > 0 ? std::to_string(threads) : std::string("all"))
        << (threads == 1 ? " thread" : " threads") << " each" << std::endl;
    return executeSweep(store, execution, out);
}

} // namespace

bool isSweepCommand(const std::vector<std::string>& args) {
    return !args.empty() && args[0] == "sweep";
}

std::string sweepCommandHelp() {
    return "Usage: burstprop-train sweep --grid KEY=VALUES [--grid ...] [--random N [--draw-seed S]] "
           "[--seeds K]\n"
           "                             [--parallel K] [--name NAME] [--dry-run [--commands]] [options as "
           "for a run]\n"
           "       burstprop-train sweep list [--db FILE]\n"
           "       burstprop-train sweep show ID [--db FILE]\n"
           "       burstprop-train sweep resume ID [--db FILE] [--parallel K]\n"
           "       burstprop-train sweep stop ID [--db FILE]\n"
           "       burstprop-train sweep pause ID [--db FILE]\n"
           "       burstprop-train sweep continue ID [--db FILE]\n"
           "       burstprop-train sweep delete ID [--db FILE] [--keep-runs] --yes\n"
           "\n"
           "Runs a sweep: every combination of the values (a grid), or N random draws, each with K seeds "
           "(the\n"
           "run's --seed, then the next K - 1), recorded in the run database as one sweep whose runs each\n"
           "train in their own burstprop-train process, at most K at a time. --dry-run only lists the runs.\n"
           "\n"
           "VALUES:\n"
           "  0.01,0.03,0.1         a list\n"
           "  0.01..1:5:log         5 log-spaced values, both ends included\n"
           "  0.1..0.4:4            4 evenly spaced values, both ends included\n"
           "  0.001..1:log          a range without a count: uniform (:log log-uniform) draws, --random "
           "only\n"
           "  true,false            booleans (weight_fa_learning, conv_net, ...)\n"
           "  burstprop,backprop    choices: rule, dataset, activation, output, perturbation, optimizer, "
           "dtype\n"
           "  '500;500,500'         network shapes (hidden_widths), separated by ';'\n"
           "\n"
           "A hyperparameter a rule does not use is left out of that rule's runs, and runs that become the "
           "same\n"
           "are listed once. Every value is checked against the ranges of burstprop-train --help.\n"
           "\n"
           "Options:\n"
           "  --grid KEY=VALUES   a swept option (repeat for more)\n"
           "  --random N          N random points instead of the grid\n"
           "  --draw-seed S       the random points' generator seed (default 1)\n"
           "  --seeds K           runs per point, seeds --seed .. --seed + K - 1 (default 1)\n"
           "  --parallel K        run at most K at a time (default: the cores / --threads; --threads is 1\n"
           "                      per run unless given or --parallel is 1)\n"
           "  --name NAME         the sweep's name (its runs are named after it and their values)\n"
           "  --dry-run           list the runs and their count, train nothing\n"
           "  --commands          list each run as the burstprop-train command line that trains it\n"
           "\n"
           "list: the sweeps; show: a sweep's definition, runs and groups (n, mean ± std of the final test\n"
           "error); resume: start its queued runs and resume its stopped and interrupted ones; stop: stop "
           "its\n"
           "running runs; pause: start no new run and pause the running ones (SIGUSR1 to the process that\n"
           "runs the sweep; recorded paused); continue: continue them and start new ones again (SIGUSR2).\n"
           "burstprop-train stop|pause|continue RUN acts on one run. burstprop-train list --sweep ID and\n"
           "export --sweep ID --metrics FILE.csv take a sweep's runs.\n";
}

int runSweepCommand(const std::vector<std::string>& args, std::ostream& out) {
    if (const std::string sub = sweepSubcommand(args); !sub.empty())
        return runSweepSubcommand(sub, args, out);
    SweepArguments a;
    study::SweepExpansion expansion;
    std::vector<study::SweepDimension> dimensions;
    CliOptions base;
    try {
        a = parseSweepArguments(args);
        if (a.help) {
            out << sweepCommandHelp();
            return 0;
        }
        base = parseCommandLine(a.runArgs); // the base's options, checked and worded as for a run
        try {
            dimensions = study::parseSweep(a.grid);
        } catch (const Error& e) {
            throw Error("--grid " + std::string(e.what()));
        }
        expansion = study::expandSweep(dimensions, a.plan, study::configOptionItems(a.configArgs));
        if (!a.dryRun && !base.record)
            throw Error("sweep: a sweep is recorded in the run database; --no-db goes with --dry-run only");
    } catch (const Error& e) {
        printCliError(e.what());
        return kExitUsage;
    }
    if (!a.dryRun) {
        try {
            return runSweep(a, base, expansion, dimensions, out);
        } catch (const Error& e) {
            printCliError(e.what());
            return kExitFailed;
        }
    }
    if (base.json) { // the planned runs, then a summary
        for (size_t i = 0; i < expansion.runs.size(); ++i) {
            const study::SweepRun& run = expansion.runs[i];
            Json assignments = Json::object();
            for (const auto& [key, value] : run.assignments)
                assignments[key] = value;
            JsonWriter j;
            j.field("event", "planned_run")
                .field("index", static_cast<long long>(i + 1))
                .field("point", static_cast<long long>(run.point + 1))
                .field("seed", static_cast<long long>(run.config.seed))
                .field("assignments", assignments)
                .field("command", commandLine(run.config));
            out << j.str() << '\n';
        }
        JsonWriter j;
        j.field("event", "sweep_plan")
            .field("runs", static_cast<long long>(expansion.runs.size()))
            .field("points", static_cast<long long>(expansion.points))
            .field("seeds", a.plan.seeds)
            .field("duplicates", static_cast<long long>(expansion.duplicates))
            .field("mode", a.plan.mode == study::SweepMode::Grid ? "grid" : "random");
        out << j.str() << '\n';
        return 0;
    }
    for (size_t i = 0; i < expansion.runs.size(); ++i) {
        const study::SweepRun& run = expansion.runs[i];
        out << (a.commands ? commandLine(run.config) : std::to_string(i + 1) + "  " + runLine(run)) << '\n';
    }
    const size_t n = expansion.runs.size();
    out << n << (n == 1 ? " run" : " runs") << ": " << expansion.points
        << (a.plan.mode == study::SweepMode::Grid ? " grid point" : " random point")
        << (expansion.points == 1 ? "" : "s") << " × " << a.plan.seeds
        << (a.plan.seeds == 1 ? " seed" : " seeds");
    if (expansion.duplicates > 0)
        out << ", " << expansion.duplicates << (expansion.duplicates == 1 ? " run" : " runs")
            << " left out as the same as an earlier one (a rule that does not use a swept hyperparameter)";
    out << '\n';
    return 0;
}

} // namespace bp
