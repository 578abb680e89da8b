#include "core/images/image_decode.h"
#include "core/util/error.h"
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <png.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

namespace bp::images {

namespace {

enum class Format { Jpeg, Png, Other };

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
    throw Error(path + ": " + reason);
}

bool startsWith(const uint8_t* data, size_t size, const char* magic, size_t n) {
    return size >= n && std::memcmp(data, magic, n) == 0;
}

// JPEG or PNG, or throws naming what the file is instead.
Format formatOf(const uint8_t* data, size_t size, const std::string& path) {
    if (size == 0)
        fail(path, "empty file, not an image");
    if (startsWith(data, size, "\xFF\xD8\xFF", 3))
        return Format::Jpeg;
    if (startsWith(data, size, "\x89PNG\r\n\x1A\n", 8))
        return Format::Png;
    const char* other = nullptr;
    if (startsWith(data, size, "BM", 2))
        other = "BMP";
    else if (startsWith(data, size, "II*\0", 4) || startsWith(data, size, "MM\0*", 4))
        other = "TIFF";
    else if (size >= 12 && startsWith(data, size, "RIFF", 4) && std::memcmp(data + 8, "WEBP", 4) == 0)
        other = "WebP";
    else if (startsWith(data, size, "GIF8", 4))
        other = "GIF";
    else if (size >= 3 && data[0] == 'P' && data[1] >= '1' && data[1] <= '7' && std::isspace(data[2]))
        other = data[1] == '2' || data[1] == '5' ? "PGM" : data[1] == '1' || data[1] == '4' ? "PBM" : "PPM";
    if (other)
        fail(path, std::string("unsupported image format (") + other + "); JPEG and PNG are supported");
    if (startsWith(data, size, "\xFF\xD8", 2) || startsWith(data, size, "\x89PNG", 4))
        fail(path, "truncated header");
    fail(path, "not an image (neither a JPEG nor a PNG header)");
}

void checkPixels(int64_t width, int64_t height, const std::string& path) {
    if (width <= 0 || height <= 0)
        fail(path, "image of " + std::to_string(width) + " x " + std::to_string(height) + " pixels");
    if (width * height > kMaxImagePixels)
        fail(path, "image of " + std::to_string(width) + " x " + std::to_string(height) +
                       " pixels is larger than the " + std::to_string(kMaxImagePixels) +
                       " pixels accepted (PIL's decompression-bomb limit)");
}

// ---- JPEG -----------------------------------------------------------------------------------------------

// One TurboJPEG decompressor per thread, reused (it keeps its buffers between images) until a file fails:
// libjpeg keeps tables across images, and a failed one may leave them unusable for the next.
struct JpegHandle {
    tjhandle h = nullptr;
    ~JpegHandle() { reset(); }
    void reset() {
        if (h)
            tjDestroy(h);
        h = nullptr;
    }
};
thread_local JpegHandle threadHandle;

tjhandle jpegHandle() {
    if (!threadHandle.h)
        threadHandle.h = tjInitDecompress();
    if (!threadHandle.h)
        throw Error(std::string("cannot start libjpeg-turbo's decompressor: ") + tjGetErrorStr2(nullptr));
    return threadHandle.h;
}

[[noreturn]] void failJpeg(tjhandle h, const std::string& path) {
    std::string message = tjGetErrorStr2(h);
    threadHandle.reset();
    // TurboJPEG prefixes the function's name ("tjDecompress2(): ..."): the reader wants the reason only.
    const size_t colon = message.find("(): ");
    if (colon != std::string::npos && colon < 32)
        message.erase(0, colon + 4);
    fail(path, "corrupt or truncated JPEG: " + message);
}

// libjpeg-turbo reports warnings (TJERR_WARNING) for damage it decodes through; PIL ignores warnings but
// fails on truncation. Those that leave the image intact are accepted, the rest are errors.
bool harmlessWarning(tjhandle h) {
    if (tjGetErrorCode(h) != TJERR_WARNING)
        return false;
    const std::string message = tjGetErrorStr2(h);
    for (const char* harmless : {"extraneous bytes before marker", "Unknown Adobe color transform code",
                                 "Warning: unknown JFIF revision number", "Warning: thumbnail image size"})
        if (message.find(harmless) != std::string::npos)
            return true;
    return false;
}

struct JpegHeader {
    int width = 0, height = 0, subsampling = 0, colorspace = 0;
};

JpegHeader jpegHeader(tjhandle h, const uint8_t* data, size_t size, const std::string& path) {
    JpegHeader header;
    if (size > 0xFFFFFFFFu)
        fail(path, "JPEG file larger than 4 GiB");
    if (tjDecompressHeader3(h, data, static_cast<unsigned long>(size), &header.width, &header.height,
                            &header.subsampling, &header.colorspace) != 0 &&
        !(harmlessWarning(h) && header.width > 0))
        failJpeg(h, path);
    checkPixels(header.width, header.height, path);
    return header;
}

// PIL: the JPEG's CMYK inverted (it assumes Adobe's convention), then cmyk2rgb (Pillow's Convert.c):
// r = nk - c·nk/255 with nk = 255 - k, in its integer rounding. Here in terms of the stored values.
inline uint8_t cmykChannel(unsigned storedC, unsigned storedK) {
    const unsigned c = 255 - storedC, nk = storedK;
    const unsigned t = c * nk + 128;
    const int value = int(nk) - int(((t >> 8) + t) >> 8);
    return uint8_t(std::clamp(value, 0, 255));
}

Image decodeJpeg(const uint8_t* data, size_t size, const std::string& path, int den) {
    tjhandle h = jpegHandle();
    const JpegHeader header = jpegHeader(h, data, size, path);
    const tjscalingfactor factor{1, den};
    Image image;
    image.width = TJSCALED(header.width, factor);
    image.height = TJSCALED(header.height, factor);
    const bool cmyk = header.colorspace == TJCS_CMYK || header.colorspace == TJCS_YCCK;
    const size_t pixels = size_t(image.width) * size_t(image.height);
    std::vector<uint8_t> cmykPixels;
    if (cmyk)
        cmykPixels.resize(pixels * 4);
    else
        image.rgb.resize(pixels * 3);
    uint8_t* out = cmyk ? cmykPixels.data() : image.rgb.data();
    // Stopping at the first warning saves decoding the rest of a damaged file; only a harmless warning
    // (rare) costs a second decode that goes on past it.
    const auto decompress = [&](int flags) {
        return tjDecompress2(h, data, static_cast<unsigned long>(size), out, image.width, 0, image.height,
                             cmyk ? TJPF_CMYK : TJPF_RGB, flags) == 0;
    };
    // TJFLAG_LIMITSCANS: a progressive JPEG of more than 500 scans is refused (libjpeg-turbo's guard against
    // files made to take minutes).
    if (!decompress(TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS)) {
        if (!harmlessWarning(h))
            failJpeg(h, path);
        if (!decompress(TJFLAG_LIMITSCANS) && !harmlessWarning(h))
            failJpeg(h, path);
    }
    if (cmyk) {
        image.rgb.resize(pixels * 3);
        for (size_t i = 0; i < pixels; ++i) {
            const uint8_t* in = &cmykPixels[i * 4];
            for (int c = 0; c < 3; ++c)
                image.rgb[i * 3 + c] = cmykChannel(in[c], in[3]);
        }
    }
    return image;
}

// ---- PNG ------------------------------------------------------------------------------------------------

uint32_t bigEndian32(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

ImageSize pngSize(const uint8_t* data, size_t size, const std::string& path) {
    // Signature (8), then the IHDR chunk: length 13, "IHDR", width, height, ...
    if (size < 8 + 8 + 13)
        fail(path, "truncated PNG header");
    if (bigEndian32(data + 8) != 13 || std::memcmp(data + 12, "IHDR", 4) != 0)
        fail(path, "corrupt PNG: the first chunk is not a 13-byte IHDR");
    const uint32_t width = bigEndian32(data + 16), height = bigEndian32(data + 20);
    if (width > 0x7FFFFFFFu || height > 0x7FFFFFFFu)
        fail(path, "corrupt PNG: image size out of range");
    checkPixels(width, height, path);
    return {int(width), int(height)};
}

// What libpng's callbacks share: the bytes still to read, and the first error's message.
struct PngSource {
    const uint8_t* data;
    size_t size;
    size_t offset;
    char error[200];
};

void pngRead(png_structp png, png_bytep out, size_t length) {
    auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
    if (length > source->size - source->offset)
        png_error(png, "truncated PNG: premature end of data");
    std::memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

void pngError(png_structp png, png_const_charp message) {
    auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
    std::snprintf(source->error, sizeof source->error, "%s", message);
    png_longjmp(png, 1);
}

void pngWarning(png_structp, png_const_charp) {} // as PIL: ancillary damage is not an error

// What the PNG holds after libpng's transforms: 8-bit rows of 1 (grey or palette indices) or 3 (RGB)
// channels.
struct PngLayout {
    png_uint_32 width = 0, height = 0;
    int channels = 0; // 1: grey or palette indices, 3: RGB
    bool palette = false;
    png_color colours[256];
    int colourCount = 0;
    std::vector<png_bytep> rows;
};

// libpng reports errors by longjmp: nothing with a destructor lives in this frame (all it fills belongs to
// the caller). Returns false with source->error set.
bool pngDecodeRows(PngSource* source, PngLayout* layout, std::vector<uint8_t>* pixels) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, source, pngError, pngWarning);
    if (!png) {
        std::snprintf(source->error, sizeof source->error, "cannot start libpng");
        return false;
    }
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
        if (!source->error[0])
            std::snprintf(source->error, sizeof source->error, "cannot start libpng");
        return false;
    }
    png_set_read_fn(png, source, pngRead);
    png_set_user_limits(png, 0x7FFFFFFF, 0x7FFFFFFF);
    png_read_info(png, info);
    int bitDepth = 0, colourType = 0;
    png_get_IHDR(png, info, &layout->width, &layout->height, &bitDepth, &colourType, nullptr, nullptr,
                 nullptr);
    if (int64_t(layout->width) * int64_t(layout->height) > kMaxImagePixels)
        png_error(png, "image larger than PIL's decompression-bomb limit");
    if (bitDepth == 16)
        png_set_strip_16(png); // the high byte, as PIL's "RGB;16B" unpacking
    if (bitDepth < 8) {
        png_set_packing(png); // one byte per palette index
        if (colourType == PNG_COLOR_TYPE_GRAY)
            png_set_expand_gray_1_2_4_to_8(png); // 0..2^n-1 scaled to 0..255, as PIL's L;1/L;2/L;4
    }
    if (colourType & PNG_COLOR_MASK_ALPHA)
        png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    layout->palette = colourType == PNG_COLOR_TYPE_PALETTE;
    layout->channels = (colourType & PNG_COLOR_MASK_COLOR) && !layout->palette ? 3 : 1;
    if (png_get_rowbytes(png, info) != size_t(layout->width) * size_t(layout->channels))
        png_error(png, "unexpected row layout");
    if (layout->palette) {
        png_colorp colours = nullptr;
        if (png_get_PLTE(png, info, &colours, &layout->colourCount) == 0 || !colours)
            png_error(png, "palette image without a palette");
        layout->colourCount = std::min(layout->colourCount, 256);
        std::copy(colours, colours + layout->colourCount, layout->colours);
    }
    pixels->resize(size_t(layout->width) * layout->height * layout->channels);
    layout->rows.resize(layout->height);
    for (png_uint_32 y = 0; y < layout->height; ++y)
        layout->rows[y] = pixels->data() + size_t(y) * layout->width * layout->channels;
    png_read_image(png, layout->rows.data());
    png_destroy_read_struct(&png, &info, nullptr);
    return true;
}

Image decodePng(const uint8_t* data, size_t size, const std::string& path) {
    const ImageSize header =
        pngSize(data, size, path); // the header's checks, before libpng allocates anything
    // Deflate packs at most 1032 bytes into one: a file too short to hold its pixels is truncated, found here
    // before the pixels' memory is taken.
    static const int channelsOf[7] = {1, 0, 3, 1, 2, 0, 4};
    const int bitDepth = data[24], colourType = data[25];
    const int channels = colourType <= 6 ? channelsOf[colourType] : 0;
    const double rawBytes =
        double(header.height) * (std::ceil(double(header.width) * channels * bitDepth / 8) + 1);
    if (rawBytes > 1100.0 * double(size))
        fail(path, "truncated PNG: " + std::to_string(size) + " bytes cannot hold " +
                       std::to_string(header.width) + " x " + std::to_string(header.height) + " pixels");
    PngSource source{data, size, 0, {0}};
    auto layout = std::make_unique<PngLayout>();
    std::vector<uint8_t> pixels;
    if (!pngDecodeRows(&source, layout.get(), &pixels)) {
        std::string reason = source.error;
        if (reason.rfind("truncated", 0) != 0)
            reason = "corrupt PNG: " + reason;
        fail(path, reason);
    }
    Image image;
    image.width = int(layout->width);
    image.height = int(layout->height);
    const size_t count = size_t(image.width) * size_t(image.height);
    if (layout->channels == 3) {
        image.rgb = std::move(pixels);
        return image;
    }
    image.rgb.resize(count * 3);
    for (size_t i = 0; i < count; ++i) {
        uint8_t* out = &image.rgb[i * 3];
        if (layout->palette) {
            // An index past the palette's end is black (PIL pads the palette with zeros).
            const int index = pixels[i];
            const png_color colour =
                index < layout->colourCount ? layout->colours[index] : png_color{0, 0, 0};
            out[0] = colour.red;
            out[1] = colour.green;
            out[2] = colour.blue;
        } else {
            out[0] = out[1] = out[2] = pixels[i];
        }
    }
    return image;
}

} // namespace

ImageSize readSize(const uint8_t* data, size_t size, const std::string& path) {
    if (formatOf(data, size, path) == Format::Png)
        return pngSize(data, size, path);
    const JpegHeader header = jpegHeader(jpegHandle(), data, size, path);
    return {header.width, header.height};
}

Image decode(const uint8_t* data, size_t size, const std::string& path, int scaleDenominator) {
    if (scaleDenominator != 1 && scaleDenominator != 2 && scaleDenominator != 4 && scaleDenominator != 8)
        throw Error(path + ": scale denominator " + std::to_string(scaleDenominator) +
                    " is not 1, 2, 4 or 8");
    if (formatOf(data, size, path) == Format::Png)
        return decodePng(data, size, path);
    return decodeJpeg(data, size, path, scaleDenominator);
}

int scaleDenominatorFor(double cropW, double cropH, int outW, int outH) {
    for (int den : {8, 4, 2})
        if (cropW / den >= outW && cropH / den >= outH)
            return den;
    return 1;
}

std::vector<uint8_t> readFileBytes(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(path, std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        fail(path, std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        fail(path, "is a folder, not a file");
    std::vector<uint8_t> bytes(size_t(std::max<off_t>(st.st_size, 0)));
    size_t done = 0;
    while (true) {
        if (done == bytes.size())
            bytes.resize(bytes.size() + 65536); // the file grew, or stat did not know its size
        const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail(path, std::strerror(errno));
        }
        if (n == 0)
            break;
        done += size_t(n);
    }
    bytes.resize(done);
    return bytes;
}

} // namespace bp::images
