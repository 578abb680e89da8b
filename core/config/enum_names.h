#pragma once
#include "core/util/error.h"
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace bp {

// The text names of an enumeration: the first name of a value is how it is written, any other an
// alias that is read. Parsing ignores case and treats '_' as '-'; an unknown name is a bp::Error
// listing the names that are written.
template <typename E> class EnumNames {
  public:
    EnumNames(const char* what, std::vector<std::pair<const char*, E>> names)
        : what_(what), names_(std::move(names)) {}

    std::string name(E value) const {
        for (const auto& [n, v] : names_)
            if (v == value)
                return n;
        return "?";
    }
    E parse(const std::string& text) const {
        std::string key = text;
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
        std::replace(key.begin(), key.end(), '_', '-');
        for (const auto& [n, v] : names_)
            if (key == n)
                return v;
        throw Error("unknown " + std::string(what_) + " '" + text + "' (allowed: " + allowed() + ")");
    }
    // The written names, comma-separated.
    std::string allowed() const {
        std::string out;
        std::vector<E> seen;
        for (const auto& [n, v] : names_) {
            if (std::find(seen.begin(), seen.end(), v) != seen.end())
                continue;
            seen.push_back(v);
            out += (out.empty() ? "" : ", ") + std::string(n);
        }
        return out;
    }

  private:
    const char* what_;
    std::vector<std::pair<const char*, E>> names_;
};

} // namespace bp
