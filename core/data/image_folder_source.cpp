#include "core/data/image_folder_source.h"
#include "core/data/file_bytes.h"
#include "core/data/worker_pool.h"
#include "core/images/example_rng.h"
#include "core/images/image_decode.h"
#include "core/images/transforms.h"
#include "core/util/error.h"
#include <algorithm>
#include <cmath>

namespace bp::data {

ImageFolderSource::ImageFolderSource(images::ImageFolder folder, ImageTransform transform, int imageSize,
                                     uint64_t seed, int threads)
    : folder_(std::move(folder)), transform_(transform), size_(imageSize), seed_(seed),
      pool_(std::make_unique<WorkerPool>(std::max(1, threads))), bad_(folder_.entries.size(), 0) {}

ImageFolderSource::~ImageFolderSource() = default;

int ImageFolderSource::threads() const {
    return pool_->threads();
}

DataShape ImageFolderSource::shape() const {
    return {3, size_, static_cast<int64_t>(folder_.classes.size())};
}

at::Tensor ImageFolderSource::labels() {
    at::Tensor labels = at::empty({size()}, at::kLong);
    int64_t* out = labels.data_ptr<int64_t>();
    for (const images::FolderEntry& e : folder_.entries)
        *out++ = e.label;
    return labels;
}

bool ImageFolderSource::load(int64_t index, int epoch, float* out) {
    const images::FolderEntry& entry = folder_.entries[static_cast<size_t>(index)];
    {
        std::lock_guard<std::mutex> lock(skippedMutex_);
        if (bad_[static_cast<size_t>(index)])
            return false;
    }
    try {
        const std::vector<uint8_t> bytes = detail::readFileBytes(entry.path);
        const images::ImageSize full = images::readSize(bytes.data(), bytes.size(), entry.path);
        images::CropBox box;
        bool flip = false;
        const bool random = transform_ == ImageTransform::Train;
        if (random) {
            images::ExampleRng rng(seed_, static_cast<uint64_t>(epoch), static_cast<uint64_t>(index));
            box = images::randomResizedCrop(full.width, full.height, rng);
            flip = rng.uniform() < 0.5;
        } else {
            const int resize = static_cast<int>(std::lround(size_ * 256.0 / 224.0));
            box = images::resizeCenterCrop(full.width, full.height, resize, size_);
        }
        const int den = images::scaleDenominatorFor(box.width, box.height, size_, size_);
        const images::Image image = images::decode(bytes.data(), bytes.size(), entry.path, den);
        const double sx = static_cast<double>(image.width) / full.width;
        const double sy = static_cast<double>(image.height) / full.height;
        box = {box.x * sx, box.y * sy, box.width * sx, box.height * sy};
        images::resampleNormalised(image, box, size_, size_, flip, random, images::kImagenetNormalisation,
                                   out);
        return true;
    } catch (const std::exception& e) {
        std::string reason = e.what();
        if (reason.rfind(entry.path + ": ", 0) == 0)
            reason = reason.substr(entry.path.size() + 2);
        std::lock_guard<std::mutex> lock(skippedMutex_);
        if (!bad_[static_cast<size_t>(index)]) {
            bad_[static_cast<size_t>(index)] = 1;
            skipped_.push_back({entry.path, reason});
        }
        return false;
    }
}

Batch ImageFolderSource::batch(const at::Tensor& indices, const at::Device& device) {
    const at::Tensor idx = indices.to(at::kCPU).to(at::kLong).contiguous();
    const int64_t n = idx.numel();
    const int64_t* ids = idx.data_ptr<int64_t>();
    for (int64_t i = 0; i < n; ++i)
        if (ids[i] < 0 || ids[i] >= size())
            throw Error("image folder " + folder_.root + ": index " + std::to_string(ids[i]) +
                        " is out of range [0, " + std::to_string(size()) + ")");
    const bool pin = device.is_cuda();
    at::Tensor images = at::empty({n, 3, size_, size_}, at::TensorOptions(at::kFloat).pinned_memory(pin));
    std::vector<char> ok(static_cast<size_t>(n), 0);
    const int epoch = epoch_;
    const int64_t stride = 3 * static_cast<int64_t>(size_) * size_;
    float* base = images.data_ptr<float>();
    pool_->forEach(n,
                   [&](int64_t i) { ok[static_cast<size_t>(i)] = load(ids[i], epoch, base + i * stride); });

    std::vector<int64_t> kept, labels;
    for (int64_t i = 0; i < n; ++i)
        if (ok[static_cast<size_t>(i)]) {
            kept.push_back(i);
            labels.push_back(folder_.entries[static_cast<size_t>(ids[i])].label);
        }
    at::Tensor labelTensor = at::tensor(labels, at::kLong);
    if (static_cast<int64_t>(kept.size()) != n)
        images = images.index_select(0, at::tensor(kept, at::kLong));
    if (pin && !images.is_pinned())
        images = images.pin_memory();
    return {images.to(device, /*non_blocking=*/pin), labelTensor.to(device)};
}

std::vector<SkippedFile> ImageFolderSource::takeSkipped() {
    std::lock_guard<std::mutex> lock(skippedMutex_);
    std::vector<SkippedFile> out;
    out.swap(skipped_);
    return out;
}

DataSources imageFolderSources(const std::string& dir, int imageSize, uint64_t seed, int threads,
                               bool validation, int64_t validationSize, bool testAugment,
                               uint64_t splitSeed) {
    const ImageTransform testTransform = testAugment ? ImageTransform::Train : ImageTransform::Test;
    if (validation) {
        images::ImageFolder train = images::scanImageFolder(dir + "/train");
        const int64_t n = static_cast<int64_t>(train.entries.size());
        const int64_t count = std::min<int64_t>(validationSize, n / 10);
        if (count < 1)
            throw Error("validation split: " + dir + "/train has " + std::to_string(n) +
                        " images; holding out a tenth needs at least 10");
        const std::string fingerprint = images::fingerprint(train);
        auto trainView =
            std::make_shared<ImageFolderSource>(train, ImageTransform::Train, imageSize, seed, threads);
        auto testView =
            std::make_shared<ImageFolderSource>(std::move(train), testTransform, imageSize, seed, threads);
        DataSources sources = holdOutValidation(trainView, splitSeed, count, testView);
        sources.folder = dir;
        sources.fingerprint = fingerprint;
        return sources;
    }
    images::ImageFolderPair pair = images::scanTrainVal(dir);
    DataSources sources;
    sources.folder = dir;
    sources.fingerprint = images::fingerprint(pair.train) + "-" + images::fingerprint(pair.val);
    sources.train = std::make_shared<ImageFolderSource>(std::move(pair.train), ImageTransform::Train,
                                                        imageSize, seed, threads);
    sources.test =
        std::make_shared<ImageFolderSource>(std::move(pair.val), testTransform, imageSize, seed, threads);
    return sources;
}

} // namespace bp::data
