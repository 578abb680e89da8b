#pragma once
#include <vector>

namespace bp {

// "All cores" that does not collapse on a shared machine. With fine-grained OpenMP regions (dozens per
// training step), one thread descheduled by another process stalls every barrier: on this project's 2-core
// machine, 2 threads train at ~400 examples/s while another process keeps both cores busy, 1 thread at
// ~6,700 (and 2 threads beat 1 by ~1.7× when the machine is quiet). So every `period` steps the tuner
// times `probe` steps with every core and `probe` with one, and trains on with the faster until the next
// probe. Steps that measure angles are slower by design and are not counted.
class ThreadTuner {
  public:
    ThreadTuner(int maxThreads, int period = 1000, int probe = 16);

    // The thread count the next step should use.
    int threadsForNextStep() const { return current_; }
    // The time of the step just trained with threadsForNextStep() threads; measured: angles were measured.
    void recordStep(double seconds, bool measured);
    int choices() const { return choices_; } // decisions taken so far

  private:
    enum class Phase { ProbeMany, ProbeOne, Run };
    static double median(std::vector<double> v);

    int max_;
    int period_, probe_;
    Phase phase_ = Phase::ProbeMany;
    int current_;
    int stepsInPhase_ = 0;
    int choices_ = 0;
    std::vector<double> many_, one_;
};

} // namespace bp
