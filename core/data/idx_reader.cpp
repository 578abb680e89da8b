#include "core/data/idx_reader.h"
#include "core/data/file_bytes.h"
#include "core/util/error.h"
#include <cstdio>
#include <cstring>
#include <vector>

namespace bp::data {
namespace {

constexpr uint32_t kLabelMagic = 0x00000801; // unsigned byte, 1 dimension
constexpr uint32_t kImageMagic = 0x00000803; // unsigned byte, 3 dimensions

uint32_t bigEndian32(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

std::string hex32(uint32_t value) {
    char text[11];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

// What an idx header says: its size, the dimensions and how many data bytes follow. Throws bp::Error naming
// the problem (magic, truncated header, impossible dimensions).
struct IdxHeader {
    bool images = false;
    std::size_t headerSize = 0;
    std::vector<int64_t> sizes;
    uint64_t dataBytes = 1;
};

IdxHeader parseHeader(const std::vector<uint8_t>& bytes, const std::string& path) {
    if (bytes.size() < 4)
        throw Error(path + ": truncated: " + std::to_string(bytes.size()) +
                    " bytes, too short for an idx magic number");
    const uint32_t magic = bigEndian32(bytes.data());
    if (magic != kLabelMagic && magic != kImageMagic)
        throw Error(path + ": wrong magic number " + hex32(magic) + " (expected " + hex32(kLabelMagic) +
                    " for labels or " + hex32(kImageMagic) + " for images); not an MNIST-format idx file");
    IdxHeader h;
    h.images = magic == kImageMagic;
    const std::size_t rank = h.images ? 3 : 1;
    h.headerSize = 4 + 4 * rank;
    if (bytes.size() < h.headerSize)
        throw Error(path + ": truncated: the header needs " + std::to_string(h.headerSize) +
                    " bytes, found " + std::to_string(bytes.size()));
    for (std::size_t d = 0; d < rank; ++d) {
        const uint32_t size = bigEndian32(bytes.data() + 4 + 4 * d);
        if (d > 0 && size == 0) // an image of no pixels is a corrupt header, not an empty set
            throw Error(path + ": invalid image dimensions " + std::to_string(bigEndian32(bytes.data() + 8)) +
                        "x" + std::to_string(bigEndian32(bytes.data() + 12)));
        h.sizes.push_back(size);
        // Checked before multiplying: three 32-bit sizes could overflow 64 bits.
        constexpr uint64_t kLimit = uint64_t(1) << 40;
        if (size != 0 && h.dataBytes > kLimit / size)
            throw Error(path + ": invalid header: the dimensions promise more than 1 TiB of data");
        h.dataBytes *= size;
    }
    return h;
}

// bytes: the file's content, inflated when it was gzip.
at::Tensor parseIdx(const std::vector<uint8_t>& bytes, const std::string& path) {
    const IdxHeader h = parseHeader(bytes, path);
    const bool images = h.images;
    const std::size_t headerSize = h.headerSize;
    const std::vector<int64_t>& sizes = h.sizes;
    const uint64_t expected = h.dataBytes;

    const std::string what = images ? "image data" : "label data";
    const uint64_t found = bytes.size() - headerSize;
    if (found < expected)
        throw Error(path + ": truncated: expected " + std::to_string(expected) + " bytes of " + what +
                    ", found " + std::to_string(found));
    if (found > expected)
        throw Error(path + ": trailing garbage: " + std::to_string(found - expected) + " bytes after the " +
                    std::to_string(expected) + " bytes of " + what);

    at::Tensor tensor = at::empty(sizes, at::TensorOptions().dtype(at::kByte));
    if (expected > 0)
        std::memcpy(tensor.data_ptr<uint8_t>(), bytes.data() + headerSize, expected);
    return tensor;
}

} // namespace

at::Tensor readIdxFile(const std::string& path) {
    return readIdxBytes(detail::readFileBytes(path), path);
}

at::Tensor readIdxBytes(const std::vector<uint8_t>& bytes, const std::string& name) {
    if (!detail::isGzip(bytes))
        return parseIdx(bytes, name);
    // The header first: a small file that would inflate to gigabytes stops a little past the size its header
    // announces (the slack lets trailing garbage be reported as such, with its size).
    constexpr uint64_t kSlack = uint64_t(64) << 20;
    const IdxHeader h = parseHeader(detail::gunzipPrefix(bytes, name, 16), name);
    return parseIdx(
        detail::gunzip(bytes, name, static_cast<std::size_t>(h.headerSize + h.dataBytes + kSlack)), name);
}

} // namespace bp::data
