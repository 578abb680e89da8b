#pragma once
#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;

namespace bp::ui {

// One panel of curves against epochs (batches fall between epochs at fractional x). Points are
// appended cheaply; the owner calls replot() when it chooses, so redraws are coalesced.
class MetricPlot : public QWidget {
    Q_OBJECT
public:
    MetricPlot(const QString& title, const QString& yLabel, QWidget* parent = nullptr);

    // Returns the series index. faint: drawn thin and light (raw per-batch values behind epoch curves).
    int addSeries(const QString& name, const QColor& color, bool faint = false, bool markers = false);
    void addPoint(int series, double x, double y);
    void clear();
    void replot(); // rescales and redraws once
    int pointCount(int series) const;
    QCustomPlot* plot() const { return plot_; }
    // Ensures one series per layer named "<prefix> <i>" exists, creating them in a fixed palette.
    int layerSeries(const QString& prefix, int layer, bool faint);

private:
    QCustomPlot* plot_;
    QVector<QCPGraph*> graphs_;
    QStringList names_;
};

} // namespace bp::ui
