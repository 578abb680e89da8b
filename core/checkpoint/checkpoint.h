#pragma once
#include "core/nn/network.h"
#include <ATen/ATen.h>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bp {

// Which run of which database a checkpoint belongs to (absent from files written before version 0.2).
struct CheckpointOwner {
    std::string databaseId; // the database's identity (RunStore::databaseId()); empty: unknown
    std::string database;   // its path when written, for messages
    int64_t runId = 0;
    bool known() const { return !databaseId.empty(); }
    bool sameRun(const CheckpointOwner& other) const {
        return databaseId == other.databaseId && runId == other.runId;
    }
    std::string describe() const; // "run 12 of /home/me/runs.sqlite", or "an unrecorded run"
};

// Everything needed to continue a run exactly where it stopped: the network, the optimizer's and the
// rule's state, the data order, the random generators and the trainer's running figures.
//
// On disk it is one torch::pickle_save'd dict with string keys (so Python's torch.load opens it too):
//   "layer<i>.<field>"     the network's parameters (weight, bias, weight_fa, weight_r)
//   "optimizer.<key>"      the optimizer's state (e.g. optimizer.layer0.delta_weight); "optimizer" its name
//   "rule.<key>"           the rule's state (node perturbation's generator); "rule" its name
//   "network"              the network description (core/config/network_spec.h), as JSON
//   "generator.<name>"     uint8 state of a random generator (at::Generator::get_state())
//   "data.order"           int64 permutation of the epoch in progress (absent at an epoch boundary)
//   "extra.<name>"         float64 vectors of the trainer's own (the epoch's running sums, the best error)
//   "format" = "burstprop-checkpoint", "format_version", "epoch", "step", "batch_in_epoch" (ints),
//   "config" (the run's JSON), "run.database_id", "run.database", "run.id" (its owner, when recorded),
//   "checksum": CRC-32 of all the other entries, checked on loading.
// Format 1 (the first release) kept the momentum buffers as layer<i>.delta_weight/.delta_bias beside the
// parameters and node perturbation's state as generator.perturbation, perturbation_layer and
// perturbation_unit: loadCheckpoint() reads those into optimizerState and ruleState.
struct Checkpoint {
    static constexpr int64_t kFormatVersion = 2;
    int64_t formatVersion = kFormatVersion; // of the file it came from

    std::vector<std::pair<std::string, at::Tensor>> tensors; // layer<i>.weight, .bias, .weight_fa, .weight_r
    std::string networkJson;                                 // empty in format 1
    std::string optimizer;                                   // empty in format 1 (the rule's default then)
    std::map<std::string, at::Tensor> optimizerState;
    std::string rule; // empty in format 1 (the config's rule)
    std::map<std::string, at::Tensor> ruleState;
    int epoch = 0;        // epochs completed
    int64_t step = 0;     // batches trained since the start
    int batchInEpoch = 0; // batches of the next epoch already trained (0 at an epoch boundary)
    at::Tensor dataOrder; // the permutation of the epoch in progress; undefined at a boundary
    std::map<std::string, at::Tensor> generators;      // e.g. "order", "augment"
    std::map<std::string, std::vector<double>> extras; // e.g. "epoch_sums", "best_test_error"
    std::string configJson;
    CheckpointOwner owner;
    std::string path; // the file loadCheckpoint() read it from, for messages (not saved); "" otherwise

    // Copies every parameter of net to the CPU.
    void captureNetwork(const Network& net);
    // Copies the parameters into net (on net's device) after checkNetwork(); source names the file in errors.
    void restoreNetwork(Network& net, const std::string& source = "checkpoint") const;
    // Throws bp::Error naming the layer when a tensor is missing, extra or of another shape or type than
    // net's.
    void checkNetwork(const Network& net, const std::string& source = "checkpoint") const;

    void captureGenerator(const std::string& name, const at::Generator& generator);
    // Throws bp::Error when the state is missing or does not fit the generator.
    void restoreGenerator(const std::string& name, at::Generator& generator,
                          const std::string& source = "checkpoint") const;

    const at::Tensor* tensor(const std::string& name) const; // nullptr when absent
};

// Writes atomically (a temporary file, fsync, rename): a crash or a failed write never leaves a
// half-written file in place, and an existing checkpoint survives a failed write.
void saveCheckpoint(const std::string& path, const Checkpoint& checkpoint);

// Reads and validates a checkpoint of any format version; throws bp::Error naming the file for an
// unreadable, truncated or corrupt file, a missing key, a value of the wrong type, or a newer format.
Checkpoint loadCheckpoint(const std::string& path);
// As above, and checks that the tensors fit net (an error names the first layer that does not).
Checkpoint loadCheckpoint(const std::string& path, const Network& net);

// A generator's state as a uint8 tensor, and back (the form checkpoints keep them in).
at::Tensor generatorState(const at::Generator& generator);

} // namespace bp
