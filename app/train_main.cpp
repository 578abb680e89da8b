// burstprop-train: trains one configuration without a GUI, recording it in the run database, and lists,
// shows, exports, resumes and deletes recorded runs (burstprop-train --help, burstprop-train list --help),
// replays the reference's golden steps on a device (burstprop-train golden --help) and lists the runs of a
// sweep (burstprop-train sweep --help).
// Exit status: 0 completed, 1 failed or diverged, 2 invalid arguments, 130 stopped by a signal.
#include "core/cli/control_commands.h"
#include "core/cli/evaluate_command.h"
#include "core/cli/golden_command.h"
#include "core/cli/group_launch.h"
#include "core/cli/options.h"
#include "core/cli/stop_signal.h"
#include "core/cli/store_commands.h"
#include "core/cli/subcommand.h"
#include "core/cli/sweep_command.h"
#include "core/cli/train_command.h"
#include "core/setup/command_line.h"
#include "core/train/trainer.h"
#include "core/util/error.h"
#include <ATen/Parallel.h>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

std::string commandLine(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.empty() || arg.find_first_of(" \t'\"\\$") != std::string::npos) {
            std::string quoted = "'";
            for (char c : arg)
                quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
            arg = quoted + "'";
        }
        line += (i ? " " : "") + arg;
    }
    return line;
}

int runBenchmark(const bp::CliOptions& options) {
    bp::Trainer trainer(options.config);
    const double examplesPerSecond = trainer.benchmark(options.benchmarkSteps);
    std::cout << bp::configurationLine(trainer.config()) << " threads_used=" << at::get_num_threads()
              << " steps=" << options.benchmarkSteps << '\n';
    char number[32];
    std::snprintf(number, sizeof number, "%.1f", examplesPerSecond);
    std::cout << "examples_per_second=" << number << std::endl;
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    // A pause (SIGUSR1) or continue (SIGUSR2) that comes before the trainer listens must not end the process.
    bp::ignorePauseSignals();
    // A subcommand stands first even when options came before it (burstprop-train --db f.sqlite list).
    const std::vector<std::string> args =
        bp::subcommandFirst(std::vector<std::string>(argv + 1, argv + argc));
    if (bp::isStoreCommand(args))
        return bp::runStoreCommand(args, std::cout);
    if (bp::isControlCommand(args))
        return bp::runControlCommand(args, std::cout);
    if (bp::isEvaluateCommand(args))
        return bp::runEvaluateCommand(args, std::cout);
    if (bp::isGoldenCommand(args))
        return bp::runGoldenCommand(args, std::cout);
    if (bp::isSweepCommand(args))
        return bp::runSweepCommand(args, std::cout);
    bp::CliOptions options;
    try {
        options = bp::parseCommandLine(args);
    } catch (const bp::Error& e) {
        bp::printCliError(e.what());
        return kExitUsage;
    }
    if (options.help) {
        std::cout << bp::helpText();
        return 0;
    }
    try {
        if (options.benchmarkSteps > 0)
            return runBenchmark(options);
        if (bp::launchesLocalGroup(options))
            return bp::launchLocalGroup(options, args, std::cout);
        return bp::runTrainCommand(options, commandLine(argc, argv), std::cout);
    } catch (const std::exception& e) {
        const std::string what = e.what();
        bp::printCliError(what.substr(0, what.find('\n'))); // c10::Error appends a backtrace
    }
    return kExitFailed;
}
