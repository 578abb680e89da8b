#pragma once

// Named fault points, for tests that kill a process at an exact moment (tests/store/tst_kill_anywhere.cpp).
// BURSTPROP_FAULT=<name>[:<n>] makes the process kill itself with SIGKILL the n-th time (default the first)
// faultPoint(name) is reached, after writing "fault point <name> reached (<n>)" to standard error. Unset,
// a fault point costs one branch on a flag read once at start-up. The points (docs/testing.md):
//   startup.data        the data set loaded at start-up, before the network and the first checkpoint
//   checkpoint.write    a checkpoint's temporary file half written, before its fsync and rename
//   checkpoint.renamed  a checkpoint renamed into place, before the run store records it
//   metrics.commit      a metrics transaction of the run store: rows inserted, before COMMIT
//   epoch.recorded      an epoch's metrics recorded, before its checkpoints are written
//   epoch.checkpointed  an epoch's checkpoints written and recorded, before the next epoch or the run's end
namespace bp {

namespace detail {
extern const bool kFaultArmed; // BURSTPROP_FAULT was set when the process started
void reachFault(const char* name);
} // namespace detail

inline void faultPoint(const char* name) {
    if (detail::kFaultArmed)
        detail::reachFault(name);
}

} // namespace bp
