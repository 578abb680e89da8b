#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace bp {
class RunStore;
}

namespace bp::tensorboard {

// What importReferenceRun recorded.
struct ImportedRun {
    int64_t runId = 0;
    std::vector<std::string> eventFiles;
    size_t samples = 0;                   // metric samples recorded
    int epochs = 0;                       // the last epoch with a test error
    std::vector<std::string> skippedTags; // tags of no epoch-level metric (batch/..., the reference's others)
};

// Records a reference results folder (what train_mnist.py or train_cifar10.py wrote: params.txt and the
// tensorboardX event files events.out.tfevents.*; or a folder `burstprop-train export --tensorboard` wrote)
// as a run of the store: its configuration from params.txt (reference_params.h), the epoch-level series of
// its events as metrics (tensorboard_tags.h; a weight_angle/<i> of the reference is layer i + 1; epoch e is
// recorded at step e × the batches of an epoch), its progress and best test error, the tag "imported", a
// note and a message naming the folder, and the status completed (stopped when fewer epochs than -n_epochs
// are there). name: the run's name; empty: the folder's name. Everything is read and checked before the run
// is created: a bp::Error (naming the file, and the offset in an event file) leaves the store unchanged.
ImportedRun importReferenceRun(RunStore& store, const std::string& dir, const std::string& name = {});

} // namespace bp::tensorboard
