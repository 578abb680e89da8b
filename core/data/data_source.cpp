#include "core/data/data_source.h"
#include "core/util/error.h"
#include <ATen/CPUGeneratorImpl.h>

namespace bp::data {

Batch DataSource::range(int64_t first, int64_t count, const at::Device& device) {
    return batch(at::arange(first, first + count, at::kLong), device);
}

at::Tensor DataSource::labels() {
    return range(0, size(), at::Device(at::kCPU)).labels;
}

InMemorySource::InMemorySource(Dataset data, DataShape shape) : data_(std::move(data)), shape_(shape) {}

void InMemorySource::prepare(const at::Device& device) {
    if (data_.images.defined() && data_.images.device() != device) {
        data_.images = data_.images.to(device).contiguous();
        data_.labels = data_.labels.to(device);
    } else if (data_.images.defined()) {
        data_.images = data_.images.contiguous();
    }
}

Batch InMemorySource::batch(const at::Tensor& indices, const at::Device& device) {
    const at::Tensor idx = indices.to(data_.images.device());
    return {data_.images.index_select(0, idx).to(device), data_.labels.index_select(0, idx).to(device)};
}

Batch InMemorySource::range(int64_t first, int64_t count, const at::Device& device) {
    return {data_.images.narrow(0, first, count).to(device), data_.labels.narrow(0, first, count).to(device)};
}

SubsetSource::SubsetSource(std::shared_ptr<DataSource> parent, at::Tensor indices)
    : parent_(std::move(parent)), indices_(indices.to(at::kCPU).to(at::kLong).contiguous()) {}

Batch SubsetSource::batch(const at::Tensor& indices, const at::Device& device) {
    return parent_->batch(indices_.index_select(0, indices.to(at::kCPU)), device);
}

DataSources inMemorySources(DatasetPair data) {
    const DataShape shape{data.channels, data.imageSize, 10};
    return {std::make_shared<InMemorySource>(std::move(data.train), shape),
            std::make_shared<InMemorySource>(std::move(data.test), shape),
            {},
            {}};
}

DataSources holdOutValidation(const std::shared_ptr<DataSource>& train, uint64_t seed, int64_t count,
                              const std::shared_ptr<DataSource>& heldOutView) {
    const int64_t n = train->size();
    if (n <= count)
        throw Error("validation split: the training set has " + std::to_string(n) + " images; holding out " +
                    std::to_string(count) + " needs more");
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    const at::Tensor order = at::randperm(n, generator, at::TensorOptions().dtype(at::kLong));
    return {
        std::make_shared<SubsetSource>(train, order.narrow(0, 0, n - count)),
        std::make_shared<SubsetSource>(heldOutView ? heldOutView : train, order.narrow(0, n - count, count)),
        {},
        {}};
}

std::shared_ptr<DataSource> firstExamples(const std::shared_ptr<DataSource>& source, int64_t count) {
    if (count <= 0 || count >= source->size())
        return source;
    return std::make_shared<SubsetSource>(source, at::arange(count, at::kLong));
}

} // namespace bp::data
