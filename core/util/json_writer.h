#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bp {

// JSON throughout the core is nlohmann::json (Debian's nlohmann-json3-dev): strict parsing (escapes,
// surrogates), and numbers written and read without the C locale. Objects keep their insertion order.
using Json = nlohmann::ordered_json;

// Builds one JSON object as a single line, fields in the order given. Non-finite numbers become null
// (JSON has no NaN); doubles are written as the shortest text that reads back the same.
class JsonWriter {
  public:
    JsonWriter& field(const std::string& key, double value);
    JsonWriter& field(const std::string& key, long long value);
    JsonWriter& field(const std::string& key, int value) { return field(key, static_cast<long long>(value)); }
    JsonWriter& field(const std::string& key, bool value);
    JsonWriter& field(const std::string& key, const std::string& value);
    JsonWriter& field(const std::string& key, const char* value) { return field(key, std::string(value)); }
    JsonWriter& field(const std::string& key, const std::vector<double>& values);
    JsonWriter& field(const std::string& key, const std::vector<int>& values);
    JsonWriter& field(const std::string& key, const Json& value);
    JsonWriter& null(const std::string& key);
    // A value that is already JSON text; throws bp::Error when it is not valid JSON.
    JsonWriter& raw(const std::string& key, const std::string& json);
    std::string str() const;
    const Json& object() const { return object_; }

  private:
    Json object_ = Json::object();
};

// Parses text as JSON; throws bp::Error "<what>: <parser's message>" when it is not valid JSON.
Json parseJson(const std::string& text, const std::string& what = "JSON");

} // namespace bp
