// The run store's records: arbitrary text, typed hyperparameters, filters, reduced metrics, checkpoints,
// messages and deletion. (Interrupted runs and concurrent processes: tst_store_processes.cpp.)
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/util/error.h"
#include "support/test_support.h"
#include <QtTest>
#include <cmath>
#include <unistd.h>

using namespace bp;

namespace {

RunConfig config(std::string rule = "burstprop") {
    return defaultConfig(DatasetKind::Mnist, rule);
}

std::vector<MetricSample> series(const std::string& name, int64_t from, int64_t to, double (*f)(int64_t)) {
    std::vector<MetricSample> out;
    for (int64_t s = from; s <= to; ++s)
        out.push_back({name, int(s / 10), s, 1.7e9 + double(s), f(s)});
    return out;
}

double zigzag(int64_t s) {
    return s == 33 ? std::nan("") : double((s * 37) % 101) - 50.0;
}

} // namespace

class TestRunStore : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path() const { return dir_.filePath("runs.sqlite").toStdString(); }

  private Q_SLOTS:
    void textRoundTrips_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("quotes") << R"(it's "quoted" `back` \n)";
        QTest::newRow("sql") << "'; DROP TABLE runs; --";
        QTest::newRow("unicode") << QString::fromUtf8("Δw ≈ η·δ·x — 学习 🧠");
        QTest::newRow("empty") << "";
        QTest::newRow("comma and percent") << "a,b%_c";
    }
    void textRoundTrips() {
        QFETCH(QString, text);
        const std::string t = text.toStdString();
        RunStore store(path());
        const int64_t id = store.createRun(config(), t, t + "\nsecond line", {t, "plain"});
        std::optional<RunRecord> r = store.getRun(id);
        QVERIFY(r);
        QCOMPARE(QString::fromStdString(r->name), text);
        QCOMPARE(QString::fromStdString(r->notes), text + "\nsecond line");
        const std::vector<std::string> tags =
            t.empty() ? std::vector<std::string>{"plain"} : std::vector<std::string>{t, "plain"};
        QVERIFY(r->tags == tags);
        store.rename(id, t + t);
        store.setNotes(id, "");
        store.setTags(id, {t});
        r = store.getRun(id);
        QCOMPARE(QString::fromStdString(r->name), text + text);
        QVERIFY(r->notes.empty());
        QCOMPARE(r->tags.size(), size_t(t.empty() ? 0 : 1));
        RunFilter f;
        f.text = t;
        QVERIFY(store.countRuns(f) >= 1);
        QVERIFY(store.countRuns() >= 1); // the runs table is still there
    }

    void recordsTheRun() {
        RunStore store(path());
        RunConfig c = config();
        c.seed = (uint64_t(1) << 63) + 5; // above int64's range
        c.threads = 3;
        const int64_t id = store.createRun(c, "r");
        const RunRecord r = *store.getRun(id);
        QCOMPARE(r.seed, c.seed);
        QCOMPARE(r.threads, 3);
        QCOMPARE(QString::fromStdString(r.rule), QString::fromStdString(std::string("burstprop")));
        QCOMPARE(QString::fromStdString(r.programVersion), QString(BURSTPROP_VERSION));
        QVERIFY(QString::fromStdString(r.torchVersion).startsWith("1.") ||
                QString::fromStdString(r.torchVersion).startsWith("2."));
        QCOMPARE(r.configJson, toJson(c));
        QCOMPARE(r.epochsTotal, c.epochs);
        QCOMPARE(QString::fromStdString(r.resultsDir), QString::fromStdString(store.defaultRunFolder(id)));
        QCOMPARE(test::statusName(r.status), QString("queued"));
        QVERIFY(!r.startedAt && !r.finishedAt);
        store.setStatus(id, RunStatus::Running);
        QVERIFY(store.getRun(id)->startedAt);
        QCOMPARE(store.getRun(id)->pid, int64_t(getpid()));
        for (RunStatus s :
             {RunStatus::Paused, RunStatus::Completed, RunStatus::Stopped, RunStatus::Diverged,
              RunStatus::Failed, RunStatus::Interrupted, RunStatus::Queued, RunStatus::Running}) {
            store.setStatus(id, s);
            QCOMPARE(test::statusName(store.getRun(id)->status), test::statusName(s));
            QCOMPARE(bool(store.getRun(id)->finishedAt), isFinal(s));
        }
        store.setProgress(id, 4, 2.5);
        store.setProgress(id, 5, std::nullopt); // keeps the best
        QCOMPARE(store.getRun(id)->epochsDone, 5);
        QCOMPARE(store.getRun(id)->bestTestError.value_or(0), 2.5);
        bool threw = false;
        try {
            store.setStatus(999999, RunStatus::Running);
        } catch (const Error& e) {
            threw = QString(e.what()).contains("999999");
        }
        QVERIFY(threw);
    }

    void hyperparametersTyped() {
        RunStore store(path());
        RunConfig c = config();
        c.hiddenLr = 0.0625;
        c.batchSize = 17;
        c.weightFaLearning = true;
        c.hiddenWidths = {30, 20};
        const int64_t id = store.createRun(c);
        const std::vector<Hyperparameter> hp = store.hyperparameters(id);
        // Every key of the table, and the choices as text: dataset, rule, architecture, perturbation,
        // hidden_widths, seed, activation, output, optimizer, dtype.
        QCOMPARE(hp.size(), bp::hyperparameters().size() + 10);
        auto find = [&](const std::string& key) {
            for (const Hyperparameter& h : hp)
                if (h.key == key)
                    return h;
            return Hyperparameter{};
        };
        for (const ParamSpec& spec : bp::hyperparameters()) {
            const Hyperparameter h = find(spec.key);
            QCOMPARE(QString::fromStdString(h.key), QString(spec.key));
            if (spec.type == ParamType::Double) {
                QVERIFY(h.type == Hyperparameter::Type::Real);
                QCOMPARE(h.real, spec.get(c));
            } else {
                QVERIFY(h.type == (spec.type == ParamType::Int ? Hyperparameter::Type::Int
                                                               : Hyperparameter::Type::Bool));
                QCOMPARE(double(h.integer), spec.get(c));
            }
        }
        QCOMPARE(find("hidden_lr").real, 0.0625);
        QCOMPARE(find("batch_size").integer, int64_t(17));
        QCOMPARE(QString::fromStdString(find("hidden_widths").text), QString("30,20"));
        QCOMPARE(QString::fromStdString(find("seed").display()), QString::number(c.seed));
        QCOMPARE(QString::fromStdString(find("rule").text), QString::fromStdString(c.rule));
        QCOMPARE(QString::fromStdString(find("activation").text), QString("sigmoid"));
        QCOMPARE(QString::fromStdString(find("optimizer").text), QString("default"));
        QCOMPARE(QString::fromStdString(find("dtype").text), QString("float32"));
    }

    // Ids are never handed out twice, even after the newest run was deleted.
    void idsAreNeverReused() {
        QTemporaryDir dir;
        RunStore store(dir.filePath("ids.sqlite").toStdString());
        const int64_t a = store.createRun(config()), b = store.createRun(config()),
                      c = store.createRun(config());
        QCOMPARE(b, a + 1);
        store.deleteRun(c);
        const int64_t d = store.createRun(config());
        QCOMPARE(d, c + 1);
        store.deleteRun(d);
        store.deleteRun(b);
        RunStore reopened(dir.filePath("ids.sqlite").toStdString());
        QCOMPARE(reopened.createRun(config()), d + 1);
    }

    void filters() {
        QTemporaryDir dir;
        RunStore store(dir.filePath("f.sqlite").toStdString());
        std::vector<int64_t> ids;
        for (int i = 0; i < 5; ++i) {
            RunConfig c = config(i % 2 ? "backprop" : "burstprop");
            c.hiddenLr = 0.01 * (i + 1);
            ids.push_back(store.createRun(c, "Sweep " + std::to_string(i), i == 3 ? "the Good one" : ""));
        }
        store.setStatus(ids[1], RunStatus::Completed);
        store.setStatus(ids[4], RunStatus::Completed);
        RunFilter f;
        f.text = "good";
        QCOMPARE(store.listRuns(f).size(), size_t(1));
        QCOMPARE(store.listRuns(f)[0].id, ids[3]);
        f = {};
        f.status = RunStatus::Completed;
        QCOMPARE(store.countRuns(f), int64_t(2));
        f = {};
        f.rule = std::string("backprop");
        QCOMPARE(store.countRuns(f), int64_t(2));
        f = {};
        f.hyperparameters.push_back({"hidden_lr", 0.025, 0.045});
        QCOMPARE(store.countRuns(f), int64_t(2));
        f = {};
        f.limit = 2;
        f.offset = 1;
        const std::vector<RunRecord> page = store.listRuns(f);
        QCOMPARE(page.size(), size_t(2));
        QCOMPARE(page[0].id, ids[3]); // newest first
        QCOMPARE(page[1].id, ids[2]);
    }

    void reducedMetricsMatchHandComputed_data() {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::addColumn<int>("buckets");
        QTest::newRow("all, 7 buckets") << 1 << 100 << 7;
        QTest::newRow("range, 4 buckets") << 20 << 55 << 4;
        QTest::newRow("more buckets than points") << 90 << 200 << 50;
        QTest::newRow("one bucket") << 0 << 1000 << 1;
    }
    void reducedMetricsMatchHandComputed() {
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(int, buckets);
        QTemporaryDir dir;
        RunStore store(dir.filePath("m.sqlite").toStdString());
        const int64_t id = store.createRun(config());
        store.appendMetrics(id, series("loss", 1, 100, zigzag));
        store.appendMetrics(id, series("other", 1, 100, [](int64_t) { return 1e6; }));
        // By hand: the steps present in [from, to], split into equal integer ranges.
        const int64_t lo = std::max(from, 1), hi = std::min(to, 100), width = hi - lo + 1;
        std::map<int64_t, MetricBucket> expected;
        for (int64_t s = lo; s <= hi; ++s) {
            const double v = zigzag(s);
            MetricBucket& b = expected[(s - lo) * buckets / width];
            if (b.count++ == 0) {
                b.firstStep = s;
                b.min = b.max = std::nan("");
            }
            if (!std::isnan(v)) {
                b.min = std::isnan(b.min) ? v : std::min(b.min, v);
                b.max = std::isnan(b.max) ? v : std::max(b.max, v);
            }
            b.lastStep = s;
            b.last = v;
        }
        const std::vector<MetricBucket> got = store.readMetricsReduced(id, "loss", from, to, buckets);
        QCOMPARE(got.size(), expected.size());
        size_t i = 0;
        for (const auto& [key, e] : expected) {
            const MetricBucket& g = got[i++];
            QCOMPARE(g.firstStep, e.firstStep);
            QCOMPARE(g.lastStep, e.lastStep);
            QCOMPARE(g.count, e.count);
            QCOMPARE(g.min, e.min);
            QCOMPARE(g.max, e.max);
            QVERIFY(g.last == e.last || (std::isnan(g.last) && std::isnan(e.last)));
        }
        const std::vector<MetricPoint> raw = store.readMetrics(id, "loss", 30, 34);
        QCOMPARE(raw.size(), size_t(5));
        QVERIFY(std::isnan(raw[3].value));                      // NaN survives as NULL
        store.appendMetrics(id, {{"loss", 9, 30, 2e9, 123.0}}); // a re-recorded step replaces the old one
        QCOMPARE(store.readMetrics(id, "loss", 30, 30).at(0).value, 123.0);
        QVERIFY(store.metricNames(id) == (std::vector<std::string>{"loss", "other"}));
    }

    void checkpointsMessagesAndDelete() {
        QTemporaryDir dir;
        RunStore store(dir.filePath("d.sqlite").toStdString());
        const int64_t id = store.createRun(config());
        const QString folder = QString::fromStdString(store.defaultRunFolder(id));
        QVERIFY(QDir().mkpath(folder));
        auto add = [&](CheckpointKind kind, int epoch) {
            const std::string file =
                (folder + "/" + QString::fromStdString(toString(kind)) + QString::number(epoch) + ".pt")
                    .toStdString();
            QFile f(QString::fromStdString(file));
            QVERIFY(f.open(QIODevice::WriteOnly));
            store.addCheckpoint(id, {kind, epoch, epoch * 10, file});
        };
        add(CheckpointKind::Latest, 1);
        add(CheckpointKind::Latest, 2);
        add(CheckpointKind::Epoch, 1);
        add(CheckpointKind::Epoch, 2);
        add(CheckpointKind::Best, 1);
        QCOMPARE(store.checkpoints(id).size(), size_t(4)); // one latest, one best, two epoch ones
        store.addMessage(id, "warning", "disk nearly full");
        QCOMPARE(QString::fromStdString(store.messages(id).at(0).text), QString("disk nearly full"));
        // Another run whose results folder is the user's: only its registered files go.
        const int64_t other = store.createRun(config());
        QTemporaryDir userDir;
        store.setResultsDir(other, userDir.path().toStdString());
        QFile keep(userDir.filePath("notes.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.close();
        store.deleteRun(id);
        store.deleteRun(other);
        QVERIFY(!store.getRun(id));
        QVERIFY(!QFileInfo::exists(folder));
        QVERIFY(QFileInfo::exists(userDir.filePath("notes.txt")));
        QVERIFY(store.checkpoints(id).empty() && store.messages(id).empty());
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_run_store.moc"
