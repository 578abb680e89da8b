// The ImageNet transforms: RandomResizedCrop's boxes (drawn from ExampleRng, rounded as Python, the centre
// fallback), Resize + CenterCrop's box by hand, and the resampling against PIL's and torchvision's output
// (fixtures by tests/fixtures/images/make_fixtures.py), flipped and normalised.
#include "core/images/example_rng.h"
#include "core/images/transforms.h"
#include "image_test_files.h"
#include <cmath>
#include <set>

using namespace bp;
using namespace bp::images;
using bp::test::Bytes;

Q_DECLARE_METATYPE(bp::images::CropBox)

namespace {

constexpr int kSourceW = 23, kSourceH = 17; // resample_source.rgb

Image fixtureSource() {
    Image image;
    image.width = kSourceW;
    image.height = kSourceH;
    image.rgb = test::readBytes(test::imageFixture("resample_source.rgb"));
    return image;
}

// The pixel values (0..255) of a normalised planar output, channel c at (x, y).
double pixelValue(const std::vector<float>& out, int outW, int outH, int c, int x, int y,
                  const Normalisation& norm = kImagenetNormalisation) {
    const float v = out[size_t(c) * outW * outH + size_t(y) * outW + x];
    return (double(v) * norm.std[c] + norm.mean[c]) * 255.0;
}

} // namespace

class TestImageTransforms : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void rngIsReproducible() {
        ExampleRng a(42, 3, 1000), b(42, 3, 1000);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(a.next(), b.next());
    }

    void rngStreamsDiffer() {
        std::set<uint64_t> firsts;
        for (uint64_t seed : {0, 1})
            for (uint64_t epoch : {0, 1, 2})
                for (uint64_t index : {0, 1, 2, 1000000})
                    firsts.insert(ExampleRng(seed, epoch, index).next());
        QCOMPARE(firsts.size(), size_t(2 * 3 * 4));
        // The parts do not commute: (epoch 1, index 2) is not (epoch 2, index 1).
        QVERIFY(ExampleRng(7, 1, 2).next() != ExampleRng(7, 2, 1).next());
    }

    void rngRanges() {
        ExampleRng rng(5, 0, 0);
        double sum = 0;
        std::set<int64_t> seen;
        for (int i = 0; i < 20000; ++i) {
            const double u = rng.uniform();
            QVERIFY(u >= 0.0 && u < 1.0);
            sum += u;
            const double v = rng.uniform(-2.0, 3.0);
            QVERIFY(v >= -2.0 && v < 3.0);
            const int64_t k = rng.integer(-3, 3);
            QVERIFY(k >= -3 && k <= 3);
            seen.insert(k);
        }
        QVERIFY(std::abs(sum / 20000 - 0.5) < 0.01);
        QCOMPARE(seen.size(), size_t(7));
        QCOMPARE(rng.integer(9, 9), int64_t(9));
        QVERIFY_THROWS_EXCEPTION(Error, rng.integer(2, 1));
    }

    // The box of a seeded generator, computed here from the same draws as torchvision's get_params does.
    void randomResizedCropByHand_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("index");
        for (int index : {0, 1, 2, 3, 17, 123456}) {
            QTest::addRow("500 x 375, image %d", index) << 500 << 375 << index;
            QTest::addRow("375 x 500, image %d", index) << 375 << 500 << index;
        }
        QTest::addRow("1 x 1") << 1 << 1 << 0;
    }
    void randomResizedCropByHand() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, index);
        ExampleRng rng(2024, 1, uint64_t(index)), twin(2024, 1, uint64_t(index));
        const CropBox box = randomResizedCrop(width, height, rng);
        CropBox expected{-1, -1, -1, -1};
        for (int attempt = 0; attempt < 10 && expected.width < 0; ++attempt) {
            const double area = double(width) * height * (0.08 + 0.92 * twin.uniform());
            const double logAspect =
                std::log(3.0 / 4.0) + (std::log(4.0 / 3.0) - std::log(3.0 / 4.0)) * twin.uniform();
            const double w = std::nearbyint(std::sqrt(area * std::exp(logAspect)));
            const double h = std::nearbyint(std::sqrt(area / std::exp(logAspect)));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                const double top = double(twin.integer(0, height - int(h)));
                expected = {double(twin.integer(0, width - int(w))), top, w, h};
            }
        }
        if (expected.width < 0) // every try failed: the fallback, the whole image for these aspect ratios
            expected = {0, 0, double(width), double(height)};
        QCOMPARE(box.x, expected.x);
        QCOMPARE(box.y, expected.y);
        QCOMPARE(box.width, expected.width);
        QCOMPARE(box.height, expected.height);
        QCOMPARE(rng.next(), twin.next()); // the same number of draws
        QVERIFY(box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height);
    }

    // Many boxes: inside the image, integer, of an area and aspect within the ranges up to rounding.
    void randomResizedCropRanges() {
        for (uint64_t index = 0; index < 2000; ++index) {
            ExampleRng rng(1, 0, index);
            const CropBox b = randomResizedCrop(500, 375, rng);
            QVERIFY(b.x >= 0 && b.y >= 0 && b.x + b.width <= 500 && b.y + b.height <= 375);
            QCOMPARE(b.x, std::floor(b.x));
            QCOMPARE(b.width, std::floor(b.width));
            const double area = b.width * b.height / (500.0 * 375.0);
            QVERIFY2(area > 0.075 && area <= 1.0, qPrintable(QString::number(area)));
            const double aspect = b.width / b.height;
            QVERIFY2(aspect > 0.7 && aspect < 1.4, qPrintable(QString::number(aspect)));
        }
    }

    // No try can fit: torchvision's centre crop at the nearest allowed aspect ratio, after all 20 draws.
    void randomResizedCropFallback_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<CropBox>("expected");
        // 1000 x 10: h = 10, w = round(10 · 4/3) = 13, left = (1000 − 13) // 2 = 493.
        QTest::addRow("1000 x 10") << 1000 << 10 << CropBox{493, 0, 13, 10};
        // 10 x 1000: w = 10, h = round(10 / (3/4)) = 13, top = 493.
        QTest::addRow("10 x 1000") << 10 << 1000 << CropBox{0, 493, 10, 13};
        // 2000 x 10: w = 13 again, left = (2000 − 13) // 2 = 993 (floor division).
        QTest::addRow("2000 x 10") << 2000 << 10 << CropBox{993, 0, 13, 10};
    }
    void randomResizedCropFallback() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(CropBox, expected);
        ExampleRng rng(3, 0, 0), twin(3, 0, 0);
        const CropBox box = randomResizedCrop(width, height, rng);
        QCOMPARE(box.x, expected.x);
        QCOMPARE(box.y, expected.y);
        QCOMPARE(box.width, expected.width);
        QCOMPARE(box.height, expected.height);
        for (int i = 0; i < 20; ++i)
            twin.next();
        QCOMPARE(rng.next(), twin.next());
    }

    void resizeCenterCropByHand_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("resize");
        QTest::addColumn<int>("crop");
        QTest::addColumn<CropBox>("expected");
        // 500 x 375 → 341 x 256 (int(256 · 500 / 375) = int(341.33)); left = round(58.5) = 58 (half to even),
        // top = 16; in source pixels × 500/341 and × 375/256.
        QTest::addRow("500 x 375") << 500 << 375 << 256 << 224
                                   << CropBox{58 * 500.0 / 341, 16 * 375.0 / 256, 224 * 500.0 / 341,
                                              224 * 375.0 / 256};
        QTest::addRow("375 x 500") << 375 << 500 << 256 << 224
                                   << CropBox{16 * 375.0 / 256, 58 * 500.0 / 341, 224 * 375.0 / 256,
                                              224 * 500.0 / 341};
        QTest::addRow("256 x 256") << 256 << 256 << 256 << 224 << CropBox{16, 16, 224, 224};
        // 23 x 17 → 16 x 12 (int(16.24)); left = round(4.5) = 4, top = round(2.5) = 2.
        QTest::addRow("23 x 17") << 23 << 17 << 12 << 7
                                 << CropBox{4 * 23.0 / 16, 2 * 17.0 / 12, 7 * 23.0 / 16, 7 * 17.0 / 12};
        // 1000 x 600 → 426 x 256 (int(426.67)); left = round(101.0) = 101, top = 16.
        QTest::addRow("1000 x 600") << 1000 << 600 << 256 << 224
                                    << CropBox{101 * 1000.0 / 426, 16 * 600.0 / 256, 224 * 1000.0 / 426,
                                               224 * 600.0 / 256};
    }
    void resizeCenterCropByHand() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, resize);
        QFETCH(int, crop);
        QFETCH(CropBox, expected);
        const CropBox box = resizeCenterCrop(width, height, resize, crop);
        QCOMPARE(box.x, expected.x);
        QCOMPARE(box.y, expected.y);
        QCOMPARE(box.width, expected.width);
        QCOMPARE(box.height, expected.height);
    }

    // Against PIL's resize and torchvision's resized_crop / Resize + CenterCrop of the same source: within
    // one step of 1/255 (PIL rounds its result to 8 bits; the resampling here keeps the fraction).
    void resampleMatchesPil_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<CropBox>("box");
        QTest::addColumn<int>("outW");
        QTest::addColumn<int>("outH");
        QTest::addColumn<bool>("clampToBox");
        QTest::addRow("PIL box, shrinking")
            << "box_shrink" << CropBox{3.5, 2.25, 15.5, 12.25} << 7 << 5 << false;
        QTest::addRow("PIL whole image") << "whole" << CropBox{0, 0, 23, 17} << 7 << 5 << false;
        QTest::addRow("PIL box, enlarging") << "box_enlarge" << CropBox{5, 4, 4, 3} << 7 << 5 << false;
        QTest::addRow("torchvision resized_crop")
            << "resized_crop" << CropBox{3, 2, 15, 12} << 7 << 5 << true;
        QTest::addRow("torchvision resized_crop, enlarging")
            << "resized_crop_enlarge" << CropBox{2, 1, 3, 4} << 7 << 5 << true;
        QTest::addRow("torchvision Resize + CenterCrop")
            << "resize_center_crop" << resizeCenterCrop(kSourceW, kSourceH, 12, 7) << 7 << 7 << false;
    }
    void resampleMatchesPil() {
        QFETCH(QString, fixture);
        QFETCH(CropBox, box);
        QFETCH(int, outW);
        QFETCH(int, outH);
        QFETCH(bool, clampToBox);
        const Image source = fixtureSource();
        QCOMPARE(source.rgb.size(), size_t(kSourceW * kSourceH * 3));
        const Bytes pil = test::readBytes(test::imageFixture("resample_" + fixture + ".rgb"));
        QCOMPARE(pil.size(), size_t(outW * outH * 3));
        for (bool flip : {false, true}) {
            std::vector<float> out(size_t(3) * outW * outH, -100.0f);
            resampleNormalised(source, box, outW, outH, flip, clampToBox, kImagenetNormalisation, out.data());
            double worst = 0;
            for (int y = 0; y < outH; ++y)
                for (int x = 0; x < outW; ++x)
                    for (int c = 0; c < 3; ++c) {
                        const double ours = pixelValue(out, outW, outH, c, flip ? outW - 1 - x : x, y);
                        worst = std::max(worst, std::abs(ours - pil[(size_t(y) * outW + x) * 3 + c]));
                    }
            QVERIFY2(worst <= 1.0,
                     qPrintable(QString("largest difference %1 / 255 (flip %2)").arg(worst).arg(flip)));
        }
    }

    // A uniform image: every output value is (v / 255 − mean) / std, the ImageNet constants as torchvision's.
    void normalisation() {
        QCOMPARE(kImagenetNormalisation.mean[0], 0.485f);
        QCOMPARE(kImagenetNormalisation.mean[1], 0.456f);
        QCOMPARE(kImagenetNormalisation.mean[2], 0.406f);
        QCOMPARE(kImagenetNormalisation.std[0], 0.229f);
        QCOMPARE(kImagenetNormalisation.std[1], 0.224f);
        QCOMPARE(kImagenetNormalisation.std[2], 0.225f);
        Image image;
        image.width = 31;
        image.height = 20;
        for (int i = 0; i < 31 * 20; ++i)
            image.rgb.insert(image.rgb.end(), {200, 100, 7});
        std::vector<float> out(3 * 9 * 6);
        resampleNormalised(image, CropBox{2.5, 1, 20, 15}, 9, 6, true, false, kImagenetNormalisation,
                           out.data());
        const double values[3] = {200, 100, 7};
        for (int c = 0; c < 3; ++c)
            for (int i = 0; i < 9 * 6; ++i) {
                const double expected =
                    (values[c] / 255.0 - kImagenetNormalisation.mean[c]) / kImagenetNormalisation.std[c];
                QVERIFY2(std::abs(out[size_t(c) * 54 + i] - expected) < 1e-5,
                         qPrintable(QString::number(out[size_t(c) * 54 + i])));
            }
    }

    // A crop of a gradient at scale 1: the pixels themselves, mirrored when flipped.
    void identityAndFlip() {
        Image image;
        image.width = 12;
        image.height = 6;
        for (int y = 0; y < 6; ++y)
            for (int x = 0; x < 12; ++x)
                image.rgb.insert(image.rgb.end(), {uint8_t(x * 20), uint8_t(y * 40), uint8_t(x * y)});
        const Normalisation plain{{0, 0, 0}, {1, 1, 1}};
        for (bool flip : {false, true}) {
            std::vector<float> out(3 * 5 * 4);
            resampleNormalised(image, CropBox{3, 1, 5, 4}, 5, 4, flip, true, plain, out.data());
            for (int y = 0; y < 4; ++y)
                for (int x = 0; x < 5; ++x) {
                    const int sx = 3 + (flip ? 4 - x : x), sy = 1 + y;
                    QVERIFY(std::abs(pixelValue(out, 5, 4, 0, x, y, plain) - sx * 20.0) < 1e-4);
                    QVERIFY(std::abs(pixelValue(out, 5, 4, 1, x, y, plain) - sy * 40.0) < 1e-4);
                    QVERIFY(std::abs(pixelValue(out, 5, 4, 2, x, y, plain) - sx * sy) < 1e-4);
                }
        }
    }

    // A box drawn for the full size, used on an image decoded at 1/2: scaled() halves it.
    void scaledBox() {
        const CropBox b = scaled(CropBox{10, 20, 300, 200}, 0.5);
        QCOMPARE(b.x, 5.0);
        QCOMPARE(b.y, 10.0);
        QCOMPARE(b.width, 150.0);
        QCOMPARE(b.height, 100.0);
    }

    void badArguments() {
        const Image source = fixtureSource();
        std::vector<float> out(3 * 4 * 4);
        QVERIFY_THROWS_EXCEPTION(Error, resampleNormalised(source, CropBox{0, 0, 0, 5}, 4, 4, false, true,
                                                           kImagenetNormalisation, out.data()));
        QVERIFY_THROWS_EXCEPTION(Error, resampleNormalised(Image{}, CropBox{0, 0, 5, 5}, 4, 4, false, true,
                                                           kImagenetNormalisation, out.data()));
        QVERIFY_THROWS_EXCEPTION(Error, resizeCenterCrop(0, 10));
    }
};

QTEST_GUILESS_MAIN(TestImageTransforms)
#include "tst_image_transforms.moc"
