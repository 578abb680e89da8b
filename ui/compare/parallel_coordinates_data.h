#pragma once
#include "core/store/run_store.h"
#include <QString>
#include <QStringList>
#include <QVector>
#include <cstdint>

namespace bp::ui {

// What a parallel-coordinates plot of several runs draws: one axis per hyperparameter whose value varies
// among the runs it applies to, then the outcomes "final test error (%)" and "final weight angle, layer
// mean (°)"; one line per run. Numbers get a numeric axis, logarithmic for learning rates (keys ending in
// "_lr") and for any positive hyperparameter spanning more than 1.5 decades; text and switches (rule,
// hidden widths, activation, ...) get a categorical axis. Values are NaN where a run lacks them or where the
// hyperparameter does not apply to the run (its line breaks there).
struct ParallelAxis {
    QString name;
    double min = 0.0, max = 0.0; // over the runs' finite values; a categorical axis: 0 and categories − 1
    bool log = false;            // positions by log10
    QStringList categories;      // a categorical axis's values, value i is categories[i]; empty: numeric
    bool categorical() const { return !categories.isEmpty(); }
    double fraction(double value) const; // 0 at the bottom … 1 at the top; 0.5 when min == max
};

struct ParallelLine {
    int64_t runId = 0;
    QString label;          // "#id name"
    QVector<double> values; // one per axis (a category's index on a categorical axis)
    double finalTestError;  // percent; NaN when not recorded
    int group = -1;         // the seed group's index where the plot was given groups
};

struct ParallelCoordinates {
    QVector<ParallelAxis> axes;
    QVector<ParallelLine> lines;
    QString message; // why nothing is drawn (no runs, a single run, no varying parameter); empty otherwise
};

extern const char* const kFinalTestErrorAxis;
extern const char* const kFinalWeightAngleAxis;

// What one run contributes: its hyperparameters (readHyperparameters: which apply) and its outcomes at the
// final epoch (NaN when unknown).
struct RunOutcome {
    RunRecord run;
    std::vector<Hyperparameter> hyperparameters;
    double finalTestError = 0.0, finalWeightAngle = 0.0;
};

ParallelCoordinates buildParallelCoordinates(const std::vector<RunOutcome>& runs);
// Reads the runs (missing ones left out) and their final figures. Throws bp::Error on store failure.
std::vector<RunOutcome> readRunOutcomes(RunStore& store, const QVector<int64_t>& runIds);

} // namespace bp::ui
