#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bp::tensorboard {

// One point of a TensorBoard scalar series: an Event (wall_time = 1, step = 2) whose Summary (5) holds one
// Value {tag = 1, simple_value = 2}.
struct ScalarEvent {
    std::string tag;
    int64_t step = 0;
    double wallTime = 0.0; // Unix seconds
    float value = 0.0f;
};

// One histogram of a TensorBoard histogram series: an Event (wall_time = 1, step = 2) whose Summary (5) holds
// one Value {tag = 1, histo = 5}, a HistogramProto (tensorflow/core/framework/summary.proto): min = 1,
// max = 2, num = 3, sum = 4, sum_squares = 5 (doubles), bucket_limit = 6 and bucket = 7 (packed doubles).
// Bucket i counts the values in (bucket_limit[i − 1], bucket_limit[i]] (the first from min).
struct HistogramEvent {
    std::string tag;
    int64_t step = 0;
    double wallTime = 0.0; // Unix seconds
    double min = 0.0, max = 0.0, num = 0.0, sum = 0.0, sumSquares = 0.0;
    std::vector<double> bucketLimit, bucket;
};

// What TensorBoard writes first in every file (Event.file_version, field 3).
inline constexpr const char* kFileVersion = "brain.Event:2";

// TFRecord framing of one record: uint64 length, masked CRC-32C of those 8 bytes, the data, masked CRC-32C
// of the data (all little-endian).
std::string frameRecord(std::string_view data);

// The records of a TFRecord file's bytes, each checked against both CRCs. Throws bp::Error
// "<name>: ... at offset N" for a truncated record (a header or data cut short) and for a CRC that does not
// match (a corrupt file), never reading past the end.
std::vector<std::string_view> splitRecords(std::string_view bytes, const std::string& name);

// Encoded Event messages.
std::string fileVersionEvent(double wallTime);
std::string scalarEventMessage(const ScalarEvent& event);
// The HistogramProto's bytes (every field written, in field order), and the Event holding it.
std::string histogramProtoBytes(const HistogramEvent& histogram);
std::string histogramEventMessage(const HistogramEvent& event);

// The bytes of an event file: the file_version event, then one record per scalar and histogram, merged by
// step (a histogram after the scalars of its step; each list in step order).
std::string eventFileBytes(const std::vector<ScalarEvent>& events, double wallTime,
                           const std::vector<HistogramEvent>& histograms = {});
// Writes them atomically (creating folders); throws bp::Error naming the file.
void writeEventFile(const std::string& path, const std::vector<ScalarEvent>& events, double wallTime,
                    const std::vector<HistogramEvent>& histograms = {});

// "events.out.tfevents.<whole seconds>.<host>", as TensorBoard's writers name their files.
std::string eventFileName(double wallTime, const std::string& host);
// Whether a file name is one of those (TensorBoard reads only such files).
bool isEventFileName(const std::string& name);

struct EventFileContents {
    std::string fileVersion; // from the file_version event, "" when none
    std::vector<ScalarEvent> scalars;
    std::vector<HistogramEvent> histograms;
    size_t events = 0;        // records read
    size_t skippedValues = 0; // summary values of neither kind (images, audio, tensors)
};
// Reads an event file's scalars and histograms in file order (packed or unpacked buckets). Throws bp::Error
// naming the file (and the offset) when it cannot be read, is truncated or corrupt, or holds a record that is
// not an Event.
EventFileContents parseEventFile(std::string_view bytes, const std::string& name);
EventFileContents readEventFile(const std::string& path);

} // namespace bp::tensorboard
