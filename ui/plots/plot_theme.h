#pragma once
#include <QPalette>

class QCustomPlot;

namespace bp::ui {

// Colours a plot's background, axes, grid, legend and text elements from a palette, so that dark
// palettes give a dark plot. Call again on QEvent::PaletteChange; the caller replots.
void applyPlotTheme(QCustomPlot* plot, const QPalette& palette);

} // namespace bp::ui
