// The ImageNet net learns from real pictures read through the image-folder pipeline: Fashion-MNIST written
// out as a 10-class folder of 224 × 224 JPEGs (the test makes it), two epochs at train_imagenet.py's defaults
// (κ = 1e-5, feedback std 0.01, learned feedback weights, SGD with momentum 0.9, batch 128, the paper's
// channels), for burstprop and backprop. Both must end below 50 % test error (chance: 90 %).
#include "core/data/dataset.h"
#include "core/setup/defaults.h"
#include "core/train/trainer.h"
#include "images/image_test_files.h"
#include <QtTest>
#include <cmath>

using namespace bp;

namespace {

constexpr int kTrainImages = 3000;
constexpr int kTestImages = 500;
constexpr int kSide = 224;

// A 28 × 28 grey picture (pixels 0–255) scaled to 224 × 224 by bilinear interpolation.
test::Bytes upscaled(const float* pixels) {
    test::Bytes out(size_t(kSide) * kSide);
    const double scale = 28.0 / kSide;
    for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x) {
            const double sy = std::clamp((y + 0.5) * scale - 0.5, 0.0, 27.0);
            const double sx = std::clamp((x + 0.5) * scale - 0.5, 0.0, 27.0);
            const int y0 = int(sy), x0 = int(sx), y1 = std::min(y0 + 1, 27), x1 = std::min(x0 + 1, 27);
            const double fy = sy - y0, fx = sx - x0;
            const double v = (1 - fy) * ((1 - fx) * pixels[y0 * 28 + x0] + fx * pixels[y0 * 28 + x1]) +
                             fy * ((1 - fx) * pixels[y1 * 28 + x0] + fx * pixels[y1 * 28 + x1]);
            out[size_t(y) * kSide + x] = uint8_t(std::clamp(std::lround(v), 0L, 255L));
        }
    return out;
}

// The first `count` images of a set as DIR/<split>/<label>/<index>.jpg.
void writeSplit(const data::Dataset& set, int count, const QString& dir) {
    // The loader normalised (x / 255 − mean) / std: back to pixels.
    const at::Tensor pixels =
        (set.images.narrow(0, 0, count).mul(data::kMnistStd).add(data::kMnistMean).mul(255.0)).contiguous();
    const float* p = pixels.data_ptr<float>();
    const int64_t* labels = set.labels.data_ptr<int64_t>();
    for (int i = 0; i < count; ++i) {
        const test::Bytes jpeg =
            test::jpegOf(upscaled(p + size_t(i) * 784), kSide, kSide, TJPF_GRAY, TJSAMP_GRAY, 90);
        QVERIFY(test::writeBytes(QString("%1/class%2/%3.jpg").arg(dir).arg(labels[i]).arg(i), jpeg));
    }
}

} // namespace

class TestImagenetLearning : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString folder_;

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        const std::string fashion = test::fashionMnistDir();
        if (!data::datasetAvailable(DatasetKind::FashionMnist, fashion))
            QFAIL(qPrintable("Fashion-MNIST is not in " + QString::fromStdString(fashion) +
                             " (Debian's dataset-fashion-mnist)"));
        const data::DatasetPair pair = data::loadDataset(DatasetKind::FashionMnist, fashion);
        folder_ = tmp_.filePath("fashion-images");
        writeSplit(pair.train, kTrainImages, folder_ + "/train");
        writeSplit(pair.test, kTestImages, folder_ + "/val");
    }

    void twoEpochsLearn_data() {
        QTest::addColumn<QString>("rule");
        QTest::newRow("burstprop") << "burstprop";
        QTest::newRow("backprop") << "backprop";
    }
    void twoEpochsLearn() {
        QFETCH(QString, rule);
        RunConfig config = defaultConfig(DatasetKind::ImageFolder, rule.toStdString());
        config.dataDir = folder_.toStdString();
        config.epochs = 2;
        config.angleInterval = 0; // once per epoch
        struct Epochs : TrainingObserver {
            std::vector<EpochReport> reports;
            void onEpoch(const EpochReport& r) override { reports.push_back(r); }
        } epochs;
        Trainer trainer(config, &epochs);
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Completed));
        QVERIFY2(trainer.message().empty(), trainer.message().c_str());
        QCOMPARE(int(epochs.reports.size()), 3);
        for (const EpochReport& e : epochs.reports)
            qInfo("%s epoch %d: train error %.1f %%, test error %.1f %% (top-5 %.1f %%), %.1f s, %.1f ex/s, "
                  "waited %.0f ms/step for data",
                  qPrintable(rule), e.epoch, e.trainError, e.testError, e.testTop5Error, e.epochSeconds,
                  e.examplesPerSecond, 1000 * e.dataWaitSeconds);
        const EpochReport& last = epochs.reports.back();
        QVERIFY2(last.testError < 50.0, qPrintable(QString("test error %1 %").arg(last.testError)));
        QVERIFY(last.testTop5Error < last.testError);
    }
};

QTEST_GUILESS_MAIN(TestImagenetLearning)
#include "tst_imagenet_learning.moc"
