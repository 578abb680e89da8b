#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace bp {

// Whether args (without the program name) start with one of the run database's commands.
bool isStoreCommand(const std::vector<std::string>& args);

// burstprop-train list | show ID | export ID | import DIR | resume ID | delete ID, each with [--db FILE]:
//   list   [--status S] [--filter TEXT] [--limit N] [--json]
//   show   ID [--json]                          the record, hyperparameters, checkpoints and messages
//   export ID [--metrics FILE.csv] [--checkpoint FILE.pt] [--native FILE.ckpt] [--which KIND]
//          [--tensorboard DIR]                  (or --sweep ID with --metrics and/or --tensorboard)
//   import REFERENCE_DIR [--name N] [--json]    a reference results folder as a run (tensorboard_commands.h)
//   resume ID [--json] [--no-progress] [-n_epochs N] [--threads N]
//   delete ID --yes                             the record, its metrics and its checkpoint files
// Returns the exit status (0 ok, 1 failed, 2 bad arguments, 130 a resumed run stopped); errors go to stderr.
int runStoreCommand(const std::vector<std::string>& args, std::ostream& out);

std::string storeCommandsHelp();

} // namespace bp
