#pragma once
#include <ATen/ATen.h>
#include <cstdint>

namespace bp::data {

// The order in which a training set is visited: one random permutation per epoch from the sampler's own
// generator (its state goes into checkpoints), cut into batches; the last batch of an epoch may be short.
// A process of a data-parallel group takes its shard of each global batch (shard()), so that N processes
// see together exactly the batches one process would.
class Sampler {
  public:
    Sampler(int64_t size, int64_t batchSize, uint64_t seed);

    int64_t size() const { return size_; }
    int64_t batchSize() const { return batchSize_; }
    int batchesPerEpoch() const;
    // The next epoch's permutation of [0, size) (int64, CPU), drawn from the generator.
    at::Tensor drawOrder();
    // Global batch b of an epoch's order.
    at::Tensor batchIndices(const at::Tensor& order, int b) const;
    at::Generator& generator() { return generator_; }

    // Rank `rank` of `world`'s part of a batch: contiguous parts, the first (size mod world) ranks taking
    // one more example; a rank may get none of a short batch.
    static at::Tensor shard(const at::Tensor& batch, int rank, int world);
    // Where rank's part starts in a batch of `count`, and how long it is.
    static std::pair<int64_t, int64_t> shardRange(int64_t count, int rank, int world);

  private:
    int64_t size_, batchSize_;
    at::Generator generator_;
};

} // namespace bp::data
