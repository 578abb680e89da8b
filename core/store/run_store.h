#pragma once
#include "core/config/run_config.h"
#include "core/events/observer.h"
#include "core/store/sqlite.h"
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bp {

// One row of the runs table. Times are seconds since the Unix epoch.
struct RunRecord {
    int64_t id = 0;
    std::string name;
    RunStatus status = RunStatus::Queued;
    double createdAt = 0.0;
    std::optional<double> startedAt, finishedAt;
    std::string dataset, rule, architecture, device;
    uint64_t seed = 0;
    std::string programVersion, torchVersion;
    int threads = 0;
    std::string notes;
    std::vector<std::string> tags;
    std::string host;
    int64_t pid = 0;
    std::string configJson;
    int epochsTotal = 0, epochsDone = 0;
    std::optional<double> bestTestError; // percent
    std::string resultsDir;              // the run's checkpoint folder
    // Seconds spent training, pauses and the time between a stop and a resume left out; unset for runs
    // recorded before schema 6 (duration() then falls back to finished − started).
    std::optional<double> activeSeconds;
    std::optional<int64_t> sweepId; // the sweep the run belongs to (schema 7), if any
    // What a person calls the run's duration: activeSeconds, else finished (or now) − started.
    std::optional<double> duration(double now) const;
};

// A typed hyperparameter of a run: every ParamSpec, plus dataset, rule, architecture, perturbation,
// hidden_widths and seed as text.
struct Hyperparameter {
    enum class Type { Real, Int, Bool, Text };
    std::string key;
    Type type = Type::Real;
    double real = 0.0;   // Real
    int64_t integer = 0; // Int and Bool (0/1)
    std::string text;    // Text
    bool applies = true; // used by the run's rule and network (the rule registry says, when recorded)
    std::string display() const;
};

// Which runs listRuns() returns, newest first. Empty fields do not filter.
struct RunFilter {
    std::string text; // substring of name, notes, tags, dataset, rule or architecture
    std::optional<RunStatus> status;
    std::string dataset, rule; // exact, as toString() spells them
    struct Range {
        std::string key; // hyperparameter key
        double min, max; // inclusive
    };
    std::vector<Range> hyperparameters;
    std::optional<int64_t> sweepId; // only the runs of this sweep
    int limit = -1;                 // -1: all
    int offset = 0;
    // Order: id (newest first by default), name, status, dataset, rule, architecture, epochs_done,
    // best_test_error, started_at, duration. An unknown key orders by id.
    std::string sortKey = "id";
    bool descending = true;
};

struct MetricSample {
    std::string name; // e.g. "test_error", "weight_angle/1"
    int epoch = 0;
    int64_t step = 0;
    double wallTime = 0.0; // Unix seconds
    double value = 0.0;    // NaN is kept (as NULL)
};

struct MetricPoint {
    int epoch = 0;
    int64_t step = 0;
    double wallTime = 0.0;
    double value = 0.0;
};

// One bucket of a reduced series: the extremes and the last point of the steps that fall in it.
struct MetricBucket {
    int64_t firstStep = 0, lastStep = 0;
    int64_t count = 0;
    double min = 0.0, max = 0.0; // NaN when every value of the bucket is NaN
    double last = 0.0;           // value at lastStep
    int lastEpoch = 0;
    double lastWallTime = 0.0;
};

struct CheckpointRecord {
    CheckpointKind kind = CheckpointKind::Latest;
    int epoch = 0;
    int64_t step = 0;
    std::string path;
    double createdAt = 0.0; // set by addCheckpoint
};

// One row of the sweeps table. The definition is the sweep's command-line arguments (burstprop-train sweep
// ...) as a JSON array of strings; host and pid name the process that runs it while it runs.
struct SweepRecord {
    int64_t id = 0;
    std::string name;
    double createdAt = 0.0;
    std::string definition;
    std::string status; // "queued", "running", "completed", "stopped" or "failed" (a run did not complete)
    std::string host;
    int64_t pid = 0;
};

// A signal histogram recorded at a measuring step, or epoch 0's at step 0 (schema 8; the explorer's Signals
// tab).
struct SignalHistogramRecord {
    int epoch = 0;
    int64_t step = 0;
    SignalHistogram histogram;
};

// Signal histograms as long-format CSV, one row per bin (the results folder's signal_histograms.csv,
// `burstprop-train export --signals`): the columns of the table signal_histograms with its counts spread
// over rows. low and high are the histogram's range (bin i covers [low + i·w, low + (i + 1)·w),
// w = (high − low) / bins); silent_units and silent_classes are empty where the table holds NULL.
inline constexpr const char* kSignalCsvColumns =
    "epoch,step,layer,quantity,low,high,bin,count,units,silent_units,silent_classes";
// Appends one row per bin of r's histogram to out, each starting with `leading` (the fields before
// kSignalCsvColumns, with their trailing comma, or empty). Numbers read back as the same doubles.
void appendSignalCsvRows(std::string& out, const std::string& leading, const SignalHistogramRecord& r);

struct RunMessage {
    double time = 0.0;
    std::string level; // "info", "warning", "error"
    std::string text;
};

std::optional<RunStatus> parseRunStatus(const std::string& name);

// Default database file: $XDG_DATA_HOME/burstprop-explorer/runs.sqlite, else
// ~/.local/share/burstprop-explorer/...
std::string defaultDatabasePath();
// The LibTorch version compiled against, e.g. "1.13.0".
std::string torchVersionString();

// The run database: one SQLite file in WAL mode shared by the GUI and CLI processes. Every method may be
// called from any thread (calls on one RunStore are serialised by its own lock); throws bp::Error naming the
// file on failure. Each RunStore is one SQLite connection: a trainer records through its own, the explorer
// reads through a read-only one, and in WAL mode readers never wait for a writer.
class RunStore {
  public:
    enum class Access { ReadWrite, ReadOnly };
    // ReadWrite: opens (creating folders and file when missing), checks and migrates the database, then
    // marks runs whose process has gone as interrupted. A newer, foreign or damaged file is refused
    // untouched. ReadOnly: opens an existing, migrated database for reading only; the write methods then
    // fail.
    explicit RunStore(const std::string& path = defaultDatabasePath(), Access access = Access::ReadWrite);
    const std::string& path() const { return db_.path(); }
    Access access() const { return access_; }

    // applies(key): whether a hyperparameter means anything for this run (core/setup's
    // hyperparameterApplies, which reads the rule registry); empty: every one does.
    int64_t createRun(const RunConfig& config, const std::string& name = {}, const std::string& notes = {},
                      const std::vector<std::string>& tags = {},
                      const std::function<bool(const std::string&)>& applies = {},
                      std::optional<int64_t> sweepId = std::nullopt);
    // Sweeps. createSweep records one with status "queued"; setSweepStatus "running" also records this host
    // and process as the one that runs it. runsOfSweep: its runs, oldest first.
    int64_t createSweep(const std::string& name, const std::string& definition);
    std::optional<SweepRecord> sweep(int64_t sweepId);
    std::vector<SweepRecord> listSweeps(); // newest first
    std::vector<RunRecord> runsOfSweep(int64_t sweepId);
    void setSweepStatus(int64_t sweepId, const std::string& status);
    // Removes a sweep. withRuns: its runs too (as deleteRuns(): refused, with nothing deleted, while one is
    // running or paused; their metrics, checkpoints and own folders go), else they stay as runs of no sweep.
    // The runs go in one transaction and the sweep in the next: a process killed between them leaves the
    // sweep without runs, for a second delete.
    void deleteSweep(int64_t sweepId, bool withRuns);

    // Running also records this host and process as the run's owner and the first start time; a final
    // status records the finish time.
    void setStatus(int64_t runId, RunStatus status);
    // activeSeconds: the time trained so far (unset: left as it is).
    void setProgress(int64_t runId, int epochsDone, std::optional<double> bestTestError,
                     std::optional<double> activeSeconds = std::nullopt);
    // A resumed run trained to more (or fewer) epochs: the record, its configuration and n_epochs.
    void setEpochsTotal(int64_t runId, int epochs);
    void rename(int64_t runId, const std::string& name);
    void setNotes(int64_t runId, const std::string& notes);
    void setTags(int64_t runId, const std::vector<std::string>& tags); // newlines inside a tag become spaces
    void setResultsDir(int64_t runId, const std::string& dir);
    // Removes the runs' rows, their registered checkpoint files and their folders when they are the store's
    // own (<database folder>/<name>.runs/<id>); a folder chosen elsewhere is removed only when left empty.
    // In one transaction that first checks every run exists and none is running or paused: either every
    // run is deleted or none (a bp::Error names the first that stops it).
    void deleteRuns(const std::vector<int64_t>& runIds);
    void deleteRun(int64_t runId) { deleteRuns({runId}); }

    std::optional<RunRecord> getRun(int64_t runId);
    std::vector<RunRecord> listRuns(const RunFilter& filter = {});
    int64_t countRuns(const RunFilter& filter = {});
    std::vector<Hyperparameter> hyperparameters(int64_t runId);
    // Records (or replaces) a value of how the run executes that its configuration does not hold: a
    // data-parallel run's world_size (int), dist_backend and dist_hosts (text).
    void setExecutionValue(int64_t runId, const std::string& key, int64_t value);
    void setExecutionValue(int64_t runId, const std::string& key, const std::string& value);

    // One transaction; a sample already stored for (run, name, step) is replaced (a resumed run re-records).
    void appendMetrics(int64_t runId, const std::vector<MetricSample>& samples) {
        appendMetrics(runId, samples.data(), samples.size());
    }
    void appendMetrics(int64_t runId, const MetricSample* samples, size_t count);
    std::vector<MetricPoint> readMetrics(int64_t runId, const std::string& name, int64_t fromStep = 0,
                                         int64_t toStep = INT64_MAX);
    // The points in [fromStep, toStep] split into `buckets` equal step ranges (empty ones omitted).
    std::vector<MetricBucket> readMetricsReduced(int64_t runId, const std::string& name, int64_t fromStep,
                                                 int64_t toStep, int buckets);
    std::vector<std::string> metricNames(int64_t runId);

    // Signal histograms (core/store/run_store_signals.cpp): one transaction; a row already stored for (run,
    // layer, quantity, step) is replaced. read: one layer's quantity, by step; keys: the (layer, quantity)
    // pairs a run has, by layer.
    void appendSignalHistograms(int64_t runId, const std::vector<SignalHistogramRecord>& records);
    std::vector<SignalHistogramRecord> readSignalHistograms(int64_t runId, int layer,
                                                            const std::string& quantity);
    std::vector<std::pair<int, std::string>> signalHistogramKeys(int64_t runId);
    // Every histogram of the run, by layer, quantity, then step.
    std::vector<SignalHistogramRecord> readAllSignalHistograms(int64_t runId);

    // What a recorder writes at a flush, in one transaction: metric samples, signal histograms and the run's
    // progress (when given), so that a process killed meanwhile leaves all of it or none — never an epoch's
    // metrics without its epochs_done.
    struct Progress {
        int epochsDone = 0;
        std::optional<double> bestTestError, activeSeconds;
    };
    void appendRecords(int64_t runId, const MetricSample* samples, size_t count,
                       const std::vector<SignalHistogramRecord>& signals,
                       const std::optional<Progress>& progress);

    void addMessage(int64_t runId, const std::string& level, const std::string& text);
    std::vector<RunMessage> messages(int64_t runId);

    // Initial, latest and best replace the run's previous one of their kind; epoch ones accumulate per epoch.
    void addCheckpoint(int64_t runId, const CheckpointRecord& checkpoint);
    std::vector<CheckpointRecord> checkpoints(int64_t runId);

    // The recorder of a running run renews its lease every kLeaseRenewal; a run whose lease is older than
    // kLeaseSeconds is not alive, whatever its process id (a reused pid, an unreaped process, another host).
    static constexpr double kLeaseSeconds = 30.0;
    static constexpr std::chrono::seconds kLeaseRenewal{5};
    void renewLease(int64_t runId);

    // Runs left running or paused whose lease lapsed, or whose process of this host no longer exists, become
    // interrupted. Returns how many. Called by the constructor. (Readers see such a run as interrupted
    // already: listRuns() and getRun() report a lapsed lease so.)
    int markInterruptedRuns();

    // The store's own folder for a run's files: <database folder>/<database name>.runs/<id> (runs.sqlite:
    // runs.runs/12), so that two databases in one folder never share one.
    std::string defaultRunFolder(int64_t runId) const;
    // This database's identity (random, kept in the file): checkpoints record it with their run's id.
    const std::string& databaseId() const { return databaseId_; }

  private:
    void requireRun(int64_t runId);
    // Moves the folders of runs recorded before version 5 from runs/<id> to <name>.runs/<id>, once.
    void relocateRunFolders();
    void setText(int64_t runId, const char* sql, const std::string& value);
    void addMessageLocked(int64_t runId, const std::string& level, const std::string& text);
    // The writes of appendMetrics, appendSignalHistograms and setProgress, inside the caller's transaction.
    void insertMetrics(int64_t runId, const MetricSample* samples, size_t count);
    void insertSignalHistograms(int64_t runId, const std::vector<SignalHistogramRecord>& records);
    void updateProgress(int64_t runId, const Progress& progress);

    std::recursive_mutex mutex_;
    Access access_;
    sql::Database db_;
    std::string databaseId_;
};

} // namespace bp
