// The image-folder data source: the same batches whatever the number of loader threads, crops drawn per
// (seed, epoch, image), unreadable files left out and named once, the validation split seen through the test
// transform, and the prefetcher handing batches over in order (and the source's errors with them).
#include "core/data/batch_prefetcher.h"
#include "core/data/image_folder_source.h"
#include "images/image_test_files.h"
#include <QtTest>

using namespace bp;
using data::ImageFolderSource;
using data::ImageTransform;

namespace {

// DIR/{train,val}/<class>/*.jpg: `perClass` training and 2 test images per class, of varied sizes, plus the
// broken files asked for in class "b" of train.
void writeFolder(const QString& dir, int perClass, bool broken) {
    const QStringList classes{"a", "b", "c"};
    for (int c = 0; c < classes.size(); ++c)
        for (const QString& split : {QStringLiteral("train"), QStringLiteral("val")}) {
            const int n = split == "train" ? perClass : 2;
            for (int i = 0; i < n; ++i) {
                const int w = 40 + 7 * i, h = 30 + 5 * c;
                const test::Bytes jpeg = test::jpegOf(test::smoothPixels(w, h, 3, uint32_t(100 * c + i)), w,
                                                      h, TJPF_RGB, TJSAMP_420, 90);
                QVERIFY(
                    test::writeBytes(QString("%1/%2/%3/%4.jpg").arg(dir, split, classes[c]).arg(i), jpeg));
            }
        }
    if (broken) {
        QVERIFY(
            test::writeBytes(dir + "/train/b/zz_corrupt.jpg", test::Bytes{0xff, 0xd8, 0xff, 0xe0, 1, 2, 3}));
        test::Bytes whole = test::jpegOf(test::smoothPixels(50, 40, 3, 7), 50, 40, TJPF_RGB, TJSAMP_420, 90);
        whole.resize(whole.size() / 2);
        QVERIFY(test::writeBytes(dir + "/train/b/zz_truncated.jpg", whole));
    }
}

at::Tensor longs(const std::vector<int64_t>& values) {
    return at::tensor(values, at::kLong);
}

at::Tensor allIndices(int64_t n) {
    return at::arange(n, at::kLong);
}

} // namespace

class TestImageFolderSource : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString clean_, broken_;

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        clean_ = tmp_.filePath("clean");
        broken_ = tmp_.filePath("broken");
        writeFolder(clean_, 4, false);
        writeFolder(broken_, 4, true);
    }

    void sameBatchesWhateverTheThreadCount_data() {
        QTest::addColumn<int>("transform");
        QTest::newRow("train transform") << int(ImageTransform::Train);
        QTest::newRow("test transform") << int(ImageTransform::Test);
    }
    void sameBatchesWhateverTheThreadCount() {
        QFETCH(int, transform);
        const auto kind = ImageTransform(transform);
        const images::ImageFolder folder = images::scanImageFolder((clean_ + "/train").toStdString());
        ImageFolderSource one(folder, kind, 32, 5, 1), three(folder, kind, 32, 5, 3);
        QCOMPARE(three.threads(), 3);
        QCOMPARE(one.size(), int64_t(12));
        QCOMPARE(one.shape().classes, int64_t(3));
        const at::Tensor order = longs({7, 2, 11, 0, 5, 9, 1});
        for (int epoch : {1, 2}) {
            one.beginEpoch(epoch);
            three.beginEpoch(epoch);
            const data::Batch a = one.batch(order, at::kCPU), b = three.batch(order, at::kCPU);
            QCOMPARE(a.images.sizes().vec(), (std::vector<int64_t>{7, 3, 32, 32}));
            QVERIFY(at::equal(a.images, b.images));
            QVERIFY(at::equal(a.labels, b.labels));
            QCOMPARE(a.labels[0].item<int64_t>(), int64_t(1)); // image 7: class "b"
        }
        // The crops are drawn per epoch by the training transform only.
        one.beginEpoch(1);
        const at::Tensor first = one.batch(order, at::kCPU).images;
        one.beginEpoch(2);
        const at::Tensor second = one.batch(order, at::kCPU).images;
        QCOMPARE(at::equal(first, second), kind == ImageTransform::Test);
        // One image in a batch of one is the same as in the batch of seven.
        one.beginEpoch(2);
        QVERIFY(at::equal(one.batch(longs({11}), at::kCPU).images[0], second[2]));
    }

    void unreadableFilesAreLeftOutAndNamedOnce() {
        const images::ImageFolder folder = images::scanImageFolder((broken_ + "/train").toStdString());
        ImageFolderSource source(folder, ImageTransform::Train, 24, 1, 2);
        QCOMPARE(source.size(), int64_t(14));
        const data::Batch batch = source.batch(allIndices(source.size()), at::kCPU);
        QCOMPARE(batch.labels.size(0), int64_t(12));
        QCOMPARE(batch.images.size(0), int64_t(12));
        std::vector<data::SkippedFile> skipped = source.takeSkipped();
        QCOMPARE(int(skipped.size()), 2);
        std::sort(skipped.begin(), skipped.end(), [](auto& x, auto& y) { return x.path < y.path; });
        QVERIFY(QString::fromStdString(skipped[0].path).endsWith("train/b/zz_corrupt.jpg"));
        QVERIFY(QString::fromStdString(skipped[1].path).endsWith("train/b/zz_truncated.jpg"));
        for (const auto& s : skipped) {
            QVERIFY2(!s.reason.empty(), s.path.c_str());
            QVERIFY2(QString::fromStdString(s.reason).indexOf(QString::fromStdString(s.path)) < 0,
                     "the reason does not repeat the path");
        }
        // Read again: left out again, named no more.
        QCOMPARE(source.batch(allIndices(source.size()), at::kCPU).labels.size(0), int64_t(12));
        QVERIFY(source.takeSkipped().empty());
        // A batch of broken files only is empty, not an error.
        const data::Batch none =
            source.batch(longs({8, 9}), at::kCPU); // class "b": 4 good, then the 2 broken
        QCOMPARE(none.labels.size(0), int64_t(0));
    }

    void anIndexOutOfRangeIsAnError() {
        ImageFolderSource source(images::scanImageFolder((clean_ + "/val").toStdString()),
                                 ImageTransform::Test, 24, 1, 1);
        try {
            source.batch(longs({6}), at::kCPU);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("index 6 is out of range [0, 6)"), e.what());
        }
    }

    void trainAndValFolders() {
        const data::DataSources s =
            data::imageFolderSources(clean_.toStdString(), 24, 3, 2, false, 50000, false, 9);
        QCOMPARE(s.train->size(), int64_t(12));
        QCOMPARE(s.test->size(), int64_t(6));
        QVERIFY(s.train->streams());
        QCOMPARE(QString::fromStdString(s.folder), clean_);
        QVERIFY(!s.fingerprint.empty());
        QVERIFY(at::equal(s.test->labels(), longs({0, 0, 1, 1, 2, 2})));
    }

    void validationSplitSeesTheTestTransform() {
        // 12 training images: a tenth is 1, whatever is asked for.
        const data::DataSources s =
            data::imageFolderSources(clean_.toStdString(), 24, 3, 2, true, 5, false, 9);
        QCOMPARE(s.train->size(), int64_t(11));
        QCOMPARE(s.test->size(), int64_t(1));
        s.test->beginEpoch(1);
        const at::Tensor a = s.test->range(0, 1, at::kCPU).images;
        s.test->beginEpoch(2);
        QVERIFY(at::equal(a, s.test->range(0, 1, at::kCPU).images)); // centre crop: the same every epoch
        // The reference's way: the training transform on the held-out images too.
        const data::DataSources r =
            data::imageFolderSources(clean_.toStdString(), 24, 3, 2, true, 5, true, 9);
        r.test->beginEpoch(1);
        const at::Tensor b = r.test->range(0, 1, at::kCPU).images;
        r.test->beginEpoch(2);
        QVERIFY(!at::equal(b, r.test->range(0, 1, at::kCPU).images));
        // The same split for the same seed, another for another.
        const data::DataSources again =
            data::imageFolderSources(clean_.toStdString(), 24, 3, 2, true, 5, false, 9);
        QVERIFY(at::equal(again.test->labels(), s.test->labels()));
    }

    void folderProblemsAreErrorsBeforeTraining_data() {
        QTest::addColumn<QString>("make");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing folder") << "none"
                                        << "train";
        QTest::newRow("class only in val") << "mismatch"
                                           << "'d'";
    }
    void folderProblemsAreErrorsBeforeTraining() {
        QFETCH(QString, make);
        QFETCH(QString, message);
        const QString dir = tmp_.filePath("bad-" + make);
        if (make == "mismatch") {
            writeFolder(dir, 1, false);
            QVERIFY(test::writeBytes(dir + "/val/d/0.jpg", test::readBytes(dir + "/val/a/0.jpg")));
        }
        try {
            data::imageFolderSources(dir.toStdString(), 24, 1, 1, false, 10, false, 1);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void prefetcherHandsBatchesOverInOrder() {
        ImageFolderSource source(images::scanImageFolder((clean_ + "/train").toStdString()),
                                 ImageTransform::Train, 24, 4, 2);
        source.beginEpoch(1);
        const at::Tensor order = at::randperm(12, at::kLong);
        auto indices = [&](int b) { return order.narrow(0, 3 * b, 3); };
        std::vector<at::Tensor> direct;
        for (int b = 0; b < 4; ++b)
            direct.push_back(source.batch(indices(b), at::kCPU).images);
        data::BatchPrefetcher prefetch(source, indices, 1, 4, 2, at::kCPU);
        for (int b = 1; b < 4; ++b)
            QVERIFY(at::equal(prefetch.next().images, direct[size_t(b)]));
        QVERIFY(prefetch.waitedSeconds() >= 0.0);
        QVERIFY_THROWS_EXCEPTION(Error, prefetch.next());
    }

    void prefetcherRethrowsTheSourcesError() {
        ImageFolderSource source(images::scanImageFolder((clean_ + "/train").toStdString()),
                                 ImageTransform::Train, 24, 4, 1);
        auto indices = [](int b) { return longs({b == 1 ? 99 : 0}); };
        data::BatchPrefetcher prefetch(source, indices, 0, 3, 3, at::kCPU);
        QCOMPARE(prefetch.next().labels.size(0), int64_t(1));
        try {
            prefetch.next();
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("index 99"), e.what());
        }
    }

    void prefetcherStopsWhenDestroyedEarly() {
        ImageFolderSource source(images::scanImageFolder((clean_ + "/train").toStdString()),
                                 ImageTransform::Train, 24, 4, 1);
        {
            data::BatchPrefetcher prefetch(
                source, [](int) { return at::arange(12, at::kLong); }, 0, 1000, 2, at::kCPU);
            prefetch.next();
        } // must not hang nor decode 1000 batches
    }
};

QTEST_GUILESS_MAIN(TestImageFolderSource)
#include "tst_image_folder_source.moc"
