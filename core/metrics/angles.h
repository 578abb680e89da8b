#pragma once
#include "core/nn/network.h"
#include "core/rules/learning_rule.h"
#include <vector>

namespace bp {

// Degrees between flattened W and the rule's feedback matrix (Y, or sign(W) for sign symmetry) of every
// layer from `firstLayer` up (the reference measures every layer but the lowest: firstLayer 1; its
// ImageNet script every layer). Empty when the rule has no feedback matrix of W's shape.
std::vector<double> weightAngles(const Network& net, const LearningRule& rule, size_t firstLayer = 1);

} // namespace bp
