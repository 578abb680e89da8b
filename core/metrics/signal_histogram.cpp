#include "core/metrics/signal_histogram.h"
#include <algorithm>
#include <cmath>

namespace bp {

std::vector<int64_t> binCounts(const at::Tensor& values, double low, double high, int bins) {
    std::vector<int64_t> counts(static_cast<size_t>(std::max(bins, 1)), 0);
    if (!values.defined() || values.numel() == 0 || !(high > low))
        return counts;
    at::Tensor v = values.reshape({-1});
    if (!v.is_floating_point())
        v = v.to(at::kFloat);
    v = v.masked_select(v.isfinite()); // histc would count NaN nowhere but infinities at the edges
    if (v.numel() == 0)
        return counts;
    // In double, so that counts up to 2^53 are exact whatever the values' type.
    const at::Tensor h = at::histc(v.to(at::kDouble), bins, low, high).to(at::kCPU);
    const double* c = h.data_ptr<double>();
    for (size_t i = 0; i < counts.size(); ++i)
        counts[i] = std::llround(c[i]);
    return counts;
}

SignalHistogram signalHistogram(const at::Tensor& values, const std::string& quantity, int layer, int bins) {
    SignalHistogram h;
    h.layer = layer;
    h.quantity = quantity;
    h.units = values.dim() > 1 ? values.numel() / values.size(0) : 1;
    h.low = 0.0;
    h.high = 1.0;
    if (quantity == "delta" || quantity == "event_rate") {
        const at::Tensor v = values.reshape({-1});
        const at::Tensor finite = v.masked_select(v.isfinite());
        if (finite.numel() > 0) {
            const at::Tensor range = at::stack({finite.min(), finite.max()}).to(at::kDouble).to(at::kCPU);
            const double lo = range[0].item<double>(), hi = range[1].item<double>();
            if (quantity == "delta") {
                h.low = lo;
                h.high = hi > lo ? hi : lo + 0.5;
                if (!(hi > lo))
                    h.low = lo - 0.5;
            } else {
                h.high = std::max(1.0, hi);
            }
        }
    }
    h.counts = binCounts(values, h.low, h.high, bins);
    return h;
}

int64_t silentUnits(const at::Tensor& events) {
    if (!events.defined() || events.numel() == 0)
        return 0;
    const at::Tensor perUnit = std::get<0>(events.reshape({events.size(0), -1}).max(0));
    return perUnit.lt(kSilentRate).sum().item<int64_t>();
}

int64_t silentClasses(const at::Tensor& outputs) {
    if (!outputs.defined() || outputs.dim() != 2 || outputs.size(0) == 0)
        return 0;
    const at::Tensor predicted = outputs.argmax(1);
    const at::Tensor seen = at::bincount(predicted.to(at::kCPU), {}, outputs.size(1));
    return seen.eq(0).sum().item<int64_t>();
}

std::vector<SignalHistogram> signalHistograms(const std::vector<StepResult::LayerSignals>& layers, int bins) {
    std::vector<SignalHistogram> out;
    out.reserve(layers.size() * 4);
    for (size_t k = 0; k < layers.size(); ++k) {
        const StepResult::LayerSignals& s = layers[k];
        const int layer = static_cast<int>(k);
        if (!s.e.defined())
            continue;
        SignalHistogram rate = signalHistogram(s.e, "event_rate", layer, bins);
        rate.silentUnits = silentUnits(s.e);
        if (k + 1 == layers.size() && s.e.dim() == 2)
            rate.silentClasses = silentClasses(s.e);
        out.push_back(std::move(rate));
        if (s.p.defined())
            out.push_back(signalHistogram(s.p, "p", layer, bins));
        if (s.pT.defined())
            out.push_back(signalHistogram(s.pT, "p_t", layer, bins));
        if (s.delta.defined())
            out.push_back(signalHistogram(s.delta, "delta", layer, bins));
    }
    return out;
}

} // namespace bp
