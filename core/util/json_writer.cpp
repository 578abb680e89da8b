#include "core/util/json_writer.h"
#include <cmath>
#include <cstdio>

namespace bp {

std::string JsonWriter::quote(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                out += buffer;
            } else {
                out += static_cast<char>(c); // UTF-8 passes through unchanged
            }
        }
    }
    return out + "\"";
}

std::string JsonWriter::number(double value) {
    if (!std::isfinite(value))
        return "null";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

void JsonWriter::key(const std::string& name) {
    if (!body_.empty())
        body_ += ',';
    body_ += quote(name);
    body_ += ':';
}

JsonWriter& JsonWriter::field(const std::string& k, double value) {
    key(k);
    body_ += number(value);
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, long long value) {
    key(k);
    body_ += std::to_string(value);
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, bool value) {
    key(k);
    body_ += value ? "true" : "false";
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, const std::string& value) {
    key(k);
    body_ += quote(value);
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, const std::vector<double>& values) {
    key(k);
    body_ += '[';
    for (size_t i = 0; i < values.size(); ++i)
        body_ += (i ? "," : "") + number(values[i]);
    body_ += ']';
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, const std::vector<int>& values) {
    key(k);
    body_ += '[';
    for (size_t i = 0; i < values.size(); ++i)
        body_ += (i ? "," : "") + std::to_string(values[i]);
    body_ += ']';
    return *this;
}
JsonWriter& JsonWriter::null(const std::string& k) {
    key(k);
    body_ += "null";
    return *this;
}
JsonWriter& JsonWriter::raw(const std::string& k, const std::string& json) {
    key(k);
    body_ += json;
    return *this;
}

} // namespace bp
