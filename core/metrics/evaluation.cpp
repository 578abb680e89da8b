#include "core/metrics/evaluation.h"
#include "core/nn/loss.h"

namespace bp {

EvaluationSums evaluationSums(const Network& net, data::DataSource& source, int64_t batchSize, int64_t first,
                              int64_t total, ConfusionMatrix* confusion) {
    at::NoGradGuard noGrad;
    const int64_t size = first + total;
    int64_t n = 0; // examples evaluated: a streaming source leaves out files it cannot read
    const at::Device device = net.device();
    double lossSum = 0.0;
    int64_t correct = 0, correctTop5 = 0;
    at::Tensor predicted = at::zeros({net.classes}, at::kLong); // per class, on the CPU
    at::Tensor present = at::zeros({net.classes}, at::kLong);
    for (int64_t start = first; start < size; start += batchSize) {
        const int64_t count = std::min(batchSize, size - start);
        const data::Batch batch = source.range(start, count, device);
        n += batch.labels.size(0);
        if (batch.labels.size(0) == 0)
            continue;
        const at::Tensor out = net.forward(batch.images.to(net.dtype()));
        const at::Tensor& y = batch.labels;
        lossSum += outputLossSum(net.output, out, y);
        const at::Tensor guess = out.argmax(1);
        correct += guess.eq(y).sum().item<int64_t>();
        correctTop5 += countTopK(out, y, 5);
        predicted += at::bincount(guess.to(at::kCPU), {}, net.classes);
        present += at::bincount(y.to(at::kCPU).clamp(0, net.classes - 1), {}, net.classes);
        if (confusion)
            confusion->add(y, guess);
    }
    return {lossSum, correct, correctTop5, n, predicted, present};
}

Evaluation finishEvaluation(const EvaluationSums& s) {
    Evaluation result;
    const int64_t n = s.examples;
    result.silentClasses = static_cast<int>((s.present.gt(0) & s.predicted.eq(0)).sum().item<int64_t>());
    result.examples = n;
    if (n > 0) {
        result.loss = s.loss / static_cast<double>(n);
        result.error = 100.0 * (1.0 - static_cast<double>(s.correct) / static_cast<double>(n));
        result.top5Error = 100.0 * (1.0 - static_cast<double>(s.correctTop5) / static_cast<double>(n));
    }
    return result;
}

Evaluation evaluate(const Network& net, data::DataSource& source, int64_t batchSize,
                    ConfusionMatrix* confusion) {
    return finishEvaluation(evaluationSums(net, source, batchSize, 0, source.size(), confusion));
}

Evaluation evaluate(const Network& net, const at::Tensor& images, const at::Tensor& labels,
                    int64_t batchSize) {
    data::InMemorySource source({images, labels}, {net.inputChannels, net.inputSize, net.classes});
    return evaluate(net, source, batchSize);
}

} // namespace bp
