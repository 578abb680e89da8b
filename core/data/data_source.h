#pragma once
#include "core/data/dataset.h"
#include <ATen/ATen.h>
#include <memory>
#include <string>
#include <vector>

namespace bp::data {

// What a network reads: image channels, square image size and number of classes.
struct DataShape {
    int64_t channels = 1;
    int64_t size = 28;
    int64_t classes = 10;
};

struct Batch {
    at::Tensor images; // float32, N x C x H x W, normalised
    at::Tensor labels; // int64, N
};

// A file a streaming source could not read, and why; it is left out of every batch.
struct SkippedFile {
    std::string path;
    std::string reason;
};

// A set of labelled examples that delivers batches for any list of indices: the in-memory sets (MNIST
// format, CIFAR-10) or a streaming one that decodes from disk. The order is not the source's business
// (the Sampler owns the shuffle); training-time augmentation is applied by the trainer.
class DataSource {
  public:
    virtual ~DataSource() = default;
    virtual int64_t size() const = 0;
    virtual DataShape shape() const = 0;
    // The examples at `indices` (int64, on the CPU), in that order, on `device`. Throws bp::Error naming
    // the problem (a file that cannot be read, an index out of range).
    virtual Batch batch(const at::Tensor& indices, const at::Device& device) = 0;
    // Examples [first, first + count), e.g. for evaluation. The default gathers their indices.
    virtual Batch range(int64_t first, int64_t count, const at::Device& device);
    // Called once before training on `device`: a source may move or prepare its data there.
    virtual void prepare(const at::Device& /*device*/) {}
    // Every label in order (int64, CPU); the default reads them through range().
    virtual at::Tensor labels();
    // The epoch whose batches come next (1, 2, ...; 0 before training): a source whose augmentation draws
    // per example seeds it with the epoch.
    virtual void beginEpoch(int /*epoch*/) {}
    // True when batches are decoded from files (worth preparing ahead of the trainer).
    virtual bool streams() const { return false; }
    // Files left out since the last call, each named once.
    virtual std::vector<SkippedFile> takeSkipped() { return {}; }
    // The classes' names by label, when the data names them (an image folder's class folders); else empty.
    virtual std::vector<std::string> classNames() const { return {}; }
};

// A data set held as two tensors: no per-example work while training. prepare(device) moves the
// tensors to the training device once, so that batches are gathered there.
class InMemorySource : public DataSource {
  public:
    InMemorySource(Dataset data, DataShape shape);
    int64_t size() const override { return data_.size(); }
    DataShape shape() const override { return shape_; }
    Batch batch(const at::Tensor& indices, const at::Device& device) override;
    Batch range(int64_t first, int64_t count, const at::Device& device) override;
    void prepare(const at::Device& device) override;
    at::Tensor labels() override { return data_.labels.to(at::kCPU); }
    const Dataset& data() const { return data_; }

  private:
    Dataset data_;
    DataShape shape_;
};

// The examples of `parent` at `indices` (int64, CPU): a validation split, or the first N of a set.
class SubsetSource : public DataSource {
  public:
    SubsetSource(std::shared_ptr<DataSource> parent, at::Tensor indices);
    int64_t size() const override { return indices_.size(0); }
    DataShape shape() const override { return parent_->shape(); }
    Batch batch(const at::Tensor& indices, const at::Device& device) override;
    void prepare(const at::Device& device) override { parent_->prepare(device); }
    void beginEpoch(int epoch) override { parent_->beginEpoch(epoch); }
    bool streams() const override { return parent_->streams(); }
    std::vector<SkippedFile> takeSkipped() override { return parent_->takeSkipped(); }

  private:
    std::shared_ptr<DataSource> parent_;
    at::Tensor indices_;
};

// The training and test sources of a run; for an image folder, the folder and a fingerprint of its file list.
struct DataSources {
    std::shared_ptr<DataSource> train, test;
    std::string folder, fingerprint;
};

// In-memory sources of a loaded data set (10 classes: the idx reader rejects larger labels).
DataSources inMemorySources(DatasetPair data);

// The validation split of the reference's -validation: the last `count` (10,000 for the MNIST-format sets
// and CIFAR-10) examples of a random permutation (from seed) of the training set become the test set, the
// rest the training set. The held-out examples are read through `heldOutView` when given (the same examples
// with the test transform). Throws bp::Error when the training set has `count` examples or fewer.
DataSources holdOutValidation(const std::shared_ptr<DataSource>& train, uint64_t seed, int64_t count = 10000,
                              const std::shared_ptr<DataSource>& heldOutView = nullptr);
// The first `count` examples of a source (the whole source when count <= 0 or >= its size).
std::shared_ptr<DataSource> firstExamples(const std::shared_ptr<DataSource>& source, int64_t count);

} // namespace bp::data
