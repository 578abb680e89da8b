#pragma once
#include "core/config/run_config.h"
#include "core/setup/config_options.h"
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// Sweeps: which values each swept option takes, and the runs they expand to. The syntax is shared by the
// explorer's form and `burstprop-train sweep --grid KEY=SPEC`:
//
//   hidden_lr=0.01,0.03,0.1        a list
//   hidden_lr=0.01..1:5:log        5 log-spaced values, both ends included
//   p_baseline=0.1..0.4:4          4 evenly spaced values, both ends included
//   hidden_lr=0.01..1:log          a range without a count: for random draws only (uniform; log-uniform
//                                  with :log). Random draws pick from a list, or a range with a count, evenly
//   weight_fa_learning=true,false  booleans (of the table, or -conv_net, -use_adam, ...)
//   rule=burstprop,backprop        choices: dataset, rule, activation, output, perturbation, optimizer,
//                                  dtype (names as --help lists them)
//   hidden_widths=500;500,500      network shapes, separated by ';' (each as --hidden-widths takes it)
//
// Keys are the options' names ('-' and '_' alike, reference aliases resolved); every value is checked
// against the hyperparameter table's range or the choice's parser when the specification is read.
namespace bp::study {

// A range lo..hi[:count][:log]; count 0: none given (random draws only).
struct SweepRange {
    double low = 0.0;
    double high = 0.0;
    int count = 0;
    bool log = false;
};

// One swept option: its key and values, as the option would be given on the command line.
struct SweepDimension {
    std::string key;  // normalised ("hidden_lr")
    std::string spec; // as given, after "key="
    std::vector<std::string>
        values; // each value's text (canonical for choices); empty for a range without a count
    std::optional<SweepRange> range; // a range; without a count random draws take any value of it
    bool integer = false;            // values are integers (batch_size, n_hidden_layers, ...)
};

// Reads "key=spec". Throws bp::Error naming the key and, for numbers, the allowed range, e.g.
// "hidden_lr: 200 is out of range [0, 100]", "batch_size: a range needs a count of at least 2 (lo..hi:N)",
// "hidden_lr: a log range needs bounds above 0", "frobnicate: unknown option", "rule: unknown learning rule
// 'x' (allowed: ...)". The same key twice is the caller's to reject (parseSweep does).
SweepDimension parseSweepDimension(const std::string& text);
// Every "key=spec" in order; throws on the first bad one, or on a key given twice.
std::vector<SweepDimension> parseSweep(const std::vector<std::string>& texts);

enum class SweepMode { Grid, Random };

struct SweepPlan {
    SweepMode mode = SweepMode::Grid;
    int randomCount = 0;   // Random: how many points to draw
    uint64_t drawSeed = 1; // Random: the draws are a fixed function of this seed (SplitMix64)
    int seeds = 1;         // runs per point, with seeds base, base + 1, ..., base + seeds − 1
};

constexpr size_t kMaxSweepRuns = 100000;

// One run of a sweep.
struct SweepRun {
    RunConfig config;
    // The swept options this run sets (key, value), in the sweep's order; options the configuration's rule or
    // network does not use are left out (the base's value stands).
    std::vector<std::pair<std::string, std::string>> assignments;
    size_t point = 0; // index of its point (combination of values) among the sweep's points, before removal
};

struct SweepExpansion {
    std::vector<SweepRun> runs; // point by point, each point's seeds together
    size_t points = 0;          // grid combinations or random draws
    size_t duplicates = 0;      // runs left out because an earlier run had the same configuration
};

// The number of grid points (the product of the value counts); throws for a range without a count.
size_t gridPoints(const std::vector<SweepDimension>& dimensions);

// The runs of the sweep, each the configuration that parseConfigOptions() reads from base followed by
// the point's options (so they override the base's, with the CLI's checks and messages) and --seed. A
// hyperparameter the run's rule does not use (hyperparameterApplies(), or one normalized() resets) is
// dropped from that run, and a run whose configuration an earlier run already has is removed. Throws
// bp::Error for a bad plan, more than kMaxSweepRuns runs, or a point that is no valid run (the message
// names the point).
SweepExpansion expandSweep(const std::vector<SweepDimension>& dimensions, const SweepPlan& plan,
                           const std::vector<OptionItem>& base);

// The configuration options among args as parseConfigOptions() takes them ("-hidden_lr 0.1",
// "--hidden-lr=0.1", "--no-download"). Throws bp::Error for a word that is not a configuration option or
// an option without its value.
std::vector<OptionItem> configOptionItems(const std::vector<std::string>& args);
// The options that give config (commandLineArguments()): a sweep's base from a configuration, as the form
// has it.
std::vector<OptionItem> configOptionItems(const RunConfig& config);

} // namespace bp::study
