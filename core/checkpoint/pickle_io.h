#pragma once
#include <ATen/core/Dict.h>
#include <ATen/core/ivalue.h>
#include <string>
#include <vector>

// The .pt dictionaries of checkpoints and exports: torch::pickle_save of a dict with string keys, which
// LibTorch's pickle_load and Python's torch.load both read. Errors name the file.
namespace bp::pickle {

using Dict = c10::impl::GenericDict; // Dict[str, Any]

Dict makeDict();
// Inserts a compact CPU copy of t; throws bp::Error naming path when t is undefined.
void insertTensor(Dict& dict, const std::string& key, const at::Tensor& t, const std::string& path);
std::vector<char> save(const Dict& dict, const std::string& path);
// Reads path and unpickles it; throws bp::Error naming the file when it cannot be read, is truncated or
// corrupt, or does not hold a dict with string keys.
Dict load(const std::string& path);
const c10::IValue* find(const Dict& dict, const std::string& key); // nullptr when absent

// CRC-32 over every entry but "checksum" (keys in sorted order; tensors by dtype, shape and bytes; ints,
// strings and floats by value). The zip archive torch writes checks no CRC of its own on reading, so a
// checkpoint carries this to catch a flipped byte in its weights.
int64_t checksum(const Dict& dict);

} // namespace bp::pickle
