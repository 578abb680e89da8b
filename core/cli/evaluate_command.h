#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace bp {

// burstprop-train evaluate RUN [--which best|latest|initial|epoch-N] [--data-dir DIR] [--db FILE] [--json]
// [--confusion FILE.csv]: the run's checkpoint evaluated on its test set without training (test loss, error,
// top-5 error for a softmax output, per-class error, confusion matrix). args[0] is "evaluate". Returns the
// exit status (0 ok, 1 failed, 2 bad arguments); errors go to stderr.
bool isEvaluateCommand(const std::vector<std::string>& args);
int runEvaluateCommand(const std::vector<std::string>& args, std::ostream& out);

std::string evaluateCommandHelp();

} // namespace bp
