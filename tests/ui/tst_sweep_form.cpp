// Sweeps from the Train page's form: a number field takes a list or range (burstprop-train sweep --grid's
// syntax, checked by the core so the messages are the CLI's), on/off settings a third state (both), the rule
// a checked set; the page counts the runs as the core expands them and estimates their time from earlier
// runs in the store; Launch runs burstprop-train sweep (BURSTPROP_TRAIN_BIN, set by CTest) into the window's
// database, the sweep panel lists its runs, Stop records it stopped and Resume sweep continues it.
#include "core/store/run_store.h"
#include "support/explorer_window.h"
#include "support/test_support.h"
#include "ui/form/run_form.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/training/sweep_launch.h"
#include "ui/window/main_window.h"
#include "ui/window/sweep_panel.h"
#include "ui/window/train_page.h"
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace bp;

namespace {

constexpr int kSweepMs = 120000;

QLineEdit* hiddenLr(ui::RunForm* form) {
    return form->numberField(QStringLiteral("hidden_lr"));
}

} // namespace

class TestSweepForm : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString dataDir_;
    int windows_ = 0;

    std::unique_ptr<ui::MainWindow> makeWindow(int epochs) {
        auto w = test::smallRunWindow(tmp_.filePath(QStringLiteral("runs-%1.sqlite").arg(++windows_)),
                                      dataDir_, epochs);
        w->show();
        return w;
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath(QStringLiteral("data"));
        QVERIFY(test::writeSmallDataset(dataDir_));
    }

    void specFieldsAreValidatedAndMarked_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");     // empty: valid
        QTest::addColumn<double>("firstValue"); // config()'s value while it sweeps
        QTest::addRow("list") << "0.01,0.03,0.1" << QString() << 0.01;
        QTest::addRow("log range") << "0.01..1:5:log" << QString() << 0.01;
        QTest::addRow("linear range") << "0.1..0.4:4" << QString() << 0.1;
        QTest::addRow("out of range") << "0.01,200"
                                      << "hidden_lr: 200 is out of range [0, 100]" << 0.0;
        QTest::addRow("log range from 0")
            << "0..1:3:log"
            << "hidden_lr: a log range needs both ends above 0, not 0..1" << 0.0;
    }
    void specFieldsAreValidatedAndMarked() {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QFETCH(double, firstValue);
        ui::RunForm form;
        form.show();
        QLineEdit* field = hiddenLr(&form);
        field->setText(text);
        auto* note = form.findChild<QLabel*>(QStringLiteral("hidden_lr_error"));
        QVERIFY(note);
        if (error.isEmpty()) {
            QVERIFY2(!form.errors().join(' ').contains(QStringLiteral("hidden_lr")),
                     qPrintable(form.errors().join('\n')));
            QCOMPARE(form.sweepGrid(), QStringList{QStringLiteral("hidden_lr=") + text});
            QVERIFY(form.isSweep());
            QCOMPARE(form.config().hiddenLr, firstValue);
            QVERIFY(field->styleSheet().isEmpty());
            QVERIFY(form.parallelField()->isVisible()); // the sweep's row shows while a field sweeps
        } else {
            QVERIFY(!form.isValid());
            QVERIFY2(form.errors().contains(error), qPrintable(form.errors().join('\n')));
            QCOMPARE(note->text(), error);
            QVERIFY(note->isVisible());
            QVERIFY(field->styleSheet().contains(QStringLiteral("#c0392b")));
            QVERIFY(!form.isSweep());
        }
        field->setText(QStringLiteral("0.1")); // one number again: no sweep, no mark
        QVERIFY(!form.isSweep());
        QVERIFY(field->styleSheet().isEmpty());
        QVERIFY(!form.parallelField()->isVisible());
    }

    void flagsAndRulesTakeSets() {
        ui::RunForm form;
        form.show();
        QCheckBox* flag = form.flagField(QStringLiteral("weight_fa_learning"));
        flag->setCheckState(Qt::Unchecked);
        flag->click();
        QCOMPARE(flag->checkState(), Qt::Checked);
        QVERIFY(!form.isSweep());
        flag->click(); // on → both
        QCOMPARE(flag->checkState(), Qt::PartiallyChecked);
        QCOMPARE(form.sweepGrid(), QStringList{QStringLiteral("weight_fa_learning=true,false")});
        flag->click(); // both → off
        QCOMPARE(flag->checkState(), Qt::Unchecked);
        QVERIFY(!form.isSweep());

        QVERIFY(!form.sweepRulesList()->isVisible());
        form.sweepRulesBox()->setChecked(true); // the rule chosen is checked in the list
        QVERIFY(form.sweepRulesList()->isVisible());
        QVERIFY(!form.isSweep()); // one rule is no sweep
        const QList<QListWidgetItem*> backprop =
            form.sweepRulesList()->findItems(QStringLiteral("backprop"), Qt::MatchExactly);
        QCOMPARE(backprop.size(), 1);
        backprop[0]->setCheckState(Qt::Checked);
        QCOMPARE(form.sweepGrid(), QStringList{QStringLiteral("rule=burstprop,backprop")});
    }

    // rule=burstprop,backprop × hidden_lr=0.01,0.1 × 2 seeds: backprop does not use hidden_lr, so 6 runs (as
    // burstprop-train sweep --dry-run counts them); with no earlier run there is nothing to estimate from.
    void runCountIsDeduplicated() {
        auto w = makeWindow(1);
        ui::TrainPage* page = w->trainPage();
        ui::RunForm* form = w->form();
        QLabel* summary = page->sweepSummaryLabel();
        QVERIFY(!summary->isVisible());
        hiddenLr(form)->setText(QStringLiteral("0.01,0.1"));
        QVERIFY(summary->isVisible());
        QVERIFY2(summary->text().startsWith(QStringLiteral("Sweep of 2 runs")), qPrintable(summary->text()));
        form->sweepRulesBox()->setChecked(true);
        form->sweepRulesList()->findItems(QStringLiteral("backprop"), Qt::MatchExactly)[0]->setCheckState(
            Qt::Checked);
        page->seedsBox()->setValue(2);
        QVERIFY2(
            summary->text().startsWith(QStringLiteral("Sweep of 6 runs (4 points × 2 seeds, 2 left out")),
            qPrintable(summary->text()));
        QVERIFY2(summary->text().contains(QStringLiteral("no earlier run to estimate from")),
                 qPrintable(summary->text()));
        QCOMPARE(page->launchButton()->text(), QStringLiteral("Launch sweep"));
        QVERIFY(!page->queueButton()->isEnabled());
    }

    // hidden_lr=0.05,0.1, 2 at a time, 1 epoch: both runs complete, listed on the page and recorded in the
    // store as the sweep's; the estimate then goes by them.
    void sweepFromTheFormCompletes() {
        if (test::trainerBinary().isEmpty())
            QSKIP("BURSTPROP_TRAIN_BIN is not set (run through CTest)");
        auto w = makeWindow(1);
        ui::TrainPage* page = w->trainPage();
        ui::RunForm* form = w->form();
        hiddenLr(form)->setText(QStringLiteral("0.05,0.1"));
        form->parallelField()->setValue(2);
        QVERIFY2(form->isValid(), qPrintable(form->errors().join('\n')));
        page->launchButton()->click();
        QVERIFY(page->externalSweep());
        QVERIFY(page->isTraining());
        QVERIFY(page->sweepPanel()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining(), kSweepMs);
        QVERIFY2(page->lastStatus() == RunStatus::Completed, qPrintable(page->statusText()));
        const int64_t sweepId = page->sweepPanel()->sweepId();
        QVERIFY(sweepId > 0);
        QTableWidget* table = page->sweepPanel()->runsTable();
        QCOMPARE(table->rowCount(), 2);
        for (int row = 0; row < 2; ++row) {
            QCOMPARE(table->item(row, 2)->text(), QStringLiteral("completed"));
            QCOMPARE(table->item(row, 3)->text(), QStringLiteral("1/1"));
            QVERIFY(!table->item(row, 4)->text().isEmpty()); // its test error
        }
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("hidden_lr=0.05 seed=1"));
        QCOMPARE(page->sweepPanel()->plot()->graphCount(), 2);
        RunStore store(w->store()->path(), RunStore::Access::ReadOnly);
        QCOMPARE(QString::fromStdString(store.sweep(sweepId)->status), QStringLiteral("completed"));
        const std::vector<RunRecord> runs = store.runsOfSweep(sweepId);
        QCOMPARE(int(runs.size()), 2);
        for (const RunRecord& run : runs) {
            QCOMPARE(run.sweepId.value_or(0), sweepId);
            QCOMPARE(test::statusName(run.status), QStringLiteral("completed"));
        }
        QVERIFY2(page->sweepSummaryLabel()->text().contains(QStringLiteral("about ")),
                 qPrintable(page->sweepSummaryLabel()->text()));
        QVERIFY2(
            page->sweepSummaryLabel()->text().contains(QStringLiteral("median of 2 earlier completed runs")),
            qPrintable(page->sweepSummaryLabel()->text()));
    }

    // Stop mid-sweep: SIGTERM to burstprop-train sweep; its runs checkpoint and stop, the sweep is recorded
    // stopped and Resume sweep is offered.
    void stopMidSweepRecordsItStopped() {
        if (test::trainerBinary().isEmpty())
            QSKIP("BURSTPROP_TRAIN_BIN is not set (run through CTest)");
        auto w = makeWindow(1000);
        ui::TrainPage* page = w->trainPage();
        ui::RunForm* form = w->form();
        hiddenLr(form)->setText(QStringLiteral("0.05,0.1"));
        form->parallelField()->setValue(2);
        page->launchButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(page->sweepPanel()->sweepId() > 0, kSweepMs);
        const int64_t sweepId = page->sweepPanel()->sweepId();
        RunStore store(w->store()->path(), RunStore::Access::ReadOnly);
        auto running = [&] {
            int n = 0;
            for (const RunRecord& run : store.runsOfSweep(sweepId))
                n += run.status == RunStatus::Running && !store.readMetrics(run.id, "test_error").empty();
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(running() == 2, kSweepMs);
        page->sweepPanel()->refresh();
        QCOMPARE(page->sweepPanel()->runsTable()->item(0, 2)->text(), QStringLiteral("running"));
        QVERIFY(!page->sweepPanel()->resumeButton()->isEnabled());
        page->stopButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining(), kSweepMs);
        QVERIFY2(page->lastStatus() == RunStatus::Stopped, qPrintable(page->statusText()));
        QCOMPARE(QString::fromStdString(store.sweep(sweepId)->status), QStringLiteral("stopped"));
        for (const RunRecord& run : store.runsOfSweep(sweepId))
            QCOMPARE(test::statusName(run.status), QStringLiteral("stopped"));
        QVERIFY(page->sweepPanel()->resumeButton()->isEnabled());

        // Resume sweep continues it: shortened to one epoch more, each run completes from its checkpoint, and
        // the page says so (not the status the sweep had when it stopped).
        {
            RunStore writer(w->store()->path());
            for (const RunRecord& run : writer.runsOfSweep(sweepId))
                writer.setEpochsTotal(run.id, run.epochsDone + 1);
        }
        page->sweepPanel()->resumeButton()->click();
        QVERIFY(page->isTraining());
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining(), kSweepMs);
        QVERIFY2(page->lastStatus() == RunStatus::Completed, qPrintable(page->statusText()));
        QVERIFY2(page->statusText().startsWith(QStringLiteral("Sweep %1 completed").arg(sweepId)),
                 qPrintable(page->statusText() + " | " + page->sweepPanel()->statusLabel()->text()));
        QCOMPARE(QString::fromStdString(store.sweep(sweepId)->status), QStringLiteral("completed"));
        for (int row = 0; row < 2; ++row)
            QCOMPARE(page->sweepPanel()->runsTable()->item(row, 2)->text(), QStringLiteral("completed"));
    }
};

QTEST_MAIN(TestSweepForm)
#include "tst_sweep_form.moc"
