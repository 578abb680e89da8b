#pragma once
#include "core/config/run_config.h"
#include "core/nn/network.h"
#include <ATen/ATen.h>
#include <ATen/core/Dict.h>
#include <ATen/core/ivalue.h>
#include <string>

namespace bp::golden {

// One recorded case of reference training steps (../shared/golden/README.md): a flat dict saved by
// Python's torch.save, read with torch::pickle_load. Every accessor throws bp::Error naming the file
// and the key when the key is missing or holds another type.
class GoldenFile {
  public:
    // Throws bp::Error when the file cannot be read or is not a pickled dict.
    explicit GoldenFile(const std::string& path);

    const std::string& path() const { return path_; }
    bool has(const std::string& key) const;
    at::Tensor tensor(const std::string& key) const;
    std::string text(const std::string& key) const;
    double real(const std::string& key) const; // a float, int, bool or one-element tensor
    int64_t integer(const std::string& key) const;
    bool flag(const std::string& key) const { return real(key) != 0.0; }

  private:
    c10::IValue value(const std::string& key) const;
    std::string path_;
    c10::impl::GenericDict dict_;
};

// "<prefix>/layer<i>/<name>", e.g. layerKey("init", 0, "weight").
std::string layerKey(const std::string& prefix, int64_t layer, const std::string& name);

// Whether the case is the ImageNet network's (../shared/golden/imagenet/README.md).
bool isImagenet(const GoldenFile& file);

// The run configuration the case was recorded with (rule and hyperparameters). Throws bp::Error for
// a rule or architecture this project does not build.
RunConfig configOf(const GoldenFile& file);

// The network before step 0, built from the recorded layer kinds and initial tensors. Throws
// bp::Error for a layer kind this project does not build.
Network networkOf(const GoldenFile& file);

} // namespace bp::golden
