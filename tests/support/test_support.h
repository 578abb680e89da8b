#pragma once
#include "core/train/observer.h"
#include <ATen/ATen.h>
#include <QString>
#include <string>

namespace bp::test {

// ‖a − b‖ / ‖b‖ in float64 (0 when both are zero).
double relativeError(const at::Tensor& a, const at::Tensor& b);

// The environment variable's value, or fallback when unset or empty.
std::string envOr(const char* name, const std::string& fallback);

// Folder with the real Fashion-MNIST files (from the Debian package), or "" when absent.
std::string fashionMnistDir();

// Path of the built burstprop-train executable (set by CTest), or "".
QString trainerBinary();

// A run status as QString, for QCOMPARE (QTest cannot print bp enums).
QString statusName(RunStatus status);

} // namespace bp::test
