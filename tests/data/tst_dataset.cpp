// loadDataset / datasetAvailable / defaultDataDir / holdOutValidation on small files written here,
// plus the real Fashion-MNIST when the Debian package is installed.
#include "core/data/data_source.h"
#include "core/data/dataset.h"
#include "data_test_files.h"
#include "support/test_support.h"
#include <QElapsedTimer>
#include <QTemporaryDir>

using namespace bp::test;
using bp::DatasetKind;
using bp::data::DatasetPair;

namespace {

// The -validation split of a loaded set, taken through its data sources and read back as tensors.
void holdOut(DatasetPair& data, uint64_t seed) {
    const bp::data::DataSources split =
        bp::data::holdOutValidation(bp::data::inMemorySources(data).train, seed);
    const bp::data::Batch train = split.train->range(0, split.train->size(), at::Device(at::kCPU));
    const bp::data::Batch test = split.test->range(0, split.test->size(), at::Device(at::kCPU));
    data.train = {train.images, train.labels};
    data.test = {test.images, test.labels};
}

std::vector<uint8_t> cyclicLabels(int n, int offset = 0) {
    std::vector<uint8_t> labels;
    for (int i = 0; i < n; ++i)
        labels.push_back(uint8_t((i + offset) % 10));
    return labels;
}

// An MNIST-format folder: 5 training and 3 test images of 4 x 4.
void writeMnistSet(const QString& dir, bool gzip) {
    const auto put = [&](const QString& stem, const QByteArray& raw) {
        writeFile(dir + "/" + stem + (gzip ? ".gz" : ""), gzip ? gzipBytes(raw) : raw);
    };
    put("train-images-idx3-ubyte", imagesIdx(5, 4, 4, 0));
    put("train-labels-idx1-ubyte", labelsIdx(cyclicLabels(5)));
    put("t10k-images-idx3-ubyte", imagesIdx(3, 4, 4, 100));
    put("t10k-labels-idx1-ubyte", labelsIdx(cyclicLabels(3, 7)));
}

// A CIFAR-10 folder: 5 training batches of 2 records and a test batch of 1.
void writeCifarSet(const QString& dir) {
    QDir().mkpath(dir);
    for (int b = 1; b <= 5; ++b)
        writeFile(QString("%1/data_batch_%2.bin").arg(dir).arg(b),
                  cifarBytes({uint8_t(b), uint8_t(b + 1)}, b));
    writeFile(dir + "/test_batch.bin", cifarBytes({9}, 77));
}

// Training set of n images of 1 x 1 x 1 whose pixel is its index, labels index % 10.
DatasetPair indexedSet(int64_t n) {
    DatasetPair data;
    data.train.images = at::arange(n, at::kFloat).view({n, 1, 1, 1});
    data.train.labels = at::arange(n, at::kLong).remainder(10);
    return data;
}

struct EnvGuard { // restores an environment variable after a test changes it
    QByteArray name, value;
    bool was;
    explicit EnvGuard(const char* n) : name(n), value(qgetenv(n)), was(qEnvironmentVariableIsSet(n)) {}
    ~EnvGuard() { was ? qputenv(name, value) : qunsetenv(name); }
};

} // namespace

class TestDataset : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString sub(const QString& name) const {
        QDir().mkpath(dir_.filePath(name));
        return dir_.filePath(name);
    }

  private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void mnistFormat_data() {
        QTest::addColumn<bool>("gzip");
        QTest::addRow("raw") << false;
        QTest::addRow("gzip") << true;
    }
    void mnistFormat() {
        QFETCH(bool, gzip);
        const QString dir = sub(gzip ? "mnist-gz" : "mnist-raw");
        writeMnistSet(dir, gzip);
        QVERIFY(bp::data::datasetAvailable(DatasetKind::Mnist, dir.toStdString()));
        const DatasetPair data = bp::data::loadDataset(DatasetKind::Mnist, dir.toStdString());
        QCOMPARE(data.channels, 1);
        QCOMPARE(data.imageSize, 4);
        QCOMPARE(data.train.images.sizes().vec(), (std::vector<int64_t>{5, 1, 4, 4}));
        QCOMPARE(data.test.images.sizes().vec(), (std::vector<int64_t>{3, 1, 4, 4}));
        QCOMPARE(data.train.images.scalar_type(), at::kFloat);
        QCOMPARE(data.train.labels.scalar_type(), at::kLong);
        QCOMPARE(data.test.labels[0].item<int64_t>(), int64_t(7));
        // Every pixel is (x / 255 - 0.131) / 0.308 of its byte.
        for (const auto& [set, seed] : {std::pair{&data.train, 0}, std::pair{&data.test, 100}}) {
            const QByteArray bytes = pixelPattern(int(set->size()), 16, seed);
            const at::Tensor flat = set->images.flatten();
            for (int i = 0; i < bytes.size(); ++i) {
                const float expected = (float(uint8_t(bytes[i])) / 255.0f - 0.131f) / 0.308f;
                QVERIFY(std::abs(flat[i].item<float>() - expected) < 1e-6f);
            }
        }
    }

    void mnistErrors_data() {
        QTest::addColumn<QString>("damage"); // what the test does to a good folder
        QTest::addColumn<QStringList>("mustContain");
        QTest::addRow("missing train images")
            << "rm train-images-idx3-ubyte" << QStringList{"train-images-idx3-ubyte", "file not found"};
        QTest::addRow("missing test labels")
            << "rm t10k-labels-idx1-ubyte" << QStringList{"t10k-labels-idx1-ubyte", "file not found"};
        QTest::addRow("count mismatch") << "short train-labels-idx1-ubyte"
                                        << QStringList{"train-images-idx3-ubyte has 5 images",
                                                       "train-labels-idx1-ubyte has 4 labels", "mismatch"};
        QTest::addRow("labels for images")
            << "swap t10k-images-idx3-ubyte" << QStringList{"t10k-images-idx3-ubyte", "expected images"};
        QTest::addRow("bad label") << "label10 t10k-labels-idx1-ubyte"
                                   << QStringList{"t10k-labels-idx1-ubyte", "bad label 10"};
        QTest::addRow("truncated") << "chop train-images-idx3-ubyte"
                                   << QStringList{"train-images-idx3-ubyte", "truncated: expected 80 bytes"};
    }
    void mnistErrors() {
        QFETCH(QString, damage);
        QFETCH(QStringList, mustContain);
        const QString dir = sub("broken-" + QString(QTest::currentDataTag()).replace(' ', '-'));
        writeMnistSet(dir, false);
        const QString action = damage.section(' ', 0, 0), file = dir + "/" + damage.section(' ', 1);
        if (action == "rm")
            QVERIFY(QFile::remove(file));
        else if (action == "short")
            writeFile(file, labelsIdx(cyclicLabels(4)));
        else if (action == "swap")
            writeFile(file, labelsIdx(cyclicLabels(3)));
        else if (action == "label10")
            writeFile(file, labelsIdx({1, 10, 2}));
        else if (action == "chop")
            writeFile(file, readWholeFile(file).chopped(1));
        const QString message =
            errorOf([&] { bp::data::loadDataset(DatasetKind::FashionMnist, dir.toStdString()); });
        for (const QString& part : mustContain)
            QVERIFY2(message.contains(part), qPrintable(message));
        QVERIFY2(message.contains(dir), qPrintable(message)); // a full path, not just the name
    }

    void cifar_data() {
        QTest::addColumn<QString>("layout");
        QTest::addRow("files in the folder") << "";
        QTest::addRow("as the archive unpacks") << "cifar-10-batches-bin";
    }
    void cifar() {
        QFETCH(QString, layout);
        const QString dir = sub(layout.isEmpty() ? "cifar-flat" : "cifar-nested");
        writeCifarSet(layout.isEmpty() ? dir : dir + "/" + layout);
        QVERIFY(bp::data::datasetAvailable(DatasetKind::Cifar10, dir.toStdString()));
        const DatasetPair data = bp::data::loadDataset(DatasetKind::Cifar10, dir.toStdString());
        QCOMPARE(data.channels, 3);
        QCOMPARE(data.imageSize, 32);
        QCOMPARE(data.train.images.sizes().vec(), (std::vector<int64_t>{10, 3, 32, 32}));
        QCOMPARE(data.test.size(), int64_t(1));
        QCOMPARE(data.train.labels[2].item<int64_t>(), int64_t(2)); // batches in order 1..5
        QCOMPARE(data.test.labels[0].item<int64_t>(), int64_t(9));
        // Per-channel normalisation, checked on the test image (record seed 77).
        const QByteArray pixels = pixelPattern(1, 3072, 77);
        const double mean[3] = {0.485, 0.456, 0.406}, stdev[3] = {0.229, 0.224, 0.225};
        for (int c = 0; c < 3; ++c)
            for (int i : {0, 33, 1023}) {
                const float expected =
                    (float(uint8_t(pixels[c * 1024 + i])) / 255.0f - float(mean[c])) / float(stdev[c]);
                QVERIFY(std::abs(data.test.images[0][c][i / 32][i % 32].item<float>() - expected) < 1e-6f);
            }
    }

    void cifarMissingBatch() {
        const QString dir = sub("cifar-missing");
        writeCifarSet(dir);
        QFile::remove(dir + "/data_batch_3.bin");
        QVERIFY(!bp::data::datasetAvailable(DatasetKind::Cifar10, dir.toStdString()));
        const QString message =
            errorOf([&] { bp::data::loadDataset(DatasetKind::Cifar10, dir.toStdString()); });
        QVERIFY2(message.contains(dir + "/data_batch_3.bin") && message.contains("file not found"),
                 qPrintable(message));
    }

    void availability() {
        const QString empty = sub("empty");
        QVERIFY(!bp::data::datasetAvailable(DatasetKind::Mnist, empty.toStdString()));
        QVERIFY(!bp::data::datasetAvailable(DatasetKind::Cifar10, empty.toStdString()));
        QVERIFY(
            !bp::data::datasetAvailable(DatasetKind::Mnist, dir_.filePath("does-not-exist").toStdString()));
        // Mixed raw and gzip files are fine: each is looked up on its own.
        const QString mixed = sub("mixed");
        writeMnistSet(mixed, true);
        writeFile(mixed + "/train-images-idx3-ubyte", imagesIdx(5, 4, 4));
        QFile::remove(mixed + "/train-images-idx3-ubyte.gz");
        QVERIFY(bp::data::datasetAvailable(DatasetKind::Mnist, mixed.toStdString()));
        QCOMPARE(bp::data::loadDataset(DatasetKind::Mnist, mixed.toStdString()).train.size(), int64_t(5));
    }

    void defaultFolders() {
        EnvGuard xdg("XDG_DATA_HOME"), home("HOME");
        qputenv("XDG_DATA_HOME", "/xdg/data");
        QCOMPARE(bp::data::defaultDataDir(DatasetKind::Mnist),
                 std::string("/xdg/data/burstprop-explorer/data/mnist"));
        QCOMPARE(bp::data::defaultDataDir(DatasetKind::Cifar10),
                 std::string("/xdg/data/burstprop-explorer/data/cifar10"));
        qputenv("XDG_DATA_HOME", "relative/ignored"); // the XDG spec: relative paths are invalid
        qputenv("HOME", "/home/someone");
        QCOMPARE(bp::data::defaultDataDir(DatasetKind::Mnist),
                 std::string("/home/someone/.local/share/burstprop-explorer/data/mnist"));
        qunsetenv("XDG_DATA_HOME");
        QCOMPARE(bp::data::userDataDir(DatasetKind::FashionMnist),
                 std::string("/home/someone/.local/share/burstprop-explorer/data/fashion-mnist"));
        // Fashion-MNIST comes from the Debian package (when absent, there is no download either here).
        QCOMPARE(bp::data::defaultDataDir(DatasetKind::FashionMnist),
                 std::string("/usr/share/datasets/fashion-mnist"));
    }

    void normalisedZero() {
        QVERIFY(std::abs(bp::data::normalisedZero(DatasetKind::Mnist)[0].item<float>() + 0.131f / 0.308f) <
                1e-6f);
        const at::Tensor cifar = bp::data::normalisedZero(DatasetKind::Cifar10);
        QCOMPARE(cifar.numel(), int64_t(3));
        QVERIFY(std::abs(cifar[2].item<float>() + 0.406f / 0.225f) < 1e-6f);
    }

    void validationSplit() {
        DatasetPair data = indexedSet(10100);
        holdOut(data, 3);
        QCOMPARE(data.train.size(), int64_t(100));
        QCOMPARE(data.test.size(), int64_t(10000));
        QCOMPARE(data.test.images.sizes().vec(), (std::vector<int64_t>{10000, 1, 1, 1}));
        // A partition of the original set, with each label still beside its image.
        const at::Tensor all = at::cat({data.train.images.flatten(), data.test.images.flatten()});
        QVERIFY(at::equal(std::get<0>(all.sort()), at::arange(10100, at::kFloat)));
        const at::Tensor labels = at::cat({data.train.labels, data.test.labels});
        QVERIFY(at::equal(labels, all.to(at::kLong).remainder(10)));
        QVERIFY(!at::equal(data.test.images.flatten(), at::arange(100, 10100, at::kFloat))); // shuffled

        DatasetPair same = indexedSet(10100), other = indexedSet(10100);
        holdOut(same, 3);
        holdOut(other, 4);
        QVERIFY(at::equal(same.train.images, data.train.images));
        QVERIFY(!at::equal(other.train.images, data.train.images));
    }

    void validationNeedsMoreThan10000() {
        DatasetPair data = indexedSet(10000);
        const QString message = errorOf([&] { holdOut(data, 1); });
        QVERIFY2(message.contains("validation") && message.contains("10000"), qPrintable(message));
        QCOMPARE(data.train.size(), int64_t(10000)); // left as it was
    }

    void realFashionMnist() {
        const std::string dir = fashionMnistDir();
        if (dir.empty())
            QSKIP("Fashion-MNIST not installed (Debian package dataset-fashion-mnist, or "
                  "BURSTPROP_FASHION_DIR)");
        QElapsedTimer timer;
        timer.start();
        const DatasetPair data = bp::data::loadDataset(DatasetKind::FashionMnist, dir);
        qInfo("loaded Fashion-MNIST in %lld ms", timer.elapsed());
        QCOMPARE(data.train.images.sizes().vec(), (std::vector<int64_t>{60000, 1, 28, 28}));
        QCOMPARE(data.test.images.sizes().vec(), (std::vector<int64_t>{10000, 1, 28, 28}));
        QCOMPARE(data.imageSize, 28);
        // Pixels span the normalised [0, 255] range; Fashion-MNIST's pixel mean is 0.286, so with
        // MNIST's constants (as the reference uses) the normalised mean is (0.286 - 0.131) / 0.308.
        QVERIFY(std::abs(data.train.images.min().item<float>() + 0.131f / 0.308f) < 1e-5f);
        QVERIFY(std::abs(data.train.images.max().item<float>() - 0.869f / 0.308f) < 1e-5f);
        const double mean = data.train.images.mean().item<double>();
        QVERIFY2(std::abs(mean - (0.286 - 0.131) / 0.308) < 0.01, qPrintable(QString::number(mean)));
        // Balanced classes: 6,000 / 1,000 of each.
        QVERIFY(at::equal(data.train.labels.bincount(), at::full({10}, 6000, at::kLong)));
        QVERIFY(at::equal(data.test.labels.bincount(), at::full({10}, 1000, at::kLong)));
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
