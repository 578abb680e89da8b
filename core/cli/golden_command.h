#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace bp {

// Whether args (without the program name) start with "golden".
bool isGoldenCommand(const std::vector<std::string>& args);

// burstprop-train golden [DIR] [--device cpu|cuda|cuda:N] [--dtype float32|float64] [--threads N] [--json]:
// replays every *.pt of DIR and its subfolders (default $BURSTPROP_GOLDEN_DIR) with this build's learning
// rules on the device and prints one line per case with its worst relative errors and angle differences
// against the tolerances of the golden README, then the failing comparisons. --json prints one object per
// case instead. Returns 0 when every case matches, 1 when one does not or cannot be replayed, 2 for bad
// arguments.
int runGoldenCommand(const std::vector<std::string>& args, std::ostream& out);

std::string goldenCommandHelp();

} // namespace bp
