// CRC-32C as TFRecord framing uses it, against published values (RFC 3720's test vectors, the "123456789"
// check value) and TFRecord's mask.
#include "core/tensorboard/crc32c.h"
#include <QtTest>
#include <cstring>
#include <vector>

using namespace bp::tensorboard;

class TestCrc32c : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void knownValues_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<uint>("crc");
        QTest::newRow("check value") << QByteArray("123456789") << 0xE3069283u;
        QTest::newRow("empty") << QByteArray() << 0x00000000u;
        QTest::newRow("32 zeros") << QByteArray(32, '\0') << 0x8A9136AAu;
        QTest::newRow("32 x 0xff") << QByteArray(32, '\xff') << 0x62A8AB43u;
        QByteArray ascending(32, '\0'), descending(32, '\0');
        for (int i = 0; i < 32; ++i) {
            ascending[i] = char(i);
            descending[i] = char(31 - i);
        }
        QTest::newRow("0..31") << ascending << 0x46DD794Eu;
        QTest::newRow("31..0") << descending << 0x113FDB5Cu;
    }
    void knownValues() {
        QFETCH(QByteArray, bytes);
        QFETCH(uint, crc);
        QCOMPARE(crc32c(bytes.constData(), size_t(bytes.size())), uint32_t(crc));
    }

    void continuesOverPieces() {
        const char* text = "123456789";
        const uint32_t first = crc32c(text, 4);
        QCOMPARE(crc32c(text + 4, 5, first), 0xE3069283u);
    }

    // ((crc >> 15) | (crc << 17)) + 0xa282ead8, modulo 2^32.
    void masks() {
        QCOMPARE(maskCrc(0xE3069283u), 0xC78AB0E5u);
        QCOMPARE(maskCrc(0u), 0xA282EAD8u);
        QCOMPARE(maskCrc(0xFFFFFFFFu), uint32_t(0xFFFFFFFFu + 0xA282EAD8u));
        QCOMPARE(maskedCrc32c("123456789", 9), 0xC78AB0E5u);
    }
};

QTEST_GUILESS_MAIN(TestCrc32c)
#include "tst_crc32c.moc"
