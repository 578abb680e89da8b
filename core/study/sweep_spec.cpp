#include "core/study/sweep_spec.h"
#include "core/config/hyperparameters.h"
#include "core/config/network_spec.h"
#include "core/setup/command_line.h"
#include "core/setup/defaults.h"
#include "core/study/split_mix.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace bp::study {

namespace {

constexpr int kMaxRangeCount = 10000;
constexpr int kMaxSeeds = 10000;

std::string trimmed(const std::string& s) {
    const size_t a = s.find_first_not_of(" \t");
    if (a == std::string::npos)
        return {};
    return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

std::vector<std::string> split(const std::string& s, char separator) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        const size_t end = s.find(separator, start);
        parts.push_back(trimmed(s.substr(start, end == std::string::npos ? std::string::npos : end - start)));
        if (end == std::string::npos)
            return parts;
        start = end + 1;
    }
}

// What a swept key takes.
enum class Kind { Number, Integer, Bool, Choice, Widths };

// The numeric keys' bounds: the table's, or n_hidden_layers' [0, kMaxHiddenLayers].
struct Bounds {
    double low, high;
    std::string text; // "[0, 100]"
};

// A number of a numeric key, checked against its bounds, as the CLI words it.
double numberValue(const std::string& key, Kind kind, const Bounds& bounds, const std::string& text) {
    double v = 0.0;
    if (kind == Kind::Integer) {
        const auto i = parseInteger(text);
        if (!i)
            throw Error(key + ": '" + text + "' is not an integer (allowed range " + bounds.text + ")");
        v = static_cast<double>(*i);
    } else {
        const auto r = parseNumber(text);
        if (!r)
            throw Error(key + ": '" + text + "' is not a number (allowed range " + bounds.text + ")");
        v = *r;
    }
    if (!std::isfinite(v) || v < bounds.low || v > bounds.high)
        throw Error(key + ": " + text + " is out of range " + bounds.text);
    return v;
}

// v to 12 significant digits, so that 10^-1 from a log range reads "0.1", not "0.09999999999999999".
double rounded(double v) {
    return parseNumber(formatNumber(v, 12)).value_or(v);
}

std::string numberText(Kind kind, double v) {
    if (kind == Kind::Integer)
        return std::to_string(std::llround(v));
    return formatNumber(rounded(v));
}

// The canonical name of a choice's value (the rule registry's name, toString() of the parsed enum).
std::string choiceValue(const std::string& key, const std::string& value) {
    try {
        if (key == "rule") // the rule registry's name; "unknown learning rule 'x' (allowed: ...)"
            return defaultConfig(DatasetKind::FashionMnist, value).rule;
        if (key == "dataset")
            return toString(parseDatasetKind(value));
        if (key == "activation")
            return toString(parseActivation(value));
        if (key == "output")
            return toString(parseOutputKind(value));
        if (key == "perturbation")
            return toString(parsePerturbationMode(value));
        if (key == "optimizer")
            return toString(parseOptimizerKind(value));
        if (key == "dtype")
            return toString(parseDtype(value));
    } catch (const Error& e) {
        throw Error(key + ": " + e.what());
    }
    throw Error(key + ": cannot be swept");
}

std::string widthsValue(const std::string& key, const std::string& value) {
    if (value == "none" || value == "NONE")
        return "none";
    std::string out;
    for (const std::string& item : split(value, ',')) {
        const auto w = parseInteger(item);
        if (!w || *w < 1 || *w > kMaxLayerWidth)
            throw Error(key + ": '" + value + "' is not a comma-separated list of widths in [1, " +
                        std::to_string(kMaxLayerWidth) + "] (shapes are separated by ';', e.g. 500;500,500)");
        out += (out.empty() ? "" : ",") + std::to_string(*w);
    }
    return out;
}

SweepRange parseRange(const std::string& key, Kind kind, const Bounds& bounds, const std::string& spec) {
    const size_t dots = spec.find("..");
    const std::vector<std::string> rest = split(spec.substr(dots + 2), ':');
    const std::string lowText = trimmed(spec.substr(0, dots));
    const std::string& highText = rest[0];
    const std::string form = " (lo..hi:N or lo..hi:N:log)";
    if (lowText.empty() || highText.empty())
        throw Error(key + ": '" + spec + "' is not a range" + form);
    SweepRange range;
    range.low = numberValue(key, kind, bounds, lowText);
    range.high = numberValue(key, kind, bounds, highText);
    for (size_t i = 1; i < rest.size(); ++i) {
        const std::string& part = rest[i];
        if (part == "log" && i == rest.size() - 1) {
            range.log = true;
        } else if (i == 1 && !part.empty() && part != "log") {
            const auto count = parseInteger(part);
            if (!count)
                throw Error(key + ": '" + part + "' in '" + spec + "' is not a count" + form);
            if (*count < 2 || *count > kMaxRangeCount)
                throw Error(key + ": a range needs a count in [2, " + std::to_string(kMaxRangeCount) +
                            "], not " + part + form);
            range.count = static_cast<int>(*count);
        } else {
            throw Error(key + ": '" + spec + "' is not a range" + form);
        }
    }
    if (!(range.low < range.high))
        throw Error(key + ": the range's low end " + lowText + " must be below its high end " + highText);
    if (range.log && range.low <= 0.0)
        throw Error(key + ": a log range needs both ends above 0, not " + lowText + ".." + highText);
    return range;
}

// The count values of a range with a count, both ends included.
std::vector<std::string> rangeValues(Kind kind, const SweepRange& r) {
    std::vector<std::string> values;
    for (int i = 0; i < r.count; ++i) {
        double v = r.low;
        const double f = static_cast<double>(i) / (r.count - 1);
        if (i == r.count - 1)
            v = r.high;
        else if (i > 0)
            v = r.log ? std::exp(std::log(r.low) + f * (std::log(r.high) - std::log(r.low)))
                      : r.low + f * (r.high - r.low);
        values.push_back(numberText(kind, v));
    }
    return values;
}

// A value drawn from a range: uniform, or log-uniform for a log range.
std::string drawValue(Kind kind, const SweepRange& r, SplitMix64& generator) {
    const double u = generator.uniform();
    double v = r.log ? std::exp(std::log(r.low) + u * (std::log(r.high) - std::log(r.low)))
                     : r.low + u * (r.high - r.low);
    if (kind == Kind::Integer) // every integer of [low, high] equally likely (log: by its share of the range)
        v = r.log ? std::floor(std::exp(std::log(r.low) + u * (std::log(r.high + 1.0) - std::log(r.low))))
                  : std::floor(r.low + u * (r.high - r.low + 1.0));
    return numberText(kind, std::clamp(rounded(v), r.low, r.high));
}

std::string describe(const std::vector<std::pair<std::string, std::string>>& assignments) {
    std::string out;
    for (const auto& [key, value] : assignments)
        out += (out.empty() ? "" : " ") + key + "=" + value;
    return out.empty() ? "(base)" : out;
}

OptionItem optionItem(const std::string& key, const std::string& value) {
    OptionItem item;
    item.flag = flagName(key);
    item.key = key;
    item.kind = configOptionKind(key).value_or(OptionKind::Text);
    item.spec = findHyperparameter(key);
    item.value = value;
    item.hasValue = true;
    return item;
}

RunConfig configOf(std::vector<OptionItem> items,
                   const std::vector<std::pair<std::string, std::string>>& point, uint64_t seed) {
    for (const auto& [key, value] : point)
        items.push_back(optionItem(key, value));
    items.push_back(optionItem("seed", std::to_string(seed)));
    return parseConfigOptions(items);
}

// Whether the key's value in config means anything: the rule and network use it, and normalized()
// keeps it.
bool keyMatters(const RunConfig& config, const std::string& key) {
    if (!hyperparameterApplies(config, key))
        return false;
    if (const ParamSpec* spec = findHyperparameter(key))
        return spec->get(normalized(config)) == spec->get(config);
    return true;
}

} // namespace

SweepDimension parseSweepDimension(const std::string& text) {
    const size_t eq = text.find('=');
    if (eq == std::string::npos)
        throw Error("'" + text +
                    "': expected KEY=VALUES (e.g. hidden_lr=0.01,0.1 or hidden_lr=0.01..1:5:log)");
    std::string name = trimmed(text.substr(0, eq));
    name.erase(0, name.find_first_not_of('-'));
    SweepDimension d;
    d.key = normalisedOptionKey(name);
    d.spec = trimmed(text.substr(eq + 1));
    const std::string& key = d.key;
    if (key.empty())
        throw Error("'" + text + "': the option's name is missing (KEY=VALUES)");
    if (d.spec.empty())
        throw Error(key + ": no values (e.g. " + key + "=a,b)");

    const ParamSpec* spec = findHyperparameter(key);
    const auto optionKind = configOptionKind(key);
    Kind kind = Kind::Choice;
    Bounds bounds{0.0, 0.0, {}};
    if (spec && spec->type != ParamType::Bool) {
        kind = spec->type == ParamType::Int ? Kind::Integer : Kind::Number;
        bounds = {spec->min, spec->max, rangeText(*spec)};
    } else if (spec || optionKind == OptionKind::Bool) {
        kind = Kind::Bool;
    } else if (optionKind == OptionKind::Int) { // n_hidden_layers
        kind = Kind::Integer;
        bounds = {0.0, double(kMaxHiddenLayers), "[0, " + std::to_string(kMaxHiddenLayers) + "]"};
    } else if (key == "hidden_widths" || key == "conv_channels") {
        kind = Kind::Widths;
    } else if (key == "seed") {
        throw Error("seed: give the number of seeds per point with --seeds K, not a list");
    } else if (!optionKind) {
        throw Error(key + ": unknown option (see burstprop-train --help)");
    } else {
        static const std::set<std::string> choices = {"dataset",      "rule",      "activation", "output",
                                                      "perturbation", "optimizer", "dtype"};
        if (!choices.count(key))
            throw Error(key +
                        ": cannot be swept (a sweep varies hyperparameters, booleans and choices such as "
                        "rule or dataset)");
    }

    const bool numeric = kind == Kind::Number || kind == Kind::Integer;
    if (kind != Kind::Widths && d.spec.find("..") != std::string::npos) {
        if (!numeric)
            throw Error(key + ": takes a list of values (e.g. " + key + "=" +
                        (kind == Kind::Bool ? "true,false" : "a,b") + "), not a range");
        d.range = parseRange(key, kind, bounds, d.spec);
        d.integer = kind == Kind::Integer;
        if (d.range->count > 0)
            d.values = rangeValues(kind, *d.range);
    } else {
        d.integer = kind == Kind::Integer;
        for (const std::string& item : split(d.spec, kind == Kind::Widths ? ';' : ',')) {
            if (item.empty())
                throw Error(key + ": an empty value in '" + d.spec + "'");
            if (numeric)
                d.values.push_back(numberText(kind, numberValue(key, kind, bounds, item)));
            else if (kind == Kind::Bool)
                d.values.push_back(parseBoolValue(key, item) ? "true" : "false");
            else if (kind == Kind::Widths)
                d.values.push_back(widthsValue(key, item));
            else
                d.values.push_back(choiceValue(key, item));
        }
    }
    // The same value twice (typed, or integers rounded from a range) gives it once.
    std::vector<std::string> unique;
    for (const std::string& v : d.values)
        if (std::find(unique.begin(), unique.end(), v) == unique.end())
            unique.push_back(v);
    d.values = std::move(unique);
    return d;
}

std::vector<SweepDimension> parseSweep(const std::vector<std::string>& texts) {
    std::vector<SweepDimension> dimensions;
    for (const std::string& text : texts) {
        SweepDimension d = parseSweepDimension(text);
        for (const SweepDimension& other : dimensions)
            if (other.key == d.key)
                throw Error(d.key + ": given twice (give every value in one list: " + d.key + "=a,b,c)");
        dimensions.push_back(std::move(d));
    }
    return dimensions;
}

size_t gridPoints(const std::vector<SweepDimension>& dimensions) {
    size_t points = 1;
    for (const SweepDimension& d : dimensions) {
        if (d.values.empty())
            throw Error(d.key + ": a range without a count (" + d.spec +
                        ") can only be drawn from (--random N); a grid needs lo..hi:N");
        points = points > kMaxSweepRuns ? points : points * d.values.size(); // saturates past the limit
    }
    return points;
}

SweepExpansion expandSweep(const std::vector<SweepDimension>& dimensions, const SweepPlan& plan,
                           const std::vector<OptionItem>& base) {
    if (plan.seeds < 1 || plan.seeds > kMaxSeeds)
        throw Error("--seeds: " + std::to_string(plan.seeds) + " is out of range [1, " +
                    std::to_string(kMaxSeeds) + "]");
    const RunConfig baseConfig = parseConfigOptions(base);

    using Point = std::vector<std::pair<std::string, std::string>>;
    std::vector<Point> points;
    if (plan.mode == SweepMode::Grid) {
        const size_t n = gridPoints(dimensions);
        if (n * static_cast<size_t>(plan.seeds) > kMaxSweepRuns)
            throw Error(
                "the grid has " +
                (n > kMaxSweepRuns ? "more than " + std::to_string(kMaxSweepRuns) : std::to_string(n)) +
                " points × " + std::to_string(plan.seeds) + " seeds: more than the " +
                std::to_string(kMaxSweepRuns) + " runs a sweep may have");
        std::vector<size_t> index(dimensions.size(), 0); // an odometer, the last key turning fastest
        for (size_t p = 0; p < n; ++p) {
            Point point;
            for (size_t k = 0; k < dimensions.size(); ++k)
                point.emplace_back(dimensions[k].key, dimensions[k].values[index[k]]);
            points.push_back(std::move(point));
            for (size_t k = dimensions.size(); k-- > 0;) {
                if (++index[k] < dimensions[k].values.size())
                    break;
                index[k] = 0;
            }
        }
    } else {
        if (plan.randomCount < 1 || static_cast<size_t>(plan.randomCount) * plan.seeds > kMaxSweepRuns)
            throw Error("--random: " + std::to_string(plan.randomCount) + " draws × " +
                        std::to_string(plan.seeds) + " seeds is out of range [1, " +
                        std::to_string(kMaxSweepRuns) + "] runs");
        SplitMix64 generator(plan.drawSeed);
        for (int p = 0; p < plan.randomCount; ++p) {
            Point point;
            for (const SweepDimension& d : dimensions)
                point.emplace_back(
                    d.key, d.values.empty()
                               ? drawValue(d.integer ? Kind::Integer : Kind::Number, *d.range, generator)
                               : d.values[generator.below(d.values.size())]);
            points.push_back(std::move(point));
        }
    }

    SweepExpansion expansion;
    expansion.points = points.size();
    std::set<std::string> seen; // the normalized configurations' JSON
    for (size_t p = 0; p < points.size(); ++p) {
        for (int s = 0; s < plan.seeds; ++s) {
            const uint64_t seed = baseConfig.seed + static_cast<uint64_t>(s);
            SweepRun run;
            run.point = p;
            run.assignments = points[p];
            try {
                run.config = configOf(base, run.assignments, seed);
                const size_t before = run.assignments.size();
                run.assignments.erase(
                    std::remove_if(run.assignments.begin(), run.assignments.end(),
                                   [&](const auto& a) { return !keyMatters(run.config, a.first); }),
                    run.assignments.end());
                if (run.assignments.size() != before)
                    run.config = configOf(base, run.assignments, seed);
            } catch (const Error& e) {
                throw Error("sweep point " + describe(points[p]) + ": " + e.what());
            }
            if (!seen.insert(toJson(normalized(run.config))).second) {
                ++expansion.duplicates;
                continue;
            }
            expansion.runs.push_back(std::move(run));
        }
    }
    return expansion;
}

std::vector<OptionItem> configOptionItems(const std::vector<std::string>& args) {
    std::vector<OptionItem> items;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const bool option = arg.size() >= 2 && arg[0] == '-' &&
                            !(std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.');
        if (!option)
            throw Error("unexpected argument '" + arg + "' (a sweep takes options only)");
        OptionItem item;
        std::string name = arg.substr(arg.compare(0, 2, "--") == 0 ? 2 : 1);
        if (const size_t eq = name.find('='); eq != std::string::npos) {
            item.value = name.substr(eq + 1);
            item.hasValue = true;
            name = name.substr(0, eq);
        }
        item.flag = arg.substr(0, arg.size() - (item.hasValue ? item.value.size() + 1 : 0));
        item.key = normalisedOptionKey(name);
        const auto kind = configOptionKind(item.key);
        if (!kind)
            throw Error("unknown option '" + item.flag + "' (see --help)");
        item.kind = *kind;
        item.spec = findHyperparameter(item.key);
        if (item.kind == OptionKind::Switch) {
            if (item.hasValue && !parseBoolValue(item.flag, item.value))
                continue; // --no-download=false: as if absent
        } else if (!item.hasValue) {
            if (i + 1 >= args.size())
                throw Error(item.flag + ": missing value");
            item.value = args[++i];
            item.hasValue = true;
        }
        items.push_back(std::move(item));
    }
    return items;
}

std::vector<OptionItem> configOptionItems(const RunConfig& config) {
    return configOptionItems(commandLineArguments(config));
}

} // namespace bp::study
