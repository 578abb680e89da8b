// Decoding JPEG and PNG files to RGB: pixels against PIL's convert('RGB') (fixtures written by
// tests/fixtures/images/make_fixtures.py), JPEGs made here (RGB, grey, YCCK) at every DCT scale, sizes from
// headers, and every kind of bad file named with its path and reason.
#include "core/images/image_decode.h"
#include "image_test_files.h"
#include <QTemporaryDir>
#include <algorithm>

using namespace bp;
using namespace bp::images;
using bp::test::Bytes;

namespace {

Image decodeFile(const QString& path, int den = 1) {
    const Bytes bytes = images::readFileBytes(path.toStdString());
    return decode(bytes.data(), bytes.size(), path.toStdString(), den);
}

// The largest difference of two pixel buffers of the same size, -1 when their sizes differ.
int maxDifference(const Bytes& a, const Bytes& b) {
    if (a.size() != b.size())
        return -1;
    int worst = 0;
    for (size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(int(a[i]) - int(b[i])));
    return worst;
}

// PIL's CMYK → RGB (Pillow's cmyk2rgb) of a JPEG's stored values, which PIL takes as Adobe's inverted CMYK.
uint8_t pilCmykChannel(int storedC, int storedK) {
    const int c = 255 - storedC, k = 255 - storedK, nk = 255 - k;
    const int t = c * nk + 128;
    return uint8_t(std::clamp(nk - (((t >> 8) + t) >> 8), 0, 255));
}

} // namespace

class TestImageDecode : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void matchesPil_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("tolerance");
        // The same libjpeg-turbo decodes for PIL: equal, but a step of 1 is allowed for another version.
        QTest::addRow("JPEG RGB 4:2:0") << "rgb.jpg"
                                        << "rgb.rgb" << 17 << 13 << 1;
        QTest::addRow("JPEG grey") << "grey.jpg"
                                   << "grey.rgb" << 15 << 11 << 1;
        QTest::addRow("JPEG CMYK (Adobe, inverted)") << "cmyk.jpg"
                                                     << "cmyk.rgb" << 16 << 12 << 1;
        QTest::addRow("PNG RGB") << "rgb.png"
                                 << "rgb_png.rgb" << 12 << 10 << 0;
        QTest::addRow("PNG palette, short, transparent entry") << "palette.png"
                                                               << "palette.rgb" << 13 << 9 << 0;
        QTest::addRow("PNG palette 4-bit") << "palette4.png"
                                           << "palette4.rgb" << 13 << 9 << 0;
        QTest::addRow("PNG grey") << "grey.png"
                                  << "grey_png.rgb" << 11 << 7 << 0;
        QTest::addRow("PNG 1-bit") << "bilevel.png"
                                   << "bilevel.rgb" << 19 << 5 << 0;
        QTest::addRow("PNG grey + alpha") << "grey_alpha.png"
                                          << "grey_alpha.rgb" << 9 << 6 << 0;
        QTest::addRow("PNG RGBA") << "rgba.png"
                                  << "rgba.rgb" << 10 << 8 << 0;
        QTest::addRow("PNG 16-bit RGB") << "rgb16.png"
                                        << "rgb16.rgb" << 6 << 4 << 0;
        // PIL clips 16-bit grey at 255 (mode I); the decoder keeps the high byte, as for 16-bit RGB.
        QTest::addRow("PNG 16-bit grey") << "grey16.png"
                                         << "grey16.rgb" << 6 << 4 << 0;
    }
    void matchesPil() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, tolerance);
        const Bytes encoded = test::readBytes(test::imageFixture(file));
        QVERIFY2(!encoded.empty(), qPrintable(test::imageFixture(file) + " is missing"));
        const ImageSize size = readSize(encoded.data(), encoded.size(), file.toStdString());
        QCOMPARE(size.width, width);
        QCOMPARE(size.height, height);
        const Image image = decodeFile(test::imageFixture(file));
        QCOMPARE(image.width, width);
        QCOMPARE(image.height, height);
        const Bytes pil = test::readBytes(test::imageFixture(expected));
        QCOMPARE(pil.size(), size_t(width) * height * 3);
        const int worst = maxDifference(image.rgb, pil);
        QVERIFY2(worst >= 0 && worst <= tolerance, qPrintable(QString("largest difference %1").arg(worst)));
    }

    // JPEGs written by libjpeg-turbo here, decoded at 1/1 … 1/8: the size is ceil(w / den) as TJSCALED, and
    // the pixels follow the source (a scaled decode is compared with the source's block means).
    void jpegScales_data() {
        QTest::addColumn<int>("pixelFormat");
        QTest::addColumn<int>("subsampling");
        QTest::addColumn<int>("den");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        for (int den : {1, 2, 4, 8}) {
            const int w = (37 + den - 1) / den, h = (23 + den - 1) / den;
            QTest::addRow("RGB 4:2:0 1/%d", den) << int(TJPF_RGB) << int(TJSAMP_420) << den << w << h;
            QTest::addRow("RGB 4:4:4 1/%d", den) << int(TJPF_RGB) << int(TJSAMP_444) << den << w << h;
            QTest::addRow("grey 1/%d", den) << int(TJPF_GRAY) << int(TJSAMP_GRAY) << den << w << h;
            QTest::addRow("YCCK 1/%d", den) << int(TJPF_CMYK) << int(TJSAMP_444) << den << w << h;
        }
    }
    void jpegScales() {
        QFETCH(int, pixelFormat);
        QFETCH(int, subsampling);
        QFETCH(int, den);
        QFETCH(int, width);
        QFETCH(int, height);
        const int channels = tjPixelSize[pixelFormat];
        const Bytes source = test::smoothPixels(37, 23, channels, 5);
        const Bytes jpeg = test::jpegOf(source, 37, 23, pixelFormat, subsampling, 100);
        QVERIFY(!jpeg.empty());
        QTemporaryDir dir;
        const QString path = dir.filePath("image.jpg");
        QVERIFY(test::writeBytes(path, jpeg));
        const ImageSize size = readSize(jpeg.data(), jpeg.size(), "image.jpg");
        QCOMPARE(size.width, 37);
        QCOMPARE(size.height, 23);
        const Image image = decodeFile(path, den);
        QCOMPARE(image.width, width);
        QCOMPARE(image.height, height);
        QCOMPARE(image.rgb.size(), size_t(width) * height * 3);
        // The expected RGB of each source pixel: grey repeated, CMYK as PIL converts it.
        auto expectedAt = [&](int x, int y, int c) {
            const uint8_t* p = &source[(size_t(y) * 37 + x) * channels];
            if (pixelFormat == TJPF_GRAY)
                return double(p[0]);
            if (pixelFormat == TJPF_CMYK)
                return double(pilCmykChannel(p[c], p[3]));
            return double(p[c]);
        };
        double worst = 0, total = 0;
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                for (int c = 0; c < 3; ++c) {
                    double mean = 0;
                    int n = 0;
                    for (int sy = y * den; sy < std::min(23, (y + 1) * den); ++sy)
                        for (int sx = x * den; sx < std::min(37, (x + 1) * den); ++sx, ++n)
                            mean += expectedAt(sx, sy, c);
                    mean /= n;
                    const double d = std::abs(mean - image.rgb[(size_t(y) * width + x) * 3 + c]);
                    worst = std::max(worst, d);
                    total += d;
                }
        const double meanError = total / (width * height * 3);
        // Quality 100 keeps a pixel within a few steps (4:2:0 halves the colour's resolution: more there);
        // the scaled decode's pixels stay near the source's block means.
        qInfo("mean difference %.2f, largest %.1f", meanError, worst);
        const bool halfColour = subsampling == TJSAMP_420 && den == 1;
        QVERIFY2(meanError < (halfColour ? 4.0 : 1.5),
                 qPrintable(QString("mean difference %1").arg(meanError)));
        QVERIFY2(worst < (halfColour ? 20.0 : 8.0), qPrintable(QString("largest difference %1").arg(worst)));
    }

    void badFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        const Bytes jpeg = test::jpegOf(test::smoothPixels(64, 48, 3, 1), 64, 48, TJPF_RGB, TJSAMP_420, 90);
        const Bytes png = test::readBytes(test::imageFixture("rgb.png"));
        QVERIFY(!jpeg.empty() && !png.empty());
        auto bytes = [](const Bytes& b, size_t n) {
            return QByteArray(reinterpret_cast<const char*>(b.data()), int(std::min(n, b.size())));
        };
        QTest::addRow("JPEG truncated in the scan") << bytes(jpeg, jpeg.size() / 2) << "JPEG";
        QTest::addRow("JPEG truncated in the header") << bytes(jpeg, 30) << "JPEG";
        QTest::addRow("JPEG of its marker only") << bytes(jpeg, 3) << "JPEG";
        Bytes badTable = jpeg;
        // The first DHT's counts: 16 bytes after its marker and length, all 0xFF (more codes than exist).
        const uint8_t dhtMarker[2] = {0xFF, 0xC4};
        const auto dht = std::search(badTable.begin(), badTable.end(), dhtMarker, dhtMarker + 2);
        QVERIFY(dht != badTable.end());
        std::fill(dht + 5, dht + 21, uint8_t(0xFF));
        QTest::addRow("JPEG with a corrupt Huffman table") << bytes(badTable, badTable.size()) << "JPEG";
        Bytes badScan = jpeg;
        // A marker that has no place inside the entropy-coded data, a third of the way into it.
        badScan[badScan.size() * 2 / 3] = 0xFF;
        badScan[badScan.size() * 2 / 3 + 1] = 0xD3;
        QTest::addRow("JPEG with a stray marker in its scan") << bytes(badScan, badScan.size()) << "JPEG";
        QTest::addRow("PNG truncated in its data") << bytes(png, png.size() - 30) << "truncated";
        QTest::addRow("PNG truncated in its header") << bytes(png, 20) << "truncated PNG header";
        Bytes badCrc = png;
        badCrc[8 + 25 + 12] ^= 0x55; // the first byte of the chunk after IHDR: its CRC no longer matches
        QTest::addRow("PNG with a corrupt chunk") << bytes(badCrc, badCrc.size()) << "corrupt PNG";
        Bytes badHeader = png;
        badHeader[12] = 'X'; // IHDR → XHDR
        QTest::addRow("PNG without IHDR") << bytes(badHeader, badHeader.size()) << "IHDR";
        QTest::addRow("BMP") << QByteArray("BM\x36\x00\x00\x00\x00\x00", 8)
                             << "unsupported image format (BMP); JPEG and PNG are supported";
        QTest::addRow("TIFF little-endian")
            << QByteArray("II*\x00\x08\x00\x00\x00", 8) << "unsupported image format (TIFF)";
        QTest::addRow("TIFF big-endian")
            << QByteArray("MM\x00*\x00\x00\x00\x08", 8) << "unsupported image format (TIFF)";
        QTest::addRow("WebP") << QByteArray("RIFF\x10\x00\x00\x00WEBPVP8 ", 16)
                              << "unsupported image format (WebP)";
        QTest::addRow("PPM") << QByteArray("P6\n2 2\n255\n") << "unsupported image format (PPM)";
        QTest::addRow("PGM") << QByteArray("P5\n2 2\n255\n") << "unsupported image format (PGM)";
        QTest::addRow("GIF") << QByteArray("GIF89a\x01\x00\x01\x00") << "unsupported image format (GIF)";
        QTest::addRow("text") << QByteArray("hello, not an image\n") << "not an image";
        QTest::addRow("empty") << QByteArray() << "empty file";
        // A header that claims 60000 x 60000 pixels: refused before anything is allocated.
        Bytes huge = png;
        for (int i : {16, 20}) {
            huge[i] = 0;
            huge[i + 1] = 0;
            huge[i + 2] = 0xEA;
            huge[i + 3] = 0x60;
        }
        QTest::addRow("PNG of 60000 x 60000 pixels") << bytes(huge, huge.size()) << "decompression-bomb";
        // 3000 x 3000 pixels in 300 bytes: more than deflate can pack, truncated before any pixel memory is
        // taken.
        Bytes tooShort = png;
        for (int i : {16, 20}) {
            tooShort[i + 2] = 0x0B;
            tooShort[i + 3] = 0xB8;
        }
        QTest::addRow("PNG too short for its size")
            << bytes(tooShort, tooShort.size()) << "cannot hold 3000 x 3000";
    }
    void badFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = dir.filePath("n01440764/bad.JPEG");
        QVERIFY(test::writeBytes(path, Bytes(bytes.begin(), bytes.end())));
        const Bytes read = images::readFileBytes(path.toStdString());
        QCOMPARE(read.size(), size_t(bytes.size()));
        for (bool sizeOnly : {false, true}) {
            if (sizeOnly && (reason == "JPEG" || reason == "truncated" || reason == "corrupt PNG" ||
                             reason.startsWith("cannot hold")))
                continue; // damage past the header: readSize does not look there
            try {
                if (sizeOnly)
                    readSize(read.data(), read.size(), path.toStdString());
                else
                    decode(read.data(), read.size(), path.toStdString());
                QFAIL(qPrintable(QString("no error (%1)").arg(sizeOnly ? "readSize" : "decode")));
            } catch (const Error& e) {
                const QString message = e.what();
                QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
                QVERIFY2(message.contains(reason), qPrintable(message));
            }
        }
    }

    // The damage that PIL never sees: junk after the image's end, and between markers.
    void harmlessJunkIsAccepted() {
        Bytes jpeg = test::jpegOf(test::smoothPixels(16, 16, 3, 2), 16, 16, TJPF_RGB, TJSAMP_444, 90);
        QVERIFY(!jpeg.empty());
        Image clean, junk;
        try {
            clean = decode(jpeg.data(), jpeg.size(), "clean.jpg");
            jpeg.insert(jpeg.end() - 2, {1, 2, 3, 4}); // extraneous bytes before the EOI marker
            junk = decode(jpeg.data(), jpeg.size(), "junk.jpg");
        } catch (const Error& e) {
            QFAIL(e.what());
        }
        QCOMPARE(junk.rgb, clean.rgb);
    }

    void missingFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("absent.jpg").toStdString();
        try {
            images::readFileBytes(path);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(path) + ": "), e.what());
        }
    }

    void badScaleDenominator() {
        const Bytes jpeg = test::jpegOf(test::smoothPixels(8, 8, 3, 2), 8, 8, TJPF_RGB, TJSAMP_444, 90);
        QVERIFY_THROWS_EXCEPTION(Error, decode(jpeg.data(), jpeg.size(), "x.jpg", 3));
    }

    void scaleDenominator_data() {
        QTest::addColumn<double>("cropW");
        QTest::addColumn<double>("cropH");
        QTest::addColumn<int>("expected");
        QTest::addRow("smaller than the output") << 100.0 << 300.0 << 1;
        QTest::addRow("just the output") << 224.0 << 224.0 << 1;
        QTest::addRow("just under twice") << 447.9 << 500.0 << 1;
        QTest::addRow("twice") << 448.0 << 448.0 << 2;
        QTest::addRow("twice wide, once high") << 900.0 << 300.0 << 1;
        QTest::addRow("four times") << 1000.0 << 899.0 << 4;
        QTest::addRow("eight times") << 1792.0 << 1792.0 << 8;
        QTest::addRow("far larger") << 10000.0 << 8000.0 << 8;
    }
    void scaleDenominator() {
        QFETCH(double, cropW);
        QFETCH(double, cropH);
        QFETCH(int, expected);
        QCOMPARE(scaleDenominatorFor(cropW, cropH, 224, 224), expected);
    }
};

QTEST_GUILESS_MAIN(TestImageDecode)
#include "tst_image_decode.moc"
