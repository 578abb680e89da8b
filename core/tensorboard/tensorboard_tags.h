#pragma once
#include <optional>
#include <string>

namespace bp::tensorboard {

// How the run store's metric names map to TensorBoard tags. Epoch-level series take the reference scripts'
// tags (train_mnist.py, train_cifar10.py), with the epoch as the step:
//   train_error 'Train Error', test_error 'Test Error', train_loss 'Train Loss', test_loss 'Test Loss',
//   weight_angle/<layer> 'weight_angle/<i>', delta_angle/<layer> 'delta_angle/<layer>'
// where i counts the measured layers from the lowest (the reference's list index: the network's layer 1
// is its weight_angle/0), and tags of their own for the series the reference does not write:
//   train_top5_error 'Train Top-5 Error', test_top5_error 'Test Top-5 Error',
//   test_silent_classes 'Test Silent Classes', examples_per_second 'Examples per Second'.
// Batch-level series have the global batch step as the step, under 'batch/': batch_loss 'batch/loss',
// batch_error 'batch/error', examples_per_second 'batch/examples_per_second', angles measured between
// epochs 'batch/weight_angle/<i>' and 'batch/delta_angle/<layer>'. A name not listed keeps its name
// (with 'batch/' before it at batch steps).

// lowestWeightLayer: the lowest layer among the run's weight_angle/<layer> metrics.
std::string epochTag(const std::string& metric, int lowestWeightLayer);
std::string batchTag(const std::string& metric, int lowestWeightLayer);

// Metrics recorded only at the end of an epoch (train_*, test_*), and only per batch (batch_*).
bool isEpochMetric(const std::string& metric);
bool isBatchMetric(const std::string& metric);

// The metric of an epoch-level tag, the inverse of epochTag with weight_angle/<i> read as layer
// i + weightLayerShift (1 for the reference's MNIST and CIFAR-10 scripts, which measure from layer 1);
// nullopt for a batch-level tag or one of no known metric.
std::optional<std::string> metricOfEpochTag(const std::string& tag, int weightLayerShift);

} // namespace bp::tensorboard
