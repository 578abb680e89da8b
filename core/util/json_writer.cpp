#include "core/util/json_writer.h"
#include "core/util/error.h"
#include <cmath>

namespace bp {

namespace {
Json finite(double value) {
    return std::isfinite(value) ? Json(value) : Json(nullptr);
}
} // namespace

JsonWriter& JsonWriter::field(const std::string& k, double value) {
    object_[k] = finite(value);
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, long long value) {
    object_[k] = static_cast<int64_t>(value);
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, bool value) {
    object_[k] = value;
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, const std::string& value) {
    object_[k] = value;
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, const std::vector<double>& values) {
    Json array = Json::array();
    for (double v : values)
        array.push_back(finite(v));
    object_[k] = std::move(array);
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, const std::vector<int>& values) {
    object_[k] = values;
    return *this;
}
JsonWriter& JsonWriter::field(const std::string& k, const Json& value) {
    object_[k] = value;
    return *this;
}
JsonWriter& JsonWriter::null(const std::string& k) {
    object_[k] = nullptr;
    return *this;
}
JsonWriter& JsonWriter::raw(const std::string& k, const std::string& json) {
    object_[k] = parseJson(json);
    return *this;
}

std::string JsonWriter::str() const {
    // Invalid UTF-8 in a user's text (a name, a path) is replaced rather than thrown.
    return object_.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json parseJson(const std::string& text, const std::string& what) {
    try {
        return Json::parse(text);
    } catch (const Json::exception& e) {
        throw Error(what + ": " + e.what());
    }
}

} // namespace bp
