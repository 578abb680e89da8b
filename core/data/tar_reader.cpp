#include "core/data/tar_reader.h"
#include "core/util/error.h"
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <zlib.h>

namespace bp::data {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kBlock = 512;

// Streams the archive through zlib (gzread also passes uncompressed input through), so a 170 MB
// archive never has to sit in memory whole.
class GzInput {
  public:
    explicit GzInput(const std::string& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
        if (!file_)
            throw Error(path + ": cannot open: " + std::strerror(errno));
        gzbuffer(file_, 1 << 18);
    }
    ~GzInput() { gzclose(file_); }
    GzInput(const GzInput&) = delete;
    GzInput& operator=(const GzInput&) = delete;

    // Reads exactly size bytes; false at a clean end of input before any byte.
    bool read(char* data, std::size_t size, const std::string& what) {
        std::size_t got = 0;
        while (got < size) {
            const int n =
                gzread(file_, data + got, static_cast<unsigned>(std::min<std::size_t>(size - got, 1u << 30)));
            if (n <= 0) {
                // zlib reports a gzip stream cut short as end of file with Z_BUF_ERROR set.
                int code = Z_OK;
                const std::string message = gzerror(file_, &code);
                if (code == Z_BUF_ERROR)
                    throw Error(path_ +
                                ": truncated gzip stream (the file ends before the compressed data does)");
                if (n < 0)
                    throw Error(path_ + ": corrupt gzip data: " + message);
                break;
            }
            got += static_cast<std::size_t>(n);
        }
        if (got == 0 && size > 0)
            return false;
        if (got < size)
            throw Error(path_ + ": truncated archive: it ends inside " + what);
        return true;
    }

  private:
    std::string path_;
    gzFile file_;
};

std::string field(const char* header, std::size_t offset, std::size_t size) {
    return std::string(header + offset, strnlen(header + offset, size));
}

uint64_t octal(const char* header, std::size_t offset, std::size_t size, const std::string& archive) {
    uint64_t value = 0;
    std::size_t i = 0;
    while (i < size && header[offset + i] == ' ')
        ++i;
    for (; i < size && header[offset + i] >= '0' && header[offset + i] <= '7'; ++i)
        value = value * 8 + uint64_t(header[offset + i] - '0');
    if (i < size && header[offset + i] != '\0' && header[offset + i] != ' ')
        throw Error(archive + ": corrupt tar header: a numeric field is not octal");
    return value;
}

void checkChecksum(const char* header, const std::string& archive) {
    // The checksum is the byte sum of the header with its own 8-byte field read as spaces.
    uint64_t sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i)
        sum += (i >= 148 && i < 156) ? uint8_t(' ') : uint8_t(header[i]);
    if (sum != octal(header, 148, 8, archive))
        throw Error(archive + ": corrupt tar header: checksum mismatch (not a tar archive, or damaged)");
}

// Refuses anything that could escape destDir.
fs::path safeRelative(const std::string& name, const std::string& archive) {
    const fs::path path(name);
    bool unsafe = name.empty() || path.is_absolute();
    for (const fs::path& part : path)
        unsafe = unsafe || part == "..";
    if (unsafe)
        throw Error(archive + ": unsafe path '" + name + "' in the archive (absolute or containing '..')");
    return path.relative_path();
}

// The "path" record of a pax extended header ("<len> path=<value>\n", len counting the whole record), or
// "". A malformed length ends the records: read as a number it could be 0 or negative and never advance.
std::string paxPath(const std::string& records) {
    std::size_t pos = 0;
    while (pos < records.size()) {
        const std::size_t space = records.find(' ', pos);
        if (space == std::string::npos)
            break;
        std::size_t length = 0;
        const auto [end, ec] = std::from_chars(records.data() + pos, records.data() + space, length);
        if (ec != std::errc() || end != records.data() + space || length < space - pos + 2 ||
            length > records.size() - pos)
            break;
        const std::string record = records.substr(space + 1, pos + length - space - 2); // drop '\n'
        if (record.rfind("path=", 0) == 0)
            return record.substr(5);
        pos += length;
    }
    return {};
}

void writeEntry(GzInput& in, uint64_t size, const fs::path& target, const std::string& name) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    const std::string part = target.string() + ".part";
    std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(part.c_str(), "wb"), &std::fclose);
    if (!out)
        throw Error(part + ": cannot write: " + std::strerror(errno));
    std::vector<char> buffer(static_cast<std::size_t>(std::min<uint64_t>(size, 1 << 20)));
    for (uint64_t left = size; left > 0;) {
        const std::size_t chunk = static_cast<std::size_t>(std::min<uint64_t>(left, buffer.size()));
        try {
            in.read(buffer.data(), chunk, "entry " + name);
        } catch (...) {
            out.reset();
            fs::remove(part, ec);
            throw;
        }
        if (std::fwrite(buffer.data(), 1, chunk, out.get()) != chunk) {
            out.reset();
            fs::remove(part, ec);
            throw Error(part + ": cannot write: " + std::strerror(errno));
        }
        left -= chunk;
    }
    if (std::fclose(out.release()) != 0)
        throw Error(part + ": cannot write: " + std::strerror(errno));
    fs::rename(part, target, ec);
    if (ec)
        throw Error(target.string() + ": cannot rename from " + part + ": " + ec.message());
}

} // namespace

std::vector<std::string> extractTarGz(const std::string& archivePath, const std::string& destDir) {
    GzInput in(archivePath);
    std::error_code ec;
    fs::create_directories(destDir, ec);
    if (ec)
        throw Error(destDir + ": cannot create folder: " + ec.message());

    std::vector<std::string> written;
    std::string nextName; // from a GNU 'L' or pax 'x' entry, overriding the next header's name
    char header[kBlock];
    while (in.read(header, kBlock, "a header")) {
        if (std::all_of(header, header + kBlock, [](char b) { return b == 0; }))
            break; // end-of-archive marker
        checkChecksum(header, archivePath);
        const uint64_t size = octal(header, 124, 12, archivePath);
        const char type = header[156];
        std::string name = field(header, 0, 100);
        const std::string prefix = field(header, 345, 155); // ustar splits long names
        if (!prefix.empty() && std::memcmp(header + 257, "ustar", 5) == 0)
            name = prefix + "/" + name;
        if (!nextName.empty())
            name = std::move(nextName), nextName.clear();
        const uint64_t padded = (size + kBlock - 1) / kBlock * kBlock;

        if (type == 'L' || type == 'x') { // the data is the next entry's name / pax records
            if (size > (1 << 20))
                throw Error(archivePath + ": corrupt tar header: extended header of " + std::to_string(size) +
                            " bytes");
            std::string data(padded, '\0');
            in.read(data.data(), padded, "an extended header");
            data.resize(size);
            nextName = type == 'L' ? std::string(data.c_str()) : paxPath(data);
            continue;
        }
        if (type == '0' || type == '\0' || type == '5') {
            const fs::path target = fs::path(destDir) / safeRelative(name, archivePath);
            if (type == '5') {
                fs::create_directories(target, ec);
            } else {
                writeEntry(in, size, target, name);
                written.push_back(target.string());
                const uint64_t rest = padded - size;
                if (rest > 0)
                    in.read(header, rest, "entry " + name);
                continue;
            }
        }
        // Skipped entries (links, devices, global pax headers): consume their data, if any.
        for (uint64_t left = padded; left > 0; left -= kBlock)
            in.read(header, kBlock, "entry " + name);
    }
    return written;
}

} // namespace bp::data
