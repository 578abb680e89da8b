#include "core/cli/options.h"
#include "core/config/hyperparameters.h"
#include "core/store/run_store.h"
#include "core/util/error.h"
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>
#include <sstream>

namespace bp {

namespace {

// ---- Option names ---------------------------------------------------------------------------------

// Flags of the reference scripts (train_mnist.py, train_cifar10.py) that name a ParamSpec: spelled
// with one dash and underscores, as there. The table's other keys are this program's own (--threads).
const std::set<std::string>& referenceKeys() {
    static const std::set<std::string> keys = {
        "n_epochs",           "batch_size",      "hidden_lr",      "output_lr",
        "weight_fa_std",      "momentum",        "weight_decay",   "p_baseline",
        "weight_fa_learning", "recurrent_input", "weight_r_range", "weight_r_learning",
        "recurrent_lr",       "xi_mean",         "xi_std",         "validation"};
    return keys;
}

// Reference spellings of table keys that this project renamed.
const std::pair<const char*, const char*> kAliases[] = {
    {"weight_r_std", "weight_r_range"}, // the reference's name for the recurrent weights' range
    {"use_node_perturbation", "use_node_pertubation"},
    {"sequential_perturbation", "sequential_pertubation"},
};

enum class Kind { Param, Bool, Int, Text, Switch };

// Options that are not hyperparameters of the table. Keys are normalised (underscores, no dashes).
struct CliOption {
    const char* key;
    Kind kind;
    bool reference; // a reference script flag: spelled with a single dash in messages and help
};
const CliOption kCliOptions[] = {
    {"dataset", Kind::Text, false},       {"data_dir", Kind::Text, false},
    {"conv_net", Kind::Bool, true},       {"n_hidden_layers", Kind::Int, true},
    {"hidden_widths", Kind::Text, false}, {"rule", Kind::Text, false},
    {"use_backprop", Kind::Bool, true},   {"use_node_pertubation", Kind::Bool, true},
    {"perturbation", Kind::Text, false},  {"sequential_pertubation", Kind::Bool, true},
    {"perturb_units", Kind::Bool, true},  {"device", Kind::Text, false},
    {"seed", Kind::Text, false},          {"info", Kind::Text, true},
    {"benchmark", Kind::Int, false},      {"json", Kind::Switch, false},
    {"no_progress", Kind::Switch, false}, {"help", Kind::Switch, false},
    {"h", Kind::Switch, false},           {"no_download", Kind::Switch, false},
    {"mirror", Kind::Text, false},        {"db", Kind::Text, false},
    {"no_db", Kind::Switch, false},       {"name", Kind::Text, false},
    {"tags", Kind::Text, false},          {"notes", Kind::Text, false},
    {"checkpoint_every", Kind::Int, false},
};

constexpr int kMaxHiddenLayers = 20;
constexpr int kReferenceWidth = 500;
constexpr int kMaxBenchmarkSteps = 100000000;

std::string normalisedKey(std::string name) {
    std::replace(name.begin(), name.end(), '-', '_');
    for (const auto& [alias, key] : kAliases)
        if (name == alias)
            return key;
    return name;
}

const CliOption* findCliOption(const std::string& key) {
    for (const CliOption& option : kCliOptions)
        if (key == option.key)
            return &option;
    return nullptr;
}

std::string dashed(std::string key) {
    std::replace(key.begin(), key.end(), '_', '-');
    return "--" + key;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string formatNumber(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

// Integer bounds in full ("1000000000", not "1e+09").
std::string boundText(const ParamSpec& spec, double v) {
    return spec.type == ParamType::Int ? std::to_string(static_cast<long long>(v)) : formatNumber(v);
}

std::string rangeText(const ParamSpec& spec) {
    return "[" + boundText(spec, spec.min) + ", " + boundText(spec, spec.max) + "]";
}

std::vector<std::string> splitTags(const std::string& text) {
    std::vector<std::string> tags;
    std::string current;
    for (size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == ',') {
            const size_t a = current.find_first_not_of(' ');
            const size_t b = current.find_last_not_of(' ');
            if (a != std::string::npos)
                tags.push_back(current.substr(a, b - a + 1));
            current.clear();
        } else {
            current += text[i];
        }
    }
    return tags;
}

// ---- Values ---------------------------------------------------------------------------------------

bool parseBool(const std::string& flag, const std::string& value) {
    const std::string v = lower(value);
    if (v == "true" || v == "1")
        return true;
    if (v == "false" || v == "0")
        return false;
    throw Error(flag + ": '" + value + "' is not a boolean (allowed: true, false, 1, 0)");
}

std::optional<long long> toInteger(const std::string& text) {
    if (text.empty() || std::isspace(static_cast<unsigned char>(text.front())))
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return std::nullopt;
    return v;
}

std::optional<double> toReal(const std::string& text) {
    if (text.empty() || std::isspace(static_cast<unsigned char>(text.front())))
        return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (*end != '\0')
        return std::nullopt;
    return v;
}

int parseInt(const std::string& flag, const std::string& value, long long lo, long long hi) {
    const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    const auto v = toInteger(value);
    if (!v)
        throw Error(flag + ": '" + value + "' is not an integer (allowed range " + range + ")");
    if (*v < lo || *v > hi)
        throw Error(flag + ": " + value + " is out of range " + range);
    return static_cast<int>(*v);
}

// A hyperparameter of the table, range-checked here already (an int field must not overflow).
void setParam(RunConfig& config, const ParamSpec& spec, const std::string& flag, const std::string& value) {
    if (spec.type == ParamType::Bool) {
        spec.set(config, parseBool(flag, value) ? 1.0 : 0.0);
        return;
    }
    double v = 0.0;
    if (spec.type == ParamType::Int) {
        const auto i = toInteger(value);
        if (!i)
            throw Error(flag + ": '" + value + "' is not an integer (allowed range " + rangeText(spec) + ")");
        v = static_cast<double>(*i);
    } else {
        const auto r = toReal(value);
        if (!r)
            throw Error(flag + ": '" + value + "' is not a number (allowed range " + rangeText(spec) + ")");
        v = *r;
    }
    if (!std::isfinite(v) || v < spec.min || v > spec.max)
        throw Error(flag + ": " + value + " is out of range " + rangeText(spec));
    spec.set(config, v);
}

std::vector<int> parseWidths(const std::string& flag, const std::string& value) {
    std::vector<int> widths;
    const std::string v = lower(value);
    if (v.empty() || v == "none")
        return widths;
    std::stringstream in(value);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto w = toInteger(item);
        if (!w || *w < 1 || *w > 100000)
            throw Error(flag + ": '" + value +
                        "' is not a comma-separated list of layer widths in [1, 100000] (e.g. 500,300)");
        widths.push_back(static_cast<int>(*w));
    }
    if (!value.empty() && value.back() == ',')
        throw Error(flag + ": '" + value + "' ends with a comma (e.g. 500,300)");
    return widths;
}

// ---- Tokens ---------------------------------------------------------------------------------------

struct Item {
    std::string flag; // as typed, without "=value"
    std::string key;  // normalised
    Kind kind;
    const ParamSpec* spec = nullptr;
    std::string value;
    bool hasValue = false;
};

bool looksLikeOption(const std::string& arg) {
    if (arg.size() < 2 || arg[0] != '-')
        return false;
    // "-5" or "-.5" standing alone is a value, not an option (only reachable as a stray positional).
    return !(std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.');
}

std::string withoutDashes(const std::string& arg) {
    return arg.substr(arg.compare(0, 2, "--") == 0 ? 2 : 1);
}

} // namespace

std::string flagName(const std::string& key) {
    if (referenceKeys().count(key))
        return "-" + key;
    if (const CliOption* option = findCliOption(key); option && option->reference)
        return "-" + key;
    return dashed(key);
}

CliOptions parseCommandLine(const std::vector<std::string>& args) {
    CliOptions options;
    // --help wins over everything else, invalid values included.
    for (const std::string& arg : args) {
        if (arg == "--")
            break;
        if (arg == "-h" || arg == "--help" || arg == "-help") {
            options.help = true;
            return options;
        }
    }

    // 1. Split into options and positionals; each option that takes a value takes the next argument
    //    (even one starting with '-', so that -xi_mean -0.5 works) unless it came as name=value.
    std::vector<Item> items;
    std::vector<std::string> positionals;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") { // everything after is positional
            positionals.insert(positionals.end(), args.begin() + static_cast<long>(i) + 1, args.end());
            break;
        }
        if (!looksLikeOption(arg)) {
            positionals.push_back(arg);
            continue;
        }
        Item item;
        std::string name = withoutDashes(arg);
        const size_t eq = name.find('=');
        if (eq != std::string::npos) {
            item.value = name.substr(eq + 1);
            item.hasValue = true;
            name = name.substr(0, eq);
        }
        item.flag = arg.substr(0, arg.size() - (item.hasValue ? item.value.size() + 1 : 0));
        item.key = normalisedKey(name);
        if (const ParamSpec* spec = findHyperparameter(item.key)) {
            item.kind = Kind::Param;
            item.spec = spec;
        } else if (const CliOption* option = findCliOption(item.key)) {
            item.kind = option->kind;
        } else {
            throw Error("unknown option '" + item.flag + "' (see --help)");
        }
        if (item.kind == Kind::Switch) {
            if (item.hasValue && !parseBool(item.flag, item.value))
                continue; // --json=false: as if absent
        } else if (!item.hasValue) {
            if (i + 1 >= args.size()) {
                std::string expected = "a value";
                if (item.kind == Kind::Bool || (item.spec && item.spec->type == ParamType::Bool))
                    expected = "true or false";
                else if (item.spec)
                    expected = "a value in " + rangeText(*item.spec);
                throw Error(item.flag + ": missing value (expected " + expected + ")");
            }
            item.value = args[++i];
            item.hasValue = true;
        }
        items.push_back(std::move(item));
    }
    if (positionals.size() > 1)
        throw Error("unexpected argument '" + positionals[1] +
                    "': only one results directory can be given (see --help)");
    if (!positionals.empty()) {
        if (positionals[0].empty())
            throw Error("the results directory must not be an empty path");
        options.resultsDir = positionals[0];
    }

    // 2. The dataset and the rule first, wherever they stand: their defaults (defaultConfig()) come
    //    before every other option. -use_backprop wins over -use_node_pertubation, as in the reference.
    std::string errors; // every bad value, not just the first
    auto collect = [&errors](const Error& e) {
        errors += (errors.empty() ? "" : "\n") + std::string(e.what());
    };
    DatasetKind dataset = DatasetKind::FashionMnist;
    std::optional<Rule> explicitRule;
    std::optional<bool> useBackprop, useNodePerturbation;
    std::string ruleFlag, backpropFlag, npFlag;
    for (const Item& item : items) {
        try {
            if (item.key == "dataset") {
                try {
                    dataset = parseDatasetKind(item.value);
                } catch (const Error& e) {
                    throw Error(item.flag + ": " + e.what());
                }
            } else if (item.key == "rule") {
                try {
                    explicitRule = parseRule(item.value);
                } catch (const Error& e) {
                    throw Error(item.flag + ": " + e.what());
                }
                ruleFlag = item.flag;
            } else if (item.key == "use_backprop") {
                useBackprop = parseBool(item.flag, item.value);
                backpropFlag = item.flag;
            } else if (item.key == "use_node_pertubation") {
                useNodePerturbation = parseBool(item.flag, item.value);
                npFlag = item.flag;
            }
        } catch (const Error& e) {
            collect(e);
        }
    }
    std::optional<Rule> impliedRule;
    std::string impliedFlag;
    if (useBackprop.value_or(false)) {
        impliedRule = Rule::Backprop;
        impliedFlag = backpropFlag;
    } else if (useNodePerturbation.value_or(false)) {
        impliedRule = Rule::NodePerturbation;
        impliedFlag = npFlag;
    }
    if (explicitRule && impliedRule && *explicitRule != *impliedRule)
        collect(
            Error(ruleFlag + ": " + toString(*explicitRule) + " conflicts with " + impliedFlag + " true"));
    const Rule rule = explicitRule ? *explicitRule : impliedRule.value_or(Rule::Burstprop);
    RunConfig& config = options.config;
    config = defaultConfig(dataset, rule);

    // 3. Every other option, in order (a later one overrides an earlier one).
    std::optional<PerturbationMode> explicitPerturbation;
    std::optional<bool> sequential, perturbUnits, convNet;
    std::string perturbationFlag, sequentialFlag, convFlag;
    std::string widthsFlag;
    std::vector<std::pair<std::string, std::string>> spelled; // table key or field -> flag as typed
    for (const Item& item : items) {
        try {
            const std::string& k = item.key;
            const std::string& flag = item.flag;
            const std::string& v = item.value;
            if (item.kind == Kind::Param) {
                setParam(config, *item.spec, flag, v);
                spelled.emplace_back(k, flag);
            } else if (k == "dataset" || k == "rule" || k == "use_backprop" || k == "use_node_pertubation") {
                // applied above
            } else if (k == "help" || k == "h") {
                options.help = true;
            } else if (k == "json") {
                options.json = true;
            } else if (k == "no_progress") {
                options.progress = false;
            } else if (k == "data_dir") {
                config.dataDir = v;
            } else if (k == "no_download") {
                config.download = false;
            } else if (k == "mirror") {
                config.mirror = v;
            } else if (k == "conv_net") {
                convNet = parseBool(flag, v);
                convFlag = flag;
            } else if (k == "n_hidden_layers") {
                config.hiddenWidths.assign(static_cast<size_t>(parseInt(flag, v, 0, kMaxHiddenLayers)),
                                           kReferenceWidth);
                widthsFlag = flag;
            } else if (k == "hidden_widths") {
                config.hiddenWidths = parseWidths(flag, v);
                widthsFlag = flag;
            } else if (k == "perturbation") {
                try {
                    explicitPerturbation = parsePerturbationMode(v);
                } catch (const Error& e) {
                    throw Error(flag + ": " + e.what());
                }
                perturbationFlag = flag;
            } else if (k == "sequential_pertubation") {
                sequential = parseBool(flag, v);
                sequentialFlag = flag;
            } else if (k == "perturb_units") {
                perturbUnits = parseBool(flag, v);
            } else if (k == "device") {
                config.device = v;
                spelled.emplace_back("device", flag);
            } else if (k == "seed") {
                errno = 0;
                char* end = nullptr;
                const unsigned long long seed = std::strtoull(v.c_str(), &end, 10);
                if (v.empty() || !std::isdigit(static_cast<unsigned char>(v[0])) || *end != '\0' ||
                    errno == ERANGE)
                    throw Error(flag + ": '" + v + "' is not an integer in [0, 18446744073709551615]");
                config.seed = seed;
            } else if (k == "info") {
                config.info = v;
            } else if (k == "benchmark") {
                options.benchmarkSteps = parseInt(flag, v, 1, kMaxBenchmarkSteps);
            } else if (k == "db") {
                if (v.empty())
                    throw Error(flag + ": the database path is empty");
                options.database = v;
            } else if (k == "no_db") {
                options.record = false;
            } else if (k == "name") {
                options.name = v;
            } else if (k == "notes") {
                options.notes = v;
            } else if (k == "tags") {
                options.tags = splitTags(v);
            } else if (k == "checkpoint_every") {
                options.checkpointEvery = parseInt(flag, v, 0, 1000000);
            }
        } catch (const Error& e) {
            collect(e);
        }
    }
    if (!errors.empty())
        throw Error(errors);

    // 4. Node perturbation mode and network. -perturb_units only matters with -sequential_pertubation true,
    // as in the reference.
    if (sequential) {
        const PerturbationMode implied = *sequential
                                             ? (perturbUnits.value_or(false) ? PerturbationMode::UnitByUnit
                                                                             : PerturbationMode::LayerByLayer)
                                             : PerturbationMode::AllLayers;
        if (explicitPerturbation && *explicitPerturbation != implied)
            throw Error(perturbationFlag + ": " + toString(*explicitPerturbation) + " conflicts with " +
                        sequentialFlag + " " + (*sequential ? "true" : "false"));
        config.perturbation = implied;
    }
    if (explicitPerturbation)
        config.perturbation = *explicitPerturbation;

    // CIFAR-10 has one network (its conv net); MNIST-format data the fully connected or the conv net.
    if (dataset == DatasetKind::Cifar10)
        config.architecture = Architecture::Cifar10Conv;
    else if (convNet)
        config.architecture = *convNet ? Architecture::MnistConv : Architecture::FullyConnected;

    // 5. Whatever validate() still finds, named by the flag that set it.
    const auto issues = validate(config);
    if (!issues.empty()) {
        std::string message;
        for (const ConfigIssue& issue : issues) {
            std::string flag;
            for (const auto& [field, typed] : spelled)
                if (field == issue.field)
                    flag = typed;
            if (flag.empty()) {
                if (issue.field == "hidden_widths")
                    flag = widthsFlag.empty() ? "--hidden-widths" : widthsFlag;
                else if (issue.field == "architecture")
                    flag = convFlag.empty() ? "--dataset" : convFlag;
                else
                    flag = flagName(issue.field);
            }
            std::string text = issue.message;
            const std::string prefix = issue.field + " = ";
            if (text.compare(0, prefix.size(), prefix) == 0)
                text = text.substr(prefix.size());
            message += (message.empty() ? "" : "\n") + flag + ": " + text;
        }
        throw Error(message);
    }
    return options;
}

// ---- Help -----------------------------------------------------------------------------------------

namespace {

constexpr size_t kHelpWidth = 80;
constexpr size_t kHelpIndent = 28;

// "  <left>  <text...>" with text wrapped at kHelpWidth and continued under kHelpIndent; '\n' in
// text starts a new line.
void entry(std::string& out, const std::string& left, const std::string& text) {
    std::string line = "  " + left;
    if (line.size() + 2 > kHelpIndent) {
        out += line + "\n";
        line.clear();
    }
    line.resize(kHelpIndent, ' ');
    std::istringstream paragraphs(text);
    std::string paragraph;
    bool firstParagraph = true;
    while (std::getline(paragraphs, paragraph)) {
        if (!firstParagraph) {
            out += line + "\n";
            line.assign(kHelpIndent, ' ');
        }
        firstParagraph = false;
        std::istringstream words(paragraph);
        std::string word;
        bool first = true;
        while (words >> word) {
            if (!first && line.size() + 1 + word.size() > kHelpWidth) {
                out += line + "\n";
                line.assign(kHelpIndent, ' ');
                first = true;
            }
            line += (first ? "" : " ") + word;
            first = false;
        }
    }
    out += line + "\n";
}

std::string rulesText(unsigned mask) {
    if (mask == kAllRules)
        return "all rules";
    std::string out;
    for (Rule r : {Rule::Burstprop, Rule::Backprop, Rule::FeedbackAlignment, Rule::NodePerturbation})
        if (mask & ruleBit(r))
            out += (out.empty() ? "" : ", ") + toString(r);
    return out;
}

std::string valueText(const ParamSpec& spec, double v) {
    if (spec.type == ParamType::Bool)
        return v != 0.0 ? "true" : "false";
    return formatNumber(v);
}

} // namespace

std::string helpText() {
    // Defaults that differ from the MNIST-format burstprop ones: per dataset and per rule.
    const RunConfig base = defaultConfig(DatasetKind::FashionMnist);
    std::vector<std::pair<std::string, RunConfig>> variants = {
        {"CIFAR-10", defaultConfig(DatasetKind::Cifar10)}};
    for (Rule r : {Rule::Backprop, Rule::FeedbackAlignment, Rule::NodePerturbation})
        variants.emplace_back(toString(r), defaultConfig(DatasetKind::FashionMnist, r));
    std::string out;
    out += "Usage: burstprop-train [options] [results-dir]\n"
           "       burstprop-train list|show|export|resume|delete ... (burstprop-train list --help)\n"
           "       burstprop-train golden [DIR] [--device D] (replays the reference steps; golden --help)\n\n";
    out += "Trains one network on Fashion-MNIST, MNIST or CIFAR-10 with burstprop (Payeur et al. 2021),\n"
           "backprop, feedback alignment or node perturbation, without a GUI.\n\n"
           "Options take their value as the next argument (-hidden_lr 0.05) or after '='\n"
           "(--hidden-lr=0.05). One or two dashes and '-' or '_' in names are all accepted, so the\n"
           "reference scripts' flags work unchanged. Booleans are true or false (1 or 0).\n\n";
    entry(out, "results-dir",
          "Folder for params.txt, config.json and metrics.csv (created when missing; "
          "metrics.csv gains a row per epoch).");

    out += "\nData and network:\n";
    entry(out, "--dataset NAME",
          "fashion-mnist (default), mnist or cifar10. Its default hyperparameters (and "
          "the rule's) apply before every other option, wherever it stands.");
    entry(out, "--data-dir DIR", "Folder with the dataset's files (default: the dataset's standard folder).");
    entry(out, "--no-download", "Fail instead of downloading a missing data set (by default MNIST, "
                                "Fashion-MNIST and CIFAR-10 are downloaded as torchvision does, MD5 checked, "
                                "into --data-dir or the user's data folder).");
    entry(out, "--mirror URL", "Base URL to download the data set's files from (default: torchvision's "
                               "mirror for it).");
    entry(out, "-conv_net BOOL",
          "Use the paper's convolutional network for MNIST-format data (default false). "
          "CIFAR-10 always uses its convolutional network.");
    entry(out, "-n_hidden_layers N",
          "Fully connected network with N hidden layers of 500 units, N in [0, " +
              std::to_string(kMaxHiddenLayers) + "] (default 3).");
    entry(out, "--hidden-widths LIST",
          "Hidden layer widths of the fully connected network, e.g. 500,300 "
          "('none': no hidden layer).");

    out += "\nLearning rule:\n";
    entry(out, "--rule NAME", "burstprop (default), backprop, feedback-alignment or node-perturbation.");
    entry(out, "-use_backprop BOOL", "true: --rule backprop (and wins over -use_node_pertubation).");
    entry(out, "-use_node_pertubation BOOL", "true: --rule node-perturbation.");
    entry(out, "--perturbation MODE",
          "Node perturbation noise on all layers at once (all, default), one layer "
          "per sub-step (layer) or one unit per batch (unit).");
    entry(out, "-sequential_pertubation BOOL",
          "true: --perturbation layer, or unit with -perturb_units true.");
    entry(out, "-perturb_units BOOL", "With -sequential_pertubation true: perturb single units.");

    out += "\nHyperparameters (defaults for MNIST-format data and burstprop; others in parentheses):\n";
    for (const ParamSpec& spec : hyperparameters()) {
        const char* placeholder = spec.type == ParamType::Bool  ? " BOOL"
                                  : spec.type == ParamType::Int ? " N"
                                                                : " X";
        std::string details = std::string(spec.help) + "\n";
        if (spec.type != ParamType::Bool)
            details += "Range " + rangeText(spec) +
                       (*spec.unit ? std::string(" ") + spec.unit : std::string()) + "; default ";
        else
            details += "Default ";
        details += valueText(spec, spec.get(base));
        std::string others;
        for (const auto& [label, config] : variants)
            if (spec.get(config) != spec.get(base))
                others += (others.empty() ? "" : "; ") + label + ": " + valueText(spec, spec.get(config));
        if (!others.empty())
            details += " (" + others + ")";
        details += "; used by " + rulesText(spec.rules) + ".";
        entry(out, flagName(spec.key) + placeholder, details);
        if (std::string(spec.key) == "weight_r_range")
            entry(out, "-weight_r_std X", "The reference's name for -weight_r_range.");
    }

    out += "\nRun:\n";
    entry(out, "--device NAME", "cpu (default), cuda or cuda:N.");
    entry(out, "--seed N", "Seed of the initial weights, the data order and the noise (default 1).");
    entry(out, "-info TEXT", "Free text kept with the results.");
    entry(out, "--json",
          "Print one JSON object per line on stdout: status, progress (at most twice a second) "
          "and one epoch event per epoch.");
    entry(out, "--no-progress", "No progress bar (it is shown only when stdout is a terminal).");
    entry(out, "--benchmark STEPS",
          "Time STEPS training steps (after 20 warm-up steps), print the "
          "configuration and examples_per_second=<number>, and exit.");
    entry(out, "-h, --help", "Show this help.");

    out += "\nRecording (every run is recorded in the run database, as the explorer's runs are):\n";
    entry(out, "--db FILE", "The run database (default " + defaultDatabasePath() + ").");
    entry(out, "--no-db", "Do not record the run (nor keep checkpoints, unless results-dir is given).");
    entry(out, "--name TEXT", "The run's name in the database (default: rule and dataset).");
    entry(out, "--tags LIST", "Comma-separated tags, e.g. sweep1,lr.");
    entry(out, "--notes TEXT", "Free notes kept with the run.");
    entry(out, "--checkpoint-every N",
          "Besides the initial, latest and best states, keep the state after every N-th epoch "
          "(default 0: none). Checkpoints (*.ckpt, which torch.load opens too) go to results-dir, else to runs/<id> beside the database.");
    out += "\nExit status: 0 completed, 1 failed or diverged, 2 invalid arguments, 130 stopped (SIGINT, "
           "SIGTERM).\n";
    return out;
}

std::string configurationLine(const RunConfig& config) {
    std::string widths;
    for (int w : config.hiddenWidths)
        widths += (widths.empty() ? "" : ",") + std::to_string(w);
    std::string line =
        "dataset=" + toString(config.dataset) + " architecture=" + toString(config.architecture);
    if (config.architecture == Architecture::FullyConnected)
        line += " hidden=" + (widths.empty() ? std::string("none") : widths);
    line += " rule=" + toString(config.rule);
    if (config.rule == Rule::NodePerturbation)
        line += " perturbation=" + toString(config.perturbation);
    line += " batch_size=" + std::to_string(config.batchSize) + " epochs=" + std::to_string(config.epochs) +
            " device=" + config.device +
            " threads=" + (config.threads > 0 ? std::to_string(config.threads) : std::string("all")) +
            " seed=" + std::to_string(config.seed);
    return line;
}

} // namespace bp
