#include "core/cli/command_line.h"
#include "core/cli/options.h"
#include "core/config/hyperparameters.h"
#include <cstdio>
#include <cstdlib>

namespace bp {

namespace {

// The shortest decimal text that strtod reads back as exactly v: "100" rather than "1e+02", and a plain
// exponent for small or large numbers ("1e-6").
std::string exactNumber(double v) {
    char text[40];
    int precision = 1;
    for (; precision <= 17; ++precision) {
        std::snprintf(text, sizeof text, "%.*g", precision, v);
        if (std::strtod(text, nullptr) == v)
            break;
    }
    std::string out = text;
    const size_t e = out.find('e');
    if (e == std::string::npos)
        return out;
    const int exponent = std::atoi(out.c_str() + e + 1);
    if (exponent >= 0 && exponent < 17) { // %g chose an exponent only for want of digits: write them out
        std::snprintf(text, sizeof text, "%.*g", exponent + 1, v);
        return text;
    }
    return out.substr(0, e + 1) + std::to_string(exponent);
}

std::string specValue(const ParamSpec& spec, double v) {
    switch (spec.type) {
    case ParamType::Bool:
        return v != 0.0 ? "true" : "false";
    case ParamType::Int:
        return std::to_string(static_cast<long long>(v));
    case ParamType::Double:
        return exactNumber(v);
    }
    return exactNumber(v);
}

std::string widthsText(const std::vector<int>& widths) {
    if (widths.empty())
        return "none";
    std::string out;
    for (int w : widths)
        out += (out.empty() ? "" : ",") + std::to_string(w);
    return out;
}

bool isShellSafe(char c) {
    const bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alphanumeric || std::string("@%+=:,./_-").find(c) != std::string::npos;
}

} // namespace

std::vector<std::string> commandLineArguments(const RunConfig& original) {
    const RunConfig c = normalized(original);
    const RunConfig d = normalized(defaultConfig(c.dataset, c.rule));
    std::vector<std::string> args;
    auto add = [&args](const std::string& key, const std::string& value) {
        // "-info=--help" rather than "-info --help": a value that starts with a dash stays one word, so
        // that no text is ever mistaken for --help or "--" by the parser's first pass.
        if (!value.empty() && value[0] == '-') {
            args.push_back(flagName(key) + "=" + value);
            return;
        }
        args.push_back(flagName(key));
        args.push_back(value);
    };
    // parseCommandLine applies the dataset's and the rule's defaults before every other option.
    add("dataset", toString(c.dataset));
    if (c.rule != Rule::Burstprop)
        add("rule", toString(c.rule));
    if (c.dataset != DatasetKind::Cifar10 && c.architecture == Architecture::MnistConv)
        add("conv_net", "true");
    if (c.hiddenWidths != d.hiddenWidths)
        add("hidden_widths", widthsText(c.hiddenWidths));
    if (c.perturbation != d.perturbation)
        add("perturbation", toString(c.perturbation));
    for (const ParamSpec& spec : hyperparameters())
        if (spec.get(c) != spec.get(d))
            add(spec.key, specValue(spec, spec.get(c)));
    if (c.dataDir != d.dataDir)
        add("data_dir", c.dataDir);
    if (!c.download)
        args.push_back(flagName("no_download"));
    if (c.mirror != d.mirror)
        add("mirror", c.mirror);
    if (c.device != d.device)
        add("device", c.device);
    if (c.seed != d.seed)
        add("seed", std::to_string(c.seed));
    if (c.info != d.info)
        add("info", c.info);
    return args;
}

std::string shellQuoted(const std::string& word) {
    bool safe = !word.empty();
    for (char ch : word)
        safe = safe && isShellSafe(ch);
    if (safe)
        return word;
    std::string out = "'";
    for (char ch : word)
        out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

std::string commandLine(const RunConfig& config, const std::string& program) {
    std::string line = shellQuoted(program);
    if (line == program && program.find('=') != std::string::npos)
        line = "'" + program + "'"; // a first word "a=b" would be a variable assignment
    for (const std::string& arg : commandLineArguments(config))
        line += " " + shellQuoted(arg);
    return line;
}

} // namespace bp
