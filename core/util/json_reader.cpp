#include "core/util/json_reader.h"
#include "core/util/error.h"
#include <cstdlib>

namespace bp {

namespace {

class Parser {
  public:
    explicit Parser(const std::string& text) : s_(text) {}

    std::map<std::string, JsonValue> object() {
        std::map<std::string, JsonValue> out;
        expect('{');
        if (peek() == '}') {
            ++i_;
        } else {
            for (;;) {
                std::string key = string();
                expect(':');
                out[key] = value(true);
                if (peek() == ',') {
                    ++i_;
                    continue;
                }
                expect('}');
                break;
            }
        }
        if (peek() != '\0')
            fail("unexpected text after the object");
        return out;
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("JSON: " + what + " at character " + std::to_string(i_ + 1));
    }
    char peek() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
            ++i_;
        return i_ < s_.size() ? s_[i_] : '\0';
    }
    void expect(char c) {
        if (peek() != c)
            fail(std::string("expected '") + c + "'");
        ++i_;
    }
    bool literal(const char* word) {
        const std::string w(word);
        if (s_.compare(i_, w.size(), w) != 0)
            return false;
        i_ += w.size();
        return true;
    }

    JsonValue value(bool allowArray) {
        JsonValue v;
        const char c = peek();
        if (c == '"') {
            v.type = JsonValue::Type::String;
            v.text = string();
        } else if (c == '[' && allowArray) {
            ++i_;
            v.type = JsonValue::Type::Array;
            if (peek() == ']') {
                ++i_;
                return v;
            }
            for (;;) {
                v.elements.push_back(value(false));
                if (peek() == ',') {
                    ++i_;
                    continue;
                }
                expect(']');
                break;
            }
        } else if (literal("true") || literal("false")) {
            v.type = JsonValue::Type::Bool;
            v.boolean = s_[i_ - 1] == 'e' && s_[i_ - 2] == 'u';
        } else if (literal("null")) {
            v.type = JsonValue::Type::Null;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            const size_t start = i_;
            while (i_ < s_.size() && std::string("+-.eE0123456789").find(s_[i_]) != std::string::npos)
                ++i_;
            v.type = JsonValue::Type::Number;
            v.text = s_.substr(start, i_ - start);
            char* end = nullptr;
            v.number = std::strtod(v.text.c_str(), &end);
            if (end != v.text.c_str() + v.text.size())
                fail("malformed number '" + v.text + "'");
        } else {
            fail("expected a value");
        }
        return v;
    }

    static void appendUtf8(std::string& out, unsigned code) {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    unsigned hex4() {
        if (i_ + 4 > s_.size())
            fail("truncated \\u escape");
        const std::string digits = s_.substr(i_, 4);
        char* end = nullptr;
        const unsigned long code = std::strtoul(digits.c_str(), &end, 16);
        if (end != digits.c_str() + 4)
            fail("malformed \\u escape");
        i_ += 4;
        return static_cast<unsigned>(code);
    }

    std::string string() {
        expect('"');
        std::string out;
        while (i_ < s_.size() && s_[i_] != '"') {
            char c = s_[i_++];
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size())
                break;
            c = s_[i_++];
            switch (c) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'u': {
                unsigned code = hex4();
                if (code >= 0xD800 && code < 0xDC00 && s_.compare(i_, 2, "\\u") == 0) {
                    i_ += 2;
                    code = 0x10000 + ((code - 0xD800) << 10) + (hex4() - 0xDC00);
                }
                appendUtf8(out, code);
                break;
            }
            default: out += c; // \" \\ \/
            }
        }
        if (i_ >= s_.size())
            fail("unterminated string");
        ++i_;
        return out;
    }

    const std::string& s_;
    size_t i_ = 0;
};

} // namespace

std::map<std::string, JsonValue> parseJsonObject(const std::string& json) { return Parser(json).object(); }

} // namespace bp
