#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace bp {

class RunStore;
struct RunRecord;
struct SweepRecord;

// One run of a sweep to carry out: a recorded run (queued, stopped or interrupted) that
// `burstprop-train resume ID` starts or continues.
struct SweepTask {
    int64_t runId = 0;
    std::string label; // its swept values and seed ("hidden_lr=0.1 p_baseline=0.2 seed=1")
};

struct SweepExecution {
    int64_t sweepId = 0;
    std::vector<SweepTask> tasks; // in order
    int parallel = 1;             // at most this many processes at a time
    int checkpointEvery = 0;      // passed on to each run (--checkpoint-every)
    bool json = false;            // --json: one JSON object per line instead of the text lines
};

// Runs the tasks, each as its own burstprop-train process (this program, /proc/self/exe: `resume ID --db
// <the store's file> --no-progress`, its output appended to <run folder>/sweep.log), at most `parallel` at a
// time, in process groups of their own (a terminal's Ctrl+C reaches this process only). Prints a line as each
// run starts and ends (id, swept values, status, final test error) and a summary. SIGINT/SIGTERM: no run
// is started any more, the running ones get one SIGTERM (they checkpoint and end as stopped), and the
// sweep is recorded as stopped. SIGUSR1 (burstprop-train sweep pause): no run is started any more and each
// running one gets SIGUSR1 once its process has taken it up (it pauses at its next batch); the sweep is
// recorded as paused. SIGUSR2 (sweep continue): the paused runs get SIGUSR2, new ones start again, the sweep
// is recorded as running. The sweep's status: running while this runs (with this process as its owner), then
// completed when every run of the sweep completed, stopped, or failed. Returns 0 when every task completed,
// 130 when stopped, 1 otherwise. With execution.json the same lines are JSON objects:
// {"event":"sweep_run_started","sweep","run_id","label"}, {"event":"sweep_paused"|"sweep_continued","sweep",
// "running","not_started"},
// {"event":"sweep_run_ended","sweep","run_id","label",
// "status","test_error","done","total"[,"exit_status","log","error"]}, {"event":"sweep_stopping","sweep",
// "running","not_started"}, {"event":"sweep_ended","sweep","status","counts":{status: n},"not_started",
// "total","database"}.
int executeSweep(RunStore& store, const SweepExecution& execution, std::ostream& out);

// A sweep's recorded arguments (its definition, a JSON array of strings); empty when unreadable.
std::vector<std::string> sweepArguments(const SweepRecord& sweep);
// The normalised keys of the --grid options among a sweep's arguments, in their order ("hidden_lr").
std::vector<std::string> sweptKeys(const std::vector<std::string>& definition);

// The cores this process may run on (its CPU affinity), at least 1.
int availableCores();

// The run's values of the swept keys (those that apply to its rule and network) and its seed, as
// "key=value ... seed=N".
std::string sweptLabel(RunStore& store, const RunRecord& run, const std::vector<std::string>& keys);

// The last recorded test error of a run (percent), if any.
std::optional<double> finalTestError(RunStore& store, int64_t runId);

} // namespace bp
