#pragma once
#include <QVector>

namespace bp::ui {

// Points of a curve, x ascending.
struct CurvePoints {
    QVector<double> x;
    QVector<double> y;
    int size() const { return x.size(); }
};

// What to draw of a sorted curve over [lower, upper] on an axis `pixels` wide: each pixel column keeps
// its first, minimum, maximum and last point, in x order, so spikes stay visible and the shape between
// columns is the curve's own. Of the points outside the range only the nearest one on each side stays,
// so lines run to the edges. logScale: columns are even in log(x) (a log axis); needs lower > 0.
// At most 4·pixels + 2 points come back.
CurvePoints reduceMinMax(const CurvePoints& curve, double lower, double upper, int pixels,
                         bool logScale = false);

// Largest-Triangle-Three-Buckets (Steinarsson 2013): `count` points that keep the curve's visual shape,
// always including the first and the last. Returns the curve unchanged when count >= its size or count < 3.
CurvePoints lttb(const CurvePoints& curve, int count);

} // namespace bp::ui
