// The Runs page's "Evaluate…": a tiny run trained into a real database, its checkpoints evaluated off the GUI
// thread from the page. The figures shown are those the run recorded at the checkpoint's epoch, the confusion
// matrix adds up to the test set and carries Fashion-MNIST's class names, the CSV export is the core's (the
// CLI's --confusion file), the heatmap exports as an image, and a run without checkpoints says so.
#include "core/runs/recorded_run.h"
#include "core/setup/defaults.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include "ui/plots/confusion_heatmap.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/runs/evaluate_dialog.h"
#include "ui/runs/runs_view.h"
#include <QApplication>
#include <QInputDialog>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace bp;

namespace {

constexpr int kTestImages = 100;
constexpr int kTimeoutMs = 60000;

std::optional<double> metricAt(RunStore& store, int64_t id, const std::string& name, int epoch) {
    for (const MetricPoint& p : store.readMetrics(id, name))
        if (p.epoch == epoch)
            return p.value;
    return std::nullopt;
}

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class TestEvaluateDialog : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string db_;
    std::unique_ptr<RunStore> store_;
    int64_t trained_ = 0, bare_ = 0;

    QPushButton* button(QWidget& view, const QString& text) {
        for (QPushButton* b : view.findChildren<QPushButton*>())
            if (b->text() == text)
                return b;
        return nullptr;
    }

    // Waits for the dialog's evaluation to end; true when it gave a result.
    static bool waitFor(ui::EvaluateDialog* dialog) {
        if (!dialog)
            return false;
        return QTest::qWaitFor([dialog] { return !dialog->isRunning(); }, kTimeoutMs) && dialog->hasResult();
    }

  private Q_SLOTS:
    void initTestCase() {
        const QString data = tmp_.filePath("data");
        QVERIFY(test::writeBarDatasets(data, 600, kTestImages));
        db_ = tmp_.filePath("runs.sqlite").toStdString();
        store_ = std::make_unique<RunStore>(db_);
        // Bar images in Fashion-MNIST's files: the run is a Fashion-MNIST run, with its class names.
        RunConfig c = defaultConfig(DatasetKind::FashionMnist);
        c.dataDir = data.toStdString();
        c.download = false;
        c.hiddenWidths = {40};
        c.epochs = 2;
        c.threads = 1;
        c.seed = 3;
        trained_ = store_->createRun(c, "evaluated", "", {});
        {
            RunStore writer(db_);
            RunRecorder recorder(writer, trained_);
            Trainer trainer(c, &recorder);
            trainer.setCheckpointing({tmp_.filePath("ckpt").toStdString(), 1, ownerOf(writer, trained_)});
            QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Completed));
            recorder.flush();
        }
        QVERIFY(store_->checkpoints(trained_).size() >= 3);
        bare_ = store_->createRun(c, "no checkpoints", "", {});
        store_->setStatus(bare_, RunStatus::Running);
        store_->setStatus(bare_, RunStatus::Completed);
    }

    void showsTheRecordedFigures_data() {
        QTest::addColumn<QString>("label");
        QTest::addColumn<int>("epoch");
        QTest::newRow("latest") << "latest" << 2;
        QTest::newRow("epoch-1") << "epoch-1" << 1;
        QTest::newRow("initial") << "initial" << 0;
    }
    void showsTheRecordedFigures() {
        QFETCH(QString, label);
        QFETCH(int, epoch);
        ui::RunsView view;
        view.setStore(store_.get());
        view.show();
        view.selectRun(trained_);
        QVERIFY(button(view, QStringLiteral("Evaluate…"))->isEnabled());
        QString labelsError;
        QVERIFY(view.checkpointLabels(trained_, &labelsError).contains(label));
        ui::EvaluateDialog* dialog = view.evaluateRun(trained_, label);
        QVERIFY(dialog);
        // Off the GUI thread: the call returns at once, the dialog busy until the result arrives.
        QVERIFY(dialog->isRunning() && dialog->isVisible() && dialog->busyBar()->isVisible());
        QVERIFY(!dialog->csvButton()->isEnabled());
        QVERIFY2(waitFor(dialog), qPrintable(dialog->errorMessage()));
        const RunEvaluation& e = dialog->evaluation();
        QCOMPARE(e.epoch, epoch);

        // The error shown is the test error the run recorded at that epoch, as the CLI prints it.
        const double recorded = *metricAt(*store_, trained_, "test_error", epoch);
        QVERIFY(std::abs(e.result.test.error - recorded) < 1e-9);
        const QString shown = dialog->figureLabel("error")->text(); // may add the silent classes
        QVERIFY2(shown.startsWith(QStringLiteral("%1%").arg(recorded, 0, 'f', 2)), qPrintable(shown));
        QCOMPARE(shown.contains(QStringLiteral("predicted for no example")), e.result.test.silentClasses > 0);
        QVERIFY(std::abs(dialog->figureLabel("loss")->text().toDouble() -
                         *metricAt(*store_, trained_, "test_loss", epoch)) < 1e-5);
        QCOMPARE(dialog->figureLabel("examples")->text(), QString::number(kTestImages));
        QVERIFY(dialog->figureLabel("top5")->text().startsWith("n/a")); // a sigmoid output

        // The matrix: 10 × 10 with Fashion-MNIST's names, summing to the test set; the table agrees.
        const ui::ConfusionHeatmap* heatmap = dialog->heatmap();
        const ConfusionMatrix& m = heatmap->matrix();
        QCOMPARE(m.classes(), 10);
        QCOMPARE(m.total(), int64_t(kTestImages));
        QVERIFY(std::abs(100.0 * double(m.total() - m.correct()) / double(m.total()) - recorded) < 1e-9);
        QCOMPARE(heatmap->classNames().front(), QStringLiteral("T-shirt/top"));
        QCOMPARE(heatmap->classNames().back(), QStringLiteral("Ankle boot"));
        QTableWidget* table = dialog->perClassTable();
        QCOMPARE(table->rowCount(), 10);
        int examples = 0;
        for (int t = 0; t < 10; ++t) {
            QCOMPARE(table->item(t, 0)->text(), heatmap->classNames()[t]);
            examples += table->item(t, 1)->text().toInt();
            QCOMPARE(table->item(t, 2)->text().toLongLong(), m.present(t) - m.count(t, t));
            double shares = 0.0;
            for (int p = 0; p < 10; ++p) {
                QCOMPARE(heatmap->cellText(t, p), QString::number(m.count(t, p)));
                shares += heatmap->rowShare(t, p);
                QCOMPARE(heatmap->colorMap()->data()->cell(p, t), heatmap->rowShare(t, p));
            }
            if (m.present(t) > 0)
                QVERIFY(std::abs(shares - 1.0) < 1e-12); // coloured by row share
        }
        QCOMPARE(examples, kTestImages);
        // Hover names the cell under the pointer with its count.
        QCustomPlot* plot = heatmap->plot();
        plot->replot();
        const QPoint centre(int(plot->xAxis->coordToPixel(2)), int(plot->yAxis->coordToPixel(2)));
        QVERIFY2(heatmap->describeAt(centre).startsWith(
                     QStringLiteral("true Pullover, predicted Pullover: %1 of").arg(m.count(2, 2))),
                 qPrintable(heatmap->describeAt(centre)));
        dialog->close();
    }

    // Names by data set, or those the evaluated data gave (an image folder's class folders) when there is one
    // per class; else the class numbers.
    void classNames_data() {
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<int>("classes");
        QTest::addColumn<QStringList>("named");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("image folder")
            << "image-folder" << 3 << QStringList{"cat", "dog", "owl"} << QStringList{"cat", "dog", "owl"};
        QTest::newRow("image folder, names missing")
            << "image-folder" << 2 << QStringList{} << QStringList{"0", "1"};
        QTest::newRow("names of another count")
            << "imagenet" << 2 << QStringList{"a", "b", "c"} << QStringList{"0", "1"};
        QTest::newRow("cifar10") << "cifar10" << 10 << QStringList{}
                                 << QStringList{"airplane", "automobile", "bird",  "cat",  "deer",
                                                "dog",      "frog",       "horse", "ship", "truck"};
    }
    void classNames() {
        QFETCH(QString, dataset);
        QFETCH(int, classes);
        QFETCH(QStringList, named);
        QFETCH(QStringList, expected);
        std::vector<std::string> names;
        for (const QString& n : named)
            names.push_back(n.toStdString());
        QCOMPARE(ui::datasetClassNames(dataset.toStdString(), classes, names), expected);
    }

    void exportsCsvAndImages() {
        ui::RunsView view;
        view.setStore(store_.get());
        ui::EvaluateDialog* dialog = view.evaluateRun(trained_, QStringLiteral("best"));
        QVERIFY2(waitFor(dialog), qPrintable(dialog->errorMessage()));
        QString error;
        // The same CSV as burstprop-train evaluate --confusion: the core's writer over a fresh evaluation.
        const QString csv = tmp_.filePath("confusion.csv");
        QVERIFY2(dialog->exportCsv(csv, &error), qPrintable(error));
        RunStore reader(db_, RunStore::Access::ReadOnly);
        const RunEvaluation core = evaluateRun(reader, trained_, "best");
        QCOMPARE(readAll(csv), QString::fromStdString(core.result.confusion.csv()));
        QVERIFY(readAll(csv).startsWith(QStringLiteral("true\\predicted,0,1,2")));

        const QString png = tmp_.filePath("confusion.png");
        QVERIFY2(dialog->exportImage(png, &error), qPrintable(error));
        const QImage image(png);
        QVERIFY(!image.isNull() && image.width() > 200 && image.height() > 200);
        int dark = 0; // cells of the darkest blue: the diagonal of a trained network
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                dark += c.blue() > 80 && c.red() < 60 && c.green() < 90;
            }
        QVERIFY2(dark > 500, qPrintable(QString::number(dark)));
        const QString svg = tmp_.filePath("confusion.svg");
        QVERIFY2(dialog->exportImage(svg, &error), qPrintable(error));
        QVERIFY(readAll(svg).contains(QStringLiteral("<svg")));
        QVERIFY(readAll(svg).contains(QStringLiteral("Ankle boot")));
    }

    // The button asks which checkpoint, among those the run keeps, and opens the dialog.
    void buttonAsksForTheCheckpoint() {
        ui::RunsView view;
        view.setStore(store_.get());
        view.show();
        view.selectRun(trained_);
        QStringList offered;
        QTimer::singleShot(50, [&offered] {
            auto* input = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            QVERIFY(input);
            offered = input->comboBoxItems();
            input->setTextValue(QStringLiteral("epoch-1"));
            input->accept();
        });
        QTest::mouseClick(button(view, QStringLiteral("Evaluate…")), Qt::LeftButton);
        QVERIFY(offered.contains("initial") && offered.contains("latest") && offered.contains("epoch-2"));
        auto* dialog = view.findChild<ui::EvaluateDialog*>();
        QVERIFY(dialog);
        QVERIFY2(waitFor(dialog), qPrintable(dialog->errorMessage()));
        QCOMPARE(dialog->evaluation().epoch, 1);
    }

    void runWithoutCheckpointsSaysSo() {
        ui::RunsView view;
        view.setStore(store_.get());
        view.show();
        view.selectRun(bare_);
        QSignalSpy errors(&view, &ui::RunsView::errorOccurred);
        QTest::mouseClick(button(view, QStringLiteral("Evaluate…")), Qt::LeftButton);
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.front().front().toString().contains(QStringLiteral("has no checkpoint")),
                 qPrintable(errors.front().front().toString()));
        QVERIFY(!view.findChild<ui::EvaluateDialog*>());
        // Asked directly, the dialog shows why in words, and offers no export.
        ui::EvaluateDialog* dialog = view.evaluateRun(bare_, QStringLiteral("latest"));
        QVERIFY(!waitFor(dialog));
        QVERIFY2(
            dialog->statusLabel()->text().contains(QStringLiteral("has no latest checkpoint (kept: none)")),
            qPrintable(dialog->statusLabel()->text()));
        QVERIFY(!dialog->csvButton()->isEnabled());
    }

    // A checkpoint file that was removed, and data that moved: the reason, not a crash.
    void missingFilesAreNamed() {
        ui::RunsView view;
        view.setStore(store_.get());
        const std::string initial = findCheckpoint(*store_, trained_, "initial");
        const QString moved = QString::fromStdString(initial) + ".moved";
        QVERIFY(QFile::rename(QString::fromStdString(initial), moved));
        ui::EvaluateDialog* dialog = view.evaluateRun(trained_, QStringLiteral("initial"));
        const bool ok = waitFor(dialog);
        QVERIFY(QFile::rename(moved, QString::fromStdString(initial)));
        QVERIFY(!ok);
        QVERIFY2(dialog->errorMessage().contains(QStringLiteral("is missing")),
                 qPrintable(dialog->errorMessage()));

        const QString data = tmp_.filePath("data"), away = tmp_.filePath("data-away");
        QVERIFY(QDir().rename(data, away));
        dialog = view.evaluateRun(trained_, QStringLiteral("latest"));
        const bool okData = waitFor(dialog);
        QVERIFY(QDir().rename(away, data));
        QVERIFY(!okData);
        QVERIFY2(!dialog->errorMessage().isEmpty(), "no reason given");
        qInfo("missing data: %s", qPrintable(dialog->errorMessage()));
    }
};

QTEST_MAIN(TestEvaluateDialog)
#include "tst_evaluate_dialog.moc"
