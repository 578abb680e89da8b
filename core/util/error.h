#pragma once
#include <stdexcept>
#include <string>

namespace bp {

// Every failure the user can cause (bad file, bad value, bad state) is reported as a bp::Error whose
// message names the thing at fault and the problem, ready to show as is.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

} // namespace bp
