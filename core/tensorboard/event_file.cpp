#include "core/tensorboard/event_file.h"
#include "core/tensorboard/crc32c.h"
#include "core/tensorboard/proto_wire.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>

namespace bp::tensorboard {

namespace {

// Event's fields (tensorflow/core/util/event.proto) and Summary's (tensorflow/core/framework/summary.proto).
constexpr int kEventWallTime = 1, kEventStep = 2, kEventFileVersion = 3, kEventSummary = 5;
constexpr int kSummaryValue = 1, kValueTag = 1, kValueSimpleValue = 2, kValueHisto = 5;
// HistogramProto's fields (summary.proto).
constexpr int kHistoMin = 1, kHistoMax = 2, kHistoNum = 3, kHistoSum = 4, kHistoSumSquares = 5,
              kHistoBucketLimit = 6, kHistoBucket = 7;
constexpr size_t kHeaderBytes = 12, kFooterBytes = 4;

void appendLittleEndian(std::string& out, uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

uint64_t readLittleEndian(std::string_view bytes, size_t at, int count) {
    uint64_t value = 0;
    for (int i = 0; i < count; ++i)
        value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    return value;
}

std::string hex(uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

std::string packedDoubles(const std::vector<double>& values) {
    std::string out;
    out.reserve(values.size() * 8);
    for (double v : values) {
        uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        appendLittleEndian(out, bits, 8);
    }
    return out;
}

// A repeated double field, packed (one length-delimited run of 8-byte values) or not (one Fixed64 each).
void readDoubles(const ProtoField& f, std::vector<double>& out, const std::string& what) {
    if (f.type == WireType::Fixed64) {
        out.push_back(f.asDouble());
    } else if (f.type == WireType::LengthDelimited) {
        if (f.text.size() % 8 != 0)
            throw Error(what + ": a packed double field of " + std::to_string(f.text.size()) +
                        " bytes (not a multiple of 8)");
        for (size_t at = 0; at < f.text.size(); at += 8) {
            const uint64_t bits = readLittleEndian(f.text, at, 8);
            double v;
            std::memcpy(&v, &bits, sizeof v);
            out.push_back(v);
        }
    }
}

HistogramEvent readHistogram(std::string_view proto, const std::string& what) {
    // HistogramProto's doubles by field number (each a fixed64; another wire type is left alone).
    static const std::pair<int, double HistogramEvent::*> kScalars[] = {
        {kHistoMin, &HistogramEvent::min},
        {kHistoMax, &HistogramEvent::max},
        {kHistoNum, &HistogramEvent::num},
        {kHistoSum, &HistogramEvent::sum},
        {kHistoSumSquares, &HistogramEvent::sumSquares}};
    HistogramEvent h;
    ProtoReader reader(proto, what);
    ProtoField f;
    while (reader.next(f)) {
        if (f.number == kHistoBucketLimit)
            readDoubles(f, h.bucketLimit, what);
        else if (f.number == kHistoBucket)
            readDoubles(f, h.bucket, what);
        else if (f.type == WireType::Fixed64)
            for (const auto& [number, member] : kScalars)
                if (f.number == number)
                    h.*member = f.asDouble();
    }
    return h;
}

// Adds the scalars and histograms of one Summary message to `out`.
void readSummary(std::string_view summary, const std::string& what, double wallTime, int64_t step,
                 EventFileContents& out) {
    ProtoReader values(summary, what);
    ProtoField field;
    while (values.next(field)) {
        if (field.number != kSummaryValue || field.type != WireType::LengthDelimited)
            continue;
        ScalarEvent scalar;
        scalar.step = step;
        scalar.wallTime = wallTime;
        bool hasValue = false;
        std::optional<HistogramEvent> histogram;
        ProtoReader value(field.text, what);
        ProtoField v;
        while (value.next(v)) {
            if (v.number == kValueTag && v.type == WireType::LengthDelimited) {
                scalar.tag = std::string(v.text);
            } else if (v.number == kValueSimpleValue &&
                       (v.type == WireType::Fixed32 || v.type == WireType::Fixed64)) {
                scalar.value = v.asFloat();
                hasValue = true;
            } else if (v.number == kValueHisto && v.type == WireType::LengthDelimited) {
                histogram = readHistogram(v.text, what);
            }
        }
        if (hasValue) {
            out.scalars.push_back(std::move(scalar));
        } else if (histogram) {
            histogram->tag = std::move(scalar.tag);
            histogram->step = step;
            histogram->wallTime = wallTime;
            out.histograms.push_back(std::move(*histogram));
        } else {
            ++out.skippedValues;
        }
    }
}

} // namespace

std::string frameRecord(std::string_view data) {
    std::string out;
    out.reserve(data.size() + kHeaderBytes + kFooterBytes);
    appendLittleEndian(out, data.size(), 8);
    appendLittleEndian(out, maskedCrc32c(out.data(), 8), 4);
    out.append(data);
    appendLittleEndian(out, maskedCrc32c(data.data(), data.size()), 4);
    return out;
}

std::vector<std::string_view> splitRecords(std::string_view bytes, const std::string& name) {
    std::vector<std::string_view> records;
    size_t at = 0;
    while (at < bytes.size()) {
        const size_t left = bytes.size() - at;
        const std::string where = " at offset " + std::to_string(at);
        if (left < kHeaderBytes)
            throw Error(name + ": truncated record" + where + ": its header needs " +
                        std::to_string(kHeaderBytes) + " bytes, " + std::to_string(left) + " left");
        const uint32_t lengthCrc = static_cast<uint32_t>(readLittleEndian(bytes, at + 8, 4));
        if (lengthCrc != maskedCrc32c(bytes.data() + at, 8))
            throw Error(name + ": corrupt record" + where +
                        ": the CRC-32C of its length does not match (stored " + hex(lengthCrc) +
                        ", computed " + hex(maskedCrc32c(bytes.data() + at, 8)) + ")");
        const uint64_t length = readLittleEndian(bytes, at, 8);
        if (length > left - kHeaderBytes || left - kHeaderBytes - length < kFooterBytes)
            throw Error(name + ": truncated record" + where + ": it holds " + std::to_string(length) +
                        " bytes and its CRC, " + std::to_string(left - kHeaderBytes) + " bytes left");
        const std::string_view data = bytes.substr(at + kHeaderBytes, static_cast<size_t>(length));
        const uint32_t dataCrc =
            static_cast<uint32_t>(readLittleEndian(bytes, at + kHeaderBytes + length, 4));
        const uint32_t computed = maskedCrc32c(data.data(), data.size());
        if (dataCrc != computed)
            throw Error(name + ": corrupt record" + where + ": the CRC-32C of its " + std::to_string(length) +
                        " bytes does not match (stored " + hex(dataCrc) + ", computed " + hex(computed) +
                        ")");
        records.push_back(data);
        at += kHeaderBytes + static_cast<size_t>(length) + kFooterBytes;
    }
    return records;
}

std::string fileVersionEvent(double wallTime) {
    ProtoWriter event;
    event.float64(kEventWallTime, wallTime);
    event.bytes(kEventFileVersion, kFileVersion);
    return event.data();
}

namespace {

// An Event {wall_time, step, summary {value}} around one Summary.Value.
std::string summaryEventMessage(const ProtoWriter& value, double wallTime, int64_t step) {
    ProtoWriter summary;
    summary.bytes(kSummaryValue, value.data());
    ProtoWriter event;
    event.float64(kEventWallTime, wallTime);
    event.int64(kEventStep, step);
    event.bytes(kEventSummary, summary.data());
    return event.data();
}

} // namespace

std::string scalarEventMessage(const ScalarEvent& e) {
    ProtoWriter value;
    value.bytes(kValueTag, e.tag);
    value.float32(kValueSimpleValue, e.value);
    return summaryEventMessage(value, e.wallTime, e.step);
}

std::string histogramProtoBytes(const HistogramEvent& h) {
    ProtoWriter histo;
    histo.float64(kHistoMin, h.min);
    histo.float64(kHistoMax, h.max);
    histo.float64(kHistoNum, h.num);
    histo.float64(kHistoSum, h.sum);
    histo.float64(kHistoSumSquares, h.sumSquares);
    histo.bytes(kHistoBucketLimit, packedDoubles(h.bucketLimit));
    histo.bytes(kHistoBucket, packedDoubles(h.bucket));
    return histo.data();
}

std::string histogramEventMessage(const HistogramEvent& e) {
    ProtoWriter value;
    value.bytes(kValueTag, e.tag);
    value.bytes(kValueHisto, histogramProtoBytes(e));
    return summaryEventMessage(value, e.wallTime, e.step);
}

std::string eventFileBytes(const std::vector<ScalarEvent>& events, double wallTime,
                           const std::vector<HistogramEvent>& histograms) {
    std::string out = frameRecord(fileVersionEvent(wallTime));
    size_t h = 0;
    for (const ScalarEvent& e : events) {
        for (; h < histograms.size() && histograms[h].step < e.step; ++h)
            out += frameRecord(histogramEventMessage(histograms[h]));
        out += frameRecord(scalarEventMessage(e));
    }
    for (; h < histograms.size(); ++h)
        out += frameRecord(histogramEventMessage(histograms[h]));
    return out;
}

void writeEventFile(const std::string& path, const std::vector<ScalarEvent>& events, double wallTime,
                    const std::vector<HistogramEvent>& histograms) {
    const std::string bytes = eventFileBytes(events, wallTime, histograms);
    writeFileAtomically(path, std::vector<char>(bytes.begin(), bytes.end()));
}

std::string eventFileName(double wallTime, const std::string& host) {
    return "events.out.tfevents." + std::to_string(static_cast<long long>(wallTime)) + "." + host;
}

bool isEventFileName(const std::string& name) {
    return name.rfind("events.out.tfevents.", 0) == 0 && name.size() > 20;
}

EventFileContents parseEventFile(std::string_view bytes, const std::string& name) {
    EventFileContents out;
    size_t offset = 0;
    for (std::string_view record : splitRecords(bytes, name)) {
        const std::string what = name + ": event at offset " + std::to_string(offset);
        offset += kHeaderBytes + record.size() + kFooterBytes;
        ++out.events;
        double wallTime = 0.0;
        int64_t step = 0;
        std::vector<std::string_view> summaries;
        ProtoReader event(record, what);
        ProtoField field;
        while (event.next(field)) {
            if (field.number == kEventWallTime && field.type == WireType::Fixed64)
                wallTime = field.asDouble();
            else if (field.number == kEventStep && field.type == WireType::Varint)
                step = static_cast<int64_t>(field.integer);
            else if (field.number == kEventFileVersion && field.type == WireType::LengthDelimited)
                out.fileVersion = std::string(field.text);
            else if (field.number == kEventSummary && field.type == WireType::LengthDelimited)
                summaries.push_back(field.text);
        }
        for (std::string_view summary : summaries) // wall time and step may follow the summary
            readSummary(summary, what, wallTime, step, out);
    }
    return out;
}

EventFileContents readEventFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot open the event file");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw Error(path + ": cannot read the event file");
    return parseEventFile(bytes, path);
}

} // namespace bp::tensorboard
