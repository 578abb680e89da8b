#include "core/study/statistics.h"
#include "core/study/split_mix.h"
#include "core/util/number_text.h"
#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace bp::study {

namespace {

double sum(const std::vector<double>& values) {
    double s = 0.0;
    for (double v : values)
        s += v;
    return s;
}

// The sample variance (n − 1); n ≥ 2. Two passes: the mean first, then the squares about it.
double sampleVariance(const std::vector<double>& values) {
    const double m = sum(values) / static_cast<double>(values.size());
    double ss = 0.0;
    for (double v : values)
        ss += (v - m) * (v - m);
    return ss / static_cast<double>(values.size() - 1);
}

// The q-quantile of sorted values, interpolating linearly between order statistics (numpy's default).
double quantile(const std::vector<double>& sorted, double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const size_t below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

// The mean of n values drawn with replacement from values.
double resampledMean(const std::vector<double>& values, SplitMix64& generator) {
    double s = 0.0;
    for (size_t i = 0; i < values.size(); ++i)
        s += values[generator.below(values.size())];
    return s / static_cast<double>(values.size());
}

std::string checkOptions(const BootstrapOptions& options) {
    if (options.resamples < 2)
        return "a bootstrap needs at least 2 resamples";
    if (!(options.level > 0.0 && options.level < 1.0))
        return "the interval's level must lie between 0 and 1";
    return {};
}

std::string runs(size_t n) {
    return std::to_string(n) + (n == 1 ? " run" : " runs");
}

// The interval from the statistic on the data and the statistic of each resample.
Interval percentileInterval(double estimate, std::vector<double> statistics,
                            const BootstrapOptions& options) {
    std::sort(statistics.begin(), statistics.end());
    Interval interval;
    interval.valid = true;
    interval.estimate = estimate;
    interval.level = options.level;
    interval.resamples = options.resamples;
    interval.low = quantile(statistics, (1.0 - options.level) / 2.0);
    interval.high = quantile(statistics, (1.0 + options.level) / 2.0);
    return interval;
}

std::string number(double v) {
    return formatNumber(v, 3);
}

} // namespace

std::optional<double> mean(const std::vector<double>& values) {
    if (values.empty())
        return std::nullopt;
    return sum(values) / static_cast<double>(values.size());
}

std::optional<double> sampleStd(const std::vector<double>& values) {
    if (values.size() < 2)
        return std::nullopt;
    return std::sqrt(sampleVariance(values));
}

Summary summary(const std::vector<double>& values) {
    Summary s;
    s.n = values.size();
    s.mean = mean(values);
    s.std = sampleStd(values);
    if (!values.empty()) {
        const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
        s.min = *lo;
        s.max = *hi;
    }
    return s;
}

WelchTest welchTTest(const std::vector<double>& a, const std::vector<double>& b) {
    WelchTest test;
    if (a.size() < 2 || b.size() < 2) {
        test.message = "Welch's t-test needs at least 2 runs in each group (they have " +
                       std::to_string(a.size()) + " and " + std::to_string(b.size()) + ")";
        return test;
    }
    const double na = static_cast<double>(a.size());
    const double nb = static_cast<double>(b.size());
    const double va = sampleVariance(a) / na; // squared standard errors of the means
    const double vb = sampleVariance(b) / nb;
    const double se2 = va + vb;
    if (!(se2 > 0.0) || !std::isfinite(se2)) {
        test.message = "Welch's t-test is undefined: neither group varies between runs";
        return test;
    }
    test.t = (sum(a) / na - sum(b) / nb) / std::sqrt(se2);
    test.df = se2 * se2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0)); // Welch–Satterthwaite
    if (!std::isfinite(test.t) || !(test.df > 0.0) || !std::isfinite(test.df)) {
        test.message = "Welch's t-test is undefined for these values (not finite)";
        return test;
    }
    const boost::math::students_t distribution(test.df);
    test.p = std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(distribution, std::fabs(test.t))));
    test.valid = true;
    return test;
}

Interval bootstrapMean(const std::vector<double>& values, const BootstrapOptions& options) {
    Interval interval;
    interval.level = options.level;
    if (values.size() < 2) {
        interval.message =
            "a bootstrap interval needs at least 2 runs (the group has " + runs(values.size()) + ")";
        return interval;
    }
    if (const std::string bad = checkOptions(options); !bad.empty()) {
        interval.message = bad;
        return interval;
    }
    SplitMix64 generator(options.seed);
    std::vector<double> means(static_cast<size_t>(options.resamples));
    for (double& m : means)
        m = resampledMean(values, generator);
    return percentileInterval(*mean(values), std::move(means), options);
}

Interval bootstrapMeanDifference(const std::vector<double>& a, const std::vector<double>& b,
                                 const BootstrapOptions& options) {
    Interval interval;
    interval.level = options.level;
    if (a.size() < 2 || b.size() < 2) {
        interval.message = "a bootstrap interval of the difference needs at least 2 runs in each group (they "
                           "have " +
                           std::to_string(a.size()) + " and " + std::to_string(b.size()) + ")";
        return interval;
    }
    if (const std::string bad = checkOptions(options); !bad.empty()) {
        interval.message = bad;
        return interval;
    }
    SplitMix64 generator(options.seed);
    std::vector<double> differences(static_cast<size_t>(options.resamples));
    for (double& d : differences) {
        const double ma = resampledMean(a, generator);
        d = ma - resampledMean(b, generator);
    }
    return percentileInterval(*mean(a) - *mean(b), std::move(differences), options);
}

Comparison compareGroups(const std::vector<double>& a, const std::vector<double>& b, const std::string& nameA,
                         const std::string& nameB, const BootstrapOptions& options) {
    Comparison c;
    c.a = summary(a);
    c.b = summary(b);
    c.welch = welchTTest(a, b);
    c.difference = bootstrapMeanDifference(a, b, options);
    c.fewRuns = a.size() < kFewRuns || b.size() < kFewRuns;

    std::string& v = c.verdict;
    if (c.difference.valid) {
        const Interval& d = c.difference;
        v = nameA + " − " + nameB + " = " + number(d.estimate) + ", " + formatNumber(d.level * 100.0, 3) +
            " % CI [" + number(d.low) + ", " + number(d.high) + "]";
        if (c.welch.valid)
            v += ", Welch's t = " + number(c.welch.t) + " (df " + number(c.welch.df) +
                 "), p = " + formatNumber(c.welch.p, 2);
        else
            v += " (" + c.welch.message + ")";
        v += d.containsZero() ? ": the interval contains zero, so these runs do not show a difference beyond "
                                "seed noise."
                              : ": the interval excludes zero, so the groups differ beyond seed noise.";
    } else {
        v = "No comparison of " + nameA + " and " + nameB + ": " + c.difference.message + ".";
    }
    if (c.fewRuns) {
        std::string small;
        for (const auto& [name, n] : {std::pair{nameA, a.size()}, std::pair{nameB, b.size()}})
            if (n < kFewRuns)
                small += (small.empty() ? "" : " and ") + name + " has " +
                         (n == 0 ? "no runs" : "only " + runs(n));
        v += " Caution: " + small + "; with fewer than " + std::to_string(kFewRuns) +
             " runs a group's interval is too narrow to trust.";
    }
    return c;
}

} // namespace bp::study
