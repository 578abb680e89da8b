#include "core/util/number_text.h"
#include <charconv>
#include <cmath>

namespace bp {

namespace {

std::string_view withoutPlus(std::string_view text) {
    return !text.empty() && text.front() == '+' && text.size() > 1 && text[1] != '-' ? text.substr(1) : text;
}

template <typename T> std::optional<T> parseWhole(std::string_view text) {
    text = withoutPlus(text);
    T value{};
    const char* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    if (text.empty() || result.ec != std::errc() || result.ptr != end)
        return std::nullopt;
    return value;
}

} // namespace

std::string formatNumber(double value) {
    if (std::isnan(value))
        return "nan";
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    // The fewest significant digits that read back as exactly value, in %g's style ("100", "0.0001",
    // "2.5e-5": an exponent only where %g takes one, written without padding).
    std::string text;
    for (int digits = 1; digits <= 17; ++digits) {
        text = formatNumber(value, digits);
        if (parseNumber(text) == value)
            break;
    }
    const size_t e = text.find('e');
    if (e == std::string::npos)
        return text;
    const int exponent = static_cast<int>(*parseInteger(text.substr(e + 1)));
    if (exponent >= 0 && exponent < 17) // %g chose an exponent only for want of digits: write them out
        return formatNumber(value, exponent + 1);
    return text.substr(0, e + 1) + std::to_string(exponent);
}

namespace {
// to_chars with a format and a precision; the non-finite values as formatNumber writes them.
std::string formatAs(double value, std::chars_format format, int precision) {
    if (!std::isfinite(value))
        return formatNumber(value);
    char buffer[400]; // a fixed-format double may need 300 digits and more
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, format, precision);
    return std::string(buffer, result.ptr);
}
} // namespace

std::string formatNumber(double value, int digits) {
    return formatAs(value, std::chars_format::general, digits);
}
std::string formatFixed(double value, int decimals) {
    return formatAs(value, std::chars_format::fixed, decimals);
}
std::string formatScientific(double value, int decimals) {
    return formatAs(value, std::chars_format::scientific, decimals);
}

std::optional<double> parseNumber(std::string_view text) {
    return parseWhole<double>(text);
}

std::optional<int64_t> parseInteger(std::string_view text) {
    return parseWhole<int64_t>(text);
}

std::optional<uint64_t> parseUnsigned(std::string_view text) {
    if (!text.empty() && text.front() == '-')
        return std::nullopt;
    return parseWhole<uint64_t>(text);
}

} // namespace bp
