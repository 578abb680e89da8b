#include "core/cli/stop_signal.h"
#include <chrono>
#include <csignal>
#include <unistd.h>

namespace bp {

namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal flag must be lock-free");

std::atomic<int> g_pause{0}; // 1: SIGUSR1 came last, 0: SIGUSR2 (or neither)

struct sigaction g_previousInt {};
struct sigaction g_previousUsr1 {};
struct sigaction g_previousUsr2 {};
struct sigaction g_previousTerm {};

extern "C" void handleStopSignal(int signal) {
    // Only async-signal-safe work here: an atomic exchange and, the second time, _exit().
    if (g_signal.exchange(signal) != 0)
        ::_exit(130);
}

extern "C" void handlePauseSignal(int signal) {
    g_pause.store(signal == SIGUSR1 ? 1 : 0); // async-signal-safe: a lock-free atomic store
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

PauseOnSignal::PauseOnSignal(std::function<void()> onPause, std::function<void()> onContinue,
                             int pollMilliseconds)
    : onPause_(std::move(onPause)), onContinue_(std::move(onContinue)) {
    g_pause = 0;
    struct sigaction action {};
    action.sa_handler = handlePauseSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &action, &g_previousUsr1);
    sigaction(SIGUSR2, &action, &g_previousUsr2);
    poller_ = std::thread([this, pollMilliseconds] {
        bool paused = false;
        while (!done_) {
            const bool wanted = g_pause != 0;
            if (wanted != paused) {
                paused = wanted;
                if (paused && onPause_)
                    onPause_();
                else if (!paused && onContinue_)
                    onContinue_();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(pollMilliseconds));
        }
    });
}

PauseOnSignal::~PauseOnSignal() {
    done_ = true;
    poller_.join();
    sigaction(SIGUSR1, &g_previousUsr1, nullptr);
    sigaction(SIGUSR2, &g_previousUsr2, nullptr);
}

bool PauseOnSignal::pauseWanted() {
    return g_pause != 0;
}

void ignorePauseSignals() {
    std::signal(SIGUSR1, SIG_IGN);
    std::signal(SIGUSR2, SIG_IGN);
}

} // namespace bp
