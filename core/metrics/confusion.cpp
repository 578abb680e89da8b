#include "core/metrics/confusion.h"
#include "core/util/error.h"

namespace bp {

ConfusionMatrix::ConfusionMatrix(int classes)
    : classes_(classes), counts_(static_cast<size_t>(classes) * static_cast<size_t>(classes), 0) {
    if (classes < 0)
        throw Error("a confusion matrix needs a class count >= 0, not " + std::to_string(classes));
}

size_t ConfusionMatrix::index(int truth, int predicted) const {
    if (truth < 0 || truth >= classes_ || predicted < 0 || predicted >= classes_)
        throw Error("confusion matrix: class (" + std::to_string(truth) + ", " + std::to_string(predicted) +
                    ") is outside [0, " + std::to_string(classes_) + ")");
    return static_cast<size_t>(truth) * static_cast<size_t>(classes_) + static_cast<size_t>(predicted);
}

void ConfusionMatrix::add(int64_t truth, int64_t predicted, int64_t count) {
    counts_[index(static_cast<int>(truth), static_cast<int>(predicted))] += count;
}

void ConfusionMatrix::add(const at::Tensor& labels, const at::Tensor& predicted) {
    if (labels.numel() != predicted.numel())
        throw Error("confusion matrix: " + std::to_string(labels.numel()) + " labels but " +
                    std::to_string(predicted.numel()) + " predictions");
    if (labels.numel() == 0 || classes_ == 0)
        return;
    const int64_t k = classes_;
    const at::Tensor y = labels.reshape(-1).to(at::kCPU, at::kLong).clamp(0, k - 1);
    const at::Tensor p = predicted.reshape(-1).to(at::kCPU, at::kLong).clamp(0, k - 1);
    const at::Tensor cells = at::bincount(y * k + p, {}, k * k).to(at::kLong).contiguous();
    const int64_t* c = cells.data_ptr<int64_t>();
    for (size_t i = 0; i < counts_.size(); ++i)
        counts_[i] += c[i];
}

int64_t ConfusionMatrix::total() const {
    int64_t sum = 0;
    for (int64_t c : counts_)
        sum += c;
    return sum;
}

int64_t ConfusionMatrix::correct() const {
    int64_t sum = 0;
    for (int i = 0; i < classes_; ++i)
        sum += count(i, i);
    return sum;
}

int64_t ConfusionMatrix::present(int truth) const {
    int64_t sum = 0;
    for (int p = 0; p < classes_; ++p)
        sum += count(truth, p);
    return sum;
}

int64_t ConfusionMatrix::predictedAs(int predicted) const {
    int64_t sum = 0;
    for (int t = 0; t < classes_; ++t)
        sum += count(t, predicted);
    return sum;
}

std::optional<double> ConfusionMatrix::classError(int truth) const {
    const int64_t n = present(truth);
    if (n == 0)
        return std::nullopt;
    return 100.0 * static_cast<double>(n - count(truth, truth)) / static_cast<double>(n);
}

double ConfusionMatrix::error() const {
    const int64_t n = total();
    return n == 0 ? 0.0 : 100.0 * static_cast<double>(n - correct()) / static_cast<double>(n);
}

std::string ConfusionMatrix::csv(const std::vector<std::string>& names) const {
    auto name = [&](int i) {
        return static_cast<size_t>(i) < names.size() ? names[static_cast<size_t>(i)] : std::to_string(i);
    };
    std::string out = "true\\predicted";
    for (int p = 0; p < classes_; ++p)
        out += "," + name(p);
    out += '\n';
    for (int t = 0; t < classes_; ++t) {
        out += name(t);
        for (int p = 0; p < classes_; ++p)
            out += "," + std::to_string(count(t, p));
        out += '\n';
    }
    return out;
}

} // namespace bp
