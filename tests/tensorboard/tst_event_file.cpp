// TensorBoard event files: TFRecord framing and Event/Summary protos written and read back; a file built byte
// by byte from the format's documentation; truncated and corrupt files give errors naming file and offset.
#include "core/tensorboard/crc32c.h"
#include "core/tensorboard/event_file.h"
#include "core/util/error.h"
#include "support/test_support.h"
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <fstream>

using namespace bp;
using namespace bp::tensorboard;

namespace {

void appendLittleEndian(std::string& out, uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(char((value >> (8 * i)) & 0xFF));
}

// One TFRecord: uint64 length, uint32 masked CRC-32C of the length's 8 bytes, the data, uint32 masked
// CRC-32C of the data, little-endian (tensorflow/core/lib/io/record_writer.h).
std::string record(const std::string& data) {
    std::string length;
    appendLittleEndian(length, data.size(), 8);
    std::string out = length;
    appendLittleEndian(out, maskCrc(crc32c(length.data(), 8)), 4);
    out += data;
    appendLittleEndian(out, maskCrc(crc32c(data.data(), data.size())), 4);
    return out;
}

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values)
        out.push_back(char(v));
    return out;
}

// The error message of f(), or "" when it throws none.
} // namespace

class TestEventFile : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

  private Q_SLOTS:
    void roundTrip() {
        const std::vector<ScalarEvent> events = {
            {"Test Error", 0, 1700000000.25, 90.0f},    {"Train Loss", 1, 1700000001.5, 0.125f},
            {"weight_angle/0", 1, 1700000001.5, 87.5f}, {"batch/loss", 1875, 1700000001.0, std::nanf("")},
            {"Ünïcode tag ∂", -3, 0.0, -1e30f},         {"big step", int64_t(1) << 40, 1e9, INFINITY},
        };
        const std::string path = dir_.filePath("events.out.tfevents.1.host").toStdString();
        writeEventFile(path, events, 1700000000.0);
        const EventFileContents read = readEventFile(path);
        QCOMPARE(QString::fromStdString(read.fileVersion), QString("brain.Event:2"));
        QCOMPARE(read.events, events.size() + 1);
        QCOMPARE(read.scalars.size(), events.size());
        for (size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(read.scalars[i].tag, events[i].tag);
            QCOMPARE(read.scalars[i].step, events[i].step);
            QCOMPARE(read.scalars[i].wallTime, events[i].wallTime);
            QVERIFY(std::memcmp(&read.scalars[i].value, &events[i].value, sizeof(float)) == 0); // NaN too
        }
    }

    // Built from the documentation alone: Event {wall_time (1, double), file_version (3, string)}, then
    // Event {wall_time, step (2, varint), summary (5) {value (1) {tag (1), simple_value (2, float)}}}.
    void readsAFileBuiltByteByByte() {
        const std::string wall = bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x3F}); // 1.5
        const std::string version = "brain.Event:2";
        const std::string first = "\x09" + wall + "\x1A" + char(version.size()) + version;
        const std::string value =
            bytes({0x0A, 0x04}) + "Loss" + bytes({0x15, 0x00, 0x00, 0x80, 0x3E}); // 0.25
        const std::string summary = bytes({0x0A, int(value.size())}) + value;
        // step 300 as a varint: 0xAC 0x02
        const std::string second =
            "\x09" + wall + bytes({0x10, 0xAC, 0x02, 0x2A, int(summary.size())}) + summary;
        const std::string file = record(first) + record(second);
        QCOMPARE(file.size(), size_t(12 + first.size() + 4 + 12 + second.size() + 4));

        const EventFileContents read = parseEventFile(file, "handmade");
        QCOMPARE(QString::fromStdString(read.fileVersion), QString("brain.Event:2"));
        QCOMPARE(read.events, size_t(2));
        QCOMPARE(read.scalars.size(), size_t(1));
        QCOMPARE(read.scalars[0].tag, std::string("Loss"));
        QCOMPARE(read.scalars[0].step, int64_t(300));
        QCOMPARE(read.scalars[0].wallTime, 1.5);
        QCOMPARE(read.scalars[0].value, 0.25f);

        // The writer produces exactly those bytes.
        QCOMPARE(eventFileBytes({{"Loss", 300, 1.5, 0.25f}}, 1.5), file);
    }

    // Fields the reader does not know (graph_def, an image value, a summary's metadata) are skipped; an empty
    // histogram value is read as one.
    void skipsOtherFieldsAndValues() {
        const std::string histogramValue = bytes({0x0A, 0x01}) + "h" + bytes({0x2A, 0x00}); // tag h, histo {}
        const std::string imageValue = bytes({0x0A, 0x01}) + "i" + bytes({0x22, 0x00});     // tag i, image {}
        const std::string summary = bytes({0x0A, int(histogramValue.size())}) + histogramValue +
                                    bytes({0x0A, int(imageValue.size())}) + imageValue;
        const std::string event =
            bytes({0x10, 0x05, 0x22, 0x02, 0x08, 0x01, 0x2A, int(summary.size())}) + summary;
        const EventFileContents read = parseEventFile(record(event), "other");
        QCOMPARE(read.scalars.size(), size_t(0));
        QCOMPARE(read.skippedValues, size_t(1));
        QCOMPARE(read.histograms.size(), size_t(1));
        QCOMPARE(read.histograms[0].tag, std::string("h"));
        QCOMPARE(read.histograms[0].step, int64_t(5));
        QVERIFY(read.histograms[0].bucket.empty());
    }

    // A histogram summary against one built from summary.proto alone: Value {tag (1), histo (5)
    // HistogramProto {min (1), max (2), num (3), sum (4), sum_squares (5) doubles, bucket_limit (6) and
    // bucket (7) packed doubles}}; written in file order with the scalars and read back, unpacked buckets
    // too.
    void histogramsByteByByte() {
        HistogramEvent h;
        h.tag = "p_t/1";
        h.step = 300;
        h.wallTime = 1.5;
        h.min = 0.0;
        h.max = 1.0;
        h.num = 6.0;
        h.sum = 2.5;
        h.sumSquares = 1.375;
        h.bucketLimit = {0.5, 1.0};
        h.bucket = {2.0, 4.0};
        auto dbl = [](double v) {
            std::string out;
            uint64_t bits;
            std::memcpy(&bits, &v, 8);
            appendLittleEndian(out, bits, 8);
            return out;
        };
        const std::string histo = "\x09" + dbl(0.0) + "\x11" + dbl(1.0) + "\x19" + dbl(6.0) + "\x21" +
                                  dbl(2.5) + "\x29" + dbl(1.375) + bytes({0x32, 16}) + dbl(0.5) + dbl(1.0) +
                                  bytes({0x3A, 16}) + dbl(2.0) + dbl(4.0);
        QCOMPARE(histogramProtoBytes(h), histo);
        const std::string value = bytes({0x0A, 5}) + "p_t/1" + bytes({0x2A, int(histo.size())}) + histo;
        const std::string summary = bytes({0x0A, int(value.size())}) + value;
        const std::string event =
            "\x09" + dbl(1.5) + bytes({0x10, 0xAC, 0x02, 0x2A, int(summary.size())}) + summary;
        QCOMPARE(histogramEventMessage(h), event);

        // Merged by step with the scalars: the histogram after the scalars of its step.
        const std::vector<ScalarEvent> scalars = {
            {"a", 299, 1.0, 1.0f}, {"b", 300, 1.0, 2.0f}, {"c", 301, 1.0, 3.0f}};
        const std::string file = eventFileBytes(scalars, 1.0, {h});
        const std::string expected = record(fileVersionEvent(1.0)) + record(scalarEventMessage(scalars[0])) +
                                     record(scalarEventMessage(scalars[1])) + record(event) +
                                     record(scalarEventMessage(scalars[2]));
        QCOMPARE(file, expected);
        const EventFileContents read = parseEventFile(file, "histograms");
        QCOMPARE(read.scalars.size(), size_t(3));
        QCOMPARE(read.skippedValues, size_t(0));
        QCOMPARE(read.histograms.size(), size_t(1));
        const HistogramEvent& back = read.histograms[0];
        QCOMPARE(back.tag, h.tag);
        QCOMPARE(back.step, h.step);
        QCOMPARE(back.wallTime, h.wallTime);
        QCOMPARE(back.min, h.min);
        QCOMPARE(back.max, h.max);
        QCOMPARE(back.num, h.num);
        QCOMPARE(back.sum, h.sum);
        QCOMPARE(back.sumSquares, h.sumSquares);
        QCOMPARE(back.bucketLimit, h.bucketLimit);
        QCOMPARE(back.bucket, h.bucket);

        // Writers that do not pack repeated doubles: one Fixed64 field per value.
        const std::string unpacked =
            "\x19" + dbl(6.0) + "\x31" + dbl(0.5) + "\x31" + dbl(1.0) + "\x39" + dbl(2.0) + "\x39" + dbl(4.0);
        const std::string value2 = bytes({0x0A, 1}) + "u" + bytes({0x2A, int(unpacked.size())}) + unpacked;
        const std::string summary2 = bytes({0x0A, int(value2.size())}) + value2;
        const EventFileContents read2 =
            parseEventFile(record(bytes({0x10, 0x07, 0x2A, int(summary2.size())}) + summary2), "unpacked");
        QCOMPARE(read2.histograms.size(), size_t(1));
        QCOMPARE(read2.histograms[0].num, 6.0);
        QCOMPARE(read2.histograms[0].bucketLimit, h.bucketLimit);
        QCOMPARE(read2.histograms[0].bucket, h.bucket);
    }

    void truncatedFilesAreNamed_data() {
        QTest::addColumn<int>("cut"); // bytes removed from the end
        QTest::addColumn<QString>("expected");
        const std::string file = eventFileBytes({{"Loss", 1, 2.0, 3.0f}}, 2.0);
        const int second = int(record(fileVersionEvent(2.0)).size());
        QTest::newRow("in the footer") << 1 << QString("truncated record at offset %1").arg(second);
        QTest::newRow("in the data") << 10 << QString("truncated record at offset %1").arg(second);
        QTest::newRow("in the header") << int(file.size()) - second - 5
                                       << QString("truncated record at offset %1: its header").arg(second);
    }
    void truncatedFilesAreNamed() {
        QFETCH(int, cut);
        QFETCH(QString, expected);
        std::string file = eventFileBytes({{"Loss", 1, 2.0, 3.0f}}, 2.0);
        file.resize(file.size() - size_t(cut));
        const QString path = dir_.filePath("events.out.tfevents.2.truncated");
        std::ofstream(path.toStdString(), std::ios::binary) << file;
        const QString message = test::errorOf([&] { readEventFile(path.toStdString()); });
        QVERIFY2(message.startsWith(path + ": ") && message.contains(expected), qPrintable(message));
    }

    void corruptCrcsAreNamed_data() {
        QTest::addColumn<int>("flip"); // byte of the second record whose bits are flipped
        QTest::addColumn<QString>("expected");
        QTest::newRow("length") << 0 << QString("the CRC-32C of its length does not match");
        QTest::newRow("length's crc") << 9 << QString("the CRC-32C of its length does not match");
        QTest::newRow("data") << 14 << QString("bytes does not match (stored");
        QTest::newRow("data's crc") << -1 << QString("bytes does not match");
    }
    void corruptCrcsAreNamed() {
        QFETCH(int, flip);
        QFETCH(QString, expected);
        std::string file = eventFileBytes({{"Loss", 1, 2.0, 3.0f}}, 2.0);
        const size_t second = record(fileVersionEvent(2.0)).size();
        file[flip >= 0 ? second + size_t(flip) : file.size() - 1] ^= 0x40;
        const QString message = test::errorOf([&] { parseEventFile(file, "f.tfevents"); });
        QVERIFY2(message.startsWith(QString("f.tfevents: corrupt record at offset %1: ").arg(second)) &&
                     message.contains(expected),
                 qPrintable(message));
    }

    // A record whose CRCs match but whose bytes are no Event: an error naming the event's offset.
    void malformedEventIsNamed() {
        const std::string file = record(fileVersionEvent(1.0)) + record(bytes({0x2A, 0x7F, 0x0A}));
        const QString message = test::errorOf([&] { parseEventFile(file, "bad"); });
        QVERIFY2(message.startsWith(
                     QString("bad: event at offset %1").arg(record(fileVersionEvent(1.0)).size())) &&
                     message.contains("overruns"),
                 qPrintable(message));
        QVERIFY(!test::errorOf([&] { parseEventFile(record(bytes({0x0B})), "group"); }).isEmpty());
        QVERIFY(!test::errorOf([&] { parseEventFile(record(std::string(11, '\xff')), "varint"); }).isEmpty());
    }

    // Every prefix of a file that ends inside a record and every single-byte change gives a bp::Error: never
    // a crash, never a silent misreading.
    void damagedFilesNeverCrash() {
        const std::string file = eventFileBytes({{"Loss", 1, 2.0, 3.0f}, {"Error", 2, 3.0, 4.0f}}, 2.0);
        const size_t first = record(fileVersionEvent(2.0)).size(),
                     second = first + record(scalarEventMessage({"Loss", 1, 2.0, 3.0f})).size();
        for (size_t n = 0; n < file.size(); ++n) {
            const QString message = test::errorOf([&] { parseEventFile(file.substr(0, n), "prefix"); });
            const bool wholeRecords = n == 0 || n == first || n == second;
            QVERIFY2(wholeRecords == message.isEmpty(), qPrintable(QString::number(n) + ": " + message));
        }
        for (size_t i = 0; i < file.size(); ++i) {
            std::string damaged = file;
            damaged[i] = char(damaged[i] ^ 0x5A);
            QVERIFY2(!test::errorOf([&] { parseEventFile(damaged, "damaged"); }).isEmpty(),
                     qPrintable(QString::number(i)));
        }
    }

    void missingFileIsNamed() {
        const QString message = test::errorOf([] { readEventFile("/nonexistent/events.out.tfevents.1.x"); });
        QVERIFY2(message.startsWith("/nonexistent/events.out.tfevents.1.x: cannot open"),
                 qPrintable(message));
    }

    void namesFilesAsTensorBoard() {
        QCOMPARE(eventFileName(1700000000.9, "node7"), std::string("events.out.tfevents.1700000000.node7"));
        QVERIFY(isEventFileName("events.out.tfevents.1700000000.node7"));
        QVERIFY(!isEventFileName("params.txt"));
        QVERIFY(!isEventFileName("events.out.tfevents."));
    }
};

QTEST_GUILESS_MAIN(TestEventFile)
#include "tst_event_file.moc"
