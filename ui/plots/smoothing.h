#pragma once
#include <QVector>

namespace bp::ui {

// TensorBoard's debiased exponential moving average: last = last·w + (1 − w)·v, n += 1,
// shown = last / (1 − wⁿ). Dividing by (1 − wⁿ) removes the pull towards the zero start, so the first
// shown value equals the first input. Non-finite values are passed through unchanged and do not enter
// the average. weight is clamped to [0, 1); 0 returns the input unchanged.
QVector<double> debiasedEma(const QVector<double>& values, double weight);

} // namespace bp::ui
