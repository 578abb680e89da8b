#pragma once
#include "core/store/run_store.h"
#include <QString>
#include <QVector>
#include <cstdint>

namespace bp::ui {

// What a parallel-coordinates plot of several runs draws: one axis per numeric hyperparameter whose value
// varies among the runs, then the outcomes "final test error (%)" and "final weight angle (°)"; one line per
// run. Values are NaN where a run lacks them.
struct ParallelAxis {
    QString name;
    double min = 0.0, max = 0.0; // over the runs' finite values
};

struct ParallelLine {
    int64_t runId = 0;
    QString label;          // "#id name"
    QVector<double> values; // one per axis
    double finalTestError;  // percent; NaN when not recorded
};

struct ParallelCoordinates {
    QVector<ParallelAxis> axes;
    QVector<ParallelLine> lines;
    QString message; // why nothing is drawn (no runs, a single run, no varying parameter); empty otherwise
};

extern const char* const kFinalTestErrorAxis;
extern const char* const kFinalWeightAngleAxis;

// What one run contributes: its hyperparameters and its outcomes at the final epoch (NaN when unknown).
struct RunOutcome {
    RunRecord run;
    std::vector<Hyperparameter> hyperparameters;
    double finalTestError = 0.0, finalWeightAngle = 0.0;
};

// Numeric: real, integer and boolean hyperparameters, and text ones every run spells as a number (the seed).
ParallelCoordinates buildParallelCoordinates(const std::vector<RunOutcome>& runs);
// Reads the runs (missing ones left out) and their final figures. Throws bp::Error on store failure.
std::vector<RunOutcome> readRunOutcomes(RunStore& store, const QVector<int64_t>& runIds);

} // namespace bp::ui
