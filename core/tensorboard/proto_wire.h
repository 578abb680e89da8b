#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bp::tensorboard {

// The protocol buffer wire format, as far as TensorBoard's Event and Summary messages need it: each field
// is a key (field number << 3 | wire type) as a varint, then a varint, 8 bytes little-endian, a
// length-delimited byte string (strings and nested messages) or 4 bytes little-endian.
enum class WireType : uint8_t { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 };

// Appends fields to a message's bytes.
class ProtoWriter {
  public:
    void varint(int field, uint64_t value);
    void int64(int field, int64_t value) { varint(field, static_cast<uint64_t>(value)); } // two's complement
    void float64(int field, double value);
    void float32(int field, float value);
    void bytes(int field, std::string_view value); // a string, or an encoded nested message
    const std::string& data() const { return data_; }

  private:
    void key(int field, WireType type);
    void rawVarint(uint64_t value);
    std::string data_;
};

// One field read from a message.
struct ProtoField {
    int number = 0;
    WireType type = WireType::Varint;
    uint64_t integer = 0;  // Varint; Fixed64 and Fixed32: the raw little-endian bits
    std::string_view text; // LengthDelimited: the bytes (a view into the message)
    double asDouble() const;
    float asFloat() const;
};

// Reads a message's fields in order. next() throws bp::Error "<what>: ..." naming the offset of a
// truncated field, a varint longer than 10 bytes or an unknown wire type (3 and 4, groups, are refused).
class ProtoReader {
  public:
    ProtoReader(std::string_view message, std::string what) : data_(message), what_(std::move(what)) {}
    bool next(ProtoField& field);

  private:
    uint64_t readVarint();
    [[noreturn]] void fail(const std::string& problem, size_t at) const;
    std::string_view data_;
    std::string what_;
    size_t pos_ = 0;
};

} // namespace bp::tensorboard
