#include "core/metrics/angles.h"
#include "core/rules/update.h"

namespace bp {

std::vector<double> weightAngles(const Network& net) {
    std::vector<double> angles;
    for (size_t i = 1; i < net.layers.size(); ++i) {
        const Layer& layer = net.layers[i];
        if (!layer.weightFa.defined())
            return {};
        angles.push_back(tensorAngle(layer.weight, layer.weightFa));
    }
    return angles;
}

} // namespace bp
