#include "core/nn/loss.h"

namespace bp {

at::Tensor oneHot(const at::Tensor& labels, int64_t classes, const at::TensorOptions& options) {
    return at::zeros({labels.size(0), classes}, options).scatter_(1, labels.view({-1, 1}), 1.0);
}

double outputLoss(OutputKind kind, const at::Tensor& output, const at::Tensor& labels) {
    if (kind == OutputKind::Softmax)
        return at::cross_entropy_loss(output, labels).item<double>();
    return (output - oneHot(labels, output.size(1), output.options())).pow(2).mean().item<double>();
}

double outputLossSum(OutputKind kind, const at::Tensor& output, const at::Tensor& labels) {
    if (kind == OutputKind::Softmax)
        return at::cross_entropy_loss(output, labels, {}, at::Reduction::Sum).item<double>();
    return (output - oneHot(labels, output.size(1), output.options())).pow(2).sum().item<double>() /
           static_cast<double>(output.size(1));
}

int64_t countCorrect(const at::Tensor& output, const at::Tensor& labels) {
    return output.argmax(1).eq(labels).sum().item<int64_t>();
}

int64_t countTopK(const at::Tensor& output, const at::Tensor& labels, int64_t k) {
    k = std::min<int64_t>(k, output.size(1));
    const at::Tensor top = std::get<1>(output.topk(k, 1, true, true));
    return top.eq(labels.view({-1, 1})).any(1).sum().item<int64_t>();
}

} // namespace bp
