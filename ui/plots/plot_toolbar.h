#pragma once
#include "ui/plots/series_data.h"
#include <QList>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;

namespace bp::ui {

class MetricPlot;

// The view controls shared by a group of metric plots: smoothing (0–0.999), log x, log y and what the x
// axis measures. Every change is applied to all plots given to setPlots().
class PlotToolbar : public QWidget {
    Q_OBJECT
  public:
    explicit PlotToolbar(QWidget* parent = nullptr);

    // Plots to drive; they take the toolbar's current settings at once. Deleted plots are skipped.
    void setPlots(const QList<MetricPlot*>& plots);

    double smoothing() const;
    bool logX() const;
    bool logY() const;
    XAxisMode xAxisMode() const;

    QSlider* smoothingSlider() const { return smoothing_; }
    QLabel* smoothingLabel() const { return smoothingValue_; }
    QCheckBox* logXBox() const { return logX_; }
    QCheckBox* logYBox() const { return logY_; }
    QComboBox* xAxisBox() const { return xAxis_; }

  public Q_SLOTS:
    void setSmoothing(double weight);
    void setXAxisMode(bp::ui::XAxisMode mode);

  Q_SIGNALS:
    void smoothingChanged(double weight);
    void logXChanged(bool on);
    void logYChanged(bool on);
    void xAxisModeChanged(bp::ui::XAxisMode mode);

  private:
    void applyTo(MetricPlot* plot) const;
    void applyToAll();

    QSlider* smoothing_;
    QLabel* smoothingValue_;
    QCheckBox* logX_;
    QCheckBox* logY_;
    QComboBox* xAxis_;
    QList<QPointer<MetricPlot>> plots_;
};

} // namespace bp::ui
