#pragma once
#include "core/store/run_store.h"
#include <cstdint>
#include <string>

namespace bp {

// What `burstprop-train stop|pause|continue RUN` and the explorer's sweep panel ask of a run that trains in a
// process of its own: SIGTERM (it checkpoints and ends as stopped), SIGUSR1 (it pauses at the next batch
// boundary, recorded as paused, its lease kept) or SIGUSR2 (it trains on).
enum class RunAction { Stop, Pause, Continue };

// "stop", "pause", "continue".
std::string toString(RunAction action);

// What came of a request: whether a signal was sent, and a line for the user ("run 3: asked process 123 to
// pause", "run 3 is completed: nothing to stop", "run 3 runs in process 123 on host: pause it there").
// ok: the run is (or was asked to be) in the state asked for; false when nothing could be done.
struct ControlOutcome {
    bool sent = false;
    bool ok = false;
    std::string message;
};

// Sends the run's process its signal when the store shows it running or paused in a live process of this
// host (another one than the caller's: a run the explorer trains in its own process is paused from its
// Train page). A data-parallel run (--nproc: world_size > 1) is not paused: its ranks wait on each other, so
// pause and continue are refused with a message; stop works. Throws bp::Error when the run is not in the
// store.
ControlOutcome controlRun(RunStore& store, int64_t runId, RunAction action);

// The same for a sweep's process (burstprop-train sweep): pause (SIGUSR1: it starts no new run and pauses its
// running ones; recorded "paused") and continue (SIGUSR2: its runs go on and new ones start again). Stop is
// burstprop-train sweep stop. Throws bp::Error when the sweep is not in the store, or for RunAction::Stop.
ControlOutcome controlSweep(RunStore& store, int64_t sweepId, RunAction action);

// The signal of an action: SIGTERM, SIGUSR1, SIGUSR2.
int signalOf(RunAction action);

} // namespace bp
