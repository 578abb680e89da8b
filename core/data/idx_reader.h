#pragma once
#include <ATen/ATen.h>
#include <cstdint>
#include <string>
#include <vector>

namespace bp::data {

// Reads an MNIST-format idx file, raw or gzip-compressed (detected from the content), into a uint8
// tensor: idx3 (images) gives N x H x W, idx1 (labels) gives N. Throws bp::Error naming the file.
at::Tensor readIdxFile(const std::string& path);
// The same for a file's bytes already in memory; name stands for the file in messages.
at::Tensor readIdxBytes(const std::vector<uint8_t>& bytes, const std::string& name);

} // namespace bp::data
