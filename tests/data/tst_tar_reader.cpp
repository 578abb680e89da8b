// extractTarGz on ustar archives built here: the CIFAR-10 layout round trips byte for byte, and
// damaged or hostile archives are refused with the archive's name.
#include "core/data/tar_reader.h"
#include "data_test_files.h"
#include <QDir>
#include <QTemporaryDir>

using namespace bp::test;

class TestTarReader : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    // The CIFAR-10 archive's shape: a folder entry, then files inside it.
    QByteArray cifarLikeTar() const {
        return tarEntry("cifar-10-batches-bin/", {}, '5') +
               tarEntry("cifar-10-batches-bin/data_batch_1.bin", cifarBytes({1, 2})) +
               tarEntry("cifar-10-batches-bin/batches.meta.txt", "airplane\nautomobile\n") +
               tarEntry("cifar-10-batches-bin/empty.txt", {}) + tarEnd();
    }

  private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void extract_data() {
        QTest::addColumn<bool>("gzip");
        QTest::addRow("tar.gz") << true;
        QTest::addRow("plain tar") << false;
    }
    void extract() {
        QFETCH(bool, gzip);
        const QString archive = dir_.filePath(gzip ? "cifar.tar.gz" : "cifar.tar");
        writeFile(archive, gzip ? gzipBytes(cifarLikeTar()) : cifarLikeTar());
        const QString dest = dir_.filePath(gzip ? "out-gz" : "out-tar");

        const auto written = bp::data::extractTarGz(archive.toStdString(), dest.toStdString());
        QCOMPARE(int(written.size()), 3);
        const QString sub = dest + "/cifar-10-batches-bin/";
        QCOMPARE(QString::fromStdString(written[0]), sub + "data_batch_1.bin");
        QCOMPARE(readWholeFile(sub + "data_batch_1.bin"), cifarBytes({1, 2}));
        QCOMPARE(readWholeFile(sub + "batches.meta.txt"), QByteArray("airplane\nautomobile\n"));
        QVERIFY(QFileInfo(sub + "empty.txt").isFile());
        QCOMPARE(QFileInfo(sub + "empty.txt").size(), 0);
        QCOMPARE(QDir(sub).entryList({"*.part"}, QDir::Files).size(), 0);
    }

    // Names over 100 characters: GNU tar's 'L' entry carries the name of the entry after it.
    void gnuLongName() {
        const std::string longName = "cifar-10-batches-bin/" + std::string(120, 'n') + ".bin";
        const QString archive = dir_.filePath("long.tar.gz");
        writeFile(archive,
                  gzipBytes(tarEntry("././@LongLink", QByteArray::fromStdString(longName) + '\0', 'L') +
                            tarEntry(longName.substr(0, 100), "payload") + tarEnd()));
        const QString dest = dir_.filePath("out-long");
        bp::data::extractTarGz(archive.toStdString(), dest.toStdString());
        QCOMPARE(readWholeFile(dest + "/" + QString::fromStdString(longName)), QByteArray("payload"));
    }

    // A pax header's "path" record names the entry after it. A record of length "-6" sent the parser back
    // to the record before it for ever (found by reading the parser; fuzz_tar_reader's -timeout saw it).
    void paxRecords_data() {
        QTest::addColumn<QByteArray>("records");
        QTest::addColumn<QString>("name");
        QTest::addRow("path") << QByteArray("18 path=pax/named\n") << "pax/named";
        QTest::addRow("negative length") << QByteArray("6 a=b\n-6 x\n") << "short";
        QTest::addRow("length short of its key") << QByteArray("1 path=x\n") << "short";
        QTest::addRow("no length") << QByteArray(" path=x\n") << "short";
    }
    void paxRecords() {
        QFETCH(QByteArray, records);
        QFETCH(QString, name);
        const QString archive = dir_.filePath("pax.tar");
        writeFile(archive, tarEntry("PaxHeaders/x", records, 'x') + tarEntry("short", "data") + tarEnd());
        const QString dest = dir_.filePath("out-pax-" + QString(QTest::currentDataTag()).replace(' ', '-'));
        bp::data::extractTarGz(archive.toStdString(), dest.toStdString());
        QCOMPARE(readWholeFile(dest + "/" + name), QByteArray("data"));
    }

    void errors_data() {
        QTest::addColumn<QByteArray>("archive");
        QTest::addColumn<QString>("problem");
        const QByteArray good = cifarLikeTar();
        QTest::addRow("parent path") << gzipBytes(tarEntry("../evil.bin", "x") + tarEnd())
                                     << "unsafe path '../evil.bin'";
        QTest::addRow("absolute path")
            << gzipBytes(tarEntry("/tmp/evil.bin", "x") + tarEnd()) << "unsafe path '/tmp/evil.bin'";
        QTest::addRow("truncated data")
            << gzipBytes(good.left(512 * 2 + 1000))
            << "truncated archive: it ends inside entry cifar-10-batches-bin/data_batch_1.bin";
        QByteArray badSum = good;
        badSum[512 + 3] = 'X'; // a name byte of the second header, checksum left as it was
        QTest::addRow("bad checksum") << gzipBytes(badSum) << "checksum mismatch";
        QTest::addRow("not an archive") << QByteArray(2048, 'z') << "corrupt tar header";
        const QByteArray gz = gzipBytes(good);
        QTest::addRow("truncated gzip") << gz.left(gz.size() - 20) << "truncated gzip stream";
    }
    void errors() {
        QFETCH(QByteArray, archive);
        QFETCH(QString, problem);
        const QString path = dir_.filePath(QString(QTest::currentDataTag()).replace(' ', '-') + ".tar.gz");
        writeFile(path, archive);
        const QString dest = dir_.filePath("refused-" + QString(QTest::currentDataTag()).replace(' ', '-'));
        const QString message =
            errorOf([&] { bp::data::extractTarGz(path.toStdString(), dest.toStdString()); });
        QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
        QVERIFY2(message.contains(problem), qPrintable(message));
        QVERIFY(!QFileInfo::exists(dir_.filePath("evil.bin")));
        QVERIFY(!QFileInfo::exists(dest + "/cifar-10-batches-bin/data_batch_1.bin.part"));
    }

    void missingArchive() {
        const QString path = dir_.filePath("cifar-10-binary.tar.gz");
        const QString message =
            errorOf([&] { bp::data::extractTarGz(path.toStdString(), dir_.filePath("x").toStdString()); });
        QVERIFY2(message.contains(path) && message.contains("cannot open"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestTarReader)
#include "tst_tar_reader.moc"
