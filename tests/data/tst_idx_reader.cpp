// readIdxFile: exact round trips of raw and gzip idx files, and one clear error per kind of damage.
#include "core/data/idx_reader.h"
#include "data_test_files.h"
#include <QDir>
#include <QTemporaryDir>

using namespace bp::test;

class TestIdxReader : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const QString& name) const { return dir_.filePath(name); }

  private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void roundTrip_data() {
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<bool>("images");
        QTest::addColumn<int>("count");
        QTest::addRow("images raw") << false << true << 5;
        QTest::addRow("images gzip") << true << true << 5;
        QTest::addRow("labels raw") << false << false << 7;
        QTest::addRow("labels gzip") << true << false << 7;
        QTest::addRow("no images") << false << true << 0;
    }
    void roundTrip() {
        QFETCH(bool, gzip);
        QFETCH(bool, images);
        QFETCH(int, count);
        const int h = 4, w = 3;
        std::vector<uint8_t> labels;
        for (int i = 0; i < count; ++i)
            labels.push_back(uint8_t(i * 37 % 256));
        const QByteArray raw = images ? imagesIdx(count, h, w) : labelsIdx(labels);
        const QString file = path(QStringLiteral("roundtrip-%1").arg(QTest::currentDataTag()));
        writeFile(file, gzip ? gzipBytes(raw) : raw);

        const at::Tensor t = bp::data::readIdxFile(file.toStdString());
        QCOMPARE(t.scalar_type(), at::kByte);
        if (images) {
            QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{count, h, w}));
            const QByteArray pixels = pixelPattern(count, h * w);
            for (int i = 0; i < pixels.size(); ++i)
                QCOMPARE(int(t.flatten()[i].item<uint8_t>()), int(uint8_t(pixels[i])));
        } else {
            QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{count}));
            for (int i = 0; i < count; ++i)
                QCOMPARE(int(t[i].item<uint8_t>()), int(labels[i]));
        }
    }

    // `cat a.gz b.gz` is a valid gzip file; gunzip reads both members, so must we.
    void concatenatedGzipMembers() {
        const QByteArray raw = imagesIdx(6, 2, 2);
        const QString file = path("two-members.gz");
        writeFile(file, gzipBytes(raw.left(10)) + gzipBytes(raw.mid(10)));
        const at::Tensor t = bp::data::readIdxFile(file.toStdString());
        QCOMPARE(t.size(0), 6);
        QCOMPARE(int(t[5][1][1].item<uint8_t>()), int(uint8_t(raw[raw.size() - 1])));
    }

    void errors_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("problem");
        const QByteArray good = imagesIdx(3, 2, 2); // 16-byte header + 12 pixels
        QTest::addRow("wrong magic") << idxBytes(0x802, {3, 2}, QByteArray(6, '\1'))
                                     << "wrong magic number 0x00000802";
        QTest::addRow("not idx at all") << QByteArray("<html>Not found</html>") << "wrong magic number";
        QTest::addRow("too short for magic") << QByteArray("\0\0", 2) << "truncated";
        QTest::addRow("truncated header")
            << good.left(10) << "truncated: the header needs 16 bytes, found 10";
        QTest::addRow("truncated images")
            << good.chopped(1) << "truncated: expected 12 bytes of image data, found 11";
        QTest::addRow("truncated labels")
            << labelsIdx({1, 2, 3}).chopped(2) << "truncated: expected 3 bytes of label data, found 1";
        QTest::addRow("trailing garbage") << good + "xyz"
                                          << "trailing garbage: 3 bytes";
        QTest::addRow("zero-width images")
            << idxBytes(0x803, {1, 2, 0}, {}) << "invalid image dimensions 2x0";
        QTest::addRow("huge dimensions")
            << idxBytes(0x803, {0xffffffff, 0xffffffff, 0xffffffff}, {}) << "invalid header";
        QTest::addRow("gzip of truncated images")
            << gzipBytes(good.chopped(4)) << "truncated: expected 12 bytes of image data, found 8";
        const QByteArray gz = gzipBytes(imagesIdx(50, 8, 8));
        QTest::addRow("truncated gzip stream") << gz.left(gz.size() / 2) << "truncated gzip stream";
        QByteArray corrupt = gz;
        corrupt[10] = char(0xff); // the first deflate block header: block type 3 does not exist
        QTest::addRow("corrupt gzip") << corrupt << "corrupt gzip data";
        QTest::addRow("gzip then garbage") << gz + "junk"
                                           << "corrupt gzip data";
        // A gzip bomb: a header for 3 labels, then 96 MiB of zeros (about 100 KB compressed). Inflating
        // stops a little past what the header announces instead of filling memory.
        QTest::addRow("gzip bomb") << gzipBytes(labelsIdx({1, 2, 3}) + QByteArray(96 << 20, '\0'))
                                   << "inflates to more than";
    }
    void errors() {
        QFETCH(QByteArray, content);
        QFETCH(QString, problem);
        const QString file =
            path(QStringLiteral("broken-%1").arg(QString(QTest::currentDataTag()).replace(' ', '-')));
        writeFile(file, content);
        const QString message = errorOf([&] { bp::data::readIdxFile(file.toStdString()); });
        QVERIFY2(message.startsWith(file + ": "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    void notReadable_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem");
        QTest::addRow("missing") << "no-such-file-idx3-ubyte"
                                 << "cannot open";
        QTest::addRow("a folder") << "folder-idx3-ubyte"
                                  << "not a regular file";
    }
    void notReadable() {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        QDir(dir_.path()).mkdir("folder-idx3-ubyte");
        const QString file = path(name);
        const QString message = errorOf([&] { bp::data::readIdxFile(file.toStdString()); });
        QVERIFY2(message.startsWith(file + ": ") && message.contains(problem), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestIdxReader)
#include "tst_idx_reader.moc"
