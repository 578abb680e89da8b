#pragma once
#include <string>
#include <vector>

namespace bp {

// Builds one JSON object as a single line. Non-finite numbers become null (JSON has no NaN).
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
    JsonWriter& null(const std::string& key);
    JsonWriter& raw(const std::string& key, const std::string& json); // value already JSON
    std::string str() const { return "{" + body_ + "}"; }

    static std::string quote(const std::string& text);
    static std::string number(double value);

private:
    void key(const std::string& name);
    std::string body_;
};

} // namespace bp
