#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace bp {

// Whether args (without the program name) start with stop, pause or continue.
bool isControlCommand(const std::vector<std::string>& args);

// burstprop-train stop|pause|continue RUN [--db FILE]: signals the process that trains the run, as recorded
// in the run database (core/runs/run_control.h): SIGTERM (it checkpoints and ends as stopped), SIGUSR1 (it
// pauses at its next batch) or SIGUSR2 (it continues). Says what it did, or why nothing could be done (the
// run's status; another host's process). Returns 0 when the signal was sent or the run already is as asked,
// 1 otherwise, 2 for bad arguments.
int runControlCommand(const std::vector<std::string>& args, std::ostream& out);

std::string controlCommandsHelp();

} // namespace bp
