// The run queue model: insertion, removal, moves and takeNext() checked against the expected order,
// the rows' text against hand-written strings, and every change watched by QAbstractItemModelTester.
#include "core/config/run_config.h"
#include "core/setup/defaults.h"
#include "support/test_support.h"
#include "ui/training/run_queue.h"
#include <QAbstractItemModelTester>
#include <QListView>
#include <QSignalSpy>
#include <QtTest>

using namespace bp;
using bp::ui::QueuedRun;
using bp::ui::RunQueueModel;

namespace {

QueuedRun run(const QString& name, int epochs = 500) {
    QueuedRun r;
    r.name = name;
    r.config = defaultConfig(DatasetKind::Mnist);
    r.config.epochs = epochs;
    return r;
}

// Names in row order.
QString order(const RunQueueModel& model) {
    QString names;
    for (int row = 0; row < model.rowCount(); ++row)
        names += model.data(model.index(row), RunQueueModel::NameRole).toString();
    return names;
}

// A model holding A, B, C, D.
void fill(RunQueueModel& model) {
    for (const char* name : {"A", "B", "C", "D"})
        model.enqueue(run(QString::fromLatin1(name)));
}

} // namespace

class TestRunQueue : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void rowsShowNameSummaryAndCommandLine();
    void enqueueAppends();
    void move_data();
    void move();
    void remove_data();
    void remove();
    void takeNextEmptiesInOrder();
    void storeRunId();
    void clearResets();
    void drivesAListView();
};

void TestRunQueue::rowsShowNameSummaryAndCommandLine() {
    RunQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QueuedRun r = run(QStringLiteral("Sweep 1 — lr 0.05"), 20);
    r.config.hiddenLr = 0.05;
    r.config.hiddenWidths = {100, 50};
    r.config.threads = 2;
    model.enqueue(r);
    const QModelIndex first = model.index(0);
    // The name, then what differs from the defaults: what sets the runs of a sweep apart is in view.
    QCOMPARE(model.data(first).toString(),
             QStringLiteral(
                 "Sweep 1 — lr 0.05\ndataset mnist · hidden-widths 100,50 · n_epochs 20 · hidden_lr 0.05 · "
                 "threads 2"));
    RunConfig negative = r.config;
    negative.xiMean = -0.5;
    QVERIFY2(ui::differencesText(negative).contains(QStringLiteral("xi_mean -0.5")),
             qPrintable(ui::differencesText(negative)));
    QCOMPARE(model.data(first, RunQueueModel::NameRole).toString(), QStringLiteral("Sweep 1 — lr 0.05"));
    QCOMPARE(
        model.data(first, RunQueueModel::SummaryRole).toString(),
        QStringLiteral("dataset=mnist architecture=fc hidden=100,50 rule=burstprop batch_size=32 epochs=20 "
                       "device=cpu threads=2 seed=1"));
    const QString command = QStringLiteral(
        "burstprop-train --dataset mnist --hidden-widths 100,50 -n_epochs 20 -hidden_lr 0.05 --threads 2");
    QCOMPARE(model.data(first, Qt::ToolTipRole).toString(), command);
    QCOMPARE(model.data(first, RunQueueModel::CommandLineRole).toString(), command);
    QVERIFY(!model.data(first, RunQueueModel::StoreRunIdRole).isValid());
    QVERIFY(!model.data(model.index(1)).isValid());
    QCOMPARE(model.roleNames().value(RunQueueModel::NameRole), QByteArray("name"));
    QCOMPARE(model.roleNames().value(RunQueueModel::StoreRunIdRole), QByteArray("storeRunId"));
}

void TestRunQueue::enqueueAppends() {
    RunQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy counts(&model, &RunQueueModel::countChanged);
    QVERIFY(model.isEmpty());
    QCOMPARE(model.enqueue(run("A")), 0);
    QCOMPARE(model.enqueue(run("B")), 1);
    QCOMPARE(model.enqueue(run("C", 3)), 2);
    QCOMPARE(order(model), QStringLiteral("ABC"));
    QCOMPARE(model.count(), 3);
    QVERIFY(!model.isEmpty());
    QCOMPARE(model.at(2).config.epochs, 3);
    QCOMPARE(inserted.size(), 3);
    QCOMPARE(inserted.at(2).at(1).toInt(), 2);
    QCOMPARE(counts.size(), 3);
    QCOMPARE(counts.at(2).at(0).toInt(), 3);
}

void TestRunQueue::move_data() {
    QTest::addColumn<bool>("up");
    QTest::addColumn<int>("row");
    QTest::addColumn<bool>("moved");
    QTest::addColumn<QString>("expected");
    QTest::addRow("up from the bottom") << true << 3 << true << "ABDC";
    QTest::addRow("up from the middle") << true << 1 << true << "BACD";
    QTest::addRow("up from the top") << true << 0 << false << "ABCD";
    QTest::addRow("up from nowhere") << true << -1 << false << "ABCD";
    QTest::addRow("up past the end") << true << 4 << false << "ABCD";
    QTest::addRow("down from the top") << false << 0 << true << "BACD";
    QTest::addRow("down from the middle") << false << 2 << true << "ABDC";
    QTest::addRow("down from the bottom") << false << 3 << false << "ABCD";
    QTest::addRow("down from nowhere") << false << -1 << false << "ABCD";
}

void TestRunQueue::move() {
    QFETCH(bool, up);
    QFETCH(int, row);
    QFETCH(bool, moved);
    QFETCH(QString, expected);
    RunQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fill(model);
    QSignalSpy moves(&model, &QAbstractItemModel::rowsMoved);
    QSignalSpy counts(&model, &RunQueueModel::countChanged);
    QCOMPARE(up ? model.moveUp(row) : model.moveDown(row), moved);
    QCOMPARE(order(model), expected);
    QCOMPARE(moves.size(), moved ? 1 : 0);
    QCOMPARE(counts.size(), 0);
    if (moved)
        QCOMPARE(moves.at(0).at(1).toInt(), row); // the source row
}

void TestRunQueue::remove_data() {
    QTest::addColumn<int>("row");
    QTest::addColumn<bool>("removed");
    QTest::addColumn<QString>("expected");
    QTest::addRow("first") << 0 << true << "BCD";
    QTest::addRow("middle") << 2 << true << "ABD";
    QTest::addRow("last") << 3 << true << "ABC";
    QTest::addRow("negative") << -1 << false << "ABCD";
    QTest::addRow("past the end") << 4 << false << "ABCD";
}

void TestRunQueue::remove() {
    QFETCH(int, row);
    QFETCH(bool, removed);
    QFETCH(QString, expected);
    RunQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fill(model);
    QSignalSpy counts(&model, &RunQueueModel::countChanged);
    QCOMPARE(model.remove(row), removed);
    QCOMPARE(order(model), expected);
    QCOMPARE(model.count(), expected.size());
    QCOMPARE(counts.size(), removed ? 1 : 0);
}

void TestRunQueue::takeNextEmptiesInOrder() {
    RunQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fill(model);
    model.moveDown(0); // B A C D
    QString taken;
    while (std::optional<QueuedRun> next = model.takeNext())
        taken += next->name;
    QCOMPARE(taken, QStringLiteral("BACD"));
    QVERIFY(model.isEmpty());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.takeNext());
}

void TestRunQueue::storeRunId() {
    RunQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fill(model);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setStoreRunId(2, 42));
    QVERIFY(!model.setStoreRunId(9, 1));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
    QCOMPARE(model.data(model.index(2), RunQueueModel::StoreRunIdRole).toLongLong(), 42LL);
    QCOMPARE(model.at(2).storeRunId.value_or(0), int64_t{42});
    model.moveUp(2); // the id travels with its run
    QCOMPARE(model.data(model.index(1), RunQueueModel::StoreRunIdRole).toLongLong(), 42LL);
    QueuedRun withId = run("E");
    withId.storeRunId = int64_t{1} << 40;
    model.enqueue(withId);
    QCOMPARE(model.data(model.index(4), RunQueueModel::StoreRunIdRole).toLongLong(), 1LL << 40);
}

void TestRunQueue::clearResets() {
    RunQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fill(model);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy counts(&model, &RunQueueModel::countChanged);
    model.clear();
    model.clear(); // already empty: nothing happens
    QVERIFY(model.isEmpty());
    QCOMPARE(resets.size(), 1);
    QCOMPARE(counts.size(), 1);
    QCOMPARE(counts.at(0).at(0).toInt(), 0);
}

void TestRunQueue::drivesAListView() {
    RunQueueModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QListView view;
    view.setModel(&model);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    fill(model);
    view.setCurrentIndex(model.index(3));
    QVERIFY(model.moveUp(3));
    QCOMPARE(view.currentIndex().row(), 2); // the selection follows the moved run
    QCOMPARE(view.currentIndex().data(RunQueueModel::NameRole).toString(), QStringLiteral("D"));
    QVERIFY(model.remove(0));
    QCOMPARE(view.currentIndex().row(), 1);
}

QTEST_MAIN(TestRunQueue)
#include "tst_run_queue.moc"
