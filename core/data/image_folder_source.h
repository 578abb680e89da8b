#pragma once
#include "core/data/data_source.h"
#include "core/images/image_folder.h"
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace bp::data {

class WorkerPool;

// How an image becomes the network's input: the training transform (RandomResizedCrop(size), a random
// horizontal flip) or the test one (Resize(size · 256/224) + CenterCrop(size)); then the ImageNet
// normalisation, as the reference's torchvision transforms.
enum class ImageTransform { Train, Test };

// A data set read from an image folder (torchvision's ImageFolder layout), decoded and transformed on
// demand by its own threads: never held in memory. Every image's crop and flip come from a generator
// seeded by (seed, epoch, image index), so a batch is the same whatever thread decodes it, in whatever
// order. An image that cannot be read or decoded is left out of its batch (the batch is shorter), named in
// takeSkipped() once, and never read again.
class ImageFolderSource : public DataSource {
  public:
    ImageFolderSource(images::ImageFolder folder, ImageTransform transform, int imageSize, uint64_t seed,
                      int threads);
    ~ImageFolderSource() override;

    int64_t size() const override { return static_cast<int64_t>(folder_.entries.size()); }
    DataShape shape() const override;
    Batch batch(const at::Tensor& indices, const at::Device& device) override;
    at::Tensor labels() override;
    void beginEpoch(int epoch) override { epoch_ = epoch; }
    bool streams() const override { return true; }
    std::vector<SkippedFile> takeSkipped() override;
    std::vector<std::string> classNames() const override { return folder_.classes; }

    const images::ImageFolder& folder() const { return folder_; }
    int threads() const;

  private:
    // Decodes and transforms image `index` into out (3 × size × size floats); false when it cannot.
    bool load(int64_t index, int epoch, float* out);

    images::ImageFolder folder_;
    ImageTransform transform_;
    int size_;
    uint64_t seed_;
    std::atomic<int> epoch_{0};
    std::unique_ptr<WorkerPool> pool_;
    std::mutex skippedMutex_;
    std::vector<char> bad_; // per image: known unreadable
    std::vector<SkippedFile> skipped_;
};

// The training and test sources of an image folder DIR (DIR/train and DIR/val, torchvision's layout), or,
// with validation, `validationSize` images of DIR/train held out as the test set (a random split from
// splitSeed; at most a tenth of the training set), seen through the test transform unless testAugment. Throws
// bp::Error for a missing folder, an empty class or classes that differ between train and val. `seed` seeds
// the crops and flips.
DataSources imageFolderSources(const std::string& dir, int imageSize, uint64_t seed, int threads,
                               bool validation, int64_t validationSize, bool testAugment, uint64_t splitSeed);

} // namespace bp::data
