#pragma once
#include "core/nn/network.h"
#include <ATen/ATen.h>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bp {

// Everything needed to continue a run exactly where it stopped.
//
// On disk it is one torch::pickle_save'd dict with string keys (so Python's torch.load opens it too):
//   "layer<i>.<field>"     the network's tensors, as Network::namedTensors(true) names them
//   "generator.<name>"     uint8 state of a random generator (at::Generator::get_state())
//   "data.order"           int64 permutation of the epoch in progress (absent at an epoch boundary)
//   "extra.<name>"         float64 vectors of the trainer's own (the epoch's running sums, the best error)
//   "format" = "burstprop-checkpoint", "format_version", "epoch", "step", "batch_in_epoch",
//   "perturbation_layer", "perturbation_unit" (ints), "config" (the run's JSON),
//   "checksum": CRC-32 of all the other entries, checked on loading (torch's reader checks none).
struct Checkpoint {
    static constexpr int64_t kFormatVersion = 1;

    std::vector<std::pair<std::string, at::Tensor>> tensors; // layer<i>.weight, .bias, .weight_fa, ...
    int epoch = 0;                                           // epochs completed
    int64_t step = 0;                                        // batches trained since the start
    int batchInEpoch = 0; // batches of the next epoch already trained (0 at an epoch boundary)
    at::Tensor dataOrder; // the permutation of the epoch in progress; undefined at a boundary
    std::map<std::string, at::Tensor> generators;        // e.g. "order", "augment", "perturbation"
    std::map<std::string, std::vector<double>> extras;   // e.g. "epoch_sums", "best_test_error"
    int64_t perturbationLayer = 0, perturbationUnit = 0; // node perturbation's unit-by-unit position
    std::string configJson;

    // Copies every tensor of net (momentum buffers included) to the CPU.
    void captureNetwork(const Network& net);
    // Copies the tensors into net (on net's device) after checkNetwork(); source names the file in errors.
    void restoreNetwork(Network& net, const std::string& source = "checkpoint") const;
    // Throws bp::Error naming the layer when a tensor is missing, extra or of another shape than net's.
    void checkNetwork(const Network& net, const std::string& source = "checkpoint") const;

    void captureGenerator(const std::string& name, const at::Generator& generator);
    // Throws bp::Error when the state is missing or does not fit the generator.
    void restoreGenerator(const std::string& name, at::Generator& generator,
                          const std::string& source = "checkpoint") const;

    const at::Tensor* tensor(const std::string& name) const; // nullptr when absent
};

// Writes to "<path>.tmp", flushes it to disk and renames it over path: a crash or a failed write never
// leaves a half-written file in place, and an existing checkpoint survives a failed write.
void saveCheckpoint(const std::string& path, const Checkpoint& checkpoint);

// Reads and validates a checkpoint; throws bp::Error naming the file for an unreadable, truncated or
// corrupt file, a missing key or a value of the wrong type.
Checkpoint loadCheckpoint(const std::string& path);
// As above, and checks that the tensors fit net (an error names the first layer that does not).
Checkpoint loadCheckpoint(const std::string& path, const Network& net);

// Writes bytes to path through "<path>.tmp" and a rename (shared by every file kind written here).
void writeFileAtomically(const std::string& path, const std::vector<char>& bytes);

} // namespace bp
