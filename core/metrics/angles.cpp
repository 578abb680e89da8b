#include "core/metrics/angles.h"

namespace bp {

std::vector<double> weightAngles(const Network& net, const LearningRule& rule, size_t firstLayer) {
    std::vector<double> angles;
    for (size_t i = firstLayer; i < net.layers.size(); ++i) {
        const at::Tensor feedback = rule.feedbackWeights(net, i);
        if (!feedback.defined() || feedback.sizes() != net.layers[i].weight.sizes())
            return {};
        angles.push_back(tensorAngle(net.layers[i].weight, feedback));
    }
    return angles;
}

} // namespace bp
