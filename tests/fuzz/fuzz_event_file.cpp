// Fuzzes reading a TensorBoard event file (core/tensorboard: TFRecord framing with its CRC-32Cs, then the
// Event, Summary, Value and HistogramProto fields by hand): any bytes give the file's scalars and histograms
// or a bp::Error. A second pass frames the records the input holds again with their CRCs right (and, when it
// holds none, the input as one record), so that mutations reach the protobuf reading behind the CRCs; what
// that reads back is written and read once more, to the same values.
#include "core/tensorboard/event_file.h"
#include "core/util/error.h"
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

using namespace bp::tensorboard;

// The TFRecord records of bytes, whatever their CRCs: each framed again by frameRecord(); a record cut short
// is kept with the bytes it has.
std::string reframed(std::string_view bytes) {
    std::string out;
    size_t at = 0;
    while (at + 12 <= bytes.size()) {
        uint64_t length = 0;
        std::memcpy(&length, bytes.data() + at, 8); // little-endian, as the machines this runs on
        at += 12;
        const size_t n = static_cast<size_t>(std::min<uint64_t>(length, bytes.size() - at));
        out += frameRecord(bytes.substr(at, n));
        at += n + 4;
    }
    return out.empty() ? frameRecord(bytes) : out;
}

bool same(double a, double b) {
    return a == b || (std::isnan(a) && std::isnan(b));
}

void read(std::string_view bytes) {
    EventFileContents contents;
    try {
        contents = parseEventFile(bytes, "fuzz");
    } catch (const bp::Error&) {
        return;
    }
    // What was read is written back and read again: the same scalars and histograms.
    const EventFileContents again =
        parseEventFile(eventFileBytes(contents.scalars, 1.0, contents.histograms), "again");
    if (again.scalars.size() != contents.scalars.size() ||
        again.histograms.size() != contents.histograms.size())
        std::abort();
    for (size_t i = 0; i < again.scalars.size(); ++i) {
        const ScalarEvent &a = contents.scalars[i], &b = again.scalars[i];
        if (a.tag != b.tag || a.step != b.step || !same(a.wallTime, b.wallTime) || !same(a.value, b.value))
            std::abort();
    }
    for (size_t i = 0; i < again.histograms.size(); ++i) {
        const HistogramEvent &a = contents.histograms[i], &b = again.histograms[i];
        if (a.tag != b.tag || a.step != b.step || a.bucket.size() != b.bucket.size() ||
            a.bucketLimit.size() != b.bucketLimit.size() || !same(a.num, b.num))
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    read(bytes);
    read(reframed(bytes));
    return 0;
}
