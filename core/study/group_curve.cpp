#include "core/study/group_curve.h"
#include <algorithm>
#include <cmath>
#include <map>

namespace bp::study {

std::vector<BandPoint> aggregateCurves(const std::vector<std::vector<EpochValue>>& members, Band band,
                                       const BootstrapOptions& options) {
    if (members.empty())
        return {};
    // epoch → one value per member (the last recorded for that epoch wins, as a resumed run re-records).
    std::map<int, std::vector<double>> byEpoch;
    for (size_t m = 0; m < members.size(); ++m)
        for (const EpochValue& p : members[m]) {
            std::vector<double>& values = byEpoch[p.epoch];
            values.resize(members.size(), std::nan(""));
            values[m] = p.value;
        }
    std::vector<BandPoint> out;
    for (const auto& [epoch, values] : byEpoch) {
        if (std::any_of(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }))
            continue;
        const Summary s = summary(values);
        BandPoint p{epoch, s.n, *s.mean, *s.mean, *s.mean};
        switch (band) {
        case Band::Std:
            if (s.std) {
                p.low = *s.mean - *s.std;
                p.high = *s.mean + *s.std;
            }
            break;
        case Band::MinMax:
            p.low = *s.min;
            p.high = *s.max;
            break;
        case Band::Bootstrap:
            if (const Interval i = bootstrapMean(values, options); i.valid) {
                p.low = i.low;
                p.high = i.high;
            }
            break;
        }
        out.push_back(p);
    }
    return out;
}

} // namespace bp::study
