#pragma once
#include "core/store/run_store.h"
#include <QColor>
#include <QString>

namespace bp::ui {

// How a run is named and coloured wherever runs are compared: "#id name" and a fixed categorical
// palette (Tableau 10), so that run i has the same colour in every panel and export.
QString runLabel(const RunRecord& run);
QColor runColour(int index); // index: the run's position among the compared runs; wraps after 10

} // namespace bp::ui
