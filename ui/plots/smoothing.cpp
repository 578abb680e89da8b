#include "ui/plots/smoothing.h"
#include <algorithm>
#include <cmath>

namespace bp::ui {

QVector<double> debiasedEma(const QVector<double>& values, double weight) {
    if (!(weight > 0.0))
        return values;
    weight = std::min(weight, 0.999999);
    QVector<double> shown(values.size());
    double last = 0.0;
    double weightPowN = 1.0; // wⁿ, kept as a running product rather than pow() per point
    for (int i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!std::isfinite(v)) {
            shown[i] = v;
            continue;
        }
        last = last * weight + (1.0 - weight) * v;
        weightPowN *= weight;
        shown[i] = last / (1.0 - weightPowN);
    }
    return shown;
}

} // namespace bp::ui
