#pragma once
#include <cstddef>
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
// "<path>: corrupt gzip data: ..." or "<path>: truncated gzip stream". More than `limit` bytes of output
// throw "<path>: inflates to more than <limit> bytes" (a small file that would inflate to gigabytes).
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& path,
                            std::size_t limit = SIZE_MAX);

// The first (at most) n bytes that compressed inflates to, inflating no more: a header to read before
// deciding how much the whole may be. Corrupt data throws as gunzip(); a stream shorter than n is returned
// as it is.
std::vector<uint8_t> gunzipPrefix(const std::vector<uint8_t>& compressed, const std::string& path,
                                  std::size_t n);

} // namespace bp::data::detail
