#pragma once
#include <ATen/ATen.h>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bp {

// Counts of (true class, predicted class) over a test set: rows true classes, columns predicted ones.
class ConfusionMatrix {
  public:
    explicit ConfusionMatrix(int classes = 0);

    // One example (or `count` of them). Throws bp::Error for a class outside [0, classes).
    void add(int64_t truth, int64_t predicted, int64_t count = 1);
    // A batch: labels and predictions of the same length (any integer dtype, any device). Labels outside
    // [0, classes) are counted as the nearest class, as the evaluation's per-class counts do.
    void add(const at::Tensor& labels, const at::Tensor& predicted);

    int classes() const { return classes_; }
    int64_t count(int truth, int predicted) const { return counts_[index(truth, predicted)]; }
    int64_t total() const;
    int64_t correct() const;                  // the diagonal's sum
    int64_t present(int truth) const;         // a row's sum: examples labelled truth
    int64_t predictedAs(int predicted) const; // a column's sum
    // Percent of the examples labelled truth that were misclassified; none when the class never occurs.
    std::optional<double> classError(int truth) const;
    double error() const; // percent misclassified overall (0 for an empty matrix)

    // CSV: a header "true\predicted,<name>,...", then per true class its name and its counts. Names default
    // to the class numbers.
    std::string csv(const std::vector<std::string>& names = {}) const;

  private:
    size_t index(int truth, int predicted) const;
    int classes_;
    std::vector<int64_t> counts_; // row-major, classes_ × classes_
};

} // namespace bp
