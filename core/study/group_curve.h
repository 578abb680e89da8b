#pragma once
#include "core/study/statistics.h"
#include <cstddef>
#include <vector>

// A group's curve: the runs of a group (one series each, a value per epoch) drawn as their mean with a band.
namespace bp::study {

// What the band around a group's mean shows.
enum class Band {
    Std,       // mean ± the sample standard deviation
    MinMax,    // the lowest and highest run
    Bootstrap, // the percentile bootstrap interval of the mean (bootstrapMean)
};

struct EpochValue {
    int epoch = 0;
    double value = 0.0;
};

struct BandPoint {
    int epoch = 0;
    size_t n = 0; // runs aggregated (every member)
    double mean = 0.0, low = 0.0, high = 0.0;
};

// The members' mean and band at each epoch that every member reached with a finite value, in epoch order;
// the epochs some run lacks (it stopped earlier, diverged) are left out rather than averaged over fewer runs.
// Where the band needs two runs (std, bootstrap) and there is one, low = high = mean.
std::vector<BandPoint> aggregateCurves(const std::vector<std::vector<EpochValue>>& members, Band band,
                                       const BootstrapOptions& options = {});

} // namespace bp::study
