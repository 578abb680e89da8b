#include "core/tensorboard/proto_wire.h"
#include "core/util/error.h"
#include <cstring>

namespace bp::tensorboard {

namespace {

template <typename T> T fromBits(uint64_t bits) {
    using Bits = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
    const Bits raw = static_cast<Bits>(bits);
    T value;
    std::memcpy(&value, &raw, sizeof value);
    return value;
}

} // namespace

void ProtoWriter::rawVarint(uint64_t value) {
    while (value >= 0x80) {
        data_.push_back(static_cast<char>((value & 0x7F) | 0x80));
        value >>= 7;
    }
    data_.push_back(static_cast<char>(value));
}

void ProtoWriter::key(int field, WireType type) {
    rawVarint((static_cast<uint64_t>(field) << 3) | static_cast<uint64_t>(type));
}

void ProtoWriter::varint(int field, uint64_t value) {
    key(field, WireType::Varint);
    rawVarint(value);
}

void ProtoWriter::float64(int field, double value) {
    key(field, WireType::Fixed64);
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 8; ++i)
        data_.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
}

void ProtoWriter::float32(int field, float value) {
    key(field, WireType::Fixed32);
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 4; ++i)
        data_.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
}

void ProtoWriter::bytes(int field, std::string_view value) {
    key(field, WireType::LengthDelimited);
    rawVarint(value.size());
    data_.append(value);
}

double ProtoField::asDouble() const {
    return type == WireType::Fixed32 ? static_cast<double>(fromBits<float>(integer))
                                     : fromBits<double>(integer);
}

float ProtoField::asFloat() const {
    return type == WireType::Fixed64 ? static_cast<float>(fromBits<double>(integer))
                                     : fromBits<float>(integer);
}

void ProtoReader::fail(const std::string& problem, size_t at) const {
    throw Error(what_ + ": " + problem + " at byte " + std::to_string(at) + " of " +
                std::to_string(data_.size()));
}

uint64_t ProtoReader::readVarint() {
    const size_t start = pos_;
    uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (pos_ >= data_.size())
            fail("truncated varint", start);
        const auto byte = static_cast<unsigned char>(data_[pos_++]);
        value |= static_cast<uint64_t>(byte & 0x7F) << shift;
        if (!(byte & 0x80))
            return value;
    }
    fail("varint longer than 10 bytes", start);
}

bool ProtoReader::next(ProtoField& field) {
    if (pos_ >= data_.size())
        return false;
    const size_t start = pos_;
    const uint64_t key = readVarint();
    const uint64_t number = key >> 3;
    if (number == 0 || number > 536870911)
        fail("field number " + std::to_string(number) + " out of range", start);
    field.number = static_cast<int>(number);
    field.type = static_cast<WireType>(key & 7);
    field.integer = 0;
    field.text = {};
    auto fixed = [&](size_t size) {
        if (data_.size() - pos_ < size)
            fail("truncated " + std::to_string(size * 8) + "-bit field " + std::to_string(number), start);
        for (size_t i = 0; i < size; ++i)
            field.integer |= static_cast<uint64_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
        pos_ += size;
    };
    switch (field.type) {
    case WireType::Varint:
        field.integer = readVarint();
        break;
    case WireType::Fixed64:
        fixed(8);
        break;
    case WireType::Fixed32:
        fixed(4);
        break;
    case WireType::LengthDelimited: {
        const uint64_t size = readVarint();
        if (size > data_.size() - pos_)
            fail("field " + std::to_string(number) + " of " + std::to_string(size) +
                     " bytes overruns the message",
                 start);
        field.text = data_.substr(pos_, static_cast<size_t>(size));
        pos_ += static_cast<size_t>(size);
        break;
    }
    default:
        fail("unsupported wire type " + std::to_string(key & 7) + " (field " + std::to_string(number) + ")",
             start);
    }
    return true;
}

} // namespace bp::tensorboard
