#include "core/cli/table_text.h"
#include "core/util/number_text.h"
#include <cmath>
#include <ctime>

namespace bp {

std::string formatTime(std::optional<double> t) {
    if (!t)
        return "-";
    const std::time_t seconds = static_cast<std::time_t>(*t);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
    return text;
}

std::string formatPercent(std::optional<double> v) {
    if (!v || std::isnan(*v))
        return "-";
    return formatFixed(*v, 2) + " %";
}

} // namespace bp
