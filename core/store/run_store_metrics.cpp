// RunStore: metrics, messages, checkpoints, deleting runs with their files, and the recovery of interrupted
// runs.
#include "core/store/run_store.h"
#include "core/util/error.h"
#include "core/util/fault_point.h"
#include "core/util/number_text.h"
#include "core/util/system_info.h"
#include <cmath>
#include <filesystem>
#include <sstream>

namespace bp {

namespace fs = std::filesystem;

std::optional<RunStatus> parseRunStatus(const std::string& name) {
    for (RunStatus s : {RunStatus::Queued, RunStatus::Running, RunStatus::Paused, RunStatus::Completed,
                        RunStatus::Stopped, RunStatus::Diverged, RunStatus::Failed, RunStatus::Interrupted})
        if (toString(s) == name)
            return s;
    return std::nullopt;
}

std::string Hyperparameter::display() const {
    switch (type) {
    case Type::Real:
        return formatNumber(real, 10);
    case Type::Int:
        return std::to_string(integer);
    case Type::Bool:
        return integer ? "true" : "false";
    case Type::Text:
        return text;
    }
    return text;
}

void RunStore::appendMetrics(int64_t runId, const MetricSample* samples, size_t count) {
    appendRecords(runId, samples, count, {}, std::nullopt);
}

void RunStore::appendRecords(int64_t runId, const MetricSample* samples, size_t count,
                             const std::vector<SignalHistogramRecord>& signals,
                             const std::optional<Progress>& progress) {
    if (count == 0 && signals.empty() && !progress)
        return;
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Transaction transaction(db_);
    insertMetrics(runId, samples, count);
    insertSignalHistograms(runId, signals);
    if (progress)
        updateProgress(runId, *progress);
    faultPoint("metrics.commit");
    transaction.commit();
}

void RunStore::insertMetrics(int64_t runId, const MetricSample* samples, size_t count) {
    if (count == 0)
        return;
    sql::Statement insert = db_.prepare("INSERT OR REPLACE INTO metrics (run_id, name, epoch, step, "
                                        "wall_time, value) VALUES (?, ?, ?, ?, ?, ?)");
    insert.bind(1, runId);
    for (const MetricSample* m = samples; m != samples + count; ++m) {
        insert.bind(2, m->name).bind(3, m->epoch).bind(4, m->step).bind(5, m->wallTime).bind(6, m->value);
        insert.run();
        insert.reset();
    }
}

std::vector<MetricPoint> RunStore::readMetrics(int64_t runId, const std::string& name, int64_t fromStep,
                                               int64_t toStep) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s = db_.prepare("SELECT epoch, step, wall_time, value FROM metrics "
                                   "WHERE run_id = ? AND name = ? AND step BETWEEN ? AND ? ORDER BY step");
    s.bindAll(runId, name, fromStep, toStep);
    std::vector<MetricPoint> points;
    while (s.step())
        points.push_back({s.integer(0), s.int64(1), s.real(2), s.real(3)});
    return points;
}

std::vector<MetricBucket> RunStore::readMetricsReduced(int64_t runId, const std::string& name,
                                                       int64_t fromStep, int64_t toStep, int buckets) {
    if (buckets < 1)
        throw Error(db_.path() + ": a reduced metric needs at least one bucket, not " +
                    std::to_string(buckets));
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    // The buckets split the steps actually present in the range (two index seeks find them).
    sql::Statement range = db_.prepare("SELECT min(step), max(step) FROM metrics "
                                       "WHERE run_id = ? AND name = ? AND step BETWEEN ? AND ?");
    range.bindAll(runId, name, fromStep, toStep);
    if (!range.step() || range.isNull(0))
        return {};
    const int64_t lo = range.int64(0), hi = range.int64(1);
    const int64_t width = hi - lo + 1;
    const int64_t n = std::min<int64_t>(buckets, width); // more buckets than steps: one step each either way
    range = sql::Statement();

    // Bucket i holds the steps s with (s − lo)·n / width = i (integer division): the step range
    // [lo + ⌈i·width/n⌉, lo + ⌈(i+1)·width/n⌉ − 1]. The ranges go into a connection-private table whose
    // rowid order lets SQLite aggregate GROUP BY bucket while scanning each range on the (run_id, name, step)
    // key, without sorting every point into a temporary b-tree (twice as fast on a million points).
    db_.exec("DELETE FROM temp.bucket_ranges");
    db_.prepare("WITH RECURSIVE b(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM b WHERE i + 1 < ?2) "
                "INSERT INTO temp.bucket_ranges SELECT i, ?1 + (i * ?3 + ?2 - 1) / ?2, ?1 + ((i + 1) * ?3 + "
                "?2 - 1) / ?2 - 1 "
                "FROM b")
        .bind(1, lo)
        .bind(2, n)
        .bind(3, width)
        .run();
    // The last value of a bucket is looked up by its last step on the same key.
    sql::Statement s = db_.prepare(
        "WITH agg AS (SELECT b.i AS bucket, min(m.step) AS first_step, max(m.step) AS last_step, count(*) AS "
        "n, "
        "min(m.value) AS lo, max(m.value) AS hi FROM temp.bucket_ranges b CROSS JOIN metrics m "
        "ON m.run_id = ?1 AND m.name = ?2 AND m.step BETWEEN b.lo AND b.hi GROUP BY b.i) "
        "SELECT agg.first_step, agg.last_step, agg.n, agg.lo, agg.hi, m.value, m.epoch, m.wall_time FROM agg "
        "JOIN metrics m ON m.run_id = ?1 AND m.name = ?2 AND m.step = agg.last_step ORDER BY agg.bucket");
    s.bind(1, runId).bind(2, name);
    std::vector<MetricBucket> out;
    out.reserve(static_cast<size_t>(n));
    while (s.step()) {
        MetricBucket b;
        b.firstStep = s.int64(0);
        b.lastStep = s.int64(1);
        b.count = s.int64(2);
        b.min = s.real(3);
        b.max = s.real(4);
        b.last = s.real(5);
        b.lastEpoch = s.integer(6);
        b.lastWallTime = s.real(7);
        out.push_back(b);
    }
    return out;
}

std::vector<std::string> RunStore::metricNames(int64_t runId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s = db_.prepare("SELECT DISTINCT name FROM metrics WHERE run_id = ? ORDER BY name");
    s.bind(1, runId);
    std::vector<std::string> names;
    while (s.step())
        names.push_back(s.text(0));
    return names;
}

void RunStore::addMessageLocked(int64_t runId, const std::string& level, const std::string& text) {
    db_.prepare("INSERT INTO messages (run_id, time, level, text) VALUES (?, ?, ?, ?)")
        .bindAll(runId, sys::unixNow(), level, text)
        .run();
}

void RunStore::addMessage(int64_t runId, const std::string& level, const std::string& text) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    addMessageLocked(runId, level, text);
}

std::vector<RunMessage> RunStore::messages(int64_t runId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s =
        db_.prepare("SELECT time, level, text FROM messages WHERE run_id = ? ORDER BY time, id");
    s.bind(1, runId);
    std::vector<RunMessage> out;
    while (s.step())
        out.push_back({s.real(0), s.text(1), s.text(2)});
    return out;
}

void RunStore::addCheckpoint(int64_t runId, const CheckpointRecord& c) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Transaction transaction(db_);
    if (c.kind == CheckpointKind::Epoch)
        db_.prepare("DELETE FROM checkpoints WHERE run_id = ? AND kind = ? AND epoch = ?")
            .bindAll(runId, toString(c.kind), c.epoch)
            .run();
    else
        db_.prepare("DELETE FROM checkpoints WHERE run_id = ? AND kind = ?")
            .bindAll(runId, toString(c.kind))
            .run();
    db_.prepare(
           "INSERT INTO checkpoints (run_id, kind, epoch, step, path, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bindAll(runId, toString(c.kind), c.epoch, c.step, c.path, sys::unixNow())
        .run();
    transaction.commit();
}

std::vector<CheckpointRecord> RunStore::checkpoints(int64_t runId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s = db_.prepare(
        "SELECT kind, epoch, step, path, created_at FROM checkpoints WHERE run_id = ? ORDER BY epoch, id");
    s.bind(1, runId);
    std::vector<CheckpointRecord> out;
    while (s.step()) {
        CheckpointRecord c;
        const std::string kind = s.text(0);
        for (CheckpointKind k :
             {CheckpointKind::Initial, CheckpointKind::Latest, CheckpointKind::Best, CheckpointKind::Epoch})
            if (toString(k) == kind)
                c.kind = k;
        c.epoch = s.integer(1);
        c.step = s.int64(2);
        c.path = s.text(3);
        c.createdAt = s.real(4);
        out.push_back(std::move(c));
    }
    return out;
}

void RunStore::deleteRuns(const std::vector<int64_t>& runIds) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    std::vector<RunRecord> runs;
    std::vector<CheckpointRecord> files;
    {
        // Every check inside the transaction that deletes: no run can start between them.
        sql::Transaction transaction(db_);
        for (int64_t id : runIds) {
            const std::optional<RunRecord> run = getRun(id);
            if (!run)
                throw Error(db_.path() + ": there is no run " + std::to_string(id) + "; nothing was deleted");
            if (run->status == RunStatus::Running || run->status == RunStatus::Paused)
                throw Error("run " + std::to_string(id) + " is " + toString(run->status) + " (process " +
                            std::to_string(run->pid) + " on " + run->host +
                            "); stop it before deleting it. Nothing was deleted");
            runs.push_back(*run);
            for (CheckpointRecord& c : checkpoints(id))
                files.push_back(std::move(c));
        }
        for (int64_t id : runIds)
            db_.prepare("DELETE FROM runs WHERE id = ?").bind(1, id).run(); // cascades to every table
        transaction.commit();
    }
    std::error_code ec;
    std::string failed;
    for (const CheckpointRecord& c : files)
        if (!fs::remove(c.path, ec) && ec)
            failed = c.path + ": " + ec.message();
    for (const RunRecord& run : runs) {
        if (run.resultsDir.empty() || !fs::exists(run.resultsDir, ec))
            continue;
        const bool own = fs::path(run.resultsDir).lexically_normal() ==
                         fs::path(defaultRunFolder(run.id)).lexically_normal();
        if (own)
            fs::remove_all(run.resultsDir, ec);
        else if (fs::is_empty(run.resultsDir, ec))
            fs::remove(run.resultsDir, ec);
        if (ec)
            failed = run.resultsDir + ": " + ec.message();
    }
    if (!failed.empty())
        throw Error(db_.path() +
                    ": the runs were deleted, but a file of theirs could not be removed: " + failed);
}

int RunStore::markInterruptedRuns() {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    const std::string host = sys::hostName();
    const double now = sys::unixNow();
    struct Gone {
        int64_t id, pid;
        std::string why;
    };
    std::vector<Gone> gone;
    {
        sql::Statement s = db_.prepare("SELECT id, pid, host, heartbeat_at FROM runs WHERE status IN (?, ?)");
        s.bindAll(toString(RunStatus::Running), toString(RunStatus::Paused));
        while (s.step()) {
            const int64_t id = s.int64(0), pid = s.int64(1);
            const std::string runHost = s.text(2);
            const std::optional<double> heartbeat = s.optionalReal(3);
            if (heartbeat && now - *heartbeat > kLeaseSeconds)
                gone.push_back({id, pid,
                                "its process (" + std::to_string(pid) + " on " + runHost +
                                    ") last renewed its lease " +
                                    std::to_string(static_cast<int64_t>(now - *heartbeat)) + " s ago"});
            else if (runHost == host && !sys::processAlive(pid))
                gone.push_back({id, pid, "process " + std::to_string(pid) + " on " + host + " ended"});
        }
    }
    if (gone.empty())
        return 0;
    sql::Transaction transaction(db_);
    int marked = 0;
    for (const Gone& g : gone) {
        // Re-checked inside the write transaction: another process may have resumed the run meanwhile.
        db_.prepare(
               "UPDATE runs SET status = ?, finished_at = ? WHERE id = ? AND pid = ? AND status IN (?, ?) "
               "AND (heartbeat_at IS NULL OR heartbeat_at < ? OR host = ?)")
            .bindAll(toString(RunStatus::Interrupted), now, g.id, g.pid, toString(RunStatus::Running),
                     toString(RunStatus::Paused), now - kLeaseSeconds, host)
            .run();
        if (db_.changes() == 0)
            continue;
        ++marked;
        addMessageLocked(g.id, "warning", "interrupted: " + g.why + " without finishing the run");
    }
    transaction.commit();
    return marked;
}

} // namespace bp
