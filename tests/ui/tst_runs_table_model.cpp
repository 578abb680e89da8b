// The runs table over a real run database: lazy pages, SQL filters and sorting, live refresh from a second
// handle on the same file (as the CLI in another process would write).
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "support/test_support.h"
#include "ui/runs/runs_table_model.h"
#include "ui/runs/runs_view.h"
#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>

using namespace bp;
using ui::RunsTableModel;

class TestRunsTableModel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path_;

  private Q_SLOTS:
    void initTestCase() {
        path_ = dir_.filePath(QStringLiteral("runs.sqlite")).toStdString();
        RunStore store(path_);
        for (int i = 0; i < 450; ++i) {
            RunConfig c = defaultConfig(DatasetKind::Mnist, i % 3 == 0 ? "backprop" : "burstprop");
            c.hiddenLr = 0.01 * (i % 10 + 1);
            c.epochs = 10;
            const int64_t id = store.createRun(c, "run " + std::to_string(i),
                                               i % 50 == 0 ? "special note" : "", {i % 2 ? "odd" : "even"});
            store.setStatus(id, RunStatus::Running);
            store.setProgress(id, i % 11, 10.0 + i % 7);
            store.setStatus(id, i % 5 ? RunStatus::Completed : RunStatus::Stopped);
        }
        // The newest run has angle metrics: the table shows the top layer's last value.
        store.appendMetrics(450, {{"weight_angle/0", 1, 10, 1.7e9, 80.0},
                                  {"weight_angle/1", 1, 10, 1.7e9, 70.0},
                                  {"weight_angle/1", 2, 20, 1.7e9, 65.5},
                                  {"delta_angle/0", 2, 20, 1.7e9, 42.25}});
    }

    void loadsLazilyInPages() {
        RunStore store(path_);
        RunsTableModel model;
        model.setStore(&store);
        QCOMPARE(model.totalCount(), int64_t(450));
        QCOMPARE(model.rowCount(), RunsTableModel::kPageSize);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 450);
        QVERIFY(!model.canFetchMore({}));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Newest first; the display of one row.
        QCOMPARE(model.runId(0), int64_t(450));
        QCOMPARE(model.data(model.index(0, RunsTableModel::Name)).toString(), QStringLiteral("#450 run 449"));
        QCOMPARE(model.data(model.index(0, RunsTableModel::Epochs)).toString(), QStringLiteral("9/10"));
        QCOMPARE(model.data(model.index(0, RunsTableModel::BestError)).toString(), QStringLiteral("11.00 %"));
        QCOMPARE(model.data(model.index(0, RunsTableModel::WeightAngle)).toString(), QStringLiteral("65.5°"));
        QCOMPARE(model.data(model.index(0, RunsTableModel::DeltaAngle)).toString(), QStringLiteral("42.3°"));
        QCOMPARE(model.data(model.index(0, RunsTableModel::Network)).toString(),
                 QStringLiteral("fc 500-500-500"));
        QCOMPARE(model.data(model.index(0, RunsTableModel::Tags)).toString(), QStringLiteral("odd"));
    }

    void filters_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("ranges");
        QTest::addColumn<int>("status"); // -1: any
        QTest::addColumn<int>("expected");
        QTest::newRow("text in notes") << "special"
                                       << "" << -1 << 9;
        QTest::newRow("tag") << "odd"
                             << "" << -1 << 225;
        QTest::newRow("rule") << "backprop"
                              << "" << -1 << 150;
        QTest::newRow("stopped") << ""
                                 << "" << int(RunStatus::Stopped) << 90;
        QTest::newRow("hidden_lr range") << ""
                                         << "hidden_lr 0.025..0.045" << -1 << 90;
        QTest::newRow("open range and value") << ""
                                              << "hidden_lr ..0.015; n_epochs 10" << -1 << 45;
        QTest::newRow("combined") << "backprop"
                                  << "hidden_lr 0.1" << int(RunStatus::Completed) << 15;
    }
    void filters() {
        QFETCH(QString, text);
        QFETCH(QString, ranges);
        QFETCH(int, status);
        QFETCH(int, expected);
        RunStore store(path_);
        RunsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStore(&store);
        RunFilter f;
        f.text = text.toStdString();
        if (status >= 0)
            f.status = static_cast<RunStatus>(status);
        QString error;
        QVERIFY2(ui::RunsView::parseRanges(ranges, &f.hyperparameters, &error), qPrintable(error));
        model.setFilter(f);
        QCOMPARE(model.totalCount(), int64_t(expected));
    }

    void malformedRangesAreRefused_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("no value") << "hidden_lr";
        QTest::newRow("not a number") << "hidden_lr abc";
        QTest::newRow("bad key") << "1x 3";
    }
    void malformedRangesAreRefused() {
        QFETCH(QString, text);
        std::vector<RunFilter::Range> ranges;
        QString error;
        QVERIFY(!ui::RunsView::parseRanges(text, &ranges, &error));
        QVERIFY2(error.contains(text.trimmed()), qPrintable(error));
    }

    void sortsInSql_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::newRow("best error ascending") << int(RunsTableModel::BestError) << int(Qt::AscendingOrder);
        QTest::newRow("epochs descending") << int(RunsTableModel::Epochs) << int(Qt::DescendingOrder);
    }
    void sortsInSql() {
        QFETCH(int, column);
        QFETCH(int, order);
        RunStore store(path_);
        RunsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStore(&store);
        model.sort(column, Qt::SortOrder(order));
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 450);
        for (int row = 1; row < model.rowCount(); ++row) {
            const RunRecord a = *model.record(row - 1), b = *model.record(row);
            const double va = column == RunsTableModel::BestError ? *a.bestTestError : a.epochsDone;
            const double vb = column == RunsTableModel::BestError ? *b.bestTestError : b.epochsDone;
            QVERIFY(order == Qt::AscendingOrder ? va <= vb : va >= vb);
        }
    }

    void refreshShowsRunsOfAnotherWriter() {
        const std::string path = dir_.filePath(QStringLiteral("live.sqlite")).toStdString();
        RunStore mine(path), theirs(path);
        const int64_t first = theirs.createRun(defaultConfig(DatasetKind::Mnist), "first");
        RunsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStore(&mine);
        QCOMPARE(model.rowCount(), 1);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const int64_t second = theirs.createRun(defaultConfig(DatasetKind::Mnist),
                                                QString::fromUtf8("zweiter \"Lauf\" ✓").toStdString());
        theirs.setStatus(first, RunStatus::Running);
        model.refresh();
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(reset.count(), 0); // the view keeps its selection and scroll position
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.runId(0), second);
        QCOMPARE(model.data(model.index(0, RunsTableModel::Name)).toString(),
                 QStringLiteral("#%1 ").arg(second) + QString::fromUtf8("zweiter \"Lauf\" ✓"));
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.data(model.index(1, RunsTableModel::Status)).toString(), QStringLiteral("running"));
        theirs.setStatus(first, RunStatus::Stopped); // the store refuses to delete a running run
        theirs.deleteRun(first);
        model.refresh();
        QCOMPARE(model.rowCount(), 1);
    }
};

QTEST_MAIN(TestRunsTableModel)
#include "tst_runs_table_model.moc"
