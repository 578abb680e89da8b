#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace bp {

// Whether args (without the program name) start with "sweep".
bool isSweepCommand(const std::vector<std::string>& args);

// burstprop-train sweep --grid KEY=SPEC [--grid ...] [--random N [--draw-seed S]] [--seeds K] [--parallel K]
// [--name NAME] [--dry-run [--commands]] [options as for a run]: expands the sweep (core/study/sweep_spec.h).
// --dry-run lists its runs, one line each — the swept options and the seed, or with --commands the command
// line that trains it — and their count, without training. Otherwise the sweep and its runs (queued, tagged
// with the sweep) are recorded in the run database and run, each in its own process, at most K at a time
// (core/cli/sweep_runner.h). burstprop-train sweep list | show ID | resume ID [--parallel K] | stop ID
// [--db FILE] read and act on recorded sweeps.
// Returns 0 for a listed sweep or one whose runs all completed, 1 when a run did not complete (or the store
// failed), 2 for bad arguments, 130 when stopped; errors go to stderr.
int runSweepCommand(const std::vector<std::string>& args, std::ostream& out);
std::string sweepCommandHelp();

} // namespace bp
