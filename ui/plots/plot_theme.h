#pragma once
#include <QPalette>
#include <QString>

class QCustomPlot;
class QCPColorGradient;
class QCPColorMap;
class QCPColorScale;

namespace bp::ui {

// Colours a plot's background, axes, grid, legend and text elements from a palette, so that dark
// palettes give a dark plot. Call again on QEvent::PaletteChange; the caller replots.
void applyPlotTheme(QCustomPlot* plot, const QPalette& palette);

// A colour map on the plot's axes, drawn cell by cell (no interpolation, cells centred on their keys), with
// its colour bar, labelled, right of the axis rect in layout row `row`; the two keep the same vertical
// extent.
struct ColorMapParts {
    QCPColorMap* map;
    QCPColorScale* scale;
};
ColorMapParts addColorMap(QCustomPlot* plot, int row, const QString& label, const QCPColorGradient& gradient);

} // namespace bp::ui
