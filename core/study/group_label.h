#pragma once
#include "core/study/run_groups.h"
#include <string>
#include <vector>

namespace bp::study {

// What tells each group from the others: the hyperparameters whose values differ between the groups, as
// "key=value" joined by ", " in the configuration's key order (e.g. "hidden_lr=0.1, rule=burstprop"). A key
// that only some groups have (a hyperparameter their rule uses) counts as differing; a group without it says
// nothing about it. Empty for a single group, or for groups that do not differ.
std::vector<std::string> groupDescriptions(const std::vector<RunGroup>& groups);

// "G1", "G2", …: the short names of groups in the order given (the verdict's "G1 − G2").
std::string groupName(size_t index);

} // namespace bp::study
