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

// The bytes of an event file: the file_version event, then one record per scalar.
std::string eventFileBytes(const std::vector<ScalarEvent>& events, double wallTime);
// Writes them atomically (creating folders); throws bp::Error naming the file.
void writeEventFile(const std::string& path, const std::vector<ScalarEvent>& events, double wallTime);

// "events.out.tfevents.<whole seconds>.<host>", as TensorBoard's writers name their files.
std::string eventFileName(double wallTime, const std::string& host);
// Whether a file name is one of those (TensorBoard reads only such files).
bool isEventFileName(const std::string& name);

struct EventFileContents {
    std::string fileVersion; // from the file_version event, "" when none
    std::vector<ScalarEvent> scalars;
    size_t events = 0;        // records read
    size_t skippedValues = 0; // summary values without a simple_value (images, histograms, tensors)
};
// Reads an event file's scalars in file order. Throws bp::Error naming the file (and the offset) when it
// cannot be read, is truncated or corrupt, or holds a record that is not an Event.
EventFileContents parseEventFile(std::string_view bytes, const std::string& name);
EventFileContents readEventFile(const std::string& path);

} // namespace bp::tensorboard
