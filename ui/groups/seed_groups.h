#pragma once
#include "core/store/run_store.h"
#include "core/study/statistics.h"
#include <QString>
#include <optional>
#include <vector>

// Seed groups as both explorer pages show them: the runs that share every hyperparameter but the seed
// (core/study's groupRuns over the runs' recorded configurations), named G1, G2, … and described by what
// sets them apart, with the figures a researcher reads off a run's end.
namespace bp::ui {

// What a run ended with. Test errors in percent; angles in degrees, of the top layer that recorded one (as
// the Runs page shows them). Absent where the run recorded none.
struct RunEndFigures {
    std::optional<double> finalTestError, bestTestError;
    std::optional<double> weightAngle, deltaAngle;
};
// The last test error, the lowest one (the run record's), and the top layer's last weight and delta angle.
// Throws bp::Error on store failure.
RunEndFigures readRunEndFigures(RunStore& store, const RunRecord& run);

struct SeedGroup {
    QString name;             // "G1"
    QString description;      // what tells it from the other groups ("hidden_lr=0.1"); may be empty
    std::vector<size_t> runs; // indices into the runs given, in their order
    QString title() const;    // "G1 · hidden_lr=0.1", or the name alone
};
// The groups of runs in the order of their first run. A run whose configuration cannot be read is a group
// of its own.
std::vector<SeedGroup> seedGroups(const std::vector<RunRecord>& runs);

// The values of one figure over the members that have it.
std::vector<double> presentValues(const std::vector<std::optional<double>>& values);
// "12.00 ± 2.00" (two decimals), the figure's n added where some member lacks it; empty without values.
QString meanStdText(const study::Summary& summary, size_t members);

} // namespace bp::ui
