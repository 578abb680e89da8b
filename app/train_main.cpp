// burstprop-train: trains one configuration without a GUI (burstprop-train --help).
// Exit status: 0 completed, 1 failed or diverged, 2 invalid arguments, 130 stopped by a signal.
#include "core/cli/json_reporter.h"
#include "core/cli/observer_list.h"
#include "core/cli/options.h"
#include "core/cli/progress_printer.h"
#include "core/cli/results_writer.h"
#include "core/cli/stop_signal.h"
#include "core/train/trainer.h"
#include "core/util/error.h"
#include <ATen/Parallel.h>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitStopped = 130;

// Every line of message, prefixed with the program's name.
void printError(const std::string& message) {
    std::istringstream lines(message);
    std::string line;
    while (std::getline(lines, line))
        std::cerr << "burstprop-train: " << line << '\n';
    std::cerr.flush();
}

// c10::Error messages carry a backtrace after their first line.
std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

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

int runTraining(const bp::CliOptions& options, const std::string& invocation) {
    bp::ObserverList observers;
    std::unique_ptr<bp::ResultsWriter> results;
    if (!options.resultsDir.empty()) {
        results = std::make_unique<bp::ResultsWriter>(options.resultsDir, options.config, invocation);
        observers.add(results.get());
    }
    std::unique_ptr<bp::JsonReporter> json;
    std::unique_ptr<bp::ProgressPrinter> printer;
    if (options.json) {
        json = std::make_unique<bp::JsonReporter>(std::cout, options.config);
        observers.add(json.get());
    } else {
        const bool bar = options.progress && bp::stdoutIsTerminal();
        printer = std::make_unique<bp::ProgressPrinter>(std::cout, options.config, bar,
                                                        bar ? bp::terminalColumns() : 80);
        observers.add(printer.get());
        std::cout << bp::configurationLine(options.config) << '\n';
        if (results)
            std::cout << "results: " << results->dir() << '\n';
        std::cout.flush();
    }

    bp::Trainer trainer(options.config, &observers);
    bp::RunStatus status;
    {
        bp::StopOnSignal stopOnSignal([&trainer] { trainer.requestStop(); });
        status = trainer.run();
    }
    if (json)
        json->finish(status, trainer.message());

    switch (status) {
    case bp::RunStatus::Completed:
        if (printer)
            std::cout << "completed" << std::endl;
        return 0;
    case bp::RunStatus::Stopped:
        printError("stopped" + std::string(bp::StopOnSignal::signalled() ? " by a signal" : "") +
                   (trainer.message().empty() ? "" : ": " + trainer.message()));
        return kExitStopped;
    default:
        printError(trainer.message().empty() ? "the run ended as " + bp::toString(status)
                                             : trainer.message());
        return kExitFailed;
    }
}

} // namespace

int main(int argc, char** argv) {
    bp::CliOptions options;
    try {
        options = bp::parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const bp::Error& e) {
        printError(e.what());
        return kExitUsage;
    }
    if (options.help) {
        std::cout << bp::helpText();
        return 0;
    }
    try {
        if (options.benchmarkSteps > 0)
            return runBenchmark(options);
        return runTraining(options, commandLine(argc, argv));
    } catch (const bp::Error& e) {
        printError(e.what());
    } catch (const std::exception& e) {
        printError(firstLine(e.what()));
    }
    return kExitFailed;
}
