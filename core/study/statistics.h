#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Statistics of groups of runs (a figure such as the final test error, one value per seed): summaries,
// Welch's t-test, percentile bootstrap intervals and a verdict in words. No value is ever NaN: what
// cannot be computed (a std of one run, a test of an empty group) is absent, with a message saying why.
namespace bp::study {

// The mean of values; nullopt when there are none.
std::optional<double> mean(const std::vector<double>& values);
// The sample standard deviation (n − 1 in the denominator); nullopt for fewer than 2 values.
std::optional<double> sampleStd(const std::vector<double>& values);

struct Summary {
    size_t n = 0;
    std::optional<double> mean, std, min, max; // mean, min, max: n ≥ 1; std: n ≥ 2
};
Summary summary(const std::vector<double>& values);

// Welch's unequal-variances t-test of mean(a) − mean(b): t, the Welch–Satterthwaite degrees of freedom
// and the two-sided p-value from Student's t distribution (Boost.Math).
struct WelchTest {
    bool valid = false; // false: t, df and p are meaningless and message says why
    double t = 0.0;
    double df = 0.0;
    double p = 1.0;
    std::string message; // why there is no test (fewer than 2 runs in a group, no spread)
};
WelchTest welchTTest(const std::vector<double>& a, const std::vector<double>& b);

struct BootstrapOptions {
    int resamples = 10000;
    double level = 0.95; // the interval's coverage
    uint64_t seed = 1;   // the resamples are a fixed function of the seed (SplitMix64)
};

// A percentile bootstrap interval: the statistic on the data (estimate), and the (1 − level)/2 and
// (1 + level)/2 quantiles of the statistic over the resamples (linear interpolation between order
// statistics, as numpy.percentile's default).
struct Interval {
    bool valid = false; // false: message says why
    double estimate = 0.0;
    double low = 0.0;
    double high = 0.0;
    double level = 0.95;
    int resamples = 0;
    std::string message;

    bool containsZero() const { return valid && low <= 0.0 && high >= 0.0; }
};

// The interval of a group's mean (each resample draws n values with replacement). Needs 2 values.
Interval bootstrapMean(const std::vector<double>& values, const BootstrapOptions& options = {});
// The interval of mean(a) − mean(b), each group resampled on its own. Needs 2 values in each group.
Interval bootstrapMeanDifference(const std::vector<double>& a, const std::vector<double>& b,
                                 const BootstrapOptions& options = {});

// Below this many runs a group's bootstrap interval (and its std) is too narrow to trust.
constexpr size_t kFewRuns = 5;

// Two groups compared: their summaries, the test, the interval of the difference and the verdict.
struct Comparison {
    Summary a, b;
    WelchTest welch;
    Interval difference;  // of mean(a) − mean(b)
    bool fewRuns = false; // a group has fewer than kFewRuns runs
    // In words, e.g. "A − B = 0.021, 95 % CI [0.012, 0.030], Welch's p = 0.0004: the interval excludes
    // zero, so the groups differ beyond seed noise." plus the caution when fewRuns.
    std::string verdict;
};
Comparison compareGroups(const std::vector<double>& a, const std::vector<double>& b,
                         const std::string& nameA = "A", const std::string& nameB = "B",
                         const BootstrapOptions& options = {});

} // namespace bp::study
