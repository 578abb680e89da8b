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
    at::Tensor predicted = at::zeros({net.classes}, at::kLong); // per class, on the CPU
    at::Tensor present = at::zeros({net.classes}, at::kLong);
    for (int64_t start = 0; start < n; start += batchSize) {
        const int64_t count = std::min(batchSize, n - start);
        const at::Tensor x = images.narrow(0, start, count).to(device);
        const at::Tensor y = labels.narrow(0, start, count).to(device);
        const at::Tensor out = net.forward(x);
        squaredError += (out - oneHot(y, net.classes, out.options())).pow(2).sum().item<double>();
        const at::Tensor guess = out.argmax(1);
        correct += guess.eq(y).sum().item<int64_t>();
        predicted += at::bincount(guess.to(at::kCPU), {}, net.classes);
        present += at::bincount(y.to(at::kCPU).clamp(0, net.classes - 1), {}, net.classes);
    }
    result.silentClasses = static_cast<int>((present.gt(0) & predicted.eq(0)).sum().item<int64_t>());
    result.examples = n;
    if (n > 0) {
        result.loss = squaredError / static_cast<double>(n * net.classes);
        result.error = 100.0 * (1.0 - static_cast<double>(correct) / static_cast<double>(n));
    }
    return result;
}

} // namespace bp
