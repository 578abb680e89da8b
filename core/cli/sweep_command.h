#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace bp {

// Whether args (without the program name) start with "sweep".
bool isSweepCommand(const std::vector<std::string>& args);

// burstprop-train sweep --grid KEY=SPEC [--grid ...] [--random N [--draw-seed S]] [--seeds K] --dry-run
// [--commands] [options as for a run]: expands the sweep (core/study/sweep_spec.h) and lists its runs, one
// line each — the swept options and the seed, or with --commands the command line that trains it — and their
// count, without training. Running a sweep is not available yet: without --dry-run it says so and returns 2.
// Returns 0 for a listed sweep, 2 for bad arguments; errors go to stderr.
int runSweepCommand(const std::vector<std::string>& args, std::ostream& out);
std::string sweepCommandHelp();

} // namespace bp
