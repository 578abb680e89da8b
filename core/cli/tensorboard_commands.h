#pragma once
#include "core/cli/command_arguments.h"
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace bp {

class RunStore;

// export RUN --tensorboard DIR, export --sweep ID --tensorboard DIR: each run's metrics as a TensorBoard
// event file in DIR/run-<id>-<name>/ (core/tensorboard/tensorboard_export.h), with a params.txt of its
// configuration beside it (the results folder's, so that `import` reads the run back). Throws bp::Error.
void exportTensorboardRuns(RunStore& store, const std::vector<int64_t>& runIds, const std::string& dir,
                           std::ostream& out);

// burstprop-train import REFERENCE_DIR [--db FILE] [--name N] [--json]: a reference results folder
// (params.txt and its tensorboardX event files) recorded as a run tagged "imported". Returns the exit
// status (0 ok, 1 failed, 2 bad arguments); errors go to stderr.
int runImportCommand(const std::vector<std::string>& args, std::ostream& out);

} // namespace bp
