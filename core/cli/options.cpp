#include "core/cli/options.h"
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/config_options.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/util/error.h"
#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

namespace bp {

namespace {

// The program's own options (not the configuration's). Keys are normalised (underscores, no dashes).
struct CliOption {
    const char* key;
    OptionKind kind;
};
const CliOption kCliOptions[] = {
    {"benchmark", OptionKind::Int},
    {"json", OptionKind::Switch},
    {"no_progress", OptionKind::Switch},
    {"help", OptionKind::Switch},
    {"h", OptionKind::Switch},
    {"db", OptionKind::Text},
    {"no_db", OptionKind::Switch},
    {"name", OptionKind::Text},
    {"tags", OptionKind::Text},
    {"notes", OptionKind::Text},
    {"checkpoint_every", OptionKind::Int},
    {"resume_path", OptionKind::Text},
    {"nproc", OptionKind::Int},
    {"dist_timeout", OptionKind::Int},
    {"backend", OptionKind::Text},
    {"master_port", OptionKind::Int},
};

constexpr int kMaxProcesses = 1024;

constexpr int kMaxBenchmarkSteps = 100000000;

std::optional<OptionKind> cliOptionKind(const std::string& key) {
    for (const CliOption& option : kCliOptions)
        if (key == option.key)
            return option.kind;
    return std::nullopt;
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

bool looksLikeOption(const std::string& arg) {
    if (arg.size() < 2 || arg[0] != '-')
        return false;
    // "-5" or "-.5" standing alone is a value, not an option (only reachable as a stray positional).
    return !(std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.');
}

std::string withoutDashes(const std::string& arg) {
    return arg.substr(arg.compare(0, 2, "--") == 0 ? 2 : 1);
}

// Splits args into options and positionals; each option that takes a value takes the next argument
// (even one starting with '-', so that -xi_mean -0.5 works) unless it came as name=value.
void tokenize(const std::vector<std::string>& args, std::vector<OptionItem>& items,
              std::vector<std::string>& positionals) {
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
        OptionItem item;
        std::string name = withoutDashes(arg);
        const size_t eq = name.find('=');
        if (eq != std::string::npos) {
            item.value = name.substr(eq + 1);
            item.hasValue = true;
            name = name.substr(0, eq);
        }
        item.flag = arg.substr(0, arg.size() - (item.hasValue ? item.value.size() + 1 : 0));
        item.key = normalisedOptionKey(name);
        if (const auto kind = configOptionKind(item.key)) {
            item.kind = *kind;
            item.spec = findHyperparameter(item.key);
        } else if (const auto own = cliOptionKind(item.key)) {
            item.kind = *own;
        } else {
            throw Error("unknown option '" + item.flag + "' (see --help)");
        }
        if (item.kind == OptionKind::Switch) {
            if (item.hasValue && !parseBoolValue(item.flag, item.value))
                continue; // --json=false: as if absent
        } else if (!item.hasValue) {
            if (i + 1 >= args.size()) {
                std::string expected = "a value";
                if (item.kind == OptionKind::Bool || (item.spec && item.spec->type == ParamType::Bool))
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
}

} // namespace

int parseThreadsOption(const std::string& flag, const std::string& value) {
    const ParamSpec* spec = findHyperparameter("threads");
    return parseIntValue(flag, value, static_cast<long long>(spec->min), static_cast<long long>(spec->max));
}

std::string parseDeviceOption(const std::string& flag, const std::string& value) {
    RunConfig config;
    config.device = value;
    for (const ConfigIssue& issue : checkValues(config))
        if (issue.field == "device")
            throw Error(flag + ": " + issue.message);
    return value;
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
    std::vector<OptionItem> items;
    std::vector<std::string> positionals;
    tokenize(args, items, positionals);
    if (positionals.size() > 2)
        throw Error("unexpected argument '" + positionals[2] +
                    "': give a results directory and, for image folders, the data folder (see --help)");
    if (!positionals.empty()) {
        if (positionals[0].empty())
            throw Error("the results directory must not be an empty path");
        options.resultsDir = positionals[0];
    }

    // The program's own options; then the configuration's, every bad value of both reported together.
    std::string errors;
    for (const OptionItem& item : items) {
        if (!cliOptionKind(item.key))
            continue;
        try {
            const std::string& k = item.key;
            const std::string& v = item.value;
            if (k == "help" || k == "h")
                options.help = true;
            else if (k == "json")
                options.json = true;
            else if (k == "no_progress")
                options.progress = false;
            else if (k == "benchmark")
                options.benchmarkSteps = parseIntValue(item.flag, v, 1, kMaxBenchmarkSteps);
            else if (k == "db") {
                if (v.empty())
                    throw Error(item.flag + ": the database path is empty");
                options.database = v;
            } else if (k == "no_db")
                options.record = false;
            else if (k == "name")
                options.name = v;
            else if (k == "notes")
                options.notes = v;
            else if (k == "tags")
                options.tags = splitTags(v);
            else if (k == "checkpoint_every")
                options.checkpointEvery = parseIntValue(item.flag, v, 0, 1000000);
            else if (k == "resume_path") {
                if (v.empty())
                    throw Error(item.flag + ": the checkpoint path is empty");
                options.resumePath = v;
            } else if (k == "nproc")
                options.nproc = parseIntValue(item.flag, v, 1, kMaxProcesses);
            else if (k == "dist_timeout")
                options.distTimeoutSeconds = parseIntValue(item.flag, v, 1, 86400);
            else if (k == "master_port")
                options.masterPort = parseIntValue(item.flag, v, 1, 65535);
            else if (k == "backend") {
                if (v != "gloo" && v != "nccl")
                    throw Error(item.flag + ": '" + v + "' is not a backend (gloo or nccl)");
                options.backend = v;
            }
        } catch (const Error& e) {
            errors += (errors.empty() ? "" : "\n") + std::string(e.what());
        }
    }
    try {
        options.config = parseConfigOptions(items);
    } catch (const Error& e) {
        errors = std::string(e.what()) + (errors.empty() ? "" : "\n" + errors);
    }
    // The reference's train_imagenet.py takes the data folder after the results folder.
    if (errors.empty() && positionals.size() == 2) {
        if (!isImageFolder(options.config.dataset))
            errors = "unexpected argument '" + positionals[1] +
                     "': a data folder after the results directory is " +
                     "for --dataset imagenet or image-folder; " + toString(options.config.dataset) +
                     " takes --data-dir (see --help)";
        else if (!options.config.dataDir.empty() && options.config.dataDir != positionals[1])
            errors = "the data folder is given twice: '" + positionals[1] + "' and --data-dir '" +
                     options.config.dataDir + "'";
        else
            options.config.dataDir = positionals[1];
    }
    if (errors.empty() && options.nproc > 1 && options.benchmarkSteps > 0)
        errors = "--nproc with --benchmark: a benchmark times one process (compare the examples/s of a run's "
                 "epochs instead)";
    if (!errors.empty())
        throw Error(errors);
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

// "all rules", or the names of the rules that use key.
std::string rulesUsing(const ParamSpec& spec) {
    if (spec.everyRule)
        return "all rules";
    std::string out;
    for (const RuleInfo* rule : ruleRegistry())
        if (rule->uses(spec.key))
            out += (out.empty() ? "" : ", ") + rule->name;
    return out.empty() ? "no rule yet" : out;
}

} // namespace

std::string helpText() {
    // Defaults that differ from the MNIST-format burstprop ones: per dataset and per rule.
    const RunConfig base = defaultConfig(DatasetKind::FashionMnist);
    std::vector<std::pair<std::string, RunConfig>> variants = {
        {"CIFAR-10", defaultConfig(DatasetKind::Cifar10)},
        {"ImageNet", defaultConfig(DatasetKind::ImageNet)}};
    for (const RuleInfo* rule : ruleRegistry())
        if (rule->name != base.rule)
            variants.emplace_back(rule->name, defaultConfig(DatasetKind::FashionMnist, rule->name));
    std::string out;
    out += "Usage: burstprop-train [options] [results-dir]\n"
           "       burstprop-train --dataset imagenet [options] RESULTS_DIR DATA_PATH\n"
           "       burstprop-train list|show|export|import|resume|delete ... (burstprop-train list --help)\n"
           "       burstprop-train evaluate ID [--which best|latest|epoch-N] (a checkpoint on the test set)\n"
           "       burstprop-train stop|pause|continue RUN [--db FILE] (signal a training process; stop "
           "--help)\n"
           "       burstprop-train golden [DIR] [--device D] (replays the reference steps; golden --help)\n"
           "       burstprop-train sweep --grid KEY=VALUES ... --dry-run (lists a sweep's runs; sweep "
           "--help)\n\n";
    out +=
        "Trains one network on Fashion-MNIST, MNIST, CIFAR-10, ImageNet or any image folder with burstprop\n"
        "(Payeur et al. 2021) or another learning rule, without a GUI.\n\n"
        "Options take their value as the next argument (-hidden_lr 0.05) or after '='\n"
        "(--hidden-lr=0.05). One or two dashes and '-' or '_' in names are all accepted, so the\n"
        "reference scripts' flags work unchanged. Booleans are true or false (1 or 0).\n\n";
    entry(out, "results-dir",
          "Folder for params.txt, config.json and metrics.csv (created when missing; "
          "metrics.csv gains a row per epoch).");

    out += "\nData and network:\n";
    entry(out, "--dataset NAME",
          "fashion-mnist (default), mnist, cifar10, imagenet or image-folder (any folder of "
          "torchvision's ImageFolder layout, DIR/train/<class>/*.JPEG and DIR/val/<class>/...; the "
          "ImageNet net and train_imagenet.py's defaults). Its default hyperparameters (and "
          "the rule's) apply before every other option, wherever it stands.");
    entry(out, "--data-dir DIR",
          "Folder with the dataset's files (default: the dataset's standard folder; image folders: "
          "required, or the second argument).");
    entry(out, "--conv-channels LIST",
          "The ImageNet net's seven convolution widths, e.g. 48,48,96,96,192,192,384 (default: the "
          "reference's for the rule).");

    entry(out, "--no-download",
          "Fail instead of downloading a missing data set (by default MNIST, "
          "Fashion-MNIST and CIFAR-10 are downloaded as torchvision does, MD5 checked, "
          "into --data-dir or the user's data folder).");
    entry(out, "--mirror URL",
          "Base URL to download the data set's files from (default: torchvision's "
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
    entry(out, "--activation NAME", "The hidden layers' activation: sigmoid (default, the paper's) or relu.");
    entry(out, "--output NAME",
          "The output layer: sigmoid (default; the paper's burst output, mean squared error) or softmax "
          "(linear units read through a softmax: cross-entropy, burst probabilities with -kappa).");
    entry(out, "--dtype NAME",
          "float32 (default) or float64 (CPU only, no fused kernels: for settings where "
          "float32 cannot resolve the burst signals).");

    out += "\nLearning rule:\n";
    std::string rules;
    for (const RuleInfo* rule : ruleRegistry())
        rules += "\n" + rule->name + (rule->aliases.empty() ? "" : " (" + rule->aliases.front() + ")") +
                 ": " + rule->description;
    entry(out, "--rule NAME", "One of (default burstprop):" + rules);
    entry(out, "-use_backprop BOOL", "true: --rule backprop (and wins over -use_node_pertubation).");
    entry(out, "-use_node_pertubation BOOL", "true: --rule node-perturbation.");
    entry(out, "--perturbation MODE",
          "Node perturbation noise on all layers at once (all, default), one layer "
          "per sub-step (layer) or one unit per batch (unit).");
    entry(out, "-sequential_pertubation BOOL",
          "true: --perturbation layer, or unit with -perturb_units true.");
    entry(out, "-perturb_units BOOL", "With -sequential_pertubation true: perturb single units.");
    entry(out, "--optimizer NAME",
          "What applies the rule's gradients: default (the rule's own: the reference's burstprop form "
          "ΔW ← −lr·g + momentum·ΔW, W ← W + ΔW − decay·W; torch.optim.SGD for backprop), reference, sgd "
          "(torch.optim.SGD, one parameter group per layer) or adam (torch.optim.Adam, betas 0.9/0.99, eps "
          "0.1, "
          "no weight decay, as the reference's ImageNet script).");
    entry(out, "-use_adam BOOL", "true: --optimizer adam.");

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
        details += paramValueText(spec, spec.get(base));
        std::string others;
        for (const auto& [label, config] : variants)
            if (spec.get(config) != spec.get(base))
                others +=
                    (others.empty() ? "" : "; ") + label + ": " + paramValueText(spec, spec.get(config));
        if (!others.empty())
            details += " (" + others + ")";
        details += "; used by " + rulesUsing(spec) + ".";
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

    out += "\nSeveral processes (data-parallel; docs/distributed.md):\n";
    entry(
        out, "--nproc N",
        "Train this run in N local processes, each on its shard of every batch (-batch_size stays the "
        "global batch); each gets cores / N threads unless --threads says. Under torchrun (RANK, "
        "WORLD_SIZE, MASTER_ADDR, MASTER_PORT) or srun (SLURM_PROCID, SLURM_NTASKS, SLURM_JOB_NODELIST) "
        "every process joins the group its launcher names. Rank 0 records the run and prints the progress.");
    entry(out, "--dist-timeout S",
          "Seconds the rendezvous and each exchange may take before the group gives up, naming the "
          "lost rank (default 300).");
    entry(out, "--backend NAME",
          "gloo or nccl; default: nccl with --device cuda in builds that have it, else gloo.");
    entry(out, "--master-port P", "The rendezvous port (overrides MASTER_PORT; Slurm's default 29500).");

    out += "\nRecording (every run is recorded in the run database, as the explorer's runs are):\n";
    entry(out, "--db FILE", "The run database (default " + defaultDatabasePath() + ").");
    entry(out, "--no-db", "Do not record the run (nor keep checkpoints, unless results-dir is given).");
    entry(out, "--name TEXT", "The run's name in the database (default: rule and dataset).");
    entry(out, "--tags LIST", "Comma-separated tags, e.g. sweep1,lr.");
    entry(out, "--notes TEXT", "Free notes kept with the run.");
    entry(out, "-resume_path FILE",
          "Start a new run from a checkpoint of this program (its weights, optimizer and rule state, data "
          "order "
          "and epoch), as the reference's flag; the run records which file and run it came from. To continue "
          "a recorded run itself, use 'burstprop-train resume ID'.");
    entry(out, "--checkpoint-every N",
          "Besides the initial, latest and best states, keep the state after every N-th epoch "
          "(default 0: none). Checkpoints (*.ckpt, which torch.load opens too) go to results-dir, else to "
          "<database name>.runs/<id> beside the database (runs.runs/12 for runs.sqlite). A results-dir that "
          "holds another run's checkpoints is refused.");
    out += "\nExit status: 0 completed, 1 failed or diverged, 2 invalid arguments, 130 stopped (SIGINT, "
           "SIGTERM).\n";
    return out;
}

} // namespace bp
