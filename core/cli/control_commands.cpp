#include "core/cli/control_commands.h"
#include "core/cli/command_arguments.h"
#include "core/cli/train_command.h"
#include "core/runs/run_control.h"
#include "core/store/run_store.h"
#include "core/util/error.h"
#include "core/util/number_text.h"

namespace bp {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

RunAction actionOf(const std::string& command) {
    return command == "stop" ? RunAction::Stop : command == "pause" ? RunAction::Pause : RunAction::Continue;
}

} // namespace

bool isControlCommand(const std::vector<std::string>& args) {
    return !args.empty() && (args[0] == "stop" || args[0] == "pause" || args[0] == "continue");
}

std::string controlCommandsHelp() {
    return "Usage: burstprop-train stop     RUN [--db FILE]\n"
           "       burstprop-train pause    RUN [--db FILE]\n"
           "       burstprop-train continue RUN [--db FILE]\n\n"
           "Signal the process that trains run RUN, as the run database records it (host and process id):\n"
           "stop sends SIGTERM (the run checkpoints and ends as stopped; burstprop-train resume RUN "
           "continues\n"
           "it), pause sends SIGUSR1 (it pauses at its next batch and is recorded as paused; its lease is\n"
           "kept), continue sends SIGUSR2 (it trains on). A run of another host is stopped there; a\n"
           "data-parallel run (--nproc) cannot be paused. burstprop-train sweep pause|continue ID acts on a\n"
           "whole sweep. The run database is " +
           defaultDatabasePath() + " unless --db says otherwise.\n";
}

int runControlCommand(const std::vector<std::string>& args, std::ostream& out) {
    try {
        const CommandArguments a = parseCommandArguments(args, {"db"}, {"help", "h"});
        if (a.has("help") || a.has("h")) {
            out << controlCommandsHelp();
            return 0;
        }
        if (!a.positional)
            throw Error(a.command + ": which run? Give its id (burstprop-train list shows them)");
        const int64_t id = parseInteger(*a.positional).value_or(0);
        if (id <= 0)
            throw Error(a.command + ": '" + *a.positional +
                        "' is not a run id (a positive integer; see burstprop-train list)");
        try {
            RunStore store(a.get("db", defaultDatabasePath()));
            const ControlOutcome outcome = controlRun(store, id, actionOf(a.command));
            if (!outcome.ok) {
                printCliError(outcome.message);
                return kExitFailed;
            }
            out << outcome.message << std::endl;
            return 0;
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
