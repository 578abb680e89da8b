#pragma once
#include <optional>
#include <string>

// How the store subcommands (list, show, sweep list/show) print times and error rates.
namespace bp {

// "2026-12-05 10:43" in local time; "-" when there is none.
std::string formatTime(std::optional<double> unixSeconds);
// "12.34 %"; "-" when there is none (or NaN).
std::string formatPercent(std::optional<double> percent);

} // namespace bp
