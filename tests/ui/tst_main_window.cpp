// The explorer window driven through its real widgets (QT_QPA_PLATFORM=offscreen), on a small MNIST-format
// data set the test writes and a run database in a temporary folder.
#include "core/checkpoint/checkpoint.h"
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/store/sqlite.h"
#include "support/explorer_window.h"
#include "support/test_support.h"
#include "ui/compare/compare_view.h"
#include "ui/compare/hyperparameter_table_model.h"
#include "ui/form/run_form.h"
#include "ui/plots/metric_plot.h"
#include "ui/runs/runs_table_model.h"
#include "ui/runs/runs_view.h"
#include "ui/training/run_queue.h"
#include "ui/window/main_window.h"
#include "ui/window/train_page.h"
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace bp;

namespace {

void setText(QLineEdit* edit, const QString& text) {
    QVERIFY(edit);
    edit->selectAll();
    QTest::keyClicks(edit, text); // typed as a user would
    QCOMPARE(edit->text(), text);
}

QByteArray head(const QString& path, int n) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(n) : QByteArray();
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString dataDir_;
    int windows_ = 0;

    // A window on its own database whose form trains a small network on the test's data set.
    std::unique_ptr<ui::MainWindow> makeWindow(int epochs) {
        return test::smallRunWindow(tmp_.filePath(QStringLiteral("runs-%1.sqlite").arg(++windows_)), dataDir_,
                                    epochs);
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        dataDir_ = tmp_.filePath(QStringLiteral("data"));
        QVERIFY(test::writeSmallDataset(dataDir_));
    }

    void launchShowsLivePlotsAndRecordsTheRun() {
        auto w = makeWindow(2);
        w->show();
        QVERIFY(w->store());
        setText(w->form()->nameField(), QStringLiteral("bars 'two' \"epochs\""));
        QVERIFY(w->launchButton()->isEnabled());
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QVERIFY(w->stopButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);
        QCOMPARE(w->lossPlot()->pointCount(1), 3);  // test loss at epochs 0, 1, 2
        QCOMPARE(w->errorPlot()->pointCount(0), 2); // train error at epochs 1, 2
        QVERIFY(w->weightAnglePlot()->pointCount(0) > 0);
        QVERIFY(w->deltaAnglePlot()->pointCount(0) > 0);
        QVERIFY(w->statusText().contains(QStringLiteral("completed")));
        QVERIFY(!w->stopButton()->isEnabled());

        // The database has the run, its metrics and its checkpoints.
        const int64_t id = w->trainPage()->currentRunId();
        const std::optional<RunRecord> run = w->store()->getRun(id);
        QVERIFY(run);
        QCOMPARE(QString::fromStdString(run->name), QStringLiteral("bars 'two' \"epochs\""));
        QCOMPARE(test::statusName(run->status), QStringLiteral("completed"));
        QCOMPARE(run->epochsDone, 2);
        const std::vector<MetricPoint> testError = w->store()->readMetrics(id, "test_error");
        QCOMPARE(int(testError.size()), 3);
        QCOMPARE(w->errorPlot()->seriesData(1)->values().back(), testError.back().value);
        QVERIFY(std::filesystem::exists(run->resultsDir + "/latest.ckpt"));
    }

    void invalidValuesBlockLaunch_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("lr out of range") << "hidden_lr"
                                         << "250"
                                         << "out of range";
        QTest::newRow("not a number") << "momentum"
                                      << "abc"
                                      << "not a number";
        QTest::newRow("zero batch") << "batch_size"
                                    << "0"
                                    << "batch_size";
    }
    void invalidValuesBlockLaunch() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, message);
        auto w = makeWindow(1);
        w->show();
        QVERIFY(w->launchButton()->isEnabled());
        setText(w->form()->numberField(key), value);
        QVERIFY(!w->launchButton()->isEnabled());
        QVERIFY(!w->form()->isValid());
        auto* note = w->form()->findChild<QLabel*>(key + QStringLiteral("_error"));
        QVERIFY(note);
        QVERIFY2(note->isVisible() && note->text().contains(message), qPrintable(note->text()));
        QVERIFY(w->launchButton()->toolTip().contains(message));
        setText(w->form()->numberField(key), QStringLiteral("0.05"));
        if (key == QStringLiteral("batch_size"))
            setText(w->form()->numberField(key), QStringLiteral("32"));
        QVERIFY(w->launchButton()->isEnabled());
        QVERIFY(!note->isVisible());
    }

    void missingDataIsShownWithADownloadButton() {
        auto w = makeWindow(1);
        w->show();
        QVERIFY(!w->form()->downloadButton()->isVisible());
        w->form()->dataDirField()->setText(tmp_.filePath(QStringLiteral("empty")));
        QVERIFY(w->form()->downloadButton()->isVisible());
        QVERIFY(w->form()->dataStatusLabel()->text().contains(QStringLiteral("not found")));
        QVERIFY(!w->launchButton()->isEnabled());
    }

    // Valid settings known not to learn are said beside the settings, and launching stays possible.
    void knownProblemsAreShownBesideTheSettings() {
        auto w = makeWindow(1);
        w->show();
        QLabel* problems = w->form()->knownProblemsLabel();
        QVERIFY(!problems->isVisible());
        RunConfig cifar = defaultConfig(DatasetKind::Cifar10);
        cifar.dataDir = w->form()->config().dataDir;
        w->form()->setConfig(cifar);
        QVERIFY(problems->isVisible());
        QVERIFY2(problems->text().contains(QStringLiteral("momentum 0.8 or more")),
                 qPrintable(problems->text()));
        setText(w->form()->numberField(QStringLiteral("momentum")), QStringLiteral("0.5"));
        QVERIFY(!problems->isVisible());
        QVERIFY(problems->text().isEmpty());
    }

    void onlyTheRulesHyperparametersAreShown() {
        auto w = makeWindow(1);
        w->show();
        QComboBox* rule = w->form()->ruleBox();
        rule->setCurrentIndex(rule->findText(QStringLiteral("backprop")));
        QVERIFY(!w->form()->numberField(QStringLiteral("p_baseline"))->isVisible());
        QVERIFY(!w->form()->flagField(QStringLiteral("recurrent_input"))->isVisible());
        QVERIFY(w->form()->numberField(QStringLiteral("output_lr"))->isVisible());
        rule->setCurrentIndex(rule->findText(QStringLiteral("burstprop")));
        QVERIFY(w->form()->numberField(QStringLiteral("p_baseline"))->isVisible());
        QVERIFY(!w->form()->numberField(QStringLiteral("xi_std"))->isVisible());
        QVERIFY(w->form()->config().rule == "burstprop");
    }

    // The form lists every rule of the registry; sign symmetry's weight angle says what it means.
    void signSymmetrySaysWhatItsWeightAngleMeans() {
        auto w = makeWindow(1);
        w->show();
        QComboBox* rule = w->form()->ruleBox();
        for (const char* name : {"dfa", "sign-symmetry"})
            QVERIFY2(rule->findText(QString(name)) >= 0, name);
        rule->setCurrentIndex(rule->findText(QStringLiteral("sign-symmetry")));
        QVERIFY(!w->form()->numberField(QStringLiteral("weight_fa_std"))->isVisible()); // sign(W) has no std
        QVERIFY(w->form()->numberField(QStringLiteral("hidden_lr"))->isVisible());
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);
        QVERIFY2(w->weightAnglePlot()->toolTip().contains(QStringLiteral("37°")),
                 qPrintable(w->weightAnglePlot()->toolTip()));
        const int64_t id = w->trainPage()->currentRunId();
        QCOMPARE(QString::fromStdString(w->reader()->getRun(id)->rule), QStringLiteral("sign-symmetry"));
        // The store knows which hyperparameters apply: sign symmetry has no feedback std.
        for (const Hyperparameter& h : w->reader()->hyperparameters(id))
            if (h.key == "weight_fa_std")
                QVERIFY(!h.applies);
    }

    // Labels are prose ("Hidden learning rate"); the command-line name leads each field's tooltip.
    void formLabelsAreProse() {
        auto w = makeWindow(1);
        auto* layout = w->form()->findChild<QFormLayout*>();
        QVERIFY(layout);
        for (const ParamSpec& spec : hyperparameters()) {
            const QString key = QString::fromUtf8(spec.key);
            QWidget* field = w->form()->numberField(key) ? static_cast<QWidget*>(w->form()->numberField(key))
                                                         : w->form()->flagField(key);
            QVERIFY(field);
            auto* label = qobject_cast<QLabel*>(layout->labelForField(field));
            QVERIFY2(label, qPrintable(key));
            QVERIFY2(!label->text().contains(QLatin1Char('_')) && label->text() != key,
                     qPrintable(label->text()));
            QVERIFY2(field->toolTip().contains(key), qPrintable(field->toolTip()));
        }
    }

    void layerCountEditsTheWidths() {
        auto w = makeWindow(1);
        w->form()->hiddenLayerCountField()->setValue(4);
        QCOMPARE(w->form()->hiddenWidthsField()->text(), QStringLiteral("32,16,16,16"));
        w->form()->hiddenLayerCountField()->setValue(1);
        QCOMPARE(w->form()->config().hiddenWidths, std::vector<int>{32});
    }

    // The explorer reads through a read-only connection of its own, never the training run's: while another
    // writer keeps the database's write lock (here a foreign connection, for 1.5 s), the run's recorder waits
    // for it on its own connection, and every read of the Runs and Compare pages still returns at once. (With
    // one shared connection behind one lock, those reads waited for the blocked recorder.)
    void readsDoNotWaitForTheRunsWriter() {
        auto w = makeWindow(1000);
        w->show();
        QVERIFY(w->reader() && w->store() && w->reader() != w->store());
        QVERIFY(w->reader()->access() == RunStore::Access::ReadOnly);
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        const int64_t id = w->trainPage()->currentRunId();
        QTRY_VERIFY_WITH_TIMEOUT(!w->reader()->readMetrics(id, "batch_loss").empty(), 30000);
        std::atomic<bool> locked{false};
        std::thread holder([&] {
            sql::Database db(w->store()->path(), sql::Database::Mode::ReadWriteCreate);
            db.exec("PRAGMA busy_timeout = 5000");
            db.exec("BEGIN IMMEDIATE");
            locked = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            db.exec("COMMIT");
        });
        QTRY_VERIFY_WITH_TIMEOUT(locked.load(), 5000);
        qint64 slowest = 0;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 1300) {
            QElapsedTimer read;
            read.start();
            QVERIFY(!w->reader()->listRuns().empty());
            QVERIFY(!w->reader()->readMetricsReduced(id, "batch_loss", 0, INT64_MAX, 100).empty());
            w->reader()->hyperparameters(id);
            slowest = std::max(slowest, read.elapsed());
            QTest::qWait(20);
        }
        holder.join();
        qInfo("slowest read while a writer held the lock: %lld ms", static_cast<long long>(slowest));
        QVERIFY2(slowest < 300, qPrintable(QString::number(slowest)));
        QTest::mouseClick(w->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Stopped, 30000);
        // What the recorder waited with was written once the lock was free: the run recorded its batches.
        QTRY_COMPARE_WITH_TIMEOUT(test::statusName(w->reader()->getRun(id)->status),
                                  QStringLiteral("stopped"), 10000);
    }

    void pauseResumeStopThenResumeFromTheStore() {
        auto w = makeWindow(1000);
        w->show();
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lossPlot()->pointCount(1) >= 2, 30000);
        QTest::mouseClick(w->pauseButton(), Qt::LeftButton);
        QCOMPARE(w->pauseButton()->text(), QStringLiteral("Resume"));
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Paused, 10000);
        const int64_t id = w->trainPage()->currentRunId();
        QTRY_COMPARE_WITH_TIMEOUT(test::statusName(w->store()->getRun(id)->status), QStringLiteral("paused"),
                                  5000);
        const int points = w->lossPlot()->pointCount(1);
        QTest::qWait(300);
        QCOMPARE(w->lossPlot()->pointCount(1), points);
        QTest::mouseClick(w->pauseButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lossPlot()->pointCount(1) > points, 30000);
        QTest::mouseClick(w->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Stopped, 30000);
        QVERIFY(w->launchButton()->isEnabled());
        QVERIFY(!w->stopButton()->isEnabled());
        const RunRecord stopped = *w->store()->getRun(id);
        QCOMPARE(test::statusName(stopped.status), QStringLiteral("stopped"));
        const Checkpoint latest = loadCheckpoint(stopped.resultsDir + "/latest.ckpt");
        QVERIFY(latest.step > 0);

        // Resuming continues the same record: its plots are loaded from the store, then grow.
        QString error;
        setText(w->form()->nameField(), QStringLiteral("something else"));
        w->form()->numberField(QStringLiteral("n_epochs"))->setText(QStringLiteral("3"));
        QVERIFY2(w->trainPage()->resumeRun(id, &error), qPrintable(error));
        QCOMPARE(w->trainPage()->currentRunId(), id);
        // The form shows the resumed run, not what was typed before.
        QCOMPARE(w->form()->nameField()->text(), QString::fromStdString(stopped.name));
        QCOMPARE(w->form()->config().epochs, 1000);
        QVERIFY(w->lossPlot()->pointCount(1) >= points);
        const int loaded = w->lossPlot()->pointCount(1);
        QTRY_VERIFY_WITH_TIMEOUT(w->lossPlot()->pointCount(1) > loaded, 30000);
        QVERIFY2(w->trainPage()->isTraining(), qPrintable(w->statusText()));
        QTest::mouseClick(w->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Stopped, 30000);
        QVERIFY(loadCheckpoint(stopped.resultsDir + "/latest.ckpt").step > latest.step);
    }

    void queuedRunsTrainOneAfterAnother() {
        auto w = makeWindow(1);
        w->show();
        ui::TrainPage* page = w->trainPage();
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        setText(w->form()->nameField(), QStringLiteral("second"));
        QTest::mouseClick(page->queueButton(), Qt::LeftButton); // while the first trains: queued
        QTRY_COMPARE_WITH_TIMEOUT(w->store()->countRuns(), int64_t(2), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining() && page->queue()->isEmpty(), 60000);
        const std::vector<RunRecord> runs = w->store()->listRuns(); // newest first
        QCOMPARE(QString::fromStdString(runs.front().name), QStringLiteral("second"));
        for (const RunRecord& r : runs)
            QCOMPARE(test::statusName(r.status), QStringLiteral("completed"));
    }

    // "× 3 seeds": Queue makes three runs, the form's seed and the next two, named by their seed.
    void queueMakesOneRunPerSeed() {
        auto w = makeWindow(1);
        w->show();
        ui::TrainPage* page = w->trainPage();
        RunConfig config = w->form()->config();
        config.seed = 5;
        w->form()->setConfig(config);
        setText(w->form()->nameField(), QStringLiteral("sweep"));
        page->seedsBox()->setValue(3);
        QTest::mouseClick(page->queueButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w->store()->countRuns(), int64_t(3), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining() && page->queue()->isEmpty(), 60000);
        std::vector<RunRecord> runs = w->store()->listRuns(); // newest first
        std::reverse(runs.begin(), runs.end());
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(QString::fromStdString(runs[size_t(i)].name),
                     QStringLiteral("sweep · seed %1").arg(5 + i));
            QCOMPARE(runs[size_t(i)].seed, uint64_t(5 + i));
            QCOMPARE(test::statusName(runs[size_t(i)].status), QStringLiteral("completed"));
        }
        // Back to one: Launch trains the form's run alone, under its own name.
        page->seedsBox()->setValue(1);
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w->store()->countRuns(), int64_t(4), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isTraining(), 60000);
        QCOMPARE(QString::fromStdString(w->store()->listRuns().front().name), QStringLiteral("sweep"));
        QCOMPARE(w->store()->listRuns().front().seed, uint64_t(5));
    }

    // Two runs trained from the form appear in the runs table; comparing them shows the hyperparameters
    // that differ; cloning one fills the form with its settings.
    void runsPageComparesAndClones() {
        auto w = makeWindow(1);
        w->show();
        setText(w->form()->numberField(QStringLiteral("hidden_lr")), QStringLiteral("0.2"));
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);
        setText(w->form()->numberField(QStringLiteral("hidden_lr")), QStringLiteral("0.05"));
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);

        w->tabs()->setCurrentWidget(w->runsView());
        QTRY_COMPARE_WITH_TIMEOUT(w->runsView()->model()->rowCount(), 2, 5000);
        w->runsView()->table()->selectAll();
        QPushButton* compare = nullptr;
        for (QPushButton* b : w->runsView()->findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("Compare"))
                compare = b;
        QVERIFY(compare);
        QTest::mouseClick(compare, Qt::LeftButton);
        QCOMPARE(w->tabs()->currentWidget(), static_cast<QWidget*>(w->compareView()));
        w->compareView()->differencesOnlyBox()->setChecked(true);
        ui::HyperparameterTableModel* table = w->compareView()->hyperparameterModel();
        QStringList rows;
        for (int row = 0; row < table->rowCount(); ++row)
            rows << table->rowName(row);
        QVERIFY2(rows.contains(QStringLiteral("hidden_lr")), qPrintable(rows.join(',')));
        QVERIFY2(!rows.contains(QStringLiteral("output_lr")), qPrintable(rows.join(',')));

        QString error;
        QVERIFY2(w->exportComparisonPanels(tmp_.filePath(QStringLiteral("cmp.pdf")), &error),
                 qPrintable(error));
        QCOMPARE(head(tmp_.filePath(QStringLiteral("cmp.pdf")), 5), QByteArray("%PDF-"));
        // The comparison's PNG follows the size and DPI the export dialog sets, as the Train page's does.
        w->figureOptions() = ui::ExportOptions{400, 200, 192};
        QVERIFY2(w->exportComparisonPanels(tmp_.filePath(QStringLiteral("cmp.png")), &error),
                 qPrintable(error));
        const QImage comparison(tmp_.filePath(QStringLiteral("cmp.png")));
        QCOMPARE(comparison.size(), QSize(800, 4 * 400));
        QCOMPARE(qRound(comparison.dotsPerMeterX() * 0.0254), 192);

        const int64_t first = w->runsView()->model()->runId(1); // oldest: hidden_lr 0.2
        w->trainPage()->seedsBox()->setValue(3);
        QVERIFY2(w->cloneIntoForm(first, &error), qPrintable(error));
        QCOMPARE(w->trainPage()->seedsBox()->value(), 1); // a clone is one run, with its recorded seed
        QCOMPARE(w->tabs()->currentWidget(), static_cast<QWidget*>(w->trainPage()));
        QCOMPARE(w->form()->config().hiddenLr, 0.2);
        QVERIFY(w->form()->nameField()->text().endsWith(QStringLiteral("(copy)")));
    }

    void closingWhileTrainingLeavesAStoppedRunWithACheckpoint() {
        auto w = makeWindow(1000);
        const QString db = QString::fromStdString(w->store()->path());
        w->show();
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lossPlot()->pointCount(1) >= 1, 30000);
        const int64_t id = w->trainPage()->currentRunId();
        QVERIFY(w->close()); // returns only once the training thread has ended
        QCOMPARE(test::statusName(*w->lastStatus()), QStringLiteral("stopped"));
        w.reset();
        RunStore store(db.toStdString());
        const RunRecord run = *store.getRun(id);
        QCOMPARE(test::statusName(run.status), QStringLiteral("stopped"));
        QVERIFY(std::filesystem::exists(run.resultsDir + "/latest.ckpt"));
        bool registered = false;
        for (const CheckpointRecord& c : store.checkpoints(id))
            registered = registered || c.kind == CheckpointKind::Latest;
        QVERIFY(registered);
    }

    void exportsWriteValidFiles() {
        auto w = makeWindow(1);
        w->show();
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);
        QString error;
        const QString png = tmp_.filePath(QStringLiteral("panels.png")),
                      svg = tmp_.filePath(QStringLiteral("panels.svg")),
                      pdf = tmp_.filePath(QStringLiteral("panels.pdf"));
        w->figureOptions() = ui::ExportOptions{400, 200, 192}; // as the size dialog would set them
        QVERIFY2(w->exportAllPanels(png, &error), qPrintable(error));
        QCOMPARE(head(png, 8), QByteArray("\x89PNG\r\n\x1a\n"));
        const QImage image(png);
        QCOMPARE(image.width(), 800);      // 400 px at 192 dpi
        QCOMPARE(image.height(), 4 * 400); // four panels stacked
        QVERIFY2(w->exportAllPanels(svg, &error), qPrintable(error));
        QVERIFY(head(svg, 400).contains("<svg"));
        QVERIFY2(w->exportAllPanels(pdf, &error), qPrintable(error));
        QCOMPARE(head(pdf, 5), QByteArray("%PDF-"));

        const QString csv = tmp_.filePath(QStringLiteral("metrics.csv"));
        QVERIFY2(w->exportRunMetrics(csv, &error), qPrintable(error));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.front(), QByteArray("run_id,run,metric,epoch,step,wall_time,value"));
        const int64_t id = w->trainPage()->currentRunId();
        size_t samples = 0;
        for (const std::string& name : w->store()->metricNames(id))
            samples += w->store()->readMetrics(id, name).size();
        QCOMPARE(size_t(lines.size() - 2), samples); // header and the final empty line

        const QString pt = tmp_.filePath(QStringLiteral("latest.pt"));
        QVERIFY2(w->exportRunCheckpoint(pt, &error), qPrintable(error));
        QVERIFY(QFileInfo(pt).size() > 1000);
        QVERIFY(!w->exportRunCheckpoint(png + QStringLiteral("/x.pt"),
                                        &error)); // below a file: cannot be written
        QVERIFY2(error.contains(png), qPrintable(error));
    }

    void copyAsCommandLine() {
        auto w = makeWindow(3);
        const QString line = w->copyCommandLine();
        QCOMPARE(QApplication::clipboard()->text(), line);
        QVERIFY2(line.startsWith(QStringLiteral("burstprop-train --dataset mnist")), qPrintable(line));
        QVERIFY(line.contains(QStringLiteral("-n_epochs 3")));
        QVERIFY(line.contains(dataDir_));
        // It records where the explorer shows it, under the form's name and tags.
        QVERIFY2(line.contains(QStringLiteral(" --db ") + QString::fromStdString(w->store()->path())),
                 qPrintable(line));

        // × 3 seeds: one command per seed, named as Launch names them.
        setText(w->form()->nameField(), QStringLiteral("study"));
        w->trainPage()->seedsBox()->setValue(3);
        const QStringList lines = w->copyCommandLine().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3);
        const uint64_t seed = w->form()->config().seed;
        const QRegularExpression seedOption(QStringLiteral(" -+seed (\\d+)"));
        for (int i = 0; i < 3; ++i) {
            const QRegularExpressionMatch m = seedOption.match(lines[i]); // absent: the default seed
            QCOMPARE(m.hasMatch() ? m.captured(1).toULongLong() : defaultConfig(DatasetKind::Mnist).seed,
                     seed + i);
            QVERIFY2(lines[i].contains(QStringLiteral("--name 'study · seed %1'").arg(seed + i)),
                     qPrintable(lines[i]));
        }

        // Run as it stands, the command records a run with that name into this database.
        w->trainPage()->seedsBox()->setValue(1);
        setText(w->form()->nameField(), QStringLiteral("from the clipboard"));
        w->form()->numberField(QStringLiteral("n_epochs"))->setText(QStringLiteral("1"));
        const QString command = w->copyCommandLine();
        const test::ProcessResult r = test::runProcess(
            QStringLiteral("/bin/sh"),
            {QStringLiteral("-c"),
             QString(command).replace(QStringLiteral("burstprop-train"), test::trainerBinary())},
            120000);
        QVERIFY2(r.exitCode == 0, qPrintable(test::describe(r)));
        QCOMPARE(QString::fromStdString(w->store()->listRuns().front().name),
                 QStringLiteral("from the clipboard"));
    }

    void unusableDatabaseIsReportedAndLeftAlone() {
        const QString path = tmp_.filePath(QStringLiteral("junk.sqlite"));
        QFile junk(path);
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'j'));
        junk.close();
        ui::MainWindow w(path);
        QVERIFY(!w.store());
        QVERIFY2(w.databaseError().contains(path), qPrintable(w.databaseError()));
        QCOMPARE(QFileInfo(path).size(), qint64(4096));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
