// augmentBatch: shapes, reproducibility, and every output image is exactly one padded crop of its
// input (flipped or not), computed here pixel by pixel.
#include "core/data/augment.h"
#include "core/data/dataset.h"
#include "data_test_files.h"
#include <ATen/CPUGeneratorImpl.h>
#include <set>

using namespace bp::test;
using bp::DatasetKind;

namespace {

constexpr int kPad = 4;

// Values 1, 2, 3, ... everywhere, so any pixel identifies its source; padding is negative.
at::Tensor numberedImages(int64_t n, int64_t c, int64_t h, int64_t w) {
    return at::arange(1, n * c * h * w + 1, at::kFloat).view({n, c, h, w});
}

at::Tensor negativePad(int64_t c) {
    return -at::arange(1, c + 1, at::kFloat);
}

// The hand-computed crop: pixel (ch, y, x) of the output is the padded input at
// (dy + y, dx + x'), x' = W-1-x when flipped; outside the image it is the channel's pad value.
at::Tensor expectedCrop(const at::Tensor& image, const at::Tensor& pad, int dy, int dx, bool flip) {
    const int64_t c = image.size(0), h = image.size(1), w = image.size(2);
    at::Tensor out = at::empty({c, h, w}, at::kFloat);
    auto in = image.accessor<float, 3>();
    auto o = out.accessor<float, 3>();
    for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x) {
                const int64_t sy = dy + y - kPad, sx = dx + (flip ? w - 1 - x : x) - kPad;
                o[ch][y][x] =
                    (sy >= 0 && sy < h && sx >= 0 && sx < w) ? in[ch][sy][sx] : pad[ch].item<float>();
            }
    return out;
}

at::Tensor augment(const at::Tensor& images, const at::Tensor& pad, uint64_t seed) {
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    return bp::data::augmentBatch(images, pad, generator);
}

} // namespace

class TestAugment : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void shapeKept_data() {
        QTest::addColumn<std::vector<int64_t>>("shape");
        QTest::addRow("CIFAR batch") << std::vector<int64_t>{8, 3, 32, 32};
        QTest::addRow("MNIST batch") << std::vector<int64_t>{4, 1, 28, 28};
        QTest::addRow("one image") << std::vector<int64_t>{1, 3, 32, 32};
        QTest::addRow("empty batch") << std::vector<int64_t>{0, 3, 32, 32};
    }
    void shapeKept() {
        QFETCH(std::vector<int64_t>, shape);
        const at::Tensor images = at::rand(shape);
        const at::Tensor out = augment(images, at::zeros({shape[1]}), 1);
        QCOMPARE(out.sizes().vec(), shape);
        QCOMPARE(out.scalar_type(), at::kFloat);
    }

    // Same draw order as documented in augment.h, so the crop of each image is predictable.
    void matchesPredictedCrop() {
        const at::Tensor images = numberedImages(6, 3, 32, 32);
        const at::Tensor pad = negativePad(3);
        const at::Tensor out = augment(images, pad, 42);

        at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(42);
        const at::Tensor dy = at::randint(0, 9, {6}, generator, at::kLong);
        const at::Tensor dx = at::randint(0, 9, {6}, generator, at::kLong);
        const at::Tensor flip = at::randint(0, 2, {6}, generator, at::kLong);
        for (int n = 0; n < 6; ++n) {
            const at::Tensor expected =
                expectedCrop(images[n], pad, int(dy[n].item<int64_t>()), int(dx[n].item<int64_t>()),
                             flip[n].item<int64_t>() == 1);
            QVERIFY2(at::equal(out[n], expected), qPrintable(QString("image %1").arg(n)));
        }
    }

    // Independent of the draw order: each output is exactly one of the 81 x 2 possible crops, and
    // over many images every offset and both flips occur.
    void everyImageIsOneCrop() {
        const int n = 300;
        const at::Tensor images = numberedImages(n, 1, 6, 5);
        const at::Tensor pad = negativePad(1);
        const at::Tensor out = augment(images, pad, 7);
        std::set<int> dys, dxs, flips;
        for (int i = 0; i < n; ++i) {
            int matches = 0;
            for (int dy = 0; dy <= 2 * kPad; ++dy)
                for (int dx = 0; dx <= 2 * kPad; ++dx)
                    for (bool flip : {false, true})
                        if (at::equal(out[i], expectedCrop(images[i], pad, dy, dx, flip))) {
                            ++matches;
                            dys.insert(dy), dxs.insert(dx), flips.insert(flip);
                        }
            QCOMPARE(matches, 1);
        }
        QCOMPARE(int(dys.size()), 9);
        QCOMPARE(int(dxs.size()), 9);
        QCOMPARE(int(flips.size()), 2);
    }

    // The padding is each channel's own value: with CIFAR's, zero pixels in pixel space.
    void padsWithNormalisedZero() {
        const at::Tensor pad = bp::data::normalisedZero(DatasetKind::Cifar10);
        QCOMPARE(pad.numel(), int64_t(3));
        const at::Tensor images = at::full({64, 3, 8, 8}, 100.0f);
        const at::Tensor out = augment(images, pad, 3);
        for (int ch = 0; ch < 3; ++ch) {
            const at::Tensor channel = out.select(1, ch);
            const at::Tensor padded = channel.ne(100.0f);
            QVERIFY(padded.any().item<bool>()); // 64 random crops: some reach into the border
            QVERIFY(channel.masked_select(padded).eq(pad[ch]).all().item<bool>());
        }
    }

    void deterministicFromGenerator() {
        const at::Tensor images = at::rand({32, 3, 32, 32});
        const at::Tensor pad = at::zeros({3});
        QVERIFY(at::equal(augment(images, pad, 5), augment(images, pad, 5)));
        QVERIFY(!at::equal(augment(images, pad, 5), augment(images, pad, 6)));
        // Successive calls on one generator continue its stream: different augmentations.
        at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(5);
        const at::Tensor first = bp::data::augmentBatch(images, pad, generator);
        const at::Tensor second = bp::data::augmentBatch(images, pad, generator);
        QVERIFY(at::equal(first, augment(images, pad, 5)));
        QVERIFY(!at::equal(first, second));
    }

    void errors_data() {
        QTest::addColumn<std::vector<int64_t>>("shape");
        QTest::addColumn<int64_t>("padValues");
        QTest::addColumn<QString>("problem");
        QTest::addRow("pad per channel")
            << std::vector<int64_t>{2, 3, 8, 8} << int64_t(1) << "padValue has 1 values for 3 channels";
        QTest::addRow("not a batch") << std::vector<int64_t>{3, 8, 8} << int64_t(3)
                                     << "expected an N x C x H x W batch";
    }
    void errors() {
        QFETCH(std::vector<int64_t>, shape);
        QFETCH(int64_t, padValues);
        QFETCH(QString, problem);
        const QString message = errorOf([&] { augment(at::zeros(shape), at::zeros({padValues}), 1); });
        QVERIFY2(message.contains(problem), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestAugment)
#include "tst_augment.moc"
