#pragma once
#include "core/config/run_config.h"
#include <cstddef>
#include <string>
#include <vector>

// Groups of runs: the runs that share every hyperparameter and choice but the seed and the execution
// settings, computed from their configurations (never typed).
namespace bp::study {

// The keys of toJson(RunConfig) that do not define a group: the seed and how and where a run executes
// (seed, threads, device, test_batch_size, angle_interval, n_epochs, loader_threads, info, data_dir,
// download, mirror). Name, tags and notes are the store's, not the configuration's.
const std::vector<std::string>& groupIgnoredKeys();

// The group of a configuration: toJson(normalized(config)) without groupIgnoredKeys() and without the
// hyperparameters its rule or network does not use (hyperparameterApplies()), so two backprop runs that
// differ only in hidden_lr share a group. Equal keys: the same group.
std::string groupKey(const RunConfig& config);

struct RunGroup {
    std::string key;
    std::vector<size_t> members; // indices into the configurations given, in their order
};

// The groups of configs, in the order of their first member.
std::vector<RunGroup> groupRuns(const std::vector<RunConfig>& configs);

} // namespace bp::study
