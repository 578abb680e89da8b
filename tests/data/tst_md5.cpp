// Our MD5 against the RFC 1321 test suite, in one piece and fed in awkward chunk sizes, and md5File.
#include "core/data/downloader.h"
#include "core/data/md5.h"
#include "data_test_files.h"
#include <QTemporaryDir>

using namespace bp::test;

class TestMd5 : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void rfc1321_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("digest");
        // RFC 1321, appendix A.5.
        QTest::addRow("empty") << QByteArray("") << "d41d8cd98f00b204e9800998ecf8427e";
        QTest::addRow("a") << QByteArray("a") << "0cc175b9c0f1b6a831c399e269772661";
        QTest::addRow("abc") << QByteArray("abc") << "900150983cd24fb0d6963f7d28e17f72";
        QTest::addRow("message digest") << QByteArray("message digest") << "f96b697d7cb7938d525a2f31aaf161d0";
        QTest::addRow("alphabet") << QByteArray("abcdefghijklmnopqrstuvwxyz")
                                  << "c3fcd3d76192e4007dfb496cca67e13b";
        QTest::addRow("alphanumeric")
            << QByteArray("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            << "d174ab98d277d9f5a5611c2c9f419d9f";
        QTest::addRow("digits x8") << QByteArray("1234567890").repeated(8)
                                   << "57edf4a22be3c955ac49da2e2107b67a";
        // Lengths around the 56-byte padding boundary, values from Python hashlib.
        QTest::addRow("55 bytes") << QByteArray(55, 'x') << "04364420e25c512fd958a70738aa8f72";
        QTest::addRow("56 bytes") << QByteArray(56, 'x') << "668a72d5ba17f08e62dabcafad6db14b";
        QTest::addRow("64 bytes") << QByteArray(64, 'x') << "c1bb4f81d892b2d57947682aeb252456";
    }
    void rfc1321() {
        QFETCH(QByteArray, input);
        QFETCH(QString, digest);
        QCOMPARE(QString::fromStdString(bp::data::md5Hex(input.constData(), std::size_t(input.size()))),
                 digest);

        // The same digest whatever the chunking: exercises the partial-block buffer.
        for (int chunk : {1, 3, 63, 64, 65}) {
            bp::data::Md5 md5;
            for (int pos = 0; pos < input.size(); pos += chunk)
                md5.update(input.constData() + pos, std::size_t(std::min(chunk, int(input.size()) - pos)));
            QCOMPARE(QString::fromStdString(md5.hexDigest()), digest);
        }
    }

    void millionAs() {
        const std::string input(1000000, 'a');
        QCOMPARE(bp::data::md5Hex(input), std::string("7707d6ae4e027c70eea2a935c2296f21"));
    }

    void md5File() {
        QTemporaryDir dir;
        const QString file = dir.filePath("abc.txt");
        writeFile(file, "abc");
        QCOMPARE(bp::data::md5File(file.toStdString()), std::string("900150983cd24fb0d6963f7d28e17f72"));

        // Larger than the 1 MiB read chunk, so the file is hashed in several pieces.
        const QByteArray big = pixelPattern(1, 3 * 1024 * 1024 + 17);
        writeFile(dir.filePath("big.bin"), big);
        QCOMPARE(bp::data::md5File(dir.filePath("big.bin").toStdString()),
                 bp::data::md5Hex(big.constData(), std::size_t(big.size())));
        QCOMPARE(QString::fromStdString(bp::data::md5File(dir.filePath("big.bin").toStdString())),
                 QString(QCryptographicHash::hash(big, QCryptographicHash::Md5).toHex()));
    }

    void md5FileMissing() {
        QTemporaryDir dir;
        const QString file = dir.filePath("missing.gz");
        const QString message = errorOf([&] { bp::data::md5File(file.toStdString()); });
        QVERIFY2(message.contains(file) && message.contains("cannot open"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestMd5)
#include "tst_md5.moc"
