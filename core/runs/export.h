#pragma once
#include "core/nn/network.h"
#include <cstdint>
#include <string>
#include <vector>

namespace bp {

class RunStore;

// A .pt file that Python's torch.load opens as a dict: the network's tensors by name (layer0.weight,
// layer0.bias, layer0.weight_fa, layer0.weight_r, ...) and "config", the run's configuration as a JSON
// string. Written atomically; throws bp::Error naming the file.
void exportPythonCheckpoint(const std::string& path, const Network& network, const std::string& configJson);

// The same from a native checkpoint (its network tensors, config, and "epoch"/"step" as ints); with
// includeMomentum also the optimizer's state under its names (layer0.delta_weight, ...).
struct Checkpoint;
void exportPythonCheckpoint(const std::string& path, const Checkpoint& checkpoint,
                            bool includeMomentum = false);

// Metrics of the runs as long-format CSV: run_id,run,metric,epoch,step,wall_time,value (RFC 4180 quoting;
// run_id is the run's id in its database, run its name; NaN values are empty fields; numbers round-trip
// exactly). Written atomically.
void exportMetricsCsv(RunStore& store, const std::vector<int64_t>& runIds, const std::string& path);

// Metrics of a sweep's runs as long-format CSV: run_id, one column per key (the run's value of that
// hyperparameter as the store shows it; empty where it does not apply to the run), seed, metric, epoch, step,
// value. For the swept hyperparameters of `burstprop-train export --sweep ID`. Written atomically.
void exportSweepMetricsCsv(RunStore& store, const std::vector<int64_t>& runIds,
                           const std::vector<std::string>& keys, const std::string& path);

// Signal histograms of the runs as long-format CSV, one row per bin: run_id,run, then RunStore's
// kSignalCsvColumns (epoch,step,layer,quantity,low,high,bin,count,units,silent_units,silent_classes). With
// keys (a sweep's export): run_id, one column per key as exportSweepMetricsCsv, seed, then the same columns.
// A run without histograms (recorded before schema 8) adds no rows. Written atomically.
void exportSignalHistogramsCsv(RunStore& store, const std::vector<int64_t>& runIds, const std::string& path);
void exportSweepSignalHistogramsCsv(RunStore& store, const std::vector<int64_t>& runIds,
                                    const std::vector<std::string>& keys, const std::string& path);

} // namespace bp
