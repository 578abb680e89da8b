#pragma once
#include <cstdint>
#include <string>
#include <vector>

// Internal to core/data: whole-file reads shared by the idx and CIFAR readers. Dataset files are
// read in one go (tens of MB) because one big read plus one memcpy into a tensor is much faster
// than streaming record by record.
namespace bp::data::detail {

// The file's bytes. Throws bp::Error "<path>: cannot open: <reason>" and on read errors.
std::vector<uint8_t> readFileBytes(const std::string& path);

// True when bytes start with the gzip magic 0x1f 0x8b.
bool isGzip(const std::vector<uint8_t>& bytes);

// Inflates gzip data (concatenated members too). `path` only names the file in error messages:
// "<path>: corrupt gzip data: ..." or "<path>: truncated gzip stream".
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& path);

} // namespace bp::data::detail
