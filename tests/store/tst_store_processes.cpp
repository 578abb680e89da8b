// The run store across processes: runs of a process that died are marked interrupted on the next open,
// and a writer process and a reader process use one database at once without SQLITE_BUSY errors.
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include "core/store/sqlite.h"
#include "support/test_support.h"
#include <QDateTime>
#include <QElapsedTimer>
#include <QtTest>
#include <chrono>
#include <csignal>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using namespace bp;

namespace {

RunConfig config() {
    return defaultConfig(DatasetKind::Mnist);
}

std::vector<MetricSample> series(const std::string& name, int64_t from, int64_t to) {
    std::vector<MetricSample> out;
    for (int64_t s = from; s <= to; ++s)
        out.push_back({name, int(s / 10), s, 1.7e9 + double(s), double(s)});
    return out;
}

// Runs fn in a child process; returns its exit status (0: fn returned, 2: it threw).
int inChild(const std::function<void()>& fn) {
    const pid_t pid = fork();
    if (pid == 0) {
        try {
            fn();
        } catch (const std::exception& e) {
            fprintf(stderr, "child: %s\n", e.what());
            _exit(2);
        }
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

class TestStoreProcesses : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void marksRunsOfDeadProcessesInterrupted() {
        QTemporaryDir dir;
        const std::string file = dir.filePath("i.sqlite").toStdString();
        int64_t dead = 0, alive = 0, remote = 0;
        {
            RunStore store(file);
            dead = store.createRun(config(), "killed");
            alive = store.createRun(config(), "ours");
            remote = store.createRun(config(), "elsewhere");
            store.setStatus(alive, RunStatus::Running);
            store.setStatus(remote, RunStatus::Running);
            sql::Database raw(file, sql::Database::Mode::ReadWriteCreate);
            raw.prepare("UPDATE runs SET host = 'another-host', pid = 1 WHERE id = ?").bind(1, remote).run();
        }
        // A trainer process that starts the run and ends without a final status.
        QCOMPARE(inChild([&] { RunStore(file).setStatus(dead, RunStatus::Running); }), 0);
        RunStore store(file);
        QCOMPARE(test::statusName(store.getRun(dead)->status), QString("interrupted"));
        QVERIFY(store.getRun(dead)->finishedAt);
        QVERIFY(QString::fromStdString(store.messages(dead).at(0).text).contains("interrupted"));
        QCOMPARE(test::statusName(store.getRun(alive)->status), QString("running"));
        QCOMPARE(test::statusName(store.getRun(remote)->status), QString("running"));
        QCOMPARE(store.markInterruptedRuns(), 0);
    }

    // A liveness lease, not a process id, says whether a run is alive: a run whose lease lapsed is
    // interrupted even when its process id belongs to a live process (reused, or unreaped), on this host or
    // another; readers see it so before a writer records it. A recorder renews the lease while it lives.
    void lapsedLeaseMeansInterrupted() {
        QTemporaryDir dir;
        const std::string file = dir.filePath("lease.sqlite").toStdString();
        int64_t reused = 0, remote = 0, fresh = 0;
        {
            RunStore store(file);
            reused = store.createRun(config(), "pid now someone else's");
            remote = store.createRun(config(), "another host, gone");
            fresh = store.createRun(config(), "alive elsewhere");
            for (int64_t id : {reused, remote, fresh})
                store.setStatus(id, RunStatus::Running); // this process's pid, alive
            sql::Database raw(file, sql::Database::Mode::ReadWriteCreate);
            const double stale =
                double(QDateTime::currentMSecsSinceEpoch()) / 1000.0 - 2 * RunStore::kLeaseSeconds;
            raw.prepare("UPDATE runs SET heartbeat_at = ? WHERE id IN (?, ?)")
                .bindAll(stale, reused, remote)
                .run();
            raw.prepare("UPDATE runs SET host = 'another-host', pid = 1 WHERE id IN (?, ?)")
                .bindAll(remote, fresh)
                .run();
        }
        {
            RunStore reader(file, RunStore::Access::ReadOnly);
            QCOMPARE(test::statusName(reader.getRun(reused)->status), QString("interrupted"));
            QCOMPARE(test::statusName(reader.getRun(fresh)->status), QString("running"));
        }
        RunStore store(file);
        QCOMPARE(test::statusName(store.getRun(reused)->status), QString("interrupted"));
        QCOMPARE(test::statusName(store.getRun(remote)->status), QString("interrupted"));
        QCOMPARE(test::statusName(store.getRun(fresh)->status), QString("running"));
        QVERIFY(QString::fromStdString(store.messages(reused).at(0).text).contains("lease"));

        // A recorder renews the lease of its run.
        sql::Database raw(file, sql::Database::Mode::ReadOnly);
        auto heartbeat = [&] {
            sql::Statement s = raw.prepare("SELECT heartbeat_at FROM runs WHERE id = ?");
            s.bind(1, fresh);
            return s.step() ? s.real(0) : 0.0;
        };
        const double before = heartbeat();
        {
            RunRecorder recorder(store, fresh);
            QTRY_VERIFY_WITH_TIMEOUT(heartbeat() > before, 2 * 1000 * RunStore::kLeaseRenewal.count());
        }
    }

    // A recording process killed with SIGKILL: its run is interrupted, its flushed metrics are all there.
    void killedRecorderProcess() {
        QTemporaryDir dir;
        const std::string file = dir.filePath("k.sqlite").toStdString();
        const int64_t id = RunStore(file).createRun(config(), "killed");
        const pid_t child = fork();
        if (child == 0) {
            try {
                RunStore store(file);
                RunRecorder recorder(store, id, std::chrono::milliseconds(100));
                recorder.onStatus(RunStatus::Running, "");
                for (int64_t step = 1; step < 1000000; ++step) {
                    BatchReport r;
                    r.epoch = 1;
                    r.step = step;
                    r.loss = double(step);
                    recorder.onBatch(r);
                    usleep(1000);
                }
            } catch (const std::exception& e) {
                fprintf(stderr, "recorder: %s\n", e.what());
            }
            _exit(2);
        }
        struct Reaper { // never leave the child running when a check fails
            pid_t pid;
            ~Reaper() {
                if (pid > 0 && kill(pid, SIGKILL) == 0)
                    waitpid(pid, nullptr, 0);
            }
        } reaper{child};
        RunStore watcher(file);
        QTRY_VERIFY_WITH_TIMEOUT(watcher.readMetrics(id, "batch_loss").size() >= 100, 20000);
        QCOMPARE(test::statusName(watcher.getRun(id)->status), QString("running"));
        const size_t seen = watcher.readMetrics(id, "batch_loss").size();
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        reaper.pid = 0;
        QVERIFY(WIFSIGNALED(status));

        RunStore reopened(file);
        QCOMPARE(test::statusName(reopened.getRun(id)->status), QString("interrupted"));
        const std::vector<MetricPoint> points = reopened.readMetrics(id, "batch_loss");
        QVERIFY(points.size() >= seen);
        for (size_t i = 0; i < points.size(); ++i) // every step from 1, none lost in between
            QCOMPARE(points[i].step, int64_t(i + 1));
    }

    void concurrentWriterAndReaderProcesses() {
        QTemporaryDir dir;
        const std::string file = dir.filePath("c.sqlite").toStdString();
        const int64_t id = RunStore(file).createRun(config());
        const pid_t child = fork();
        if (child == 0) { // the writer: 200 transactions of 100 points, as a recorder flushing (but faster)
            int code = 0;
            try {
                RunStore writer(file);
                for (int t = 0; t < 200; ++t) {
                    writer.appendMetrics(id, series("loss", t * 100, t * 100 + 99));
                    usleep(2000);
                }
                writer.setStatus(id, RunStatus::Completed);
            } catch (const std::exception& e) {
                fprintf(stderr, "writer: %s\n", e.what());
                code = 2;
            }
            _exit(code);
        }
        RunStore reader(file);
        size_t last = 0, reads = 0;
        std::set<size_t>
            sizes; // distinct counts seen: the reader saw the writer's progress, not only its end
        QString failure;
        int status = 0;
        while (waitpid(child, &status, WNOHANG) == 0) {
            try {
                const size_t n = reader.readMetrics(id, "loss").size();
                reader.readMetricsReduced(id, "loss", 0, INT64_MAX, 100);
                reader.setNotes(id, "read " + std::to_string(reads)); // the reader writes too
                if (n < last || n % 100 != 0)
                    failure = QString("saw %1 points after %2").arg(n).arg(last);
                last = n;
                sizes.insert(n);
                ++reads;
            } catch (const std::exception& e) {
                failure = e.what();
            }
        }
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QVERIFY2(sizes.size() >= 5, "the reader never saw the writer's transactions in between");
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        QCOMPARE(reader.readMetrics(id, "loss").size(), size_t(20000));
        QCOMPARE(test::statusName(reader.getRun(id)->status), QString("completed"));
        qInfo("reader made %zu passes while the writer process wrote, seeing %zu distinct sizes", reads,
              sizes.size());
    }

    // Opening a second connection must not drop the locks of one this process holds: closing any descriptor
    // of the file drops them all (POSIX), and another process that then closes its connection takes itself
    // for the last, checkpoints and deletes the WAL under ours ("database disk image is malformed": the
    // explorer met it when it opened the store again while a sweep's runs were writing).
    void secondOpenKeepsTheFirstConnectionsLocks() {
        QTemporaryDir dir;
        const std::string file = dir.filePath("locks.sqlite").toStdString();
        const int64_t id = RunStore(file).createRun(config());
        // Two other processes, started before this one opens the store (a fork must not inherit an open
        // connection), each doing its part when told through its pipe.
        const auto startChild = [&](int* go, const std::function<int()>& part) {
            if (pipe(go) != 0)
                return pid_t(-1);
            const pid_t pid = fork();
            if (pid == 0) {
                char byte = 0;
                int code = 3;
                try {
                    if (read(go[0], &byte, 1) == 1)
                        code = part();
                } catch (const std::exception& e) {
                    fprintf(stderr, "child: %s\n", e.what());
                    code = 2;
                }
                _exit(code);
            }
            return pid;
        };
        int go1[2], go2[2];
        const pid_t writer = startChild(go1, [&] {
            RunStore(file).appendMetrics(id, series("loss", 0, 99));
            return 0;
        });
        const pid_t reader = startChild(go2, [&] { // what this process wrote after the writer left
            return RunStore(file, RunStore::Access::ReadOnly).getRun(id)->notes == "still writable" ? 0 : 4;
        });
        QVERIFY(writer > 0 && reader > 0);
        const auto finish = [](pid_t pid, int* go) {
            int status = -1;
            if (write(go[1], "x", 1) == 1)
                waitpid(pid, &status, 0);
            close(go[0]);
            close(go[1]);
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        };

        RunStore kept(file);
        QCOMPARE(kept.readMetrics(id, "loss").size(), size_t(0));
        RunStore(file, RunStore::Access::ReadOnly).listRuns(); // opened and closed beside `kept`
        RunStore(file).getRun(id);
        QCOMPARE(finish(writer, go1), 0);
        QString failure;
        try {
            if (kept.readMetrics(id, "loss").size() != 100)
                failure = "this process does not see the writer's metrics";
            kept.setNotes(id, "still writable");
        } catch (const std::exception& e) {
            failure = e.what();
        }
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QVERIFY2(finish(reader, go2) == 0,
                 "another process does not see what this one wrote after the writer left");
    }

    // A process that commits every few milliseconds leaves gaps of 2 ms: a connection that waits for the lock
    // finds them (short jittered retries), where SQLite's own busy timeout, backing off to 100 ms sleeps,
    // kept losing the race on a loaded machine (a CI run failed so after its 5 s).
    void waitingConnectionFindsTheGapsOfABusyWriter() {
        QTemporaryDir dir;
        const std::string file = dir.filePath("g.sqlite").toStdString();
        RunStore(file).createRun(config());
        int ready[2];
        QVERIFY(pipe(ready) == 0);
        const pid_t child = fork();
        if (child == 0) { // holds the write lock 20 ms of every 22 ms for 10 s
            sql::Database db(file, sql::Database::Mode::ReadWriteCreate);
            const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            bool told = false;
            while (std::chrono::steady_clock::now() < end) {
                db.exec("BEGIN IMMEDIATE");
                if (!told && ::write(ready[1], "x", 1) == 1)
                    told = true;
                usleep(20000);
                db.exec("COMMIT");
                usleep(2000);
            }
            _exit(0);
        }
        char byte = 0;
        QCOMPARE(::read(ready[0], &byte, 1), ssize_t(1));
        QElapsedTimer timer;
        timer.start();
        sql::Database db(file, sql::Database::Mode::ReadWriteCreate);
        db.waitWhenBusy(sql::kWriterBusyTimeout);
        QString failure;
        for (int t = 0; t < 10 && failure.isEmpty(); ++t) {
            try {
                sql::Transaction transaction(db);
                db.exec("UPDATE runs SET notes = 'waited'");
                transaction.commit();
            } catch (const std::exception& e) {
                failure = e.what();
            }
        }
        int status = 0;
        const bool writerStillBusy = waitpid(child, &status, WNOHANG) == 0;
        const qint64 waited = timer.elapsed();
        ::kill(child, SIGKILL);
        waitpid(child, &status, 0);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QVERIFY2(writerStillBusy,
                 qPrintable(QString("10 transactions took %1 ms: the writer had ended").arg(waited)));
        qInfo("10 transactions between a busy writer's commits took %lld ms", waited);
    }

    // A lock held past the timeout fails the waiting statement with a message that says so, after the
    // timeout.
    void lockHeldPastTheTimeoutIsNamed() {
        QTemporaryDir dir;
        const std::string file = dir.filePath("t.sqlite").toStdString();
        RunStore(file).createRun(config());
        int ready[2];
        QVERIFY(pipe(ready) == 0);
        const pid_t child = fork();
        if (child == 0) {
            sql::Database db(file, sql::Database::Mode::ReadWriteCreate);
            db.exec("BEGIN IMMEDIATE");
            if (::write(ready[1], "x", 1) != 1)
                _exit(1);
            usleep(3000000);
            _exit(0);
        }
        char byte = 0;
        QCOMPARE(::read(ready[0], &byte, 1), ssize_t(1));
        sql::Database db(file, sql::Database::Mode::ReadWriteCreate);
        db.waitWhenBusy(std::chrono::milliseconds(300));
        QElapsedTimer timer;
        timer.start();
        QString message;
        try {
            sql::Transaction transaction(db);
        } catch (const std::exception& e) {
            message = e.what();
        }
        const qint64 waited = timer.elapsed();
        ::kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY2(message.contains("locked past the busy timeout"), qPrintable(message));
        QVERIFY2(waited >= 300 && waited < 2500, qPrintable(QString("gave up after %1 ms").arg(waited)));
    }
};

QTEST_GUILESS_MAIN(TestStoreProcesses)
#include "tst_store_processes.moc"
