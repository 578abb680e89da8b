#include "core/setup/known_problems.h"
#include "core/rules/rule_registry.h"

namespace bp {

namespace {

// train_cifar10.py's defaults (momentum 0.9, learning rates 0.01, sums over the batch): within about 50
// steps every output unit is pushed towards zero — each is the wrong class for 9 examples in 10 and the
// 1024 inputs below it move its pre-activation by several units per step, which momentum multiplies —
// and a unit below 0.001 has almost no gradient left (∝ e(1 − e)). It happens with the hidden layers
// frozen too, so it is not the feedback path. Measured (seed 1, one epoch of Fashion-MNIST padded to
// 32 × 32 in three channels; tests/core/tst_known_problems.cpp checks the first 100 steps): momentum 0.9
// 90.0 % test error, every output below 0.001; 0.8 41.9 % with 3 classes never predicted; 0.5 27.3 %;
// 0 30.6 %.
bool cifarMomentumTooHigh(const RunConfig& c) {
    const RuleInfo* rule = findRule(c.rule);
    const bool referenceOptimizer =
        c.optimizer == OptimizerKind::RuleDefault || c.optimizer == OptimizerKind::Reference;
    return rule && rule->name == "burstprop" && c.architecture == Architecture::Cifar10Conv &&
           c.output == OutputKind::Sigmoid && referenceOptimizer && c.momentum >= 0.8;
}

// train_imagenet.py's κ = 1e-5 in float32 (../shared/golden/imagenet/README.md): p_t − p shrinks by orders of
// magnitude per layer, and below conv5 f_t and f agree to the last bit at initialisation, so those layers'
// deltas are rounding noise (conv1's delta angle reads 90°) — in the reference too. The top layers learn.
bool imagenetKappaBelowFloat32(const RunConfig& c) {
    return c.rule == "burstprop" && c.architecture == Architecture::ImagenetConv &&
           c.dtype == Dtype::Float32 && c.output == OutputKind::Softmax && c.kappa < 1e-4;
}

} // namespace

std::vector<std::string> knownProblems(const RunConfig& config) {
    std::vector<std::string> problems;
    if (cifarMomentumTooHigh(config))
        problems.push_back(
            "burstprop on the CIFAR-10 conv net with momentum 0.8 or more drives its output units towards "
            "zero "
            "in the first 50-100 steps, where they stop learning: train_cifar10.py's defaults (momentum 0.9) "
            "stay "
            "at chance, as the reference's issue #4 reports. One epoch of Fashion-MNIST as CIFAR-10 images: "
            "momentum 0.9 90 % test error, 0.8 42 % with 3 classes never predicted, 0.5 27 % "
            "(docs/reproducing.md).");
    if (imagenetKappaBelowFloat32(config))
        problems.push_back(
            "burstprop on the ImageNet net with kappa below 1e-4 in float32 (train_imagenet.py's "
            "kappa 1e-5): float32 resolves only the top layers' burst signals at initialisation; "
            "below conv5 the deltas are rounding noise, in the reference too. --dtype float64 "
            "resolves them (CPU only), as does kappa 1e-3 in float32 (docs/imagenet.md).");
    return problems;
}

} // namespace bp
