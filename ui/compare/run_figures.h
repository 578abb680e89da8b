#pragma once
#include "core/store/run_store.h"
#include <cstdint>
#include <limits>
#include <vector>

namespace bp::ui {

// The epoch-level figures of one run at one epoch; NaN where the run did not record that metric.
struct EpochFigures {
    static constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
    int epoch = 0;
    double trainLoss = kMissing, trainError = kMissing; // error in percent
    double testLoss = kMissing, testError = kMissing;
    double weightAngle = kMissing, deltaAngle = kMissing; // degrees, mean over layers
    double silentClasses = kMissing; // test classes the network never predicted (runs recorded since 0.1.0)
};

// Every recorded epoch of a run, in epoch order. Losses and errors are the per-epoch points; an angle's
// epoch value is its point at the step where that epoch's test error was recorded (angles measured between
// batches share the name), averaged over the layers. Throws bp::Error on store failure.
std::vector<EpochFigures> readEpochFigures(RunStore& store, int64_t runId);

// nullptr when there is no such epoch.
const EpochFigures* finalEpoch(const std::vector<EpochFigures>& epochs);
const EpochFigures* bestEpoch(const std::vector<EpochFigures>& epochs); // lowest test error; earliest on ties
const EpochFigures* figuresAtEpoch(const std::vector<EpochFigures>& epochs, int epoch);

} // namespace bp::ui
