#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace bp::data {

// MD5 (RFC 1321), only to verify downloaded dataset files against their published sums; it is not
// used for anything security-related. Our own so the core needs no crypto library.
class Md5 {
  public:
    Md5();
    void update(const void* data, std::size_t size);
    // Finishes the digest and returns it as 32 lowercase hex digits. Call once.
    std::string hexDigest();

  private:
    void transform(const uint8_t block[64]);

    uint32_t state_[4];
    uint64_t length_ = 0; // bytes seen so far
    uint8_t buffer_[64];
    std::size_t buffered_ = 0;
};

std::string md5Hex(const void* data, std::size_t size);
inline std::string md5Hex(const std::string& text) {
    return md5Hex(text.data(), text.size());
}

} // namespace bp::data
