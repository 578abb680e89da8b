#pragma once
#include <ATen/ATen.h>
#include <string>

namespace bp::data {

// One CIFAR-10 binary batch file (records of 1 label byte + 3072 pixel bytes).
struct CifarBatch {
    at::Tensor images; // uint8 N x 3 x 32 x 32
    at::Tensor labels; // int64 N
};
CifarBatch readCifarBatch(const std::string& path);

} // namespace bp::data
