#pragma once
#include <ATen/ATen.h>
#include <string>

namespace bp::data {

// Reads an MNIST-format idx file, raw or gzip-compressed (detected from the content), into a uint8
// tensor: idx3 (images) gives N x H x W, idx1 (labels) gives N. Throws bp::Error naming the file.
at::Tensor readIdxFile(const std::string& path);

} // namespace bp::data
