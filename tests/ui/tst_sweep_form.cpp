// Sweeps from the Train page's form: a number field takes a list or range (burstprop-train sweep --grid's
// syntax, checked by the core so the messages are the CLI's), on/off settings a third state (both), the rule
// a checked set; the page counts the runs as the core expands them and estimates their time from earlier
// runs in the store; Launch runs burstprop-train sweep (BURSTPROP_TRAIN_BIN, set by CTest) into the window's
// database, the sweep panel lists its runs, Stop records it stopped and Resume sweep continues it.
#include "core/store/run_store.h"
#include "support/explorer_window.h"
#include "support/test_support.h"
#include "ui/form/choice_sweep.h"
#include "ui/form/run_form.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/training/sweep_launch.h"
#include "ui/window/main_window.h"
#include "ui/window/sweep_panel.h"
#include "ui/window/train_page.h"
#include <QCheckBox>
#include <QComboBox>
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

    // Every choice sweeps a set of its values through its "sweep" box (the network as conv_net: fc and the
    // data set's conv net), the widths several shapes; the grid is what burstprop-train sweep --grid takes,
    // and the core's expansion drops the widths from the conv net's runs.
    void choicesAndShapesSweep() {
        ui::RunForm form;
        form.show();
        QVERIFY(!form.isSweep());
        const QStringList keys = {QStringLiteral("conv_net"),  QStringLiteral("activation"),
                                  QStringLiteral("output"),    QStringLiteral("rule"),
                                  QStringLiteral("optimizer"), QStringLiteral("perturbation"),
                                  QStringLiteral("dtype")};
        for (const QString& key : keys)
            QVERIFY2(form.choiceSweep(key), qPrintable(key));
        ui::ChoiceSweep* network = form.choiceSweep(QStringLiteral("conv_net"));
        QCOMPARE(network->list()->count(), 2);
        QCOMPARE(network->list()->item(1)->text(), QStringLiteral("mnist-conv"));
        QVERIFY(!network->list()->isVisible());
        network->toggle()->setChecked(true); // the network chosen (fc) is checked
        QVERIFY(network->list()->isVisible());
        QCOMPARE(network->list()->item(0)->checkState(), Qt::Checked);
        QVERIFY(!form.isSweep()); // one value is no sweep
        network->list()->item(1)->setCheckState(Qt::Checked);
        form.hiddenWidthsField()->setText(QStringLiteral("64;32,32"));
        QVERIFY2(form.isValid(), qPrintable(form.errors().join('\n')));
        QVERIFY(!form.hiddenLayerCountField()->isEnabled()); // the count follows the first shape
        QCOMPARE(form.config().hiddenWidths, std::vector<int>{64});
        ui::ChoiceSweep* output = form.choiceSweep(QStringLiteral("output"));
        output->toggle()->setChecked(true);
        output->list()->findItems(QStringLiteral("softmax"), Qt::MatchExactly)[0]->setCheckState(Qt::Checked);
        QVERIFY(form.numberField(QStringLiteral("kappa"))->isVisible()); // softmax's κ, as a run uses it
        QCOMPARE(form.sweepGrid(),
                 (QStringList{QStringLiteral("conv_net=false,true"), QStringLiteral("hidden_widths=64;32,32"),
                              QStringLiteral("output=sigmoid,softmax")}));
        ui::SweepRequest request;
        request.config = form.config();
        request.grid = form.sweepGrid();
        const ui::SweepCount count = ui::countSweep(request);
        QVERIFY2(count, qPrintable(count.error));
        // 2 networks × 2 shapes × 2 outputs = 8 points; the conv net's 4 are 2 runs (no widths).
        QCOMPARE(int(count.points), 8);
        QCOMPARE(int(count.runs), 6);
        QCOMPARE(int(count.configs.size()), 6);
        int conv = 0;
        for (const RunConfig& c : count.configs)
            conv += c.architecture == Architecture::MnistConv;
        QCOMPARE(conv, 2);

        // A wrong shape is marked at the widths with the core's message.
        form.hiddenWidthsField()->setText(QStringLiteral("64;x"));
        QVERIFY(!form.isValid());
        QVERIFY2(form.errors().join(' ').contains(QStringLiteral("hidden_widths: 'x'")),
                 qPrintable(form.errors().join('\n')));
        QVERIFY(form.hiddenWidthsField()->styleSheet().contains(QStringLiteral("#c0392b")));
        form.hiddenWidthsField()->setText(QStringLiteral("64"));
        QVERIFY(form.hiddenLayerCountField()->isEnabled());

        // Image folders are read by the ImageNet net only: there is no network to sweep.
        form.datasetBox()->setCurrentIndex(form.datasetBox()->findText(QStringLiteral("image-folder")));
        QVERIFY(!network->toggle()->isEnabled());
        QVERIFY(!network->list()->isVisible());
        form.datasetBox()->setCurrentIndex(form.datasetBox()->findText(QStringLiteral("cifar10")));
        QCOMPARE(network->list()->item(1)->text(), QStringLiteral("cifar10-conv"));
    }

    // While rules sweep, the settings any of them uses are shown: node perturbation's noise and its mode
    // beside burstprop's burst probability.
    void sweptRulesShowTheirSettings() {
        ui::RunForm form;
        form.show();
        QLineEdit* xiStd = form.numberField(QStringLiteral("xi_std"));
        QLineEdit* baseline = form.numberField(QStringLiteral("p_baseline"));
        QVERIFY(baseline->isVisible());
        QVERIFY(!xiStd->isVisible());
        form.sweepRulesBox()->setChecked(true);
        form.sweepRulesList()
            ->findItems(QStringLiteral("node-perturbation"), Qt::MatchExactly)[0]
            ->setCheckState(Qt::Checked);
        QVERIFY(xiStd->isVisible());
        QVERIFY(baseline->isVisible());
        QVERIFY(form.choiceSweep(QStringLiteral("perturbation"))->toggle()->isVisible());
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
        QVERIFY2(page->sweepSummaryLabel()->text().contains(QStringLiteral("from 2 earlier completed runs")),
                 qPrintable(page->sweepSummaryLabel()->text()));
        // A run of another rule is timed by these (the same data and network); the conv net's by none.
        form->sweepRulesBox()->setChecked(true);
        form->sweepRulesList()->findItems(QStringLiteral("backprop"), Qt::MatchExactly)[0]->setCheckState(
            Qt::Checked);
        QVERIFY2(!page->sweepSummaryLabel()->text().contains(QStringLiteral("none like them")),
                 qPrintable(page->sweepSummaryLabel()->text()));
        form->sweepRulesBox()->setChecked(false);
        hiddenLr(form)->setText(QStringLiteral("0.1"));
        ui::ChoiceSweep* network = form->choiceSweep(QStringLiteral("conv_net"));
        network->toggle()->setChecked(true);
        network->list()->item(1)->setCheckState(Qt::Checked);
        QVERIFY2(page->sweepSummaryLabel()->text().contains(
                     QStringLiteral("1 of the 2 runs had none like them and are not counted")),
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
