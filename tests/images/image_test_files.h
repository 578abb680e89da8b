#pragma once
// Header-only helpers for the image tests: pixels and JPEGs made here (libjpeg-turbo's tjCompress2), files in
// a temporary folder, and the PIL fixtures of tests/fixtures/images (make_fixtures.py).
#include "core/util/error.h"
#include "support/test_support.h"
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <cmath>
#include <cstdint>
#include <string>
#include <turbojpeg.h>
#include <vector>

namespace bp::test {

using Bytes = std::vector<uint8_t>;

// Writes the bytes, creating the parent folders; false when it cannot.
inline bool writeBytes(const QString& path, const Bytes& bytes) {
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(reinterpret_cast<const char*>(bytes.data()),
                                                         qint64(bytes.size())) == qint64(bytes.size());
}

inline Bytes readBytes(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = file.readAll();
    return Bytes(all.begin(), all.end());
}

// tests/fixtures/images/<name>.
inline QString imageFixture(const QString& name) {
    return QString::fromStdString(fixturesDir()) + "/images/" + name;
}

// Smooth content with a little texture, `channels` interleaved: a JPEG of it stays close to it.
inline Bytes smoothPixels(int width, int height, int channels, uint32_t seed) {
    Bytes out(size_t(width) * height * channels);
    uint32_t state = seed * 2654435761u + 1;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c) {
                state = state * 1664525u + 1013904223u;
                const double wave = std::sin(x * (0.05 + 0.02 * c) + seed) * std::cos(y * (0.04 + 0.01 * c));
                const int noise = int(state >> 28) - 8;
                out[(size_t(y) * width + x) * channels + c] =
                    uint8_t(std::clamp(int(128 + 100 * wave) + noise, 0, 255));
            }
    return out;
}

// A JPEG of the pixels (TJPF_RGB, TJPF_GRAY or TJPF_CMYK, which TurboJPEG stores as YCCK); empty on failure.
inline Bytes jpegOf(const Bytes& pixels, int width, int height, int pixelFormat, int subsampling,
                    int quality) {
    tjhandle h = tjInitCompress();
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    Bytes out;
    if (tjCompress2(h, pixels.data(), width, 0, height, pixelFormat, &buffer, &size, subsampling, quality,
                    0) == 0)
        out.assign(buffer, buffer + size);
    tjFree(buffer);
    tjDestroy(h);
    return out;
}

} // namespace bp::test
