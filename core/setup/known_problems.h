#pragma once
#include "core/config/run_config.h"
#include <string>
#include <vector>

namespace bp {

// Settings that are valid but known not to learn, each a sentence that says what happens and what does
// learn (measured; docs/reproducing.md). A run may still start: the CLI prints these as warnings when it
// does, and the explorer's form shows them beside the settings.
std::vector<std::string> knownProblems(const RunConfig& config);

} // namespace bp
