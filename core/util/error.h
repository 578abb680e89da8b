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

// A run that cannot go on for a reason outside it — a lost process of its data-parallel group — but that
// resumes from its last checkpoint: the trainer ends it as interrupted, not failed.
class Interruption : public Error {
  public:
    using Error::Error;
};

} // namespace bp
