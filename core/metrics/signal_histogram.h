#pragma once
#include "core/events/observer.h"
#include "core/rules/learning_rule.h"
#include <ATen/ATen.h>
#include <cstdint>
#include <vector>

// The signal views' histograms (issue 14, "Signal views"): how a layer's event rates, burst probabilities and
// deltas are spread over the units and examples of a measured batch, in a few dozen numbers.
namespace bp {

constexpr int kSignalBins = 30;
// A unit whose event rate stays below this for every example of a batch is silent.
constexpr double kSilentRate = 1e-3;

// Counts of the finite values of `values` in `bins` equal bins over [low, high] (a value equal to high falls
// in the last bin; values outside and NaN are left out). at::histc, on the tensor's device.
std::vector<int64_t> binCounts(const at::Tensor& values, double low, double high, int bins = kSignalBins);

// The histogram of one quantity over fixed or observed ranges:
// event_rate [0, 1] (or [0, max] when a ReLU layer's rates exceed 1), p and p_t [0, 1] (units with e > 0
// only), delta over the batch's own [min, max] (widened by ±0.5 when all values are equal).
SignalHistogram signalHistogram(const at::Tensor& values, const std::string& quantity, int layer,
                                int bins = kSignalBins);

// Units (the elements of one example's layer output) whose event rate is below kSilentRate for every example.
int64_t silentUnits(const at::Tensor& events);
// Output classes (columns of outputs, N × C) that are the largest output of no example.
int64_t silentClasses(const at::Tensor& outputs);

// Every layer's histograms from a measured step's signals (StepResult::signals): event_rate, then p and
// p_t when the rule has bursts, then delta; silent units on each event_rate histogram, silent classes on the
// output layer's.
std::vector<SignalHistogram> signalHistograms(const std::vector<StepResult::LayerSignals>& layers,
                                              int bins = kSignalBins);

} // namespace bp
