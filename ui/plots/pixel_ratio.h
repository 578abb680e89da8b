#pragma once
#include <QtGlobal>
#include <functional>

class QCustomPlot;

namespace bp::ui {

// Keeps a QCustomPlot's paint buffers at its widget's device-pixel ratio. QCustomPlot reads the ratio
// once, when it is built, so a window moved between screens of different ratios (a laptop's HiDPI panel
// and an external monitor) would show blurred or oversized plots until the application restarts. Before
// each paint the two ratios are compared; when they differ the buffers are remade at the widget's ratio,
// `onChange` runs with it (for pixmaps drawn at the old ratio, such as the scatter's dots) and the plot
// is redrawn. (Qt 6.6 sends QEvent::DevicePixelRatioChange; Debian 12 has Qt 6.4.)
void followDevicePixelRatio(QCustomPlot* plot, std::function<void(qreal)> onChange = {});

} // namespace bp::ui
