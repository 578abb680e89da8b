#include "core/cli/sweep_command.h"
#include "core/cli/options.h"
#include "core/cli/train_command.h"
#include "core/setup/command_line.h"
#include "core/setup/config_options.h"
#include "core/study/sweep_spec.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include <cctype>
#include <set>

namespace bp {

namespace {

constexpr int kExitUsage = 2;

struct SweepArguments {
    std::vector<std::string> grid;       // each --grid KEY=SPEC
    std::vector<std::string> configArgs; // the configuration's options, as typed
    std::vector<std::string> runArgs;    // every option a run takes (configuration and recording)
    study::SweepPlan plan;
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
        } else if (runValued.count(key)) {
            a.runArgs.push_back(arg);
            if (!hasValue)
                a.runArgs.push_back(takeValue());
        } else if (runSwitches.count(key)) {
            a.runArgs.push_back(arg);
        } else {
            throw Error("sweep: unknown option '" + flag + "' (burstprop-train sweep --help)");
        }
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

} // namespace

bool isSweepCommand(const std::vector<std::string>& args) {
    return !args.empty() && args[0] == "sweep";
}

std::string sweepCommandHelp() {
    return "Usage: burstprop-train sweep --grid KEY=VALUES [--grid ...] [--random N [--draw-seed S]] "
           "[--seeds K]\n"
           "                             --dry-run [--commands] [options as for a run]\n"
           "\n"
           "Lists the runs of a sweep: every combination of the values (a grid), or N random draws, each "
           "with\n"
           "K seeds (the run's --seed, then the next K - 1). Running a sweep is not available yet.\n"
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
           "  --dry-run           list the runs and their count, train nothing\n"
           "  --commands          list each run as the burstprop-train command line that trains it\n";
}

int runSweepCommand(const std::vector<std::string>& args, std::ostream& out) {
    SweepArguments a;
    study::SweepExpansion expansion;
    std::vector<study::SweepDimension> dimensions;
    try {
        a = parseSweepArguments(args);
        if (a.help) {
            out << sweepCommandHelp();
            return 0;
        }
        parseCommandLine(a.runArgs); // the base's options, checked and worded as for a run
        try {
            dimensions = study::parseSweep(a.grid);
        } catch (const Error& e) {
            throw Error("--grid " + std::string(e.what()));
        }
        expansion = study::expandSweep(dimensions, a.plan, study::configOptionItems(a.configArgs));
    } catch (const Error& e) {
        printCliError(e.what());
        return kExitUsage;
    }
    if (!a.dryRun) {
        const size_t n = expansion.runs.size();
        printCliError("sweep: running sweeps is not available yet; --dry-run lists the " + std::to_string(n) +
                      (n == 1 ? " run" : " runs") + " of this sweep");
        return kExitUsage;
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
