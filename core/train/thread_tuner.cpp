#include "core/train/thread_tuner.h"
#include <algorithm>

namespace bp {

ThreadTuner::ThreadTuner(int maxThreads, int period, int probe)
    : max_(std::max(1, maxThreads)), period_(std::max(1, period)), probe_(std::max(1, probe)),
      current_(max_) {}

double ThreadTuner::median(std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

void ThreadTuner::recordStep(double seconds, bool measured) {
    if (max_ == 1)
        return;
    ++stepsInPhase_;
    switch (phase_) {
    case Phase::ProbeMany:
        if (!measured)
            many_.push_back(seconds);
        if (static_cast<int>(many_.size()) >= probe_) {
            phase_ = Phase::ProbeOne;
            current_ = 1;
            stepsInPhase_ = 0;
        }
        break;
    case Phase::ProbeOne:
        if (!measured)
            one_.push_back(seconds);
        if (static_cast<int>(one_.size()) >= probe_) {
            // One thread must win clearly: on a quiet machine every core is the better choice.
            current_ = median(one_) < 0.9 * median(many_) ? 1 : max_;
            ++choices_;
            many_.clear();
            one_.clear();
            phase_ = Phase::Run;
            stepsInPhase_ = 0;
        }
        break;
    case Phase::Run:
        if (stepsInPhase_ >= period_) {
            phase_ = Phase::ProbeMany;
            current_ = max_;
            stepsInPhase_ = 0;
        }
        break;
    }
}

} // namespace bp
