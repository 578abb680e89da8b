#include "core/cli/stop_signal.h"
#include <chrono>
#include <csignal>
#include <unistd.h>

namespace bp {

namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal flag must be lock-free");

struct sigaction g_previousInt {};
struct sigaction g_previousTerm {};

extern "C" void handleStopSignal(int signal) {
    // Only async-signal-safe work here: an atomic exchange and, the second time, _exit().
    if (g_signal.exchange(signal) != 0)
        ::_exit(130);
}

} // namespace

StopOnSignal::StopOnSignal(std::function<void()> onStop, int pollMilliseconds) : onStop_(std::move(onStop)) {
    g_signal = 0;
    struct sigaction action {};
    action.sa_handler = handleStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, &g_previousInt);
    sigaction(SIGTERM, &action, &g_previousTerm);
    poller_ = std::thread([this, pollMilliseconds] {
        bool stopped = false;
        while (!done_) {
            if (!stopped && g_signal != 0) {
                stopped = true;
                onStop_();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(pollMilliseconds));
        }
    });
}

StopOnSignal::~StopOnSignal() {
    done_ = true;
    poller_.join();
    sigaction(SIGINT, &g_previousInt, nullptr);
    sigaction(SIGTERM, &g_previousTerm, nullptr);
}

bool StopOnSignal::signalled() {
    return g_signal != 0;
}
int StopOnSignal::signalNumber() {
    return g_signal;
}

} // namespace bp
