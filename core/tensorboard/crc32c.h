#pragma once
#include <cstddef>
#include <cstdint>

namespace bp::tensorboard {

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord framing uses it:
// crc32c("123456789") == 0xE3069283. `crc` continues an earlier value over more bytes.
uint32_t crc32c(const void* data, size_t size, uint32_t crc = 0);

// TFRecord's masked form, which keeps a CRC stored beside the data it covers from looking like data:
// ((crc >> 15) | (crc << 17)) + 0xa282ead8.
uint32_t maskCrc(uint32_t crc);

inline uint32_t maskedCrc32c(const void* data, size_t size) {
    return maskCrc(crc32c(data, size));
}

} // namespace bp::tensorboard
