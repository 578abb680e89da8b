#include "core/cli/group_launch.h"
#include "core/cli/child_process.h"
#include "core/cli/stop_signal.h"
#include "core/cli/sweep_runner.h"
#include "core/dist/dist_env.h"
#include "core/util/error.h"
#include "core/util/system_info.h"
#include <cerrno>
#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace bp {

namespace {

constexpr int kExitStopped = 130;
constexpr int kExitFailed = 1;

int exitCodeOf(int wstatus) {
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

} // namespace

bool launchesLocalGroup(const CliOptions& options) {
    if (options.nproc <= 1)
        return false;
    const dist::DistEnv env = dist::readDistEnv(dist::processEnvironment(), options.masterPort);
    if (env.worldSize <= 1)
        return true;
    if (env.worldSize != options.nproc)
        throw Error("--nproc " + std::to_string(options.nproc) + " in a group of " +
                    std::to_string(env.worldSize) + " that " + env.source +
                    " started: give the number of processes to one of them only");
    return false; // a rank that this launcher (or another) started
}

int launchLocalGroup(const CliOptions& options, const std::vector<std::string>& args, std::ostream& out) {
    const int n = options.nproc;
    const int port = options.masterPort ? *options.masterPort : sys::freeLoopbackPort();
    if (port == 0)
        throw Error("--nproc: cannot pick a free rendezvous port on 127.0.0.1 (give one with --master-port)");
    std::vector<std::string> argv{programPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    if (options.config.threads == 0) {
        argv.push_back("--threads");
        argv.push_back(std::to_string(std::max(1, availableCores() / n)));
    }
    if (!options.json)
        out << "starting " << n << " processes (rendezvous 127.0.0.1:" << port << "); rank 0 reports"
            << std::endl;

    std::vector<pid_t> ranks(static_cast<size_t>(n), 0);
    std::vector<int> codes(static_cast<size_t>(n), -1);
    bool stopping = false;
    std::optional<std::chrono::steady_clock::time_point> deadline; // set when a rank failed
    {
        StopOnSignal stopOnSignal([] {}, 50);
        try {
            for (int r = 0; r < n; ++r) {
                ChildSpec spec;
                spec.argv = argv;
                spec.extraEnv = {{"RANK", std::to_string(r)},
                                 {"WORLD_SIZE", std::to_string(n)},
                                 {"LOCAL_RANK", std::to_string(r)},
                                 {"LOCAL_WORLD_SIZE", std::to_string(n)},
                                 {"MASTER_ADDR", "127.0.0.1"},
                                 {"MASTER_PORT", std::to_string(port)},
                                 {"BURSTPROP_LAUNCHER", "burstprop-train --nproc"}};
                ranks[static_cast<size_t>(r)] = startChild(spec);
            }
        } catch (const Error&) {
            for (pid_t pid : ranks)
                if (pid > 0)
                    ::kill(pid, SIGKILL);
            for (pid_t pid : ranks)
                if (pid > 0)
                    ::waitpid(pid, nullptr, 0);
            throw;
        }
        int running = n;
        while (running > 0) {
            if (!stopping && StopOnSignal::signalled()) {
                stopping = true;
                for (int r = 0; r < n; ++r)
                    if (codes[static_cast<size_t>(r)] < 0)
                        ::kill(ranks[static_cast<size_t>(r)], SIGTERM);
            }
            bool reaped = false;
            for (int r = 0; r < n; ++r) {
                if (codes[static_cast<size_t>(r)] >= 0)
                    continue;
                int wstatus = 0;
                const pid_t got = ::waitpid(ranks[static_cast<size_t>(r)], &wstatus, WNOHANG);
                if (got <= 0)
                    continue;
                reaped = true;
                --running;
                codes[static_cast<size_t>(r)] = exitCodeOf(wstatus);
                if (codes[static_cast<size_t>(r)] != 0 && codes[static_cast<size_t>(r)] != kExitStopped &&
                    !deadline)
                    deadline = std::chrono::steady_clock::now() +
                               std::chrono::seconds(options.distTimeoutSeconds + 30);
            }
            if (deadline && running > 0 && std::chrono::steady_clock::now() > *deadline) {
                for (int r = 0; r < n; ++r)
                    if (codes[static_cast<size_t>(r)] < 0)
                        ::kill(ranks[static_cast<size_t>(r)], SIGKILL);
                deadline.reset();
            }
            if (!reaped)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    if (codes[0] != 0)
        return codes[0];
    for (int code : codes)
        if (code != 0)
            return code == kExitStopped ? kExitStopped : kExitFailed;
    return 0;
}

} // namespace bp
