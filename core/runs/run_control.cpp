#include "core/runs/run_control.h"
#include "core/util/error.h"
#include "core/util/system_info.h"
#include <csignal>
#include <optional>
#include <sys/types.h>
#include <utility>

namespace bp {

namespace {

// A data-parallel run's processes (world_size, recorded with its hyperparameters); 1 for any other run.
int worldSizeOf(RunStore& store, int64_t runId) {
    for (const Hyperparameter& h : store.hyperparameters(runId))
        if (h.key == "world_size")
            return static_cast<int>(h.integer);
    return 1;
}

std::string inProcess(int64_t pid, const std::string& host) {
    return "process " + std::to_string(pid) + " on " + host;
}

// Why the process that the store names (pid on host) cannot be signalled from here: it runs on another host,
// it is gone (then resumeCommand continues what it left), or it is this process; nullopt when it can.
std::optional<std::string> unreachable(const std::string& name, const std::string& verb, int64_t pid,
                                       const std::string& host, const std::string& status,
                                       const std::string& resumeCommand, const std::string& inThisProcess) {
    if (host != sys::hostName())
        return name + " runs in " + inProcess(pid, host) + ": " + verb + " it there";
    if (pid <= 0 || !sys::processAlive(pid))
        return name + " is recorded " + status + ", but its process " + std::to_string(pid) +
               " is gone: it is interrupted (" + resumeCommand + ")";
    if (pid == sys::processId())
        return inThisProcess;
    return std::nullopt;
}

} // namespace

std::string toString(RunAction action) {
    switch (action) {
    case RunAction::Stop:
        return "stop";
    case RunAction::Pause:
        return "pause";
    case RunAction::Continue:
        return "continue";
    }
    return "stop";
}

int signalOf(RunAction action) {
    switch (action) {
    case RunAction::Pause:
        return SIGUSR1;
    case RunAction::Continue:
        return SIGUSR2;
    case RunAction::Stop:
        break;
    }
    return SIGTERM;
}

ControlOutcome controlRun(RunStore& store, int64_t runId, RunAction action) {
    const std::optional<RunRecord> found = store.getRun(runId);
    if (!found)
        throw Error("run " + std::to_string(runId) + " is not in " + store.path() +
                    " (burstprop-train list)");
    const RunRecord& run = *found;
    const std::string name = "run " + std::to_string(runId);
    const std::string verb = toString(action);
    ControlOutcome outcome;
    if (run.status != RunStatus::Running && run.status != RunStatus::Paused) {
        outcome.message = name + " is " + toString(run.status) + ": nothing to " + verb;
        return outcome;
    }
    if (action == RunAction::Pause && run.status == RunStatus::Paused) {
        outcome.ok = true;
        outcome.message = name + " is already paused (" + inProcess(run.pid, run.host) + ")";
        return outcome;
    }
    if (std::optional<std::string> why =
            unreachable(name, verb, run.pid, run.host, toString(run.status),
                        "burstprop-train resume " + std::to_string(runId),
                        name + " trains in this process: " + verb + " it from where it was started")) {
        outcome.message = std::move(*why);
        return outcome;
    }
    if (action != RunAction::Stop) {
        if (const int world = worldSizeOf(store, runId); world > 1) {
            outcome.message = name + " trains in " + std::to_string(world) +
                              " processes (--nproc): a data-parallel run cannot be paused; stop it "
                              "(burstprop-train stop " +
                              std::to_string(runId) + ") and resume it later";
            return outcome;
        }
    }
    if (::kill(static_cast<pid_t>(run.pid), signalOf(action)) != 0) {
        outcome.message = name + ": process " + std::to_string(run.pid) + " could not be signalled";
        return outcome;
    }
    outcome.sent = outcome.ok = true;
    switch (action) {
    case RunAction::Stop:
        outcome.message = name + ": asked process " + std::to_string(run.pid) +
                          " to stop; it checkpoints and ends as stopped (burstprop-train resume " +
                          std::to_string(runId) + " continues it)";
        break;
    case RunAction::Pause:
        outcome.message = name + ": asked process " + std::to_string(run.pid) +
                          " to pause at its next batch (burstprop-train continue " + std::to_string(runId) +
                          ")";
        break;
    case RunAction::Continue:
        outcome.message = run.status == RunStatus::Paused
                              ? name + ": asked process " + std::to_string(run.pid) + " to continue"
                              : name + " is running (asked process " + std::to_string(run.pid) +
                                    " to continue in case a pause is pending)";
        break;
    }
    return outcome;
}

ControlOutcome controlSweep(RunStore& store, int64_t sweepId, RunAction action) {
    if (action == RunAction::Stop)
        throw Error("controlSweep: a sweep is stopped by burstprop-train sweep stop");
    const std::optional<SweepRecord> found = store.sweep(sweepId);
    if (!found)
        throw Error("sweep " + std::to_string(sweepId) + " is not in " + store.path() +
                    " (burstprop-train sweep list)");
    const SweepRecord& sweep = *found;
    const std::string name = "sweep " + std::to_string(sweepId);
    const std::string verb = toString(action);
    ControlOutcome outcome;
    if (sweep.status != "running" && sweep.status != "paused") {
        outcome.message = name + " is " + sweep.status + ": nothing to " + verb;
        return outcome;
    }
    if (action == RunAction::Pause && sweep.status == "paused") {
        outcome.ok = true;
        outcome.message = name + " is already paused";
        return outcome;
    }
    if (std::optional<std::string> why = unreachable(
            name, verb, sweep.pid, sweep.host, sweep.status,
            "burstprop-train sweep resume " + std::to_string(sweepId), name + " runs in this process")) {
        outcome.message = std::move(*why);
        return outcome;
    }
    if (::kill(static_cast<pid_t>(sweep.pid), signalOf(action)) != 0) {
        outcome.message = name + ": process " + std::to_string(sweep.pid) + " could not be signalled";
        return outcome;
    }
    outcome.sent = outcome.ok = true;
    outcome.message =
        action == RunAction::Pause
            ? name + ": asked process " + std::to_string(sweep.pid) +
                  " that runs it to pause: it starts no new run and pauses its running ones (burstprop-train "
                  "sweep continue " +
                  std::to_string(sweepId) + ")"
            : name + ": asked process " + std::to_string(sweep.pid) +
                  " that runs it to continue: its runs go on and new ones start again";
    return outcome;
}

} // namespace bp
