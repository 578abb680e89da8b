// The run database file: creation, migration from an older schema, and refusing files it must not touch.
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/store/schema.h"
#include "core/util/error.h"
#include "core/util/system_info.h"
#include "support/test_support.h"
#include <QDateTime>
#include <QtTest>
#include <functional>

using namespace bp;

namespace {

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

// The message of the bp::Error that fn throws, or "" when it throws none.
QStringList tableNames(sql::Database& db) {
    QStringList names;
    sql::Statement s =
        db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') ORDER BY name");
    while (s.step())
        names << QString::fromStdString(s.text(0));
    return names;
}

// A database with a few pages of data, closed again (its WAL folded into the file).
void makeStore(const QString& path) {
    RunStore store(path.toStdString());
    const int64_t id = store.createRun(defaultConfig(DatasetKind::Mnist), "run");
    std::vector<MetricSample> samples;
    for (int i = 0; i < 2000; ++i)
        samples.push_back({"batch_loss", 1, i, 1.0e9 + i, 0.5 / (i + 1)});
    store.appendMetrics(id, samples);
}

// Version 1 of the schema, as a program of that version wrote it (kept literally: released files look like
// this).
const char* const kVersion1 = R"sql(
    CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,
        created_at REAL NOT NULL, started_at REAL, finished_at REAL, dataset TEXT NOT NULL, rule TEXT NOT NULL,
        architecture TEXT NOT NULL, device TEXT NOT NULL, seed INTEGER NOT NULL, program_version TEXT NOT NULL,
        torch_version TEXT NOT NULL, threads INTEGER NOT NULL, notes TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '', host TEXT NOT NULL DEFAULT '', pid INTEGER NOT NULL DEFAULT 0,
        config_json TEXT NOT NULL, epochs_total INTEGER NOT NULL, epochs_done INTEGER NOT NULL DEFAULT 0,
        best_test_error REAL, results_dir TEXT NOT NULL DEFAULT '');
    CREATE INDEX runs_by_status ON runs(status);
    CREATE TABLE hyperparameters (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL, type TEXT NOT NULL CHECK (type IN ('real', 'int', 'bool', 'text')), value_real REAL,
        value_int INTEGER, value_text TEXT, PRIMARY KEY (run_id, key)) WITHOUT ROWID;
    CREATE TABLE metrics (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, name TEXT NOT NULL,
        epoch INTEGER NOT NULL, step INTEGER NOT NULL, wall_time REAL NOT NULL, value REAL,
        PRIMARY KEY (run_id, name, step)) WITHOUT ROWID;
    CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('initial', 'latest', 'best', 'epoch')), epoch INTEGER NOT NULL,
        step INTEGER NOT NULL, path TEXT NOT NULL, created_at REAL NOT NULL);
    CREATE INDEX checkpoints_by_run ON checkpoints(run_id, kind, epoch);
    INSERT INTO runs (id, name, status, created_at, dataset, rule, architecture, device, seed, program_version,
        torch_version, threads, config_json, epochs_total, epochs_done, best_test_error)
        VALUES (7, 'old run', 'completed', 1.7e9, 'mnist', 'burstprop', 'fc', 'cpu', 3, '0.0.9', '1.13.0', 1,
        '{}', 2, 2, 4.5);
    INSERT INTO hyperparameters VALUES (7, 'hidden_lr', 'real', 0.25, NULL, NULL);
    INSERT INTO metrics VALUES (7, 'test_error', 1, 100, 1.7e9, 9.5), (7, 'test_error', 2, 200, 1.7e9, 4.5);
    -- Weight angles counted from the second layer until schema 6; delta angles from the first.
    INSERT INTO metrics VALUES (7, 'weight_angle/0', 1, 100, 1.7e9, 80), (7, 'weight_angle/1', 1, 100, 1.7e9, 70),
        (7, 'weight_angle/1', 2, 200, 1.7e9, 60), (7, 'delta_angle/0', 1, 100, 1.7e9, 30);
    PRAGMA application_id = 1112556888; -- "BPEX"
    PRAGMA user_version = 1;
)sql";

} // namespace

class TestStoreSchema : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void createsSchemaAndFolders() {
        QTemporaryDir dir;
        const QString path = dir.filePath("a/b/runs.sqlite");
        { RunStore store(path.toStdString()); }
        QVERIFY(QFileInfo::exists(path));
        sql::Database db(path.toStdString(), sql::Database::Mode::ReadOnly);
        QCOMPARE(db.singleInt("PRAGMA user_version"), int64_t(schema::kCurrentVersion));
        QCOMPARE(db.singleInt("PRAGMA application_id"), int64_t(schema::kApplicationId));
        sql::Statement mode = db.prepare("PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(QString::fromStdString(mode.text(0)), QString("wal"));
        const QStringList names = tableNames(db);
        for (const char* table : {"runs", "hyperparameters", "metrics", "checkpoints", "messages",
                                  "hyperparameters_by_value", "messages_by_run"})
            QVERIFY2(names.contains(table), table);
    }

    // Version 3 records whether a hyperparameter applies to its run; runs recorded before learn it from the
    // four rules of that time (a backprop run's p_baseline and hidden_lr mean nothing).
    void migrationMarksWhatDoesNotApply() {
        QTemporaryDir dir;
        const QString path = dir.filePath("v1.sqlite");
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadWriteCreate);
            db.exec(kVersion1);
            db.exec(
                "INSERT INTO runs (id, name, status, created_at, dataset, rule, architecture, device, seed, "
                "program_version, torch_version, threads, config_json, epochs_total) VALUES (8, 'bp', "
                "'completed', 1.7e9, 'mnist', 'backprop', 'mnist-conv', 'cpu', 1, '0.0.9', '1.13.0', 1, "
                "'{}', 1)");
            db.exec("INSERT INTO hyperparameters VALUES (8, 'hidden_lr', 'real', 0.1, NULL, NULL), "
                    "(8, 'output_lr', 'real', 0.01, NULL, NULL), (8, 'p_baseline', 'real', 0.2, NULL, NULL), "
                    "(8, 'hidden_widths', 'text', NULL, NULL, '500'), (7, 'p_baseline', 'real', 0.2, NULL, "
                    "NULL), "
                    "(7, 'xi_std', 'real', 0.001, NULL, NULL)");
        }
        RunStore store(path.toStdString());
        auto applies = [&](int64_t run, const std::string& key) {
            for (const Hyperparameter& h : store.hyperparameters(run))
                if (h.key == key)
                    return h.applies;
            return true;
        };
        QVERIFY(!applies(8, "hidden_lr"));
        QVERIFY(applies(8, "output_lr"));
        QVERIFY(!applies(8, "p_baseline"));
        QVERIFY(!applies(8, "hidden_widths")); // a conv net
        QVERIFY(applies(7, "hidden_lr"));
        QVERIFY(applies(7, "p_baseline"));
        QVERIFY(!applies(7, "xi_std"));
        // New runs record it from what the caller says (the explorer and the CLI ask the rule registry).
        RunConfig c;
        const int64_t id =
            store.createRun(c, "new", "", {}, [](const std::string& key) { return key != "xi_mean"; });
        QVERIFY(!applies(id, "xi_mean"));
        QVERIFY(applies(id, "xi_std"));
    }

    // Version 5: each database keeps its runs' files in <name>.runs/<id>; the folders of older runs move
    // there, unless another database wrote over them (then they stay, and the run says so).
    void migrationMovesRunFolders() {
        QTemporaryDir dir;
        const QString path = dir.filePath("old.sqlite");
        const QString shared = dir.filePath("runs/7"), foreign = dir.filePath("runs/8");
        QVERIFY(QDir().mkpath(shared) && QDir().mkpath(foreign));
        auto touch = [](const QString& file) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("checkpoint");
        };
        touch(shared + "/latest.ckpt");
        touch(foreign + "/latest.ckpt");
        const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadWriteCreate);
            db.exec(kVersion1);
            db.exec(
                "INSERT INTO runs (id, status, created_at, dataset, rule, architecture, device, seed, "
                "program_version, torch_version, threads, config_json, epochs_total) VALUES (8, 'completed', "
                "1.7e9, 'mnist', 'burstprop', 'fc', 'cpu', 1, '0.0.9', '1.13.0', 1, '{}', 1)");
            for (int id : {7, 8}) {
                const std::string folder = dir.filePath(QString("runs/%1").arg(id)).toStdString();
                db.prepare("UPDATE runs SET results_dir = ? WHERE id = ?").bindAll(folder, int64_t(id)).run();
                // Run 8's record is an hour older than its file: another database wrote over it since.
                db.prepare("INSERT INTO checkpoints (run_id, kind, epoch, step, path, created_at) VALUES "
                           "(?, 'latest', 1, 10, ?, ?)")
                    .bindAll(int64_t(id), folder + "/latest.ckpt", id == 7 ? now : now - 3600)
                    .run();
            }
        }
        RunStore store(path.toStdString());
        QCOMPARE(QString::fromStdString(store.defaultRunFolder(7)), dir.filePath("old.runs/7"));
        QVERIFY(QFileInfo::exists(dir.filePath("old.runs/7/latest.ckpt")));
        QVERIFY(!QFileInfo::exists(shared));
        QCOMPARE(QString::fromStdString(store.getRun(7)->resultsDir), dir.filePath("old.runs/7"));
        QCOMPARE(QString::fromStdString(store.checkpoints(7).at(0).path),
                 dir.filePath("old.runs/7/latest.ckpt"));
        QVERIFY(QFileInfo::exists(foreign + "/latest.ckpt")); // not this database's to move
        QCOMPARE(QString::fromStdString(store.getRun(8)->resultsDir), foreign);
        QVERIFY(QString::fromStdString(store.messages(8).at(0).text).contains("another database"));
        QVERIFY(!store.databaseId().empty());
        QCOMPARE(RunStore(path.toStdString()).databaseId(), store.databaseId()); // kept in the file
    }

    void defaultPathFollowsXdg() {
        QTemporaryDir dir;
        const QByteArray old = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", dir.path().toUtf8());
        QCOMPARE(QString::fromStdString(defaultDatabasePath()),
                 dir.filePath("burstprop-explorer/runs.sqlite"));
        qputenv("XDG_DATA_HOME", "relative/is/ignored");
        QVERIFY(QString::fromStdString(defaultDatabasePath())
                    .endsWith("/.local/share/burstprop-explorer/runs.sqlite"));
        if (old.isEmpty())
            qunsetenv("XDG_DATA_HOME");
        else
            qputenv("XDG_DATA_HOME", old);
    }

    void migratesVersion1() {
        QTemporaryDir dir;
        const QString path = dir.filePath("old.sqlite");
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadWriteCreate);
            db.exec(kVersion1);
        }
        RunStore store(path.toStdString());
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadOnly);
            QCOMPARE(db.singleInt("PRAGMA user_version"), int64_t(schema::kCurrentVersion));
            QVERIFY(tableNames(db).contains("messages"));
            QVERIFY(tableNames(db).contains("hyperparameters_by_value"));
        }
        const std::optional<RunRecord> run = store.getRun(7);
        QVERIFY(run);
        QCOMPARE(QString::fromStdString(run->name), QString("old run"));
        QCOMPARE(test::statusName(run->status), QString("completed"));
        QCOMPARE(run->bestTestError.value_or(-1), 4.5);
        QCOMPARE(store.readMetrics(7, "test_error").size(), size_t(2));
        // Schema 6: every per-layer metric keyed by the layer's index in the network.
        QCOMPARE(store.metricNames(7), (std::vector<std::string>{"delta_angle/0", "test_error",
                                                                 "weight_angle/1", "weight_angle/2"}));
        QCOMPARE(store.readMetrics(7, "weight_angle/1").at(0).value, 80.0);
        QCOMPARE(store.readMetrics(7, "weight_angle/2").size(), size_t(2));
        QCOMPARE(store.readMetrics(7, "weight_angle/2").back().value, 60.0);
        QCOMPARE(store.readMetrics(7, "delta_angle/0").at(0).value, 30.0);
        QCOMPARE(store.hyperparameters(7).at(0).real, 0.25);
        store.addMessage(7, "info", "migrated"); // the table version 2 added
        QCOMPARE(store.messages(7).size(), size_t(1));
        RunFilter filter;
        filter.hyperparameters.push_back({"hidden_lr", 0.2, 0.3});
        QCOMPARE(store.countRuns(filter), int64_t(1));
    }

    // Version 7: sweeps, and the sweep a run belongs to. A database of version 6 keeps its runs (in no
    // sweep) and gains the table; deleting a sweep keeps its runs.
    void migrationAddsSweeps() {
        QTemporaryDir dir;
        const QString path = dir.filePath("v6.sqlite");
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadWriteCreate);
            db.exec(kVersion1);
            schema::migrate(db, 6);
            QCOMPARE(db.singleInt("PRAGMA user_version"), int64_t(6));
            QVERIFY(!tableNames(db).contains("sweeps"));
        }
        RunStore store(path.toStdString());
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadOnly);
            QCOMPARE(db.singleInt("PRAGMA user_version"), int64_t(schema::kCurrentVersion));
            QVERIFY(tableNames(db).contains("sweeps"));
            QVERIFY(tableNames(db).contains("runs_by_sweep"));
        }
        const std::optional<RunRecord> old = store.getRun(7);
        QVERIFY(old);
        QCOMPARE(QString::fromStdString(old->name), QString("old run"));
        QVERIFY(!old->sweepId);
        QCOMPARE(store.readMetrics(7, "test_error").size(), size_t(2));
        QVERIFY(store.listSweeps().empty());

        const int64_t sweep = store.createSweep("lr", R"(["--grid","hidden_lr=0.1,0.2"])");
        QCOMPARE(QString::fromStdString(store.sweep(sweep)->status), QString("queued"));
        const int64_t a = store.createRun(defaultConfig(DatasetKind::Mnist), "a", "", {}, {}, sweep);
        const int64_t b = store.createRun(defaultConfig(DatasetKind::Mnist), "b", "", {}, {}, sweep);
        store.createRun(defaultConfig(DatasetKind::Mnist), "alone");
        QCOMPARE(store.getRun(a)->sweepId.value_or(0), sweep);
        const std::vector<RunRecord> runs = store.runsOfSweep(sweep);
        QCOMPARE(int(runs.size()), 2);
        QCOMPARE(runs[0].id, a);
        QCOMPARE(runs[1].id, b);
        RunFilter filter;
        filter.sweepId = sweep;
        QCOMPARE(store.countRuns(filter), int64_t(2));
        store.setSweepStatus(sweep, "running");
        const SweepRecord record = *store.sweep(sweep);
        QCOMPARE(QString::fromStdString(record.status), QString("running"));
        QCOMPARE(QString::fromStdString(record.definition), QString(R"(["--grid","hidden_lr=0.1,0.2"])"));
        QCOMPARE(record.pid, sys::processId());
        QCOMPARE(int(store.listSweeps().size()), 1);
        QVERIFY(!test::errorOf([&] { store.setSweepStatus(sweep + 1, "stopped"); }).isEmpty());
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadWriteCreate);
            db.exec("PRAGMA foreign_keys = ON");
            db.exec("DELETE FROM sweeps WHERE id = " + std::to_string(sweep));
        }
        QVERIFY(!store.getRun(a)->sweepId);
        QVERIFY(store.runsOfSweep(sweep).empty());
    }

    // Version 8: signal histograms. A database of version 7 keeps its runs and gains the (empty) table; a
    // histogram written after the upgrade reads back, and goes with its run.
    void migrationAddsSignalHistograms() {
        QTemporaryDir dir;
        const QString path = dir.filePath("v7.sqlite");
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadWriteCreate);
            db.exec(kVersion1);
            schema::migrate(db, 7);
            QCOMPARE(db.singleInt("PRAGMA user_version"), int64_t(7));
            QVERIFY(!tableNames(db).contains("signal_histograms"));
        }
        RunStore store(path.toStdString());
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadOnly);
            QCOMPARE(db.singleInt("PRAGMA user_version"), int64_t(8));
            QVERIFY(tableNames(db).contains("signal_histograms"));
        }
        QCOMPARE(QString::fromStdString(store.getRun(7)->name), QString("old run"));
        QCOMPARE(store.readMetrics(7, "test_error").size(), size_t(2));
        QVERIFY(store.signalHistogramKeys(7).empty());
        SignalHistogramRecord r;
        r.epoch = 3;
        r.step = 300;
        r.histogram.layer = 1;
        r.histogram.quantity = "p";
        r.histogram.high = 1.0;
        r.histogram.counts = {1, 2, 3};
        r.histogram.units = 2;
        store.appendSignalHistograms(7, {r});
        QCOMPARE(store.readSignalHistograms(7, 1, "p").at(0).histogram.counts,
                 (std::vector<int64_t>{1, 2, 3}));
        store.deleteRun(7);
        QVERIFY(store.signalHistogramKeys(7).empty());
    }

    void refusesNewerVersionUntouched() {
        QTemporaryDir dir;
        const QString path = dir.filePath("newer.sqlite");
        makeStore(path);
        {
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadWriteCreate);
            db.exec("PRAGMA user_version = 99");
        }
        const QByteArray before = fileBytes(path);
        const QString message = test::errorOf([&] { RunStore store(path.toStdString()); });
        QVERIFY2(message.contains(path) && message.contains("newer") && message.contains("99"),
                 qPrintable(message));
        QCOMPARE(fileBytes(path), before);
    }

    void refusesDamagedFilesUntouched_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text file") << "text"
                                   << "not an SQLite database";
        QTest::newRow("random bytes") << "random"
                                      << "not an SQLite database";
        QTest::newRow("truncated to half") << "half"
                                           << "truncated";
        QTest::newRow("truncated mid-page") << "odd"
                                            << "truncated";
        QTest::newRow("garbled pages") << "pages"
                                       << "damaged";
        QTest::newRow("garbled schema page") << "schema"
                                             << "damaged";
        QTest::newRow("other program's database") << "foreign"
                                                  << "another program";
    }
    void refusesDamagedFilesUntouched() {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath("damaged.sqlite");
        makeStore(path);
        QByteArray bytes = fileBytes(path);
        QVERIFY(bytes.size() > 8 * 4096);
        if (damage == "text") {
            bytes = QByteArray("run,metric\n").repeated(500);
        } else if (damage == "random") {
            bytes.resize(8192);
            for (auto& b : bytes)
                b = char(QRandomGenerator::global()->bounded(256));
        } else if (damage == "half") {
            bytes.truncate(bytes.size() / 2);
        } else if (damage == "odd") {
            bytes.truncate(bytes.size() - 100);
        } else if (damage == "pages" || damage == "schema") {
            const qsizetype from = damage == "pages" ? 4096 : 100;
            const qsizetype to = damage == "pages" ? bytes.size() : 4096;
            for (qsizetype i = from; i < to; ++i)
                bytes[i] = char(0xA5 ^ (i * 31));
        } else if (damage == "foreign") {
            QFile::remove(path);
            sql::Database db(path.toStdString(), sql::Database::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x')");
            db.close();
            bytes = fileBytes(path);
        }
        writeBytes(path, bytes);
        const QString message = test::errorOf([&] {
            RunStore store(path.toStdString());
            store.listRuns();
            for (const RunRecord& r : store.listRuns())
                store.readMetrics(r.id, "batch_loss");
        });
        qInfo("%s", qPrintable(message));
        QVERIFY2(message.contains(path), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
        QCOMPARE(fileBytes(path), bytes);
    }
};

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_store_schema.moc"
