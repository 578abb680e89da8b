#include "core/rules/sign_symmetry.h"
#include "core/rules/rule_registry.h"

namespace bp {

at::Tensor SignSymmetryRule::feedbackWeights(const Network& net, size_t index) const {
    return at::sign(net.layers.at(index).weight);
}

const RuleInfo& signSymmetryRule() {
    static const RuleInfo info = [] {
        RuleInfo r;
        r.name = "sign-symmetry";
        r.aliases = {"ss"};
        r.title = "Sign symmetry";
        r.description = "Feedback alignment whose feedback weights are sign(W) at every step (Liao, Leibo & "
                        "Poggio 2016).";
        r.hyperparameters = {"hidden_lr"};
        r.weightAngles = true;
        r.deltaAngles = true;
        r.weightAngleNote =
            "Sign symmetry's feedback is sign(W): for Gaussian weights the angle is about 37° "
            "by construction (arccos √(2/π)), whatever the training.";
        r.defaults = [](RunConfig& c) {
            c.hiddenLr = 0.001;
            c.outputLr = 0.002;
        };
        r.initGain = [](const RunConfig& c) {
            return c.architecture == Architecture::Cifar10Conv ? 3.6 : 1.0;
        };
        r.make = [](const RunConfig& c, uint64_t) { return std::make_unique<SignSymmetryRule>(c); };
        return r;
    }();
    return info;
}

} // namespace bp
