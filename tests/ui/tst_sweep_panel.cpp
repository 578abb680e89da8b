// The Train page's sweep panel on a real sweep (burstprop-train sweep, BURSTPROP_TRAIN_BIN set by CTest):
// Pause run / Continue run / Stop run on the selected row and Pause sweep / Continue sweep signal the
// processes as the run database records them; the panel reads each run's new test errors only.
#include "core/store/run_store.h"
#include "support/explorer_window.h"
#include "support/test_support.h"
#include "ui/form/run_form.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/window/main_window.h"
#include "ui/window/sweep_panel.h"
#include "ui/window/train_page.h"
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace bp;

namespace {

constexpr int kSweepMs = 120000;

} // namespace

class TestSweepPanel : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString dataDir_;

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath(QStringLiteral("data"));
        QVERIFY(test::writeSmallDataset(dataDir_));
    }

    // Two runs one at a time: the first is paused, continued, the sweep paused and continued, then the first
    // run stopped; the second (shortened) completes.
    void runButtonsDriveARealSweep() {
        if (test::trainerBinary().isEmpty())
            QSKIP("BURSTPROP_TRAIN_BIN is not set (run through CTest)");
        auto w = test::smallRunWindow(tmp_.filePath(QStringLiteral("runs.sqlite")), dataDir_, 1000);
        w->show();
        ui::TrainPage* page = w->trainPage();
        ui::RunForm* form = w->form();
        form->numberField(QStringLiteral("hidden_lr"))->setText(QStringLiteral("0.05,0.1"));
        form->parallelField()->setValue(1);
        page->launchButton()->click();
        ui::SweepPanel* panel = page->sweepPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->sweepId() > 0, kSweepMs);
        const int64_t sweepId = panel->sweepId();
        RunStore store(w->store()->path(), RunStore::Access::ReadOnly);
        const auto statusOf = [&](int row) {
            return test::statusName(store.runsOfSweep(sweepId).at(size_t(row)).status);
        };
        QTRY_VERIFY_WITH_TIMEOUT(statusOf(0) == QStringLiteral("running") &&
                                     store.runsOfSweep(sweepId)[0].epochsDone >= 1,
                                 kSweepMs);
        const int64_t first = store.runsOfSweep(sweepId)[0].id, second = store.runsOfSweep(sweepId)[1].id;
        panel->refresh();
        QTableWidget* table = panel->runsTable();
        QVERIFY(!panel->pauseRunButton()->isEnabled()); // nothing selected
        table->selectRow(0);
        QVERIFY(panel->pauseRunButton()->isEnabled());
        QVERIFY(panel->stopRunButton()->isEnabled());
        QVERIFY(!panel->continueRunButton()->isEnabled());
        QVERIFY(panel->pauseSweepButton()->isEnabled());
        QVERIFY(!panel->continueSweepButton()->isEnabled());

        panel->pauseRunButton()->click();
        QVERIFY2(panel->actionLabel()->text().contains(QStringLiteral("to pause")),
                 qPrintable(panel->actionLabel()->text()));
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(0), QStringLiteral("paused"), kSweepMs);
        panel->refresh();
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("paused"));
        QVERIFY(panel->continueRunButton()->isEnabled());
        QVERIFY(!panel->pauseRunButton()->isEnabled());
        // While nothing trains, a refresh reads no metrics; the curve holds every test error recorded.
        const int reads = panel->metricReads();
        panel->refresh();
        panel->refresh();
        QCOMPARE(panel->metricReads(), reads);
        QCOMPARE(panel->plot()->graph(0)->data()->size(), int(store.readMetrics(first, "test_error").size()));

        panel->continueRunButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(0), QStringLiteral("running"), kSweepMs);

        panel->refresh();
        panel->pauseSweepButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromStdString(store.sweep(sweepId)->status),
                                  QStringLiteral("paused"), kSweepMs);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(0), QStringLiteral("paused"), kSweepMs);
        panel->refresh();
        QVERIFY(panel->continueSweepButton()->isEnabled());
        QVERIFY(!panel->pauseSweepButton()->isEnabled());
        panel->continueSweepButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromStdString(store.sweep(sweepId)->status),
                                  QStringLiteral("running"), kSweepMs);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(0), QStringLiteral("running"), kSweepMs);

        RunStore(w->store()->path()).setEpochsTotal(second, 1); // queued: it will train one epoch
        panel->refresh();
        table->selectRow(0);
        QVERIFY(panel->stopRunButton()->isEnabled());
        panel->stopRunButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining(), kSweepMs);
        QCOMPARE(test::statusName(store.getRun(first)->status), QStringLiteral("stopped"));
        QCOMPARE(test::statusName(store.getRun(second)->status), QStringLiteral("completed"));
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("stopped"));
        QCOMPARE(table->item(1, 2)->text(), QStringLiteral("completed"));
        QCOMPARE(panel->plot()->graphCount(), 2);
        QCOMPARE(panel->plot()->graph(0)->data()->size(), int(store.readMetrics(first, "test_error").size()));
        QCOMPARE(panel->plot()->graph(1)->data()->size(),
                 int(store.readMetrics(second, "test_error").size()));
    }
};

QTEST_MAIN(TestSweepPanel)
#include "tst_sweep_panel.moc"
