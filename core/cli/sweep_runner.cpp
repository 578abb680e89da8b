#include "core/cli/sweep_runner.h"
#include "core/cli/child_process.h"
#include "core/cli/stop_signal.h"
#include "core/setup/config_options.h"
#include "core/store/run_store.h"
#include "core/study/sweep_spec.h"
#include "core/util/error.h"
#include "core/util/json_writer.h"
#include "core/util/number_text.h"
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sched.h>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace bp {

namespace fs = std::filesystem;

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitStopped = 130;

std::string percent(std::optional<double> v) {
    return v ? formatFixed(*v, 2) + " %" : std::string("-");
}

struct Child {
    pid_t pid = 0;
    SweepTask task;
    std::string log;
};

// Starts `program resume ID --db DB --no-progress` with its output appended to log, in a process group of
// its own.
pid_t spawnRun(const std::string& program, const std::string& database, const SweepTask& task,
               int checkpointEvery, const std::string& log) {
    ChildSpec spec;
    spec.argv = {program, "resume", std::to_string(task.runId), "--db", database, "--no-progress"};
    if (checkpointEvery > 0) {
        spec.argv.push_back("--checkpoint-every");
        spec.argv.push_back(std::to_string(checkpointEvery));
    }
    spec.outputFile = log;
    try {
        return startChild(spec);
    } catch (const Error& e) {
        throw Error("sweep: run " + std::to_string(task.runId) + ": " + e.what());
    }
}

// The last non-empty line of a run's log (its error message), at most 300 characters.
std::string lastLine(const std::string& log) {
    std::ifstream in(log);
    std::string line, last;
    while (std::getline(in, line))
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            last = line;
    return last.size() > 300 ? last.substr(0, 300) + "…" : last;
}

} // namespace

// The normalised keys of the --grid options among a sweep's recorded arguments, in their order.
std::vector<std::string> sweptKeys(const std::vector<std::string>& definition) {
    std::vector<std::string> keys;
    for (size_t i = 0; i < definition.size(); ++i) {
        const std::string& arg = definition[i];
        if (arg.size() < 2 || arg[0] != '-')
            continue;
        std::string name = arg.substr(arg.compare(0, 2, "--") == 0 ? 2 : 1);
        std::string value;
        if (const size_t eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        } else if (i + 1 < definition.size()) {
            value = definition[i + 1];
        }
        if (normalisedOptionKey(name) != "grid")
            continue;
        try {
            keys.push_back(study::parseSweepDimension(value).key);
        } catch (const Error&) {
            keys.push_back(normalisedOptionKey(value.substr(0, value.find('='))));
        }
    }
    return keys;
}

std::vector<std::string> sweepArguments(const SweepRecord& sweep) {
    try {
        const nlohmann::json j = nlohmann::json::parse(sweep.definition);
        return j.get<std::vector<std::string>>();
    } catch (const std::exception&) {
        return {};
    }
}

int availableCores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return std::max(1, CPU_COUNT(&set));
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::optional<double> finalTestError(RunStore& store, int64_t runId) {
    const std::vector<MetricPoint> points = store.readMetrics(runId, "test_error");
    if (points.empty() || std::isnan(points.back().value))
        return std::nullopt;
    return points.back().value;
}

std::string sweptLabel(RunStore& store, const RunRecord& run, const std::vector<std::string>& keys) {
    std::map<std::string, std::string> values;
    for (const Hyperparameter& h : store.hyperparameters(run.id))
        if (h.applies)
            values[h.key] = h.display();
    std::string label;
    for (const std::string& key : keys)
        if (const auto found = values.find(key); found != values.end() && key != "seed")
            label += key + "=" + found->second + " ";
    return label + "seed=" + std::to_string(run.seed);
}

int executeSweep(RunStore& store, const SweepExecution& execution, std::ostream& out) {
    const std::string program = programPath();
    const std::string database = fs::absolute(store.path()).lexically_normal().string();
    const int64_t sweepId = execution.sweepId;
    const size_t total = execution.tasks.size();
    std::deque<SweepTask> waiting(execution.tasks.begin(), execution.tasks.end());
    std::vector<Child> running;
    std::map<std::string, int> ended; // status → count
    bool stopping = false;
    bool paused = false;        // SIGUSR1 (sweep pause): no new run; the running ones paused
    std::set<pid_t> pausedPids; // the runs sent SIGUSR1, to be sent SIGUSR2 on continue
    size_t done = 0;
    // A line (or JSON event) when the sweep pauses or continues.
    const auto reportPause = [&](bool pausing) {
        if (execution.json) {
            JsonWriter j;
            j.field("event", pausing ? "sweep_paused" : "sweep_continued")
                .field("sweep", static_cast<long long>(sweepId))
                .field("running", static_cast<long long>(running.size()))
                .field("not_started", static_cast<long long>(waiting.size()));
            out << j.str() << std::endl;
        } else if (pausing) {
            out << "paused: " << running.size() << (running.size() == 1 ? " run" : " runs")
                << " asked to pause, " << waiting.size() << " not started; continue with: burstprop-train "
                << "sweep continue " << sweepId << " --db " << database << std::endl;
        } else {
            out << "continued: " << running.size() << (running.size() == 1 ? " run" : " runs") << " running, "
                << waiting.size() << " not started" << std::endl;
        }
    };
    // Whether a run's process has taken the run up (so that it handles SIGUSR1: before, it ignores it).
    const auto claimed = [&store](const Child& c) {
        const std::optional<RunRecord> run = store.getRun(c.task.runId);
        return run && run->pid == c.pid &&
               (run->status == RunStatus::Running || run->status == RunStatus::Paused);
    };

    store.setSweepStatus(sweepId, "running");
    {
        StopOnSignal stopOnSignal([] {}, 50);    // the loop below reads StopOnSignal::signalled()
        PauseOnSignal pauseOnSignal({}, {}, 50); // and PauseOnSignal::pauseWanted()
        while ((!stopping && !waiting.empty()) || !running.empty()) {
            if (!stopping && StopOnSignal::signalled()) {
                stopping = true;
                if (execution.json) {
                    JsonWriter j;
                    j.field("event", "sweep_stopping")
                        .field("sweep", static_cast<long long>(sweepId))
                        .field("running", static_cast<long long>(running.size()))
                        .field("not_started", static_cast<long long>(waiting.size()));
                    out << j.str() << std::endl;
                } else {
                    out << "stopping: " << running.size() << (running.size() == 1 ? " run" : " runs")
                        << " asked to stop, " << waiting.size() << " not started" << std::endl;
                }
                for (const Child& c : running)
                    ::kill(c.pid, SIGTERM); // a paused run stops too
            }
            if (!stopping && PauseOnSignal::pauseWanted() != paused) {
                paused = !paused;
                store.setSweepStatus(sweepId, paused ? "paused" : "running");
                if (!paused) {
                    for (const Child& c : running)
                        if (pausedPids.count(c.pid))
                            ::kill(c.pid, SIGUSR2);
                    pausedPids.clear();
                }
                reportPause(paused);
            }
            // Each running run is paused once its process has taken it up (a run started just before the
            // pause is paused as soon as it claims its record).
            if (paused && !stopping)
                for (const Child& c : running)
                    if (!pausedPids.count(c.pid) && claimed(c)) {
                        ::kill(c.pid, SIGUSR1);
                        pausedPids.insert(c.pid);
                    }
            while (!stopping && !paused && !waiting.empty() &&
                   static_cast<int>(running.size()) < execution.parallel) {
                Child c;
                c.task = waiting.front();
                waiting.pop_front();
                const std::optional<RunRecord> run = store.getRun(c.task.runId);
                if (!run)
                    throw Error("sweep: run " + std::to_string(c.task.runId) + " is no longer in " +
                                store.path());
                std::error_code ec;
                fs::create_directories(run->resultsDir, ec);
                c.log = (fs::path(run->resultsDir) / "sweep.log").string();
                c.pid = spawnRun(program, database, c.task, execution.checkpointEvery, c.log);
                if (execution.json) {
                    JsonWriter j;
                    j.field("event", "sweep_run_started")
                        .field("sweep", static_cast<long long>(sweepId))
                        .field("run_id", static_cast<long long>(c.task.runId))
                        .field("label", c.task.label);
                    out << j.str() << std::endl;
                } else {
                    out << "run " << c.task.runId << " started: " << c.task.label << std::endl;
                }
                running.push_back(std::move(c));
            }
            bool reaped = false;
            for (auto it = running.begin(); it != running.end();) {
                int wstatus = 0;
                const pid_t r = ::waitpid(it->pid, &wstatus, WNOHANG);
                if (r == 0 || (r < 0 && errno == EINTR)) {
                    ++it;
                    continue;
                }
                reaped = true;
                ++done;
                store.markInterruptedRuns(); // a process that died without recording its end
                const std::optional<RunRecord> run = store.getRun(it->task.runId);
                std::string status = run ? toString(run->status) : "deleted";
                const int code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
                if (run && run->status == RunStatus::Queued && stopping)
                    status = "stopped before it started"; // still queued: sweep resume starts it
                else if (run && (run->status == RunStatus::Queued || run->status == RunStatus::Running))
                    status = "failed";
                else if (run && code != 0 && run->pid != it->pid)
                    status =
                        "failed"; // it never claimed the run (the store, the checkpoint): the status is older
                ++ended[status];
                const bool failed = status == "failed" || status == "diverged";
                const std::optional<double> testError = finalTestError(store, it->task.runId);
                if (execution.json) {
                    JsonWriter j;
                    j.field("event", "sweep_run_ended")
                        .field("sweep", static_cast<long long>(sweepId))
                        .field("run_id", static_cast<long long>(it->task.runId))
                        .field("label", it->task.label)
                        .field("status", status)
                        .field("test_error", testError.value_or(std::nan("")))
                        .field("done", static_cast<long long>(done))
                        .field("total", static_cast<long long>(total));
                    if (failed)
                        j.field("exit_status", code).field("log", it->log).field("error", lastLine(it->log));
                    out << j.str() << std::endl;
                } else {
                    out << "run " << it->task.runId << " " << status << ": " << it->task.label
                        << ", test error " << percent(testError) << " (" << done << "/" << total << ")";
                    if (failed) {
                        out << "; exit status " << code << ", output in " << it->log;
                        if (const std::string why = lastLine(it->log); !why.empty())
                            out << ": " << why;
                    }
                    out << std::endl;
                }
                pausedPids.erase(it->pid);
                it = running.erase(it);
            }
            if (!reaped)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    const bool allCompleted = !stopping && ended["completed"] == static_cast<int>(total);
    bool sweepCompleted = allCompleted;
    for (const RunRecord& r : store.runsOfSweep(sweepId))
        sweepCompleted = sweepCompleted && r.status == RunStatus::Completed;
    const std::string sweepStatus = stopping ? "stopped" : sweepCompleted ? "completed" : "failed";
    store.setSweepStatus(sweepId, sweepStatus);
    if (execution.json) {
        Json counts = Json::object();
        for (const auto& [status, n] : ended)
            counts[status] = n;
        JsonWriter j;
        j.field("event", "sweep_ended")
            .field("sweep", static_cast<long long>(sweepId))
            .field("status", sweepStatus)
            .field("counts", counts)
            .field("not_started", static_cast<long long>(waiting.size()))
            .field("total", static_cast<long long>(total))
            .field("database", database);
        out << j.str() << std::endl;
        return stopping ? kExitStopped : allCompleted ? 0 : kExitFailed;
    }
    out << "sweep " << sweepId << " " << sweepStatus << ": ";
    bool first = true;
    for (const auto& [status, n] : ended) {
        out << (first ? "" : ", ") << n << " " << status;
        first = false;
    }
    if (!waiting.empty())
        out << (first ? "" : ", ") << waiting.size() << " not started";
    out << " of " << total << (total == 1 ? " run" : " runs") << "; burstprop-train sweep show " << sweepId
        << " --db " << database;
    if (stopping)
        out << "; continue with: burstprop-train sweep resume " << sweepId << " --db " << database;
    out << std::endl;
    return stopping ? kExitStopped : allCompleted ? 0 : kExitFailed;
}

} // namespace bp
