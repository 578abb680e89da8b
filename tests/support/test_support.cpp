#include "support/test_support.h"
#include "core/data/dataset.h"
#include <cstdlib>

namespace bp::test {

double relativeError(const at::Tensor& a, const at::Tensor& b) {
    const at::Tensor a64 = a.to(at::kDouble).cpu();
    const at::Tensor b64 = b.to(at::kDouble).cpu();
    const double denominator = b64.norm().item<double>();
    const double numerator = (a64 - b64).norm().item<double>();
    if (denominator == 0.0)
        return numerator;
    return numerator / denominator;
}

std::string envOr(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : fallback;
}

std::string fashionMnistDir() {
    const std::string dir = envOr("BURSTPROP_FASHION_DIR", data::defaultDataDir(DatasetKind::FashionMnist));
    return data::datasetAvailable(DatasetKind::FashionMnist, dir) ? dir : std::string();
}

QString trainerBinary() { return QString::fromStdString(envOr("BURSTPROP_TRAIN_BIN", "")); }

QString statusName(RunStatus status) { return QString::fromStdString(toString(status)); }

} // namespace bp::test
