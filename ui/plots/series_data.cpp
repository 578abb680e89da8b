#include "ui/plots/series_data.h"
#include "ui/plots/smoothing.h"
#include <QCoreApplication>
#include <algorithm>
#include <cmath>

namespace bp::ui {

QString xAxisTitle(XAxisMode mode) {
    switch (mode) {
    case XAxisMode::Epoch:
        return QCoreApplication::translate("bp::ui::MetricPlot", "epoch");
    case XAxisMode::Step:
        return QCoreApplication::translate("bp::ui::MetricPlot", "step");
    case XAxisMode::RelativeTime:
        return QCoreApplication::translate("bp::ui::MetricPlot", "relative time (s)");
    case XAxisMode::WallTime:
        return QCoreApplication::translate("bp::ui::MetricPlot", "wall time");
    }
    return {};
}

void SeriesData::append(const XPoint& x, double y) {
    epoch_.push_back(x.epoch);
    step_.push_back(x.step);
    wall_.push_back(x.wallSeconds);
    y_.push_back(y);
}

void SeriesData::clear() {
    epoch_.clear();
    step_.clear();
    wall_.clear();
    y_.clear();
}

QVector<double> SeriesData::xs(XAxisMode mode) const {
    switch (mode) {
    case XAxisMode::Epoch:
        return epoch_;
    case XAxisMode::Step:
        return step_;
    case XAxisMode::WallTime:
        return wall_;
    case XAxisMode::RelativeTime:
        break;
    }
    const auto start = std::find_if(wall_.cbegin(), wall_.cend(), [](double t) { return std::isfinite(t); });
    QVector<double> relative = wall_;
    if (start != wall_.cend())
        for (double& t : relative)
            t -= *start;
    return relative;
}

namespace {

CurvePoints keepPositive(const CurvePoints& in, bool logX, bool logY) {
    if (!logX && !logY)
        return in;
    CurvePoints out;
    for (int i = 0; i < in.size(); ++i) {
        if ((logX && !(in.x[i] > 0.0)) || (logY && !(in.y[i] > 0.0)))
            continue;
        out.x.push_back(in.x[i]);
        out.y.push_back(in.y[i]);
    }
    return out;
}

} // namespace

SeriesCurves buildCurves(const SeriesData& data, const CurveOptions& options) {
    const QVector<double> xs = data.xs(options.mode);
    const QVector<double>& ys = data.values();
    CurvePoints sorted;
    if (std::is_sorted(xs.cbegin(), xs.cend()) &&
        std::all_of(xs.cbegin(), xs.cend(), [](double x) { return std::isfinite(x); })) {
        sorted.x = xs; // the common case: appended in order, nothing to copy (implicit sharing)
        sorted.y = ys;
    } else {
        QVector<int> order;
        for (int i = 0; i < xs.size(); ++i)
            if (std::isfinite(xs[i]))
                order.push_back(i);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return xs[a] < xs[b]; });
        sorted.x.reserve(order.size());
        sorted.y.reserve(order.size());
        for (int i : order) {
            sorted.x.push_back(xs[i]);
            sorted.y.push_back(ys[i]);
        }
    }
    SeriesCurves curves;
    if (options.smoothing > 0.0)
        curves.smoothed =
            keepPositive({sorted.x, debiasedEma(sorted.y, options.smoothing)}, options.logX, options.logY);
    curves.raw = keepPositive(sorted, options.logX, options.logY);
    return curves;
}

} // namespace bp::ui
