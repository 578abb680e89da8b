#pragma once
#include <map>
#include <string>
#include <vector>

namespace bp {

// One value of a flat JSON object, as the program's own writers produce them (configs, events).
struct JsonValue {
    enum class Type { Null, Bool, Number, String, Array };
    Type type = Type::Null;
    bool boolean = false;
    double number = 0.0;
    std::string text;                // String; for Number, the literal as written (exact integers)
    std::vector<JsonValue> elements; // Array
};

// Parses one JSON object whose values are null, booleans, numbers, strings or arrays of those (nested
// objects are rejected). Throws bp::Error naming the position of the first problem.
std::map<std::string, JsonValue> parseJsonObject(const std::string& json);

} // namespace bp
