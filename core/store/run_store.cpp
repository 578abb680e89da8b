#include "core/store/run_store.h"
#include "core/config/hyperparameters.h"
#include "core/store/schema.h"
#include "core/util/error.h"
#include "core/util/system_info.h"
#include <cmath>
#include <filesystem>
#include <sstream>
#include <thread>
#include <variant>

namespace bp {

namespace fs = std::filesystem;

namespace {

const char* const kRunColumns =
    "id, name, status, created_at, started_at, finished_at, dataset, rule, architecture, device, seed, "
    "program_version, torch_version, threads, notes, tags, host, pid, config_json, epochs_total, "
    "epochs_done, best_test_error, results_dir, heartbeat_at, active_seconds, sweep_id";

std::string joinTags(const std::vector<std::string>& tags) {
    std::string out;
    for (std::string tag : tags) {
        for (char& c : tag)
            if (c == '\n' || c == '\r')
                c = ' ';
        if (tag.empty())
            continue;
        if (!out.empty())
            out += '\n';
        out += tag;
    }
    return out;
}

std::vector<std::string> splitTags(const std::string& text) {
    std::vector<std::string> tags;
    std::istringstream in(text);
    for (std::string tag; std::getline(in, tag);)
        if (!tag.empty())
            tags.push_back(tag);
    return tags;
}

RunRecord readRun(const sql::Statement& s) {
    RunRecord r;
    r.id = s.int64(0);
    r.name = s.text(1);
    r.status = parseRunStatus(s.text(2)).value_or(RunStatus::Failed);
    r.createdAt = s.real(3);
    r.startedAt = s.optionalReal(4);
    r.finishedAt = s.optionalReal(5);
    r.dataset = s.text(6);
    r.rule = s.text(7);
    r.architecture = s.text(8);
    r.device = s.text(9);
    r.seed = static_cast<uint64_t>(s.int64(10)); // stored bit for bit in a signed 64-bit integer
    r.programVersion = s.text(11);
    r.torchVersion = s.text(12);
    r.threads = s.integer(13);
    r.notes = s.text(14);
    r.tags = splitTags(s.text(15));
    r.host = s.text(16);
    r.pid = s.int64(17);
    r.configJson = s.text(18);
    r.epochsTotal = s.integer(19);
    r.epochsDone = s.integer(20);
    r.bestTestError = s.optionalReal(21);
    r.resultsDir = s.text(22);
    r.activeSeconds = s.optionalReal(24);
    if (!s.isNull(25))
        r.sweepId = s.int64(25);
    // A running or paused run whose lease lapsed is interrupted, before any writer has said so.
    const std::optional<double> heartbeat = s.optionalReal(23);
    if ((r.status == RunStatus::Running || r.status == RunStatus::Paused) && heartbeat &&
        sys::unixNow() - *heartbeat > RunStore::kLeaseSeconds)
        r.status = RunStatus::Interrupted;
    return r;
}

// A read-only connection to a database that a writer has created and migrated already.
sql::Database openReadOnly(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(path + ": no run database there (it is created by the first run recorded in it)");
    schema::inspectExistingFile(path);
    sql::Database db(path, sql::Database::Mode::ReadOnly);
    db.waitWhenBusy(sql::kReaderBusyTimeout);
    const int64_t version = db.singleInt("PRAGMA user_version");
    if (version != schema::kCurrentVersion)
        throw Error(path + ": schema version " + std::to_string(version) + ", this program reads " +
                    std::to_string(schema::kCurrentVersion) + " (open it for writing once to migrate it)");
    db.exec("PRAGMA temp_store = MEMORY");
    db.exec(
        "CREATE TEMP TABLE bucket_ranges (i INTEGER PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL)");
    return db;
}

// Validates the file while only reading it, then opens it for writing with the connection settings.
sql::Database openDatabase(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty())
        fs::create_directories(parent, ec);
    if (ec)
        throw Error(path + ": cannot create the folder " + parent.string() + ": " + ec.message());
    if (const std::string network = sys::networkFileSystemOf(path); !network.empty())
        throw Error(
            path + ": the folder is on " + network +
            ", a network file system; the run database (SQLite in WAL mode) needs a local disk, with "
            "every process that records into it on one host. Give a local path (--db /var/tmp/runs.sqlite, "
            "or under the machine's own disk) and copy the file afterwards");
    schema::inspectExistingFile(path);
    sql::Database db(path, sql::Database::Mode::ReadWriteCreate);
    db.waitWhenBusy(sql::kWriterBusyTimeout);
    db.exec("PRAGMA foreign_keys = ON");
    sql::Statement wal = db.prepare("PRAGMA journal_mode = WAL");
    if (!wal.step() || wal.text(0) != "wal")
        throw Error(path +
                    ": cannot switch the database to WAL mode (is the folder on a network file system?)");
    wal = sql::Statement();
    db.exec("PRAGMA synchronous = NORMAL"); // WAL: durable across process crashes, fsync at checkpoints only
    schema::migrate(db);
    // Private to this connection, never in the file: the step ranges of readMetricsReduced()'s buckets.
    db.exec("PRAGMA temp_store = MEMORY");
    db.exec(
        "CREATE TEMP TABLE bucket_ranges (i INTEGER PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL)");
    return db;
}

// A filter as SQL: the WHERE clause and the values of its parameters, made together so that each value
// stands beside the clause that binds it.
struct FilterSql {
    std::string where = " WHERE 1";
    std::vector<std::variant<std::string, double>> values;
    void add(const std::string& clause, std::initializer_list<std::variant<std::string, double>> bound) {
        where += " AND " + clause;
        values.insert(values.end(), bound);
    }
    // Binds the values from parameter 1 on; returns the index of the last one bound.
    int bind(sql::Statement& s) const {
        int i = 0;
        for (const auto& v : values)
            std::visit([&](const auto& x) { s.bind(++i, x); }, v);
        return i;
    }
};

FilterSql filterSql(const RunFilter& f) {
    FilterSql q;
    if (!f.text.empty())
        q.add("instr(lower(name || char(10) || notes || char(10) || tags || char(10) || dataset"
              " || char(10) || rule || char(10) || architecture), lower(?)) > 0",
              {f.text});
    if (f.status)
        q.add("status = ?", {toString(*f.status)});
    if (!f.dataset.empty())
        q.add("dataset = ?", {f.dataset});
    if (!f.rule.empty())
        q.add("rule = ?", {f.rule});
    for (const RunFilter::Range& r : f.hyperparameters)
        q.add("EXISTS (SELECT 1 FROM hyperparameters h WHERE h.run_id = runs.id AND h.key = ?"
              " AND coalesce(h.value_real, h.value_int) BETWEEN ? AND ?)",
              {r.key, r.min, r.max});
    if (f.sweepId)
        q.add("sweep_id = ?", {static_cast<double>(*f.sweepId)});
    return q;
}

// The sort column comes from a fixed list, never from the caller's text; NULLs sort last either way.
std::string orderClause(const RunFilter& f) {
    static const std::pair<const char*, const char*> columns[] = {
        {"id", "id"},
        {"name", "lower(name)"},
        {"status", "status"},
        {"dataset", "dataset"},
        {"rule", "rule"},
        {"architecture", "architecture"},
        {"epochs_done", "epochs_done"},
        {"best_test_error", "best_test_error"},
        {"started_at", "started_at"},
        {"duration", "coalesce(active_seconds, coalesce(finished_at, strftime('%s', 'now')) - started_at)"},
    };
    std::string column = "id";
    for (const auto& [key, sql] : columns)
        if (f.sortKey == key)
            column = sql;
    const char* direction = f.descending ? " DESC" : " ASC";
    return " ORDER BY (" + column + ") IS NULL, " + column + direction + ", id" + direction;
}

std::string joinWidths(const std::vector<int>& widths) {
    std::string out;
    for (int w : widths)
        out += (out.empty() ? "" : ",") + std::to_string(w);
    return out;
}

} // namespace

std::string defaultDatabasePath() {
    return sys::dataHome() + "/burstprop-explorer/runs.sqlite";
}

std::string torchVersionString() {
    return BURSTPROP_TORCH_VERSION; // LibTorch's version as CMake found it (this library does not include
                                    // LibTorch)
}

RunStore::RunStore(const std::string& path, Access access)
    : access_(access), db_(access == Access::ReadOnly ? openReadOnly(path) : openDatabase(path)) {
    {
        sql::Statement id = db_.prepare("SELECT value FROM meta WHERE key = 'database_id'");
        if (id.step())
            databaseId_ = id.text(0);
    } // finished here: a statement left reading would pin an old snapshot under the writes below
    if (access == Access::ReadWrite) {
        relocateRunFolders();
        markInterruptedRuns();
    }
}

std::string RunStore::defaultRunFolder(int64_t runId) const {
    const fs::path file(db_.path());
    return (file.parent_path() / (file.stem().string() + ".runs") / std::to_string(runId)).string();
}

void RunStore::relocateRunFolders() {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Transaction transaction(db_);
    sql::Statement state = db_.prepare("SELECT value FROM meta WHERE key = 'run_folders'");
    if (!state.step() || state.text(0) == "done")
        return;
    state = sql::Statement();
    struct Old {
        int64_t id;
        std::string dir;
    };
    std::vector<Old> runs;
    {
        sql::Statement s = db_.prepare("SELECT id, results_dir FROM runs ORDER BY id");
        while (s.step())
            runs.push_back({s.int64(0), s.text(1)});
    }
    const fs::path shared = fs::path(db_.path()).parent_path() / "runs";
    for (const Old& run : runs) {
        const fs::path oldDir = (shared / std::to_string(run.id)).lexically_normal();
        if (fs::path(run.dir).lexically_normal() != oldDir)
            continue; // a folder the user chose: it stays
        const fs::path newDir = fs::path(defaultRunFolder(run.id)).lexically_normal();
        // The folder is this database's when every checkpoint file it registered there is still the file it
        // registered (written within two seconds of the record); another database in the same folder may
        // have written its own run of the same id over it.
        std::error_code ec;
        bool ours = fs::is_directory(oldDir, ec);
        {
            sql::Statement c = db_.prepare("SELECT path, created_at FROM checkpoints WHERE run_id = ?");
            c.bind(1, run.id);
            while (ours && c.step()) {
                const std::optional<double> written = sys::modificationTime(c.text(0));
                if (written) // a file gone since was replaced (latest, best): its newer record is checked
                    ours = std::abs(*written - c.real(1)) <= 2.0;
            }
        }
        if (fs::is_directory(oldDir, ec) && !ours) {
            addMessageLocked(run.id, "warning",
                             oldDir.string() +
                                 " holds checkpoints written after this database recorded them: "
                                 "another database in the same folder shares it. Left there; "
                                 "they may be the other run's");
            continue;
        }
        if (fs::is_directory(oldDir, ec)) {
            fs::create_directories(newDir.parent_path(), ec);
            fs::rename(oldDir, newDir, ec);
            if (ec)
                throw Error(db_.path() + ": cannot move " + oldDir.string() + " to " + newDir.string() +
                            ": " + ec.message());
        }
        db_.prepare("UPDATE runs SET results_dir = ? WHERE id = ?").bindAll(newDir.string(), run.id).run();
        db_.prepare("UPDATE checkpoints SET path = ? || substr(path, ?) WHERE run_id = ? AND substr(path, 1, "
                    "?) = ?")
            .bindAll(newDir.string(), static_cast<int64_t>(oldDir.string().size()) + 1, run.id,
                     static_cast<int64_t>(oldDir.string().size()), oldDir.string())
            .run();
    }
    db_.exec("UPDATE meta SET value = 'done' WHERE key = 'run_folders'");
    transaction.commit();
}

int64_t RunStore::createRun(const RunConfig& config, const std::string& name, const std::string& notes,
                            const std::vector<std::string>& tags,
                            const std::function<bool(const std::string&)>& applies,
                            std::optional<int64_t> sweepId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Transaction transaction(db_);
    const int threads =
        config.threads > 0 ? config.threads : static_cast<int>(std::thread::hardware_concurrency());
    // Ids are never reused: the next after the highest ever given, even when that run was deleted.
    const int64_t id =
        db_.singleInt("SELECT max(value, coalesce((SELECT max(id) FROM runs), 0)) + 1 FROM counters "
                      "WHERE name = 'last_run_id'");
    db_.prepare("UPDATE counters SET value = ? WHERE name = 'last_run_id'").bindAll(id).run();
    db_.prepare("INSERT INTO runs (id, name, status, created_at, dataset, rule, architecture, device, seed, "
                "program_version, torch_version, threads, notes, tags, host, pid, config_json, epochs_total) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bindAll(id, name, toString(RunStatus::Queued), sys::unixNow(), toString(config.dataset), config.rule,
                 toString(config.architecture), config.device, static_cast<int64_t>(config.seed),
                 std::string(BURSTPROP_VERSION), torchVersionString(), threads, notes, joinTags(tags),
                 sys::hostName(), sys::processId(), toJson(config), config.epochs)
        .run();
    db_.prepare("UPDATE runs SET results_dir = ?, sweep_id = ? WHERE id = ?")
        .bindAll(defaultRunFolder(id), sweepId, id)
        .run();

    sql::Statement insert =
        db_.prepare("INSERT INTO hyperparameters (run_id, key, type, value_real, value_int, "
                    "value_text, applies) VALUES (?, ?, ?, ?, ?, ?, ?)");
    auto add = [&](const std::string& key, const char* type, std::optional<double> real,
                   std::optional<int64_t> integer, std::optional<std::string> text) {
        insert.reset();
        insert.bindAll(id, key, std::string(type), real, integer, text, !applies || applies(key)).run();
    };
    for (const ParamSpec& spec : bp::hyperparameters()) {
        const double v = spec.get(config);
        if (spec.type == ParamType::Double)
            add(spec.key, "real", v, std::nullopt, std::nullopt);
        else
            add(spec.key, spec.type == ParamType::Int ? "int" : "bool", std::nullopt, std::llround(v),
                std::nullopt);
    }
    add("dataset", "text", std::nullopt, std::nullopt, toString(config.dataset));
    add("rule", "text", std::nullopt, std::nullopt, config.rule);
    add("architecture", "text", std::nullopt, std::nullopt, toString(config.architecture));
    add("perturbation", "text", std::nullopt, std::nullopt, toString(config.perturbation));
    add("hidden_widths", "text", std::nullopt, std::nullopt, joinWidths(config.hiddenWidths));
    if (config.architecture == Architecture::ImagenetConv) // the CLI and the form give the widths they chose
        add("conv_channels", "text", std::nullopt, std::nullopt, joinWidths(config.convChannels));
    add("activation", "text", std::nullopt, std::nullopt, toString(config.activation));
    add("output", "text", std::nullopt, std::nullopt, toString(config.output));
    add("optimizer", "text", std::nullopt, std::nullopt, toString(config.optimizer));
    add("dtype", "text", std::nullopt, std::nullopt, toString(config.dtype));
    add("seed", "text", std::nullopt, std::nullopt, std::to_string(config.seed));
    transaction.commit();
    return id;
}

void RunStore::requireRun(int64_t runId) {
    if (db_.changes() == 0)
        throw Error(db_.path() + ": there is no run " + std::to_string(runId));
}

void RunStore::setStatus(int64_t runId, RunStatus status) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    const double now = sys::unixNow();
    if (status == RunStatus::Running)
        db_.prepare("UPDATE runs SET status = ?, started_at = coalesce(started_at, ?), finished_at = NULL, "
                    "host = ?, pid = ?, heartbeat_at = ? WHERE id = ?")
            .bindAll(toString(status), now, sys::hostName(), sys::processId(), now, runId)
            .run();
    else if (isFinal(status))
        db_.prepare("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?")
            .bindAll(toString(status), now, runId)
            .run();
    else
        db_.prepare("UPDATE runs SET status = ?, finished_at = NULL WHERE id = ?")
            .bindAll(toString(status), runId)
            .run();
    requireRun(runId);
}

void RunStore::renewLease(int64_t runId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    db_.prepare("UPDATE runs SET heartbeat_at = ? WHERE id = ?").bindAll(sys::unixNow(), runId).run();
}

std::optional<double> RunRecord::duration(double now) const {
    if (activeSeconds)
        return activeSeconds;
    if (!startedAt)
        return std::nullopt;
    return finishedAt.value_or(now) - *startedAt;
}

void RunStore::setProgress(int64_t runId, int epochsDone, std::optional<double> bestTestError,
                           std::optional<double> activeSeconds) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    updateProgress(runId, {epochsDone, bestTestError, activeSeconds});
}

void RunStore::updateProgress(int64_t runId, const Progress& progress) {
    db_.prepare("UPDATE runs SET epochs_done = ?, best_test_error = coalesce(?, best_test_error), "
                "active_seconds = coalesce(?, active_seconds) WHERE id = ?")
        .bindAll(progress.epochsDone, progress.bestTestError, progress.activeSeconds, runId)
        .run();
    requireRun(runId);
}

void RunStore::setEpochsTotal(int64_t runId, int epochs) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    std::optional<RunRecord> run = getRun(runId);
    if (!run)
        throw Error(db_.path() + ": there is no run " + std::to_string(runId));
    RunConfig config = configFromJson(run->configJson);
    config.epochs = epochs;
    sql::Transaction transaction(db_);
    db_.prepare("UPDATE runs SET epochs_total = ?, config_json = ? WHERE id = ?")
        .bindAll(epochs, toJson(config), runId)
        .run();
    db_.prepare("UPDATE hyperparameters SET value_int = ? WHERE run_id = ? AND key = 'n_epochs'")
        .bindAll(epochs, runId)
        .run();
    transaction.commit();
}

void RunStore::setText(int64_t runId, const char* sql, const std::string& value) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    db_.prepare(sql).bindAll(value, runId).run();
    requireRun(runId);
}

void RunStore::rename(int64_t runId, const std::string& name) {
    setText(runId, "UPDATE runs SET name = ? WHERE id = ?", name);
}
void RunStore::setNotes(int64_t runId, const std::string& notes) {
    setText(runId, "UPDATE runs SET notes = ? WHERE id = ?", notes);
}
void RunStore::setTags(int64_t runId, const std::vector<std::string>& tags) {
    setText(runId, "UPDATE runs SET tags = ? WHERE id = ?", joinTags(tags));
}
void RunStore::setResultsDir(int64_t runId, const std::string& dir) {
    setText(runId, "UPDATE runs SET results_dir = ? WHERE id = ?", dir);
}

std::optional<RunRecord> RunStore::getRun(int64_t runId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s = db_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
    s.bind(1, runId);
    if (!s.step())
        return std::nullopt;
    return readRun(s);
}

std::vector<RunRecord> RunStore::listRuns(const RunFilter& filter) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    const FilterSql where = filterSql(filter);
    sql::Statement s = db_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs" + where.where +
                                   orderClause(filter) + " LIMIT ? OFFSET ?");
    const int n = where.bind(s);
    s.bind(n + 1, filter.limit).bind(n + 2, filter.offset);
    std::vector<RunRecord> runs;
    while (s.step())
        runs.push_back(readRun(s));
    return runs;
}

int64_t RunStore::countRuns(const RunFilter& filter) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    const FilterSql where = filterSql(filter);
    sql::Statement s = db_.prepare("SELECT count(*) FROM runs" + where.where);
    where.bind(s);
    return s.step() ? s.int64(0) : 0;
}

void RunStore::setExecutionValue(int64_t runId, const std::string& key, int64_t value) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    db_.prepare("INSERT OR REPLACE INTO hyperparameters (run_id, key, type, value_int, applies) "
                "VALUES (?, ?, 'int', ?, 1)")
        .bindAll(runId, key, value)
        .run();
}

void RunStore::setExecutionValue(int64_t runId, const std::string& key, const std::string& value) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    db_.prepare("INSERT OR REPLACE INTO hyperparameters (run_id, key, type, value_text, applies) "
                "VALUES (?, ?, 'text', ?, 1)")
        .bindAll(runId, key, value)
        .run();
}

std::vector<Hyperparameter> RunStore::hyperparameters(int64_t runId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s = db_.prepare("SELECT key, type, value_real, value_int, value_text, applies FROM "
                                   "hyperparameters WHERE run_id = ? ORDER BY key");
    s.bind(1, runId);
    std::vector<Hyperparameter> out;
    while (s.step()) {
        Hyperparameter h;
        h.key = s.text(0);
        const std::string type = s.text(1);
        h.type = type == "real"   ? Hyperparameter::Type::Real
                 : type == "int"  ? Hyperparameter::Type::Int
                 : type == "bool" ? Hyperparameter::Type::Bool
                                  : Hyperparameter::Type::Text;
        h.real = s.real(2);
        h.integer = s.int64(3);
        h.text = s.text(4);
        h.applies = s.int64(5) != 0;
        out.push_back(std::move(h));
    }
    return out;
}

namespace {

const char* const kSweepColumns = "id, name, created_at, definition, status, host, pid";

SweepRecord readSweep(const sql::Statement& s) {
    SweepRecord r;
    r.id = s.int64(0);
    r.name = s.text(1);
    r.createdAt = s.real(2);
    r.definition = s.text(3);
    r.status = s.text(4);
    r.host = s.text(5);
    r.pid = s.int64(6);
    return r;
}

} // namespace

int64_t RunStore::createSweep(const std::string& name, const std::string& definition) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    db_.prepare("INSERT INTO sweeps (name, created_at, definition, status) VALUES (?, ?, ?, 'queued')")
        .bindAll(name, sys::unixNow(), definition)
        .run();
    return db_.lastInsertId();
}

std::optional<SweepRecord> RunStore::sweep(int64_t sweepId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s = db_.prepare(std::string("SELECT ") + kSweepColumns + " FROM sweeps WHERE id = ?");
    s.bind(1, sweepId);
    if (!s.step())
        return std::nullopt;
    return readSweep(s);
}

std::vector<SweepRecord> RunStore::listSweeps() {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s = db_.prepare(std::string("SELECT ") + kSweepColumns + " FROM sweeps ORDER BY id DESC");
    std::vector<SweepRecord> out;
    while (s.step())
        out.push_back(readSweep(s));
    return out;
}

std::vector<RunRecord> RunStore::runsOfSweep(int64_t sweepId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s =
        db_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE sweep_id = ? ORDER BY id");
    s.bind(1, sweepId);
    std::vector<RunRecord> runs;
    while (s.step())
        runs.push_back(readRun(s));
    return runs;
}

void RunStore::setSweepStatus(int64_t sweepId, const std::string& status) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (status == "running")
        db_.prepare("UPDATE sweeps SET status = ?, host = ?, pid = ? WHERE id = ?")
            .bindAll(status, sys::hostName(), sys::processId(), sweepId)
            .run();
    else
        db_.prepare("UPDATE sweeps SET status = ? WHERE id = ?").bindAll(status, sweepId).run();
    if (db_.changes() == 0)
        throw Error(db_.path() + ": there is no sweep " + std::to_string(sweepId));
}

void RunStore::deleteSweep(int64_t sweepId, bool withRuns) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (!sweep(sweepId))
        throw Error(db_.path() + ": there is no sweep " + std::to_string(sweepId) + "; nothing was deleted");
    if (withRuns) {
        std::vector<int64_t> ids;
        for (const RunRecord& r : runsOfSweep(sweepId))
            ids.push_back(r.id);
        if (!ids.empty())
            deleteRuns(ids);
    }
    db_.prepare("DELETE FROM sweeps WHERE id = ?").bind(1, sweepId).run(); // its runs' sweep_id becomes NULL
}

} // namespace bp
