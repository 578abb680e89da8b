// Loader speed per thread: a generated folder of ImageNet-sized JPEGs (500 x 375, quality 90) read, decoded
// (with DCT scaling where the crop allows), RandomResizedCrop'd, flipped, resampled to 224 x 224 and
// normalised on one thread, beside torchvision's ImageFolder + PIL + the same transforms on the same files
// (torchvision_loader_speed.py, when /usr/bin/python3 has torchvision). A benchmark: it checks that the
// figures were produced, not how large they are (target: at least twice torchvision per thread).
#include "core/images/example_rng.h"
#include "core/images/image_decode.h"
#include "core/images/image_folder.h"
#include "core/images/transforms.h"
#include "image_test_files.h"
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <map>

using namespace bp;
using namespace bp::images;

namespace {

constexpr int kImages = 200, kClasses = 4, kWidth = 500, kHeight = 375, kPasses = 3;

// Smooth shapes with fine texture, so the files weigh about what ImageNet's photos of this size do.
test::Bytes photoLike(uint32_t seed) {
    test::Bytes pixels(size_t(kWidth) * kHeight * 3);
    uint32_t state = seed * 747796405u + 2891336453u;
    const double fx = 0.01 + 0.002 * (seed % 7), fy = 0.013 + 0.003 * (seed % 5);
    for (int y = 0; y < kHeight; ++y)
        for (int x = 0; x < kWidth; ++x)
            for (int c = 0; c < 3; ++c) {
                state = state * 1664525u + 1013904223u;
                const double v = 120 + 60 * std::sin(x * fx * (c + 1) + seed) * std::cos(y * fy + c) +
                                 40 * std::sin((x + y) * 0.07 + c * seed) + int(state >> 27) - 16;
                pixels[(size_t(y) * kWidth + x) * 3 + c] = uint8_t(std::clamp(int(v), 0, 255));
            }
    return pixels;
}

struct Figures {
    double imagesPerSecond = 0;
    double decodeShare = 0; // of the time, reading and decoding
    std::map<int, int> denominators;
};

// One pass over the folder as a loader thread runs it; epoch selects the crops.
Figures loaderPass(const ImageFolder& folder, uint64_t epoch, std::vector<float>& out) {
    Figures f;
    QElapsedTimer timer, decodeTimer;
    qint64 decodeNs = 0;
    timer.start();
    for (size_t i = 0; i < folder.entries.size(); ++i) {
        decodeTimer.start();
        const std::vector<uint8_t> bytes = readFileBytes(folder.entries[i].path);
        const ImageSize size = readSize(bytes.data(), bytes.size(), folder.entries[i].path);
        ExampleRng rng(1, epoch, i);
        const CropBox box = randomResizedCrop(size.width, size.height, rng);
        const bool flip = rng.uniform() < 0.5;
        const int den = scaleDenominatorFor(box.width, box.height, 224, 224);
        const Image image = decode(bytes.data(), bytes.size(), folder.entries[i].path, den);
        decodeNs += decodeTimer.nsecsElapsed();
        resampleNormalised(image, scaled(box, 1.0 / den), 224, 224, flip, true, kImagenetNormalisation,
                           out.data());
        ++f.denominators[den];
    }
    const double seconds = timer.nsecsElapsed() * 1e-9;
    f.imagesPerSecond = folder.entries.size() / seconds;
    f.decodeShare = decodeNs * 1e-9 / seconds;
    return f;
}

double figureOf(const test::ProcessResult& r) {
    static const QRegularExpression figure(QStringLiteral("images_per_second=([0-9.]+)"));
    const QRegularExpressionMatch m = figure.match(r.out);
    return m.hasMatch() ? m.captured(1).toDouble() : -1.0;
}

} // namespace

class TestImageLoaderBenchmark : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void imagesPerSecondPerThread() {
        QTemporaryDir dir;
        qint64 totalBytes = 0;
        for (int i = 0; i < kImages; ++i) {
            const test::Bytes jpeg =
                test::jpegOf(photoLike(uint32_t(i)), kWidth, kHeight, TJPF_RGB, TJSAMP_420, 90);
            QVERIFY(!jpeg.empty());
            totalBytes += qint64(jpeg.size());
            QVERIFY(test::writeBytes(
                QString("%1/n%2/image_%3.JPEG").arg(dir.path()).arg(i % kClasses, 8, 10, QChar('0')).arg(i),
                jpeg));
        }
        const ImageFolder folder = scanImageFolder(dir.path().toStdString());
        QCOMPARE(folder.entries.size(), size_t(kImages));
        qInfo("%d JPEGs of %d x %d, quality 90, %.0f KB each on average", kImages, kWidth, kHeight,
              totalBytes / 1024.0 / kImages);

        std::vector<float> out(3 * 224 * 224);
        Figures ours;
        auto runOurs = [&](uint64_t firstEpoch) {
            for (int pass = 0; pass < kPasses; ++pass) {
                const Figures f = loaderPass(folder, firstEpoch + pass, out);
                if (f.imagesPerSecond > ours.imagesPerSecond)
                    ours = f;
            }
        };
        runOurs(0);

        double torchvision = -1;
        const test::ProcessResult probe =
            test::runProcess(test::kSystemPython, {"-c", "import torchvision"}, 120000);
        if (probe.exitStatus == QProcess::NormalExit && probe.exitCode == 0) {
            const test::ProcessResult r =
                test::runProcess(test::kSystemPython,
                                 {TORCHVISION_LOADER_SCRIPT, dir.path(), QString::number(kPasses)}, 300000);
            torchvision = figureOf(r);
            QVERIFY2(torchvision > 0, qPrintable(test::describe(r)));
        } else {
            qInfo("/usr/bin/python3 with torchvision (Debian: python3-torchvision) is not installed: "
                  "torchvision's "
                  "loader is not timed");
        }
        runOurs(kPasses); // again after Python, in case the machine's speed drifted

        QVERIFY(ours.imagesPerSecond > 0);
        QString scales;
        for (const auto& [den, count] : ours.denominators)
            scales += QString(" 1/%1: %2").arg(den).arg(count);
        qInfo("burstprop_images, 1 thread: %.1f images/s (read + decode %.0f %% of it; DCT scales:%s)",
              ours.imagesPerSecond, 100 * ours.decodeShare, qPrintable(scales));
        if (torchvision > 0)
            qInfo("torchvision ImageFolder + PIL, 1 thread: %.1f images/s; ratio %.2fx", torchvision,
                  ours.imagesPerSecond / torchvision);
    }
};

QTEST_GUILESS_MAIN(TestImageLoaderBenchmark)
#include "tst_image_loader_benchmark.moc"
