#include "core/data/cifar_reader.h"
#include "core/data/file_bytes.h"
#include "core/util/error.h"
#include <cstring>

namespace bp::data {
namespace {
constexpr int64_t kPixels = 3 * 32 * 32;
constexpr int64_t kRecord = 1 + kPixels; // label byte, then R, G and B planes
constexpr int kClasses = 10;
} // namespace

CifarBatch readCifarBatch(const std::string& path) {
    return readCifarBytes(detail::readFileBytes(path), path);
}

CifarBatch readCifarBytes(const std::vector<uint8_t>& bytes, const std::string& path) {
    const auto size = static_cast<int64_t>(bytes.size());
    if (size == 0)
        throw Error(path + ": empty file; expected CIFAR-10 records of " + std::to_string(kRecord) +
                    " bytes");
    if (size % kRecord != 0)
        throw Error(path + ": size " + std::to_string(size) + " bytes is not a multiple of the " +
                    std::to_string(kRecord) + "-byte CIFAR-10 record (truncated or not a CIFAR-10 batch)");
    const int64_t n = size / kRecord;

    for (int64_t i = 0; i < n; ++i) {
        const int label = bytes[i * kRecord];
        if (label >= kClasses)
            throw Error(path + ": bad label " + std::to_string(label) + " in record " + std::to_string(i) +
                        " (expected 0..9)");
    }

    // View the records as an N x 3073 table and split it into the label column and the pixels.
    const at::Tensor table = at::from_blob(const_cast<uint8_t*>(bytes.data()), {n, kRecord}, at::kByte);
    CifarBatch batch;
    batch.labels = table.select(1, 0).to(at::kLong); // to() copies: nothing refers to `bytes` after return
    batch.images = table.narrow(1, 1, kPixels).clone().view({n, 3, 32, 32});
    return batch;
}

} // namespace bp::data
