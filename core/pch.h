#pragma once
// Precompiled for every core translation unit (see CMakeLists.txt).
#include <ATen/ATen.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>
