#include "core/tensorboard/event_file.h"
#include "core/tensorboard/crc32c.h"
#include "core/tensorboard/proto_wire.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include <cstdio>
#include <fstream>
#include <iterator>

namespace bp::tensorboard {

namespace {

// Event's fields (tensorflow/core/util/event.proto) and Summary's (tensorflow/core/framework/summary.proto).
constexpr int kEventWallTime = 1, kEventStep = 2, kEventFileVersion = 3, kEventSummary = 5;
constexpr int kSummaryValue = 1, kValueTag = 1, kValueSimpleValue = 2;
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

// Adds the scalars of one Summary message to `out`.
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
        ProtoReader value(field.text, what);
        ProtoField v;
        while (value.next(v)) {
            if (v.number == kValueTag && v.type == WireType::LengthDelimited) {
                scalar.tag = std::string(v.text);
            } else if (v.number == kValueSimpleValue &&
                       (v.type == WireType::Fixed32 || v.type == WireType::Fixed64)) {
                scalar.value = v.asFloat();
                hasValue = true;
            }
        }
        if (hasValue)
            out.scalars.push_back(std::move(scalar));
        else
            ++out.skippedValues;
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

std::string scalarEventMessage(const ScalarEvent& e) {
    ProtoWriter value;
    value.bytes(kValueTag, e.tag);
    value.float32(kValueSimpleValue, e.value);
    ProtoWriter summary;
    summary.bytes(kSummaryValue, value.data());
    ProtoWriter event;
    event.float64(kEventWallTime, e.wallTime);
    event.int64(kEventStep, e.step);
    event.bytes(kEventSummary, summary.data());
    return event.data();
}

std::string eventFileBytes(const std::vector<ScalarEvent>& events, double wallTime) {
    std::string out = frameRecord(fileVersionEvent(wallTime));
    for (const ScalarEvent& e : events)
        out += frameRecord(scalarEventMessage(e));
    return out;
}

void writeEventFile(const std::string& path, const std::vector<ScalarEvent>& events, double wallTime) {
    const std::string bytes = eventFileBytes(events, wallTime);
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
