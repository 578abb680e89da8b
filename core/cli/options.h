#pragma once
#include "core/config/run_config.h"
#include <optional>
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
    bool record = true;   // --no-db turns it off
    std::string database; // --db; empty: defaultDatabasePath()
    std::string name, notes;
    std::vector<std::string> tags; // --tags a,b
    int checkpointEvery = 0;       // --checkpoint-every N: keep every N-th epoch's state too
    // -resume_path FILE (the reference's flag): a new run that starts from a checkpoint of this program — its
    // weights, optimizer and rule state, data order and epoch — and records which file and run it came from.
    std::string resumePath;
    // Data-parallel training (docs/distributed.md). A process started by torchrun or srun joins the group its
    // launcher's environment names; --nproc N starts N local processes of this run itself.
    int nproc = 0;                 // --nproc N (0: one process, or as the launcher said)
    int distTimeoutSeconds = 300;  // --dist-timeout S: rendezvous and each collective
    std::string backend;           // --backend gloo|nccl ("": gloo on CPU, nccl on CUDA where built)
    std::optional<int> masterPort; // --master-port P: overrides MASTER_PORT (and Slurm's default 29500)
};

// Parses burstprop-train's arguments (without the program name). Every option is accepted as
// -name value, --name value and --name=value, with '-' and '_' interchangeable in the name; the
// reference scripts' flags (-hidden_lr 0.1, -use_backprop true, ...) work as they are. The configuration's
// options are read by parseConfigOptions() (core/setup), the program's own (--db, --json, ...) here.
// Throws bp::Error naming the option and the allowed values or range; the result passed validate().
CliOptions parseCommandLine(const std::vector<std::string>& args);

// The execution options that train and evaluate share, read as train reads them: --threads N (the
// hyperparameter table's range, 0: every core) and --device NAME (cpu, cuda, cuda:N; whether this build has
// CUDA is checked when the device is taken, by resolveDevice()). Throw bp::Error "<flag>: ..." with train's
// words.
int parseThreadsOption(const std::string& flag, const std::string& value);
std::string parseDeviceOption(const std::string& flag, const std::string& value);

// --help's text. The rules come from the rule registry, the hyperparameters from the table, with ranges,
// defaults and the rules that use them.
std::string helpText();

} // namespace bp
