#pragma once
#include <QList>
#include <QString>

class QCustomPlot;

namespace bp::ui {

// A graph whose dots are drawn on screen from a small pixmap (tens of thousands of them draw 9× faster
// than as ellipses) names here, as a dynamic property, the diameter of the vector disc that exports draw
// in its pen's colour instead: SVG and PDF stay vector, and PNG dots stay sharp at any DPI.
inline constexpr const char* kVectorDotSizeProperty = "bpVectorDotSize";

struct ExportOptions {
    int width = 0;  // of one panel in screen pixels (96 DPI); 0 = its size on screen
    int height = 0; // likewise
    int dpi = 96;   // PNG: pixels = size · dpi / 96, and the file records the DPI. SVG and PDF are vector.
};

// Writes the plot, legend and axis titles included, in the format named by the path's extension:
// .png, .svg or .pdf. Returns false with a message naming the path in *error (if given) on failure.
bool exportPlot(QCustomPlot* plot, const QString& path, const ExportOptions& options, QString* error);

// All panels stacked top to bottom into one PNG, SVG or PDF, each at the options' panel size.
bool exportPanels(const QList<QCustomPlot*>& panels, const QString& path, const ExportOptions& options,
                  QString* error);

} // namespace bp::ui
