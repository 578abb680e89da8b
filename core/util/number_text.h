#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Numbers as text for files, command lines and machine-read output, independent of the C locale (which
// Qt's application sets from the environment: a German user's printf writes "0,1"). Written with
// std::to_chars, read with std::from_chars.
namespace bp {

// The shortest text that reads back as the same double, in printf %g's style ("0.1", "0.0001", "1e-6",
// "500"); "nan", "inf", "-inf" for the non-finite values.
std::string formatNumber(double value);
// value with at most `digits` significant digits, e.g. formatNumber(0.123456, 3) == "0.123".
std::string formatNumber(double value, int digits);
// value with exactly `decimals` digits after the point, e.g. formatFixed(2.5, 1) == "2.5".
std::string formatFixed(double value, int decimals);
// value in scientific notation with `decimals` digits after the point, e.g. formatScientific(3.1e-7, 1) ==
// "3.1e-07" (as printf's %.1e).
std::string formatScientific(double value, int decimals);

// The whole text as a number (no leading or trailing space, no trailing characters); nullopt otherwise.
// parseNumber accepts what formatNumber writes, a leading '+' and "nan"/"inf" in any case.
std::optional<double> parseNumber(std::string_view text);
std::optional<int64_t> parseInteger(std::string_view text);
std::optional<uint64_t> parseUnsigned(std::string_view text);

} // namespace bp
