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

} // namespace bp
