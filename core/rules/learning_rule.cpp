#include "core/rules/learning_rule.h"
#include "core/rules/backprop.h"
#include "core/rules/burstprop.h"
#include "core/rules/feedback_alignment.h"
#include "core/rules/node_perturbation.h"
#include "core/nn/sigmoid.h"

namespace bp {

std::unique_ptr<LearningRule> makeLearningRule(const RunConfig& config, uint64_t noiseSeed) {
    const RunConfig c = normalized(config);
    switch (c.rule) {
    case Rule::Burstprop: return std::make_unique<BurstpropRule>(c);
    case Rule::FeedbackAlignment: return std::make_unique<FeedbackAlignmentRule>(c);
    case Rule::Backprop: return std::make_unique<BackpropRule>(c);
    case Rule::NodePerturbation: return std::make_unique<NodePerturbationRule>(c, noiseSeed);
    }
    return nullptr;
}

at::Tensor oneHot(const at::Tensor& labels, int64_t classes, const at::TensorOptions& options) {
    return at::zeros({labels.size(0), classes}, options).scatter_(1, labels.view({-1, 1}), 1.0);
}

double mseLoss(const at::Tensor& output, const at::Tensor& target) {
    return (output - target).pow(2).mean().item<double>();
}

int64_t countCorrect(const at::Tensor& output, const at::Tensor& labels) {
    return output.argmax(1).eq(labels).sum().item<int64_t>();
}

void forwardRecord(const Network& net, const at::Tensor& input, std::vector<at::Tensor>& inputs,
                   std::vector<at::Tensor>& outputs) {
    const size_t n = net.layers.size();
    inputs.resize(n);
    outputs.resize(n);
    at::Tensor h = input;
    for (size_t i = 0; i < n; ++i) {
        const Layer& layer = net.layers[i];
        inputs[i] = layer.prepareInput(h);
        outputs[i] = layer.preActivation(inputs[i]);
        sigmoidInPlace(outputs[i]);
        h = outputs[i];
    }
}

} // namespace bp
