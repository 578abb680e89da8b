#include "core/data/file_bytes.h"
#include "core/util/error.h"
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>
#include <zlib.h>

namespace bp::data::detail {

std::vector<uint8_t> readFileBytes(const std::string& path) {
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    // fstat, not seeking to the end: a directory opens fine and "seeks" to a bogus size.
    struct stat info {};
    if (fstat(fileno(file.get()), &info) != 0)
        throw Error(path + ": cannot read: " + std::strerror(errno));
    if (!S_ISREG(info.st_mode))
        throw Error(path + ": cannot read: not a regular file");
    std::vector<uint8_t> bytes(static_cast<std::size_t>(info.st_size));
    if (!bytes.empty() && std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size())
        throw Error(path + ": read error: " +
                    (std::ferror(file.get()) ? std::strerror(errno) : "file shrank while reading"));
    return bytes;
}

bool isGzip(const std::vector<uint8_t>& bytes) {
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

namespace {

// gunzip() and gunzipPrefix(): inflates at most limit bytes (prefix) or throws past limit (whole).
std::vector<uint8_t> inflateGzip(const std::vector<uint8_t>& compressed, const std::string& path,
                                 std::size_t limit, bool prefix) {
    std::vector<uint8_t> out;
    // The gzip trailer holds the uncompressed size mod 2^32: a good first guess for one member,
    // so the common case inflates without reallocating. A truncated file ends in arbitrary bytes,
    // so an implausible ratio is not trusted (the buffer still grows as needed).
    std::size_t guess = compressed.size() * 4;
    if (compressed.size() >= 18) {
        const uint8_t* t = compressed.data() + compressed.size() - 4;
        const std::size_t isize =
            uint32_t(t[0]) | uint32_t(t[1]) << 8 | uint32_t(t[2]) << 16 | uint32_t(t[3]) << 24;
        if (isize > 0 && isize <= compressed.size() * 64)
            guess = isize;
    }
    // One byte past the limit tells a whole file that is too large from one exactly at the limit.
    const std::size_t cap = prefix ? limit : (limit == SIZE_MAX ? SIZE_MAX : limit + 1);
    out.resize(std::min(std::max<std::size_t>(guess, 1024), std::max<std::size_t>(cap, 1)));

    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) // 16: expect a gzip wrapper
        throw Error(path + ": cannot initialise zlib");
    std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, &inflateEnd);
    std::size_t inPos = 0, produced = 0;
    for (;;) {
        // zlib counts in uInt (32 bit): feed at most 1 GiB at a time.
        const std::size_t chunkIn = std::min<std::size_t>(compressed.size() - inPos, 1u << 30);
        zs.next_in = const_cast<Bytef*>(compressed.data() + inPos);
        zs.avail_in = static_cast<uInt>(chunkIn);
        if (produced >= cap) {
            if (prefix)
                break;
            throw Error(path + ": inflates to more than " + std::to_string(limit) +
                        " bytes; a damaged or hostile file");
        }
        if (produced == out.size())
            out.resize(std::min(out.size() * 2, cap));
        const std::size_t chunkOut = std::min<std::size_t>(out.size() - produced, 1u << 30);
        zs.next_out = out.data() + produced;
        zs.avail_out = static_cast<uInt>(chunkOut);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        inPos += chunkIn - zs.avail_in;
        produced += chunkOut - zs.avail_out;
        if (rc == Z_STREAM_END) {
            // Another gzip member may follow (as `cat a.gz b.gz` makes); anything else is garbage.
            if (inPos == compressed.size())
                break;
            if (compressed.size() - inPos < 2 || compressed[inPos] != 0x1f || compressed[inPos + 1] != 0x8b)
                throw Error(path + ": corrupt gzip data: " + std::to_string(compressed.size() - inPos) +
                            " unexpected bytes after the compressed stream");
            inflateReset(&zs);
            continue;
        }
        if (rc == Z_BUF_ERROR && inPos == compressed.size() && zs.avail_out > 0)
            throw Error(path + ": truncated gzip stream (the file ends before the compressed data does)");
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw Error(path +
                        ": corrupt gzip data: " + (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)));
    }
    out.resize(produced);
    return out;
}

} // namespace

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& compressed, const std::string& path,
                            std::size_t limit) {
    return inflateGzip(compressed, path, limit, false);
}

std::vector<uint8_t> gunzipPrefix(const std::vector<uint8_t>& compressed, const std::string& path,
                                  std::size_t n) {
    return inflateGzip(compressed, path, n, true);
}

} // namespace bp::data::detail
