#include "core/setup/command_line.h"
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/config_options.h"
#include "core/setup/defaults.h"
#include "core/util/number_text.h"

namespace bp {

namespace {

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
    if (c.rule != "burstprop")
        add("rule", c.rule);
    if (c.dataset != DatasetKind::Cifar10 && c.architecture == Architecture::MnistConv)
        add("conv_net", "true");
    if (c.hiddenWidths != d.hiddenWidths)
        add("hidden_widths", widthsText(c.hiddenWidths));
    if (c.activation != d.activation)
        add("activation", toString(c.activation));
    if (c.output != d.output)
        add("output", toString(c.output));
    if (c.perturbation != d.perturbation)
        add("perturbation", toString(c.perturbation));
    if (c.optimizer != d.optimizer)
        add("optimizer", toString(c.optimizer));
    for (const ParamSpec& spec : hyperparameters())
        if (spec.get(c) != spec.get(d))
            add(spec.key, paramValueText(spec, spec.get(c)));
    if (c.dataDir != d.dataDir)
        add("data_dir", c.dataDir);
    if (!c.download)
        args.push_back(flagName("no_download"));
    if (c.mirror != d.mirror)
        add("mirror", c.mirror);
    if (c.device != d.device)
        add("device", c.device);
    if (c.dtype != d.dtype)
        add("dtype", toString(c.dtype));
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

std::string configurationLine(const RunConfig& config) {
    std::string widths;
    for (int w : config.hiddenWidths)
        widths += (widths.empty() ? "" : ",") + std::to_string(w);
    std::string line =
        "dataset=" + toString(config.dataset) + " architecture=" + toString(config.architecture);
    if (config.architecture == Architecture::FullyConnected)
        line += " hidden=" + (widths.empty() ? std::string("none") : widths);
    if (config.activation != Activation::Sigmoid)
        line += " activation=" + toString(config.activation);
    if (config.output != OutputKind::Sigmoid)
        line += " output=" + toString(config.output);
    line += " rule=" + config.rule;
    if (const RuleInfo* rule = findRule(config.rule); rule && rule->perturbationModes)
        line += " perturbation=" + toString(config.perturbation);
    if (config.optimizer != OptimizerKind::RuleDefault)
        line += " optimizer=" + toString(config.optimizer);
    line += " batch_size=" + std::to_string(config.batchSize) + " epochs=" + std::to_string(config.epochs) +
            " device=" + config.device;
    if (config.dtype != Dtype::Float32)
        line += " dtype=" + toString(config.dtype);
    line += " threads=" + (config.threads > 0 ? std::to_string(config.threads) : std::string("all")) +
            " seed=" + std::to_string(config.seed);
    return line;
}

} // namespace bp
