#pragma once
#include "ui/plots/reduction.h"
#include <QString>
#include <QVector>
#include <limits>

namespace bp::ui {

// What the x axis of a metric plot measures.
enum class XAxisMode { Epoch, Step, RelativeTime, WallTime };

QString xAxisTitle(XAxisMode mode);

// Every x a metric value can be drawn against; NaN where the producer does not know it.
struct XPoint {
    double epoch = std::numeric_limits<double>::quiet_NaN();
    double step = std::numeric_limits<double>::quiet_NaN();
    double wallSeconds = std::numeric_limits<double>::quiet_NaN(); // seconds since 1970-01-01 UTC
};

// All recorded points of one series, kept in full (the plot draws reductions of them).
class SeriesData {
  public:
    void append(const XPoint& x, double y);
    void clear();
    int size() const { return y_.size(); }
    const QVector<double>& values() const { return y_; }
    // The x of every point in this mode; RelativeTime counts seconds from the series' first wall time.
    QVector<double> xs(XAxisMode mode) const;

  private:
    QVector<double> epoch_;
    QVector<double> step_;
    QVector<double> wall_;
    QVector<double> y_;
};

// How a series is turned into what is drawn.
struct CurveOptions {
    XAxisMode mode = XAxisMode::Epoch;
    double smoothing = 0.0; // debiased EMA weight, 0 = none
    bool logX = false;
    bool logY = false;
};

// The curves of one series ready for reduction: points without an x in the mode dropped, sorted by x,
// and on a log axis non-positive coordinates dropped. smoothed is empty when smoothing is 0; it is
// computed over every point in x order before the log filter, so hiding a point does not change it.
struct SeriesCurves {
    CurvePoints raw;
    CurvePoints smoothed;
};

SeriesCurves buildCurves(const SeriesData& data, const CurveOptions& options);

} // namespace bp::ui
