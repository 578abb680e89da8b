#include "core/metrics/evaluation.h"
#include "core/rules/learning_rule.h"

namespace bp {

Evaluation evaluate(const Network& net, const at::Tensor& images, const at::Tensor& labels, int64_t batchSize) {
    at::NoGradGuard noGrad;
    Evaluation result;
    const int64_t n = images.size(0);
    const at::Device device = net.device();
    double squaredError = 0.0;
    int64_t correct = 0;
    for (int64_t start = 0; start < n; start += batchSize) {
        const int64_t count = std::min(batchSize, n - start);
        const at::Tensor x = images.narrow(0, start, count).to(device);
        const at::Tensor y = labels.narrow(0, start, count).to(device);
        const at::Tensor out = net.forward(x);
        squaredError += (out - oneHot(y, net.classes, out.options())).pow(2).sum().item<double>();
        correct += countCorrect(out, y);
    }
    result.examples = n;
    if (n > 0) {
        result.loss = squaredError / static_cast<double>(n * net.classes);
        result.error = 100.0 * (1.0 - static_cast<double>(correct) / static_cast<double>(n));
    }
    return result;
}

} // namespace bp
