#pragma once
#include <atomic>
#include <functional>
#include <thread>

namespace bp {

// Turns SIGINT and SIGTERM into a call of onStop() on an ordinary thread: the handler only sets a
// lock-free flag, which a small thread polls. A second signal while the stop is pending ends the
// process at once with status 130. The previous handlers come back on destruction.
class StopOnSignal {
  public:
    explicit StopOnSignal(std::function<void()> onStop, int pollMilliseconds = 50);
    ~StopOnSignal();
    StopOnSignal(const StopOnSignal&) = delete;
    StopOnSignal& operator=(const StopOnSignal&) = delete;

    // Whether a signal arrived.
    static bool signalled();
    // The signal's number, 0 when none.
    static int signalNumber();

  private:
    std::function<void()> onStop_;
    std::atomic<bool> done_{false};
    std::thread poller_;
};

// Turns SIGUSR1 into a call of onPause() and SIGUSR2 into one of onContinue() on an ordinary thread, as
// StopOnSignal does (burstprop-train pause / continue RUN, sweep pause / continue ID): the handler only
// records which came last, and the thread calls the one that changes the state (a pause and a continue that
// both arrive within one poll leave it as it was). The previous handlers come back on destruction.
class PauseOnSignal {
  public:
    PauseOnSignal(std::function<void()> onPause, std::function<void()> onContinue, int pollMilliseconds = 50);
    ~PauseOnSignal();
    PauseOnSignal(const PauseOnSignal&) = delete;
    PauseOnSignal& operator=(const PauseOnSignal&) = delete;

    // Whether the last of the two signals was SIGUSR1 (false before either arrived).
    static bool pauseWanted();

  private:
    std::function<void()> onPause_, onContinue_;
    std::atomic<bool> done_{false};
    std::thread poller_;
};

// Leaves SIGUSR1 and SIGUSR2 ignored (before a PauseOnSignal exists, their default would end the process):
// called first thing by burstprop-train, so that a pause that arrives before the trainer listens is lost,
// not fatal.
void ignorePauseSignals();

} // namespace bp
