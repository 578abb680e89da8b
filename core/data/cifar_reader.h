#pragma once
#include <ATen/ATen.h>
#include <cstdint>
#include <string>
#include <vector>

namespace bp::data {

// One CIFAR-10 binary batch file (records of 1 label byte + 3072 pixel bytes).
struct CifarBatch {
    at::Tensor images; // uint8 N x 3 x 32 x 32
    at::Tensor labels; // int64 N
};
CifarBatch readCifarBatch(const std::string& path);
// The same for a file's bytes already in memory; name stands for the file in messages.
CifarBatch readCifarBytes(const std::vector<uint8_t>& bytes, const std::string& name);

} // namespace bp::data
