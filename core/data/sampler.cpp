#include "core/data/sampler.h"
#include "core/util/error.h"
#include <ATen/CPUGeneratorImpl.h>
#include <algorithm>

namespace bp::data {

Sampler::Sampler(int64_t size, int64_t batchSize, uint64_t seed)
    : size_(size), batchSize_(batchSize), generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {
    if (batchSize < 1)
        throw Error("the batch size must be at least 1");
}

int Sampler::batchesPerEpoch() const {
    return static_cast<int>((size_ + batchSize_ - 1) / batchSize_);
}

at::Tensor Sampler::drawOrder() {
    return at::randperm(size_, generator_, at::kLong);
}

at::Tensor Sampler::batchIndices(const at::Tensor& order, int b) const {
    const int64_t first = static_cast<int64_t>(b) * batchSize_;
    return order.narrow(0, first, std::min(batchSize_, size_ - first));
}

std::pair<int64_t, int64_t> Sampler::shardRange(int64_t count, int rank, int world) {
    if (world < 1 || rank < 0 || rank >= world)
        throw Error("rank " + std::to_string(rank) + " is not in a group of " + std::to_string(world));
    const int64_t base = count / world, extra = count % world;
    const int64_t first = rank * base + std::min<int64_t>(rank, extra);
    return {first, base + (rank < extra ? 1 : 0)};
}

at::Tensor Sampler::shard(const at::Tensor& batch, int rank, int world) {
    const auto [first, length] = shardRange(batch.size(0), rank, world);
    return batch.narrow(0, first, length);
}

} // namespace bp::data
