// readCifarBatch: exact round trip of a small batch, and errors for damaged files.
#include "core/data/cifar_reader.h"
#include "data_test_files.h"
#include <QTemporaryDir>

using namespace bp::test;

class TestCifarReader : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

  private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void roundTrip() {
        const std::vector<uint8_t> labels{0, 9, 5};
        const QByteArray bytes = cifarBytes(labels);
        const QString file = dir_.filePath("data_batch_1.bin");
        writeFile(file, bytes);

        const bp::data::CifarBatch batch = bp::data::readCifarBatch(file.toStdString());
        QCOMPARE(batch.images.sizes().vec(), (std::vector<int64_t>{3, 3, 32, 32}));
        QCOMPARE(batch.images.scalar_type(), at::kByte);
        QCOMPARE(batch.labels.scalar_type(), at::kLong);
        for (int n = 0; n < 3; ++n)
            QCOMPARE(batch.labels[n].item<int64_t>(), int64_t(labels[n]));
        // Record n: byte 0 is the label, then the R, G and B planes row by row.
        const at::Tensor flat = batch.images.reshape({3, 3072}).to(at::kInt);
        for (int n = 0; n < 3; ++n)
            for (int i = 0; i < 3072; ++i)
                QCOMPARE(flat[n][i].item<int>(), int(uint8_t(bytes[n * 3073 + 1 + i])));
        // The plane layout: channel 1, row 2, column 5 of record 1.
        QCOMPARE(int(batch.images[1][1][2][5].item<uint8_t>()),
                 int(uint8_t(bytes[3073 + 1 + 1024 + 2 * 32 + 5])));
    }

    void errors_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("problem");
        QTest::addRow("truncated record")
            << cifarBytes({1, 2}).chopped(1)
            << "size 6145 bytes is not a multiple of the 3073-byte CIFAR-10 record";
        QTest::addRow("extra bytes") << cifarBytes({1}) + "x"
                                     << "is not a multiple of the 3073-byte";
        QTest::addRow("bad label") << cifarBytes({3, 10, 2}) << "bad label 10 in record 1 (expected 0..9)";
        QTest::addRow("empty") << QByteArray() << "empty file";
    }
    void errors() {
        QFETCH(QByteArray, content);
        QFETCH(QString, problem);
        const QString file = dir_.filePath(QString(QTest::currentDataTag()).replace(' ', '_') + ".bin");
        writeFile(file, content);
        const QString message = errorOf([&] { bp::data::readCifarBatch(file.toStdString()); });
        QVERIFY2(message.startsWith(file + ": "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
    }

    void missingFile() {
        const QString file = dir_.filePath("test_batch.bin");
        const QString message = errorOf([&] { bp::data::readCifarBatch(file.toStdString()); });
        QVERIFY2(message.contains(file) && message.contains("cannot open"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestCifarReader)
#include "tst_cifar_reader.moc"
