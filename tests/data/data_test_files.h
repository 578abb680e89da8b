#pragma once
// Header-only helpers for the dataset tests: build small idx, CIFAR, gzip and ustar files in memory.
#include "core/util/error.h"
#include "support/test_support.h"
#include <QByteArray>
#include <QFile>
#include <QString>
#include <QtTest/QtTest>
#include <cstdint>
#include <string>
#include <vector>
#include <zlib.h>

namespace bp::test {

inline void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(bytes), bytes.size());
}

inline QByteArray readWholeFile(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline void appendBigEndian32(QByteArray& out, uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char((value >> shift) & 0xff));
}

// An idx file: magic, the dimensions, then the payload as given (which may not match them).
inline QByteArray idxBytes(uint32_t magic, const std::vector<uint32_t>& dims, const QByteArray& payload) {
    QByteArray out;
    appendBigEndian32(out, magic);
    for (uint32_t d : dims)
        appendBigEndian32(out, d);
    return out + payload;
}

// Pixel n*(h*w) + i gets value (n*31 + i*7 + seed) % 256: distinct enough to catch mix-ups.
inline QByteArray pixelPattern(int count, int pixelsEach, int seed = 0) {
    QByteArray out;
    for (int n = 0; n < count; ++n)
        for (int i = 0; i < pixelsEach; ++i)
            out.append(char((n * 31 + i * 7 + seed) % 256));
    return out;
}

inline QByteArray imagesIdx(int count, int h, int w, int seed = 0) {
    return idxBytes(0x803, {uint32_t(count), uint32_t(h), uint32_t(w)}, pixelPattern(count, h * w, seed));
}

inline QByteArray labelsIdx(const std::vector<uint8_t>& labels) {
    return idxBytes(0x801, {uint32_t(labels.size())},
                    QByteArray(reinterpret_cast<const char*>(labels.data()), int(labels.size())));
}

// gzip (not zlib) format, as the .gz dataset files.
inline QByteArray gzipBytes(const QByteArray& raw) {
    z_stream zs{};
    deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&zs, uLong(raw.size())) + 64), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    zs.avail_in = uInt(raw.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = uInt(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(int(zs.total_out));
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : QByteArray();
}

// CIFAR-10 records: label byte, then 3072 pixels following pixelPattern (seeded by the record).
inline QByteArray cifarBytes(const std::vector<uint8_t>& labels, int seed = 0) {
    QByteArray out;
    for (std::size_t n = 0; n < labels.size(); ++n) {
        out.append(char(labels[n]));
        out.append(pixelPattern(1, 3072, seed + int(n) * 13));
    }
    return out;
}

// One ustar archive entry ('0' file, '5' folder, 'L' GNU long name ...) padded to 512 bytes.
inline QByteArray tarEntry(const std::string& name, const QByteArray& data, char type = '0') {
    QByteArray header(512, '\0');
    auto put = [&](int offset, const std::string& text) {
        std::copy(text.begin(), text.end(), header.begin() + offset);
    };
    put(0, name.substr(0, 100));
    put(100, "0000644");
    put(108, "0000000");
    put(116, "0000000");
    put(124, QString::number(data.size(), 8).rightJustified(11, '0').toStdString());
    put(136, "00000000000");
    header[156] = type;
    put(257, "ustar");
    put(263, "00");
    put(148, "        ");
    unsigned sum = 0;
    for (char c : header)
        sum += uint8_t(c);
    put(148, QString::number(sum, 8).rightJustified(6, '0').toStdString());
    header[154] = '\0';
    header[155] = ' ';
    QByteArray padded = data;
    padded.append(QByteArray((512 - data.size() % 512) % 512, '\0'));
    return header + padded;
}

inline QByteArray tarEnd() {
    return QByteArray(1024, '\0');
}

} // namespace bp::test
