#pragma once
#include "core/config/run_config.h"
#include <string>
#include <vector>

namespace bp {

// What burstprop-train was asked to do.
struct CliOptions {
    RunConfig config;
    std::string resultsDir; // the optional positional argument (the reference's output folder)
    bool json = false;      // one JSON object per line on stdout instead of text
    bool help = false;
    bool progress = true;   // progress bar on a terminal (--no-progress turns it off)
    int benchmarkSteps = 0; // > 0: time that many training steps instead of training
    // Recording in the run database
    bool record = true;     // --no-db turns it off
    std::string database;   // --db; empty: defaultDatabasePath()
    std::string name, notes;
    std::vector<std::string> tags; // --tags a,b
    int checkpointEvery = 0;       // --checkpoint-every N: keep every N-th epoch's state too
};

// Parses burstprop-train's arguments (without the program name). Every option is accepted as
// -name value, --name value and --name=value, with '-' and '_' interchangeable in the name; the
// reference scripts' flags (-hidden_lr 0.1, -use_backprop true, ...) work as they are.
// --dataset's defaults (defaultConfig()) are applied before every other option, wherever it stands.
// Throws bp::Error naming the option and the allowed values or range; the result passed validate().
CliOptions parseCommandLine(const std::vector<std::string>& args);

// --help's text. The hyperparameter list comes from hyperparameters(), with ranges and defaults.
std::string helpText();

// The command-line spelling of a hyperparameter key: "-hidden_lr" for the reference scripts' flags,
// "--angle-interval" for this program's own.
std::string flagName(const std::string& key);

// One line that identifies a run's setup, as key=value pairs, e.g.
// "dataset=mnist architecture=fc hidden=500,500 rule=burstprop batch_size=32 device=cpu threads=0".
std::string configurationLine(const RunConfig& config);

} // namespace bp
