// The Train page's Processes field: a run with several processes trains in burstprop-train --nproc N, a
// child process of the explorer (BURSTPROP_TRAIN_BIN, set by CTest), recorded by its rank 0 in the window's
// database; Stop and closing the window stop it (SIGTERM); a missing or failing program is reported.
#include "core/store/run_store.h"
#include "support/explorer_window.h"
#include "support/test_support.h"
#include "ui/form/run_form.h"
#include "ui/plots/metric_plot.h"
#include "ui/training/external_run.h"
#include "ui/window/main_window.h"
#include "ui/window/run_plots.h"
#include "ui/window/train_page.h"
#include <QFile>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

using namespace bp;

namespace {

constexpr int kRunMs = 180000;

std::map<std::string, std::string> hyperparametersOf(RunStore& store, int64_t runId) {
    std::map<std::string, std::string> values;
    for (const Hyperparameter& h : store.hyperparameters(runId))
        values[h.key] = h.display();
    return values;
}

// Restores BURSTPROP_TRAIN_BIN when it goes out of scope.
class TrainerVariable {
  public:
    explicit TrainerVariable(const QString& value) : old_(qgetenv("BURSTPROP_TRAIN_BIN")) {
        qputenv("BURSTPROP_TRAIN_BIN", value.toLocal8Bit());
    }
    ~TrainerVariable() { qputenv("BURSTPROP_TRAIN_BIN", old_); }

  private:
    QByteArray old_;
};

} // namespace

class TestTrainProcesses : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString dataDir_;
    int windows_ = 0;

    QString nextDatabase() { return tmp_.filePath(QStringLiteral("runs-%1.sqlite").arg(++windows_)); }
    std::unique_ptr<ui::MainWindow> makeWindow(const QString& db, int epochs, int processes) {
        auto w = test::smallRunWindow(db, dataDir_, epochs);
        w->form()->processesField()->setValue(processes);
        w->show();
        return w;
    }
    // Launches the form's run and waits until rank 0 has recorded it and it trains.
    static bool launchAndWaitRunning(ui::TrainPage* page, const QString& db) {
        page->launchButton()->click();
        if (!QTest::qWaitFor([&] { return page->currentRunId() > 0; }, kRunMs))
            return false;
        RunStore store(db.toStdString(), RunStore::Access::ReadOnly);
        return QTest::qWaitFor(
            [&] {
                const auto run = store.getRun(page->currentRunId());
                return run && run->status == RunStatus::Running && !store.metricNames(run->id).empty();
            },
            kRunMs);
    }

  private Q_SLOTS:
    void initTestCase() {
        if (test::trainerBinary().isEmpty())
            QSKIP("BURSTPROP_TRAIN_BIN is not set (run through CTest)");
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath(QStringLiteral("data"));
        QVERIFY(test::writeSmallDataset(dataDir_));
    }

    void fieldIsAnExecutionSetting() {
        ui::RunForm form;
        QSpinBox* box = form.processesField();
        QCOMPARE(box->minimum(), 1);
        QCOMPARE(box->maximum(), std::max(1, QThread::idealThreadCount()));
        QCOMPARE(form.processes(), 1);
        QVERIFY(box->toolTip().contains(QStringLiteral("--nproc N")));
        const std::string before = toJson(form.config());
        box->setValue(box->maximum());
        QCOMPARE(toJson(form.config()), before); // not part of RunConfig
    }

    // Processes 2: one run in the store, completed, with world_size 2, shown on the Train page from the
    // store.
    void twoProcessesRecordOneRun() {
        if (QThread::idealThreadCount() < 2)
            QSKIP("needs 2 cores for Processes = 2");
        const QString db = nextDatabase();
        auto w = makeWindow(db, 1, 2);
        ui::TrainPage* page = w->trainPage();
        w->form()->nameField()->setText(QStringLiteral("two ranks"));
        page->launchButton()->click();
        QVERIFY(page->externalRun());
        QVERIFY(page->isTraining());
        QVERIFY(!page->pauseButton()->isEnabled()); // --nproc runs have no pause
        QVERIFY(page->stopButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining(), kRunMs);
        QVERIFY2(page->lastStatus() == RunStatus::Completed, qPrintable(page->statusText()));
        QVERIFY2(page->statusText().contains(QStringLiteral("completed")), qPrintable(page->statusText()));
        RunStore store(db.toStdString(), RunStore::Access::ReadOnly);
        const std::vector<RunRecord> runs = store.listRuns();
        QCOMPARE(int(runs.size()), 1);
        QCOMPARE(runs[0].id, page->currentRunId());
        QCOMPARE(QString::fromStdString(runs[0].name), QStringLiteral("two ranks"));
        QCOMPARE(test::statusName(runs[0].status), QStringLiteral("completed"));
        QCOMPARE(QString::fromStdString(hyperparametersOf(store, runs[0].id)["world_size"]),
                 QStringLiteral("2"));
    }

    // Stop sends SIGTERM to the launcher: every rank stops, rank 0 records the run as stopped.
    void stopButtonStopsIt() {
        if (QThread::idealThreadCount() < 2)
            QSKIP("needs 2 cores for Processes = 2");
        const QString db = nextDatabase();
        auto w = makeWindow(db, 1000, 2);
        ui::TrainPage* page = w->trainPage();
        QVERIFY(launchAndWaitRunning(page, db));
        page->stopButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining(), kRunMs);
        QVERIFY2(page->lastStatus() == RunStatus::Stopped, qPrintable(page->statusText()));
        RunStore store(db.toStdString(), RunStore::Access::ReadOnly);
        QCOMPARE(test::statusName(store.getRun(page->currentRunId())->status), QStringLiteral("stopped"));
    }

    // Closing the window stops the child processes the same way and waits for them.
    void closingTheWindowStopsIt() {
        if (QThread::idealThreadCount() < 2)
            QSKIP("needs 2 cores for Processes = 2");
        const QString db = nextDatabase();
        auto w = makeWindow(db, 1000, 2);
        QVERIFY(launchAndWaitRunning(w->trainPage(), db));
        const int64_t id = w->trainPage()->currentRunId();
        QVERIFY(w->close());
        w.reset();
        RunStore store(db.toStdString(), RunStore::Access::ReadOnly);
        QCOMPARE(test::statusName(store.getRun(id)->status), QStringLiteral("stopped"));
    }

    void missingProgramIsNamed() {
        const QString missing = tmp_.filePath(QStringLiteral("nowhere/burstprop-train"));
        TrainerVariable variable(missing);
        auto w = makeWindow(nextDatabase(), 1, 2);
        ui::TrainPage* page = w->trainPage();
        QSignalSpy errors(page, &ui::TrainPage::errorOccurred);
        page->launchButton()->click();
        QVERIFY(!page->isTraining());
        QCOMPARE(errors.size(), 1);
        const QString message = errors.at(0).at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("not found")) && message.contains(missing),
                 qPrintable(message));
        QVERIFY2(page->statusText().contains(missing), qPrintable(page->statusText()));
    }

    // A program that fails: its exit code and its stderr lines are shown.
    void failureShowsExitCodeAndErrors() {
        const QString script = tmp_.filePath(QStringLiteral("failing-train"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\necho 'first problem' >&2\necho 'second problem' >&2\nexit 3\n");
        file.close();
        QVERIFY(file.setPermissions(file.permissions() | QFileDevice::ExeOwner));
        TrainerVariable variable(script);
        auto w = makeWindow(nextDatabase(), 1, 2);
        ui::TrainPage* page = w->trainPage();
        QSignalSpy errors(page, &ui::TrainPage::errorOccurred);
        page->launchButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining(), 30000);
        QTRY_COMPARE(errors.size(), 1);
        const QString message = errors.at(0).at(0).toString();
        QVERIFY2(message.contains(QStringLiteral("code 3")) &&
                     message.contains(QStringLiteral("first problem")) &&
                     message.contains(QStringLiteral("second problem")),
                 qPrintable(message));
        QVERIFY2(page->statusText().contains(QStringLiteral("code 3")), qPrintable(page->statusText()));
    }
};

QTEST_MAIN(TestTrainProcesses)
#include "tst_train_processes.moc"
