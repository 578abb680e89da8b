#include "ui/plots/reduction.h"
#include <algorithm>
#include <cmath>

namespace bp::ui {

namespace {

void append(CurvePoints& out, const CurvePoints& in, int i) {
    out.x.push_back(in.x[i]);
    out.y.push_back(in.y[i]);
}

// Emits one pixel column's first, min, max and last points in index (x) order, each once.
void emitColumn(CurvePoints& out, const CurvePoints& in, int first, int last, int minAt, int maxAt) {
    int picks[4] = {first, minAt, maxAt, last};
    std::sort(std::begin(picks), std::end(picks));
    const int* end = std::unique(std::begin(picks), std::end(picks));
    for (const int* p = picks; p != end; ++p)
        append(out, in, *p);
}

} // namespace

CurvePoints reduceMinMax(const CurvePoints& curve, double lower, double upper, int pixels, bool logScale) {
    CurvePoints out;
    const int n = curve.size();
    if (n == 0 || pixels < 1 || !(upper > lower) || (logScale && !(lower > 0.0)))
        return out;
    const auto xBegin = curve.x.cbegin();
    const int begin = int(std::lower_bound(xBegin, curve.x.cend(), lower) - xBegin);
    const int end = int(std::upper_bound(xBegin, curve.x.cend(), upper) - xBegin); // one past the last inside
    out.x.reserve(std::min(n, 4 * pixels + 2));
    out.y.reserve(out.x.capacity());
    if (begin > 0)
        append(out, curve, begin - 1);

    const double origin = logScale ? std::log(lower) : lower;
    const double perPixel = pixels / ((logScale ? std::log(upper) : upper) - origin);
    auto columnOf = [&](double x) {
        const double offset = (logScale ? std::log(x) : x) - origin;
        return std::min(int(offset * perPixel), pixels - 1);
    };
    int column = -1, first = 0, minAt = 0, maxAt = 0;
    for (int i = begin; i < end; ++i) {
        const int c = columnOf(curve.x[i]);
        if (c != column) {
            if (column >= 0)
                emitColumn(out, curve, first, i - 1, minAt, maxAt);
            column = c;
            first = minAt = maxAt = i;
            continue;
        }
        if (curve.y[i] < curve.y[minAt])
            minAt = i;
        if (curve.y[i] > curve.y[maxAt])
            maxAt = i;
    }
    if (column >= 0)
        emitColumn(out, curve, first, end - 1, minAt, maxAt);

    if (end < n)
        append(out, curve, end);
    return out;
}

CurvePoints lttb(const CurvePoints& curve, int count) {
    const int n = curve.size();
    if (count >= n || count < 3)
        return curve;
    CurvePoints out;
    out.x.reserve(count);
    out.y.reserve(count);
    append(out, curve, 0);
    // The first and last points are kept; the n − 2 between them fall into count − 2 buckets.
    const double bucketSize = double(n - 2) / (count - 2);
    int previous = 0;
    for (int b = 0; b < count - 2; ++b) {
        const int start = 1 + int(b * bucketSize);
        const int stop = std::min(1 + int((b + 1) * bucketSize), n - 1);
        // The third vertex of the triangle: the average of the next bucket (the last point for the last
        // bucket).
        const int nextStart = stop;
        const int nextStop = std::min(1 + int((b + 2) * bucketSize), n - 1);
        double avgX = 0.0, avgY = 0.0;
        if (nextStop > nextStart) {
            for (int i = nextStart; i < nextStop; ++i) {
                avgX += curve.x[i];
                avgY += curve.y[i];
            }
            avgX /= (nextStop - nextStart);
            avgY /= (nextStop - nextStart);
        } else {
            avgX = curve.x[n - 1];
            avgY = curve.y[n - 1];
        }
        const double ax = curve.x[previous], ay = curve.y[previous];
        double bestArea = -1.0;
        int best = start;
        for (int i = start; i < stop; ++i) {
            const double area = std::abs((ax - avgX) * (curve.y[i] - ay) - (ax - curve.x[i]) * (avgY - ay));
            if (area > bestArea) {
                bestArea = area;
                best = i;
            }
        }
        append(out, curve, best);
        previous = best;
    }
    append(out, curve, n - 1);
    return out;
}

} // namespace bp::ui
