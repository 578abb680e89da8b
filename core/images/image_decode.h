#pragma once
// Decoding JPEG (libjpeg-turbo's TurboJPEG API) and PNG (libpng) files to 8-bit RGB, as torchvision's default
// loader does (PIL's Image.open(...).convert('RGB')), with libjpeg-turbo's DCT-domain scaling for JPEGs whose
// crop will be shrunk anyway.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bp::images {

// 8-bit RGB, interleaved, row-major (HWC): pixel (x, y) channel c is rgb[(y * width + x) * 3 + c].
struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgb;
};

struct ImageSize {
    int width = 0, height = 0;
};

// The most pixels an image may have: PIL's decompression-bomb limit (Image.MAX_IMAGE_PIXELS), past which it
// warns; a larger header is refused rather than decoded.
inline constexpr int64_t kMaxImagePixels = 89'478'485;

// Size of an encoded image from its header only (JPEG via tjDecompressHeader3, PNG via IHDR).
// Throws bp::Error "<path>: <reason>" (not an image, truncated header, an unsupported format such as
// "unsupported image format (TIFF); JPEG and PNG are supported").
ImageSize readSize(const uint8_t* data, size_t size, const std::string& path);

// Decodes to RGB. Grayscale → RGB; CMYK and YCCK JPEGs → RGB as PIL's convert('RGB') does (PIL takes every
// CMYK JPEG as Adobe's inverted CMYK); PNG: palette, grey, 16-bit (the high byte), alpha (dropped, as
// convert('RGB') drops it) → 8-bit RGB. scaleDenominator (1, 2, 4 or 8) decodes a JPEG at 1/scaleDenominator
// of its size with DCT-domain scaling (width ceil(w / den), as TJSCALED); a PNG ignores it (full size).
// A truncated or corrupt file throws bp::Error naming the path and the reason. libjpeg-turbo's warnings are
// errors (premature end, corrupt data), except the harmless ones PIL never sees (extraneous bytes before a
// marker, an unknown JFIF revision or Adobe transform code).
Image decode(const uint8_t* data, size_t size, const std::string& path, int scaleDenominator = 1);

// The largest DCT scale denominator (1, 2, 4, 8) at which a crop of cropW x cropH source pixels still has at
// least outW x outH pixels (so decoding small never upsamples what would otherwise be downsampled).
int scaleDenominatorFor(double cropW, double cropH, int outW, int outH);

// The whole file, for decode(); throws bp::Error "<path>: <reason>" when it cannot be read.
std::vector<uint8_t> readFileBytes(const std::string& path);

} // namespace bp::images
