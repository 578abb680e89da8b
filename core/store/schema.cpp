#include "core/store/schema.h"
#include "core/util/error.h"
#include <algorithm>
#include <array>
#include <cstring>

namespace bp::schema {

namespace {

// Step n brings a database from version n − 1 to n. Never edit a released step: add a new one.
const char* const kSteps[] = {
    nullptr,
    // 1: runs, their typed hyperparameters, metrics (clustered on run, name, step) and checkpoints.
    R"sql(
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        created_at REAL NOT NULL,
        started_at REAL,
        finished_at REAL,
        dataset TEXT NOT NULL,
        rule TEXT NOT NULL,
        architecture TEXT NOT NULL,
        device TEXT NOT NULL,
        seed INTEGER NOT NULL,
        program_version TEXT NOT NULL,
        torch_version TEXT NOT NULL,
        threads INTEGER NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '',
        host TEXT NOT NULL DEFAULT '',
        pid INTEGER NOT NULL DEFAULT 0,
        config_json TEXT NOT NULL,
        epochs_total INTEGER NOT NULL,
        epochs_done INTEGER NOT NULL DEFAULT 0,
        best_test_error REAL,
        results_dir TEXT NOT NULL DEFAULT '');
    CREATE INDEX runs_by_status ON runs(status);
    CREATE TABLE hyperparameters (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('real', 'int', 'bool', 'text')),
        value_real REAL,
        value_int INTEGER,
        value_text TEXT,
        PRIMARY KEY (run_id, key)) WITHOUT ROWID;
    CREATE TABLE metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        step INTEGER NOT NULL,
        wall_time REAL NOT NULL,
        value REAL,
        PRIMARY KEY (run_id, name, step)) WITHOUT ROWID;
    CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'latest', 'best', 'epoch')),
        epoch INTEGER NOT NULL,
        step INTEGER NOT NULL,
        path TEXT NOT NULL,
        created_at REAL NOT NULL);
    CREATE INDEX checkpoints_by_run ON checkpoints(run_id, kind, epoch);
    )sql",
    // 2: the runs' messages (status changes, warnings, errors), and comparing runs by hyperparameter value.
    R"sql(
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        time REAL NOT NULL,
        level TEXT NOT NULL,
        text TEXT NOT NULL);
    CREATE INDEX messages_by_run ON messages(run_id, time);
    CREATE INDEX hyperparameters_by_value ON hyperparameters(key, value_real, value_int, value_text);
    )sql",
    // 3: whether a hyperparameter applies to its run (the rule registry says; a backprop run has a
    // p_baseline row that means nothing). Runs recorded before had the four rules of that time: their
    // applicability as the hyperparameter table stated it then.
    R"sql(
    ALTER TABLE hyperparameters ADD COLUMN applies INTEGER NOT NULL DEFAULT 1;
    UPDATE hyperparameters SET applies = 0 WHERE
        (key IN ('xi_mean', 'xi_std', 'perturbation')
            AND run_id IN (SELECT id FROM runs WHERE rule <> 'node-perturbation'))
        OR (key = 'hidden_lr' AND run_id IN (SELECT id FROM runs WHERE rule = 'backprop'))
        OR (key IN ('weight_fa_std', 'weight_fa_learning', 'angle_interval')
            AND run_id IN (SELECT id FROM runs WHERE rule IN ('backprop', 'node-perturbation')))
        OR (key IN ('p_baseline', 'recurrent_input', 'weight_r_range', 'weight_r_learning', 'recurrent_lr')
            AND run_id IN (SELECT id FROM runs WHERE rule <> 'burstprop'))
        OR (key = 'hidden_widths' AND run_id IN (SELECT id FROM runs WHERE architecture <> 'fc'));
    )sql",
    // 4: run ids are never handed out twice (a notebook that cites "run 12" keeps meaning that run): the
    // highest id ever given, kept apart from the runs table, whose rows may be deleted.
    R"sql(
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    INSERT INTO counters VALUES ('last_run_id', coalesce((SELECT max(id) FROM runs), 0));
    )sql",
    // 5: a liveness lease per run (below), and the database's own identity, which its checkpoints record (two
    // databases in one folder used to share runs/<id>/ and overwrite each other's checkpoints); each database
    // keeps its runs' files in <name>.runs/<id>/. Folders of older runs move there when the RunStore first
    // opens the database (RunStore::relocateRunFolders: files are not SQL's business), "run_folders" says
    // whether that is done.
    R"sql(
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    INSERT INTO meta VALUES ('database_id', lower(hex(randomblob(16))));
    INSERT INTO meta VALUES ('run_folders', 'to move');
    -- A liveness lease: the process that records a run renews heartbeat_at every few seconds (also while
    -- paused); a running run whose lease lapsed is interrupted, whatever its process id became.
    ALTER TABLE runs ADD COLUMN heartbeat_at REAL;
    )sql",
    // 6: the time a run trained; per-layer metrics are keyed by the layer's index in the network (0 = the
    // first weight layer). Weight angles were keyed by their position among the layers that have one, every
    // layer but the lowest: weight_angle/<i> was layer i + 1's. Renamed through a temporary prefix, as (run,
    // name, step) is unique.
    R"sql(
    UPDATE metrics SET name = 'migrating_weight_angle/' || (CAST(substr(name, 14) AS INTEGER) + 1)
        WHERE name GLOB 'weight_angle/[0-9]*';
    UPDATE metrics SET name = 'weight_angle/' || substr(name, 24)
        WHERE name GLOB 'migrating_weight_angle/[0-9]*';
    -- The time a run spent training, pauses and the time between a stop and its resume left out (the
    -- recorder keeps it up to date; NULL for runs recorded before: their duration is finished - started).
    ALTER TABLE runs ADD COLUMN active_seconds REAL;
    )sql",
    // 7: sweeps (burstprop-train sweep): a name, the definition (the sweep's command-line arguments as a JSON
    // array of strings), a status and the process that runs it; each run may belong to one. Deleting a sweep
    // keeps its runs.
    R"sql(
    CREATE TABLE sweeps (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        definition TEXT NOT NULL,
        status TEXT NOT NULL,
        host TEXT NOT NULL DEFAULT '',
        pid INTEGER NOT NULL DEFAULT 0);
    ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL;
    CREATE INDEX runs_by_sweep ON runs(sweep_id);
    )sql",
    // 8: signal histograms (the explorer's Signals tab), written at the steps that measure angles: per layer
    // and quantity ('event_rate', 'p', 'p_t', 'delta') the bin counts over [low, high] as comma-separated
    // integers, low bin first, the layer's units per example, its silent units (event_rate rows) and the
    // classes predicted for no example (the output layer's event_rate row).
    R"sql(
    CREATE TABLE signal_histograms (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        layer INTEGER NOT NULL,
        quantity TEXT NOT NULL,
        step INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        low REAL NOT NULL,
        high REAL NOT NULL,
        counts TEXT NOT NULL,
        units INTEGER NOT NULL,
        silent_units INTEGER,
        silent_classes INTEGER,
        PRIMARY KEY (run_id, layer, quantity, step)) WITHOUT ROWID;
    )sql",
};
static_assert(sizeof(kSteps) / sizeof(kSteps[0]) == kCurrentVersion + 1, "one migration step per version");

uint32_t bigEndian(const unsigned char* p, int bytes) {
    uint32_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | p[i];
    return v;
}

// The 100-byte SQLite header (https://sqlite.org/fileformat.html): magic, page size, page count.
void checkHeader(const std::string& path, const sql::FileHead& head) {
    const uint64_t fileSize = head.size;
    std::array<unsigned char, 100> h{};
    std::memcpy(h.data(), head.bytes.data(), std::min(h.size(), head.bytes.size()));
    if (fileSize < h.size() || std::memcmp(h.data(), "SQLite format 3", 16) != 0)
        throw Error(path + ": not an SQLite database (no SQLite header); the file was left as it is");
    uint32_t pageSize = bigEndian(h.data() + 16, 2);
    if (pageSize == 1)
        pageSize = 65536;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        throw Error(path + ": damaged SQLite header (page size " + std::to_string(pageSize) +
                    "); the file was left as it is");
    const uint32_t pages = bigEndian(h.data() + 28, 4);
    const bool countValid = pages > 0 && bigEndian(h.data() + 92, 4) == bigEndian(h.data() + 24, 4);
    if (countValid && fileSize < static_cast<uint64_t>(pages) * pageSize)
        throw Error(path + ": truncated SQLite database (its header says " +
                    std::to_string(static_cast<uint64_t>(pages) * pageSize) + " bytes, the file has " +
                    std::to_string(fileSize) + "); the file was left as it is");
    if (fileSize % pageSize != 0)
        throw Error(path + ": truncated or damaged SQLite database (" + std::to_string(fileSize) +
                    " bytes is not a whole number of " + std::to_string(pageSize) +
                    "-byte pages); the file was left as it is");
}

void inspectSchema(const std::string& path);

} // namespace

void inspectExistingFile(const std::string& path) {
    // Not through a stream of its own: another connection of this process may have the file open (see
    // sql::readFileHead).
    const std::optional<sql::FileHead> head = sql::readFileHead(path, 100);
    if (!head)
        return; // missing (SQLite creates it), or unreadable: SQLite's open says why
    if (head->size == 0)
        return; // SQLite treats an empty file as a new database
    checkHeader(path, *head);

    try {
        inspectSchema(path);
    } catch (const Error& e) {
        throw Error(std::string(e.what()) + "; the file was left as it is");
    }
}

namespace {

void inspectSchema(const std::string& path) {
    sql::Database db(path, sql::Database::Mode::ReadOnly);
    db.waitWhenBusy(sql::kReaderBusyTimeout);
    const int64_t version = db.singleInt("PRAGMA user_version");
    const int64_t application = db.singleInt("PRAGMA application_id");
    const int64_t tables = db.singleInt("SELECT count(*) FROM sqlite_schema"); // reads every schema page
    if (application != 0 && application != kApplicationId)
        throw Error(path + ": an SQLite database of another program (application id " +
                    std::to_string(application) + "), not a run database");
    if (version > kCurrentVersion)
        throw Error(path + ": written by a newer Burstprop Explorer (schema version " +
                    std::to_string(version) + ", this program knows up to " +
                    std::to_string(kCurrentVersion) +
                    "). Open it with the newer program or choose another database file");
    if (version == 0 && tables > 0)
        throw Error(path + ": an SQLite database of another program (it has tables but no run schema)");
    // Touch every table of the schema so that damaged b-tree roots show up before anything is written.
    if (version >= 1)
        for (const char* table : {"runs", "hyperparameters", "metrics", "checkpoints"})
            db.singleInt(std::string("SELECT 1 FROM ") + table + " LIMIT 1");
    if (version >= 2)
        db.singleInt("SELECT 1 FROM messages LIMIT 1");
    if (version >= 4)
        db.singleInt("SELECT 1 FROM counters LIMIT 1");
    if (version >= 5)
        db.singleInt("SELECT 1 FROM meta LIMIT 1");
    if (version >= 7)
        db.singleInt("SELECT 1 FROM sweeps LIMIT 1");
    if (version >= 8)
        db.singleInt("SELECT 1 FROM signal_histograms LIMIT 1");
}

} // namespace

void migrate(sql::Database& db, int target) {
    if (target < 1 || target > kCurrentVersion)
        throw Error(db.path() + ": no schema version " + std::to_string(target));
    for (;;) {
        sql::Transaction transaction(db);
        const int64_t version =
            db.singleInt("PRAGMA user_version"); // re-read: another process may have migrated
        if (version >= target)
            return; // the transaction rolls back: nothing was written
        const int64_t next = version + 1;
        db.exec(kSteps[next]);
        if (next == 1)
            db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        db.exec("PRAGMA user_version = " + std::to_string(next));
        transaction.commit();
    }
}

} // namespace bp::schema
