#pragma once
#include "core/nn/network.h"
#include <vector>

namespace bp {

// Degrees between flattened W and Y of every layer except the lowest (bottom to top), as the
// reference's weight_angles(). Empty when the network has no feedback weights.
std::vector<double> weightAngles(const Network& net);

} // namespace bp
