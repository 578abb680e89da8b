// Fuzzes the tar extractor (ustar, GNU long names, pax; gzip or not) into a fresh folder per input: any
// bytes extract or give a bp::Error, and nothing is written outside that folder. Uncompressed input has
// its header checksums set first (in every 512-byte block), so that mutations reach the header fields.
#include "core/data/tar_reader.h"
#include "core/util/error.h"
#include "fuzz_support.h"
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

namespace {

void setChecksums(std::vector<uint8_t>& bytes) {
    for (std::size_t block = 0; block + 512 <= bytes.size(); block += 512) {
        uint8_t* header = bytes.data() + block;
        unsigned sum = 0;
        for (std::size_t i = 0; i < 512; ++i)
            sum += (i >= 148 && i < 156) ? uint8_t(' ') : header[i];
        char field[9];
        std::snprintf(field, sizeof field, "%06o", sum & 0777777);
        std::memcpy(header + 148, field, 7); // six digits, NUL, and the space that stays
        header[155] = ' ';
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace fs = std::filesystem;
    std::vector<uint8_t> bytes(data, data + size);
    if (!(size >= 2 && data[0] == 0x1f && data[1] == 0x8b))
        setChecksums(bytes);
    const std::string archive = bp::fuzz::writeTempFile(bytes.data(), bytes.size(), "archive.tar");
    const fs::path root = bp::fuzz::tempPath("extract");
    const fs::path dest = root / "dest";
    std::error_code ec;
    fs::remove_all(root, ec);
    fs::create_directories(dest);
    try {
        for (const std::string& written : bp::data::extractTarGz(archive, dest.string())) {
            // Every path it returns lies inside dest.
            const fs::path relative = fs::weakly_canonical(written).lexically_relative(fs::canonical(dest));
            if (relative.empty() || *relative.begin() == "..")
                std::abort();
        }
    } catch (const bp::Error&) {
    }
    // Nothing beside dest: an entry escaping it would have landed in root.
    for (const fs::directory_entry& entry : fs::directory_iterator(root))
        if (entry.path() != dest)
            std::abort();
    return 0;
}
