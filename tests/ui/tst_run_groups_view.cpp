// The Runs page's seed groups over a real database: two configurations × 3 and 4 seeds (the second's runs in
// a sweep) with known test errors and angles. "Group seeds" shows a row per group with its n and mean ± std
// (checked against the numbers worked out here), opening into its runs; selecting a group selects its runs;
// the Sweep column and the sweep filter; the flat table back when grouping is off.
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "ui/runs/run_groups_model.h"
#include "ui/runs/run_groups_tree.h"
#include "ui/runs/runs_table_model.h"
#include "ui/runs/runs_view.h"
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace bp;
using namespace bp::ui;

namespace {

// Final test errors (%) of the seeds of configuration A (hidden_lr 0.1) and B (hidden_lr 0.2, in a sweep).
const std::vector<double> kFinalA = {12.0, 13.0, 15.5};
const std::vector<double> kFinalB = {20.0, 22.0, 23.0, 25.0};

double meanOf(const std::vector<double>& v) {
    double s = 0;
    for (double x : v)
        s += x;
    return s / double(v.size());
}

double stdOf(const std::vector<double>& v) {
    const double m = meanOf(v);
    double ss = 0;
    for (double x : v)
        ss += (x - m) * (x - m);
    return std::sqrt(ss / double(v.size() - 1));
}

QString meanStd(const std::vector<double>& v, const QString& unit) {
    return QStringLiteral("%1 ± %2%3").arg(meanOf(v), 0, 'f', 2).arg(stdOf(v), 0, 'f', 2).arg(unit);
}

std::vector<double> shifted(const std::vector<double>& v, double by) {
    std::vector<double> out;
    for (double x : v)
        out.push_back(x + by);
    return out;
}

} // namespace

class TestRunGroupsView : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<RunStore> store_;
    QVector<int64_t> idsA_, idsB_;
    int64_t sweep_ = 0;

    // Epochs 0..2: test error final + 10, + 5, final; the best is the final. The output layer's (2) weight
    // angle is final + 40 at the end, the top hidden layer's (1) delta angle final + 30.
    int64_t addRun(RunStore& store, double hiddenLr, uint64_t seed, double final,
                   std::optional<int64_t> sweep) {
        RunConfig c = defaultConfig(DatasetKind::Mnist, "burstprop");
        c.hiddenLr = hiddenLr;
        c.seed = seed;
        c.epochs = 2;
        c.hiddenWidths = {16, 8};
        const int64_t id = store.createRun(c, "seed " + std::to_string(seed), {}, {}, {}, sweep);
        store.setStatus(id, RunStatus::Running);
        std::vector<MetricSample> samples;
        for (int e = 0; e <= 2; ++e) {
            const double error = final + 5.0 * (2 - e);
            samples.push_back({"test_error", e, 10 * e, 1.7e9 + e, error});
            samples.push_back({"weight_angle/2", e, 10 * e, 1.7e9 + e, final + 40 + (2 - e)});
            samples.push_back({"delta_angle/1", e, 10 * e, 1.7e9 + e, final + 30 + (2 - e)});
        }
        store.appendMetrics(id, samples);
        store.setProgress(id, 2, final);
        store.setStatus(id, RunStatus::Completed);
        return id;
    }

    int groupOf(const RunGroupsModel& model, int64_t runId) {
        for (int g = 0; g < model.groupCount(); ++g) {
            const auto ids = model.runsOfGroup(g);
            if (std::find(ids.begin(), ids.end(), runId) != ids.end())
                return g;
        }
        return -1;
    }

  private Q_SLOTS:
    void initTestCase() {
        store_ = std::make_unique<RunStore>(dir_.filePath(QStringLiteral("runs.sqlite")).toStdString());
        for (size_t i = 0; i < kFinalA.size(); ++i)
            idsA_ << addRun(*store_, 0.1, i + 1, kFinalA[i], std::nullopt);
        sweep_ = store_->createSweep("lr", "[\"--hidden-lr\",\"0.2\"]");
        for (size_t i = 0; i < kFinalB.size(); ++i)
            idsB_ << addRun(*store_, 0.2, i + 1, kFinalB[i], sweep_);
    }

    void groupRowsShowMeanAndStd() {
        RunsView view;
        view.setStore(store_.get());
        QVERIFY(!view.isGrouped());
        view.groupSeedsBox()->setChecked(true);
        RunGroupsModel* model = view.groupsModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->groupCount(), 2);
        QCOMPARE(model->runCount(), int64_t(7));
        QVERIFY(view.groupTree()->isVisibleTo(&view));
        QVERIFY(!view.table()->isVisibleTo(&view));
        struct Expected {
            int64_t run;
            std::vector<double> finals;
            QString description;
        };
        for (const Expected& e : {Expected{idsA_[0], kFinalA, QStringLiteral("hidden_lr=0.1")},
                                  Expected{idsB_[0], kFinalB, QStringLiteral("hidden_lr=0.2")}}) {
            const int g = groupOf(*model, e.run);
            QVERIFY(g >= 0);
            auto text = [&](int column) { return model->index(g, column).data().toString(); };
            QCOMPARE(model->group(g).description, e.description);
            QCOMPARE(text(RunGroupsModel::Name),
                     model->group(g).name + QStringLiteral(" · ") + e.description);
            QCOMPARE(text(RunGroupsModel::Runs), QString::number(e.finals.size()));
            QCOMPARE(text(RunGroupsModel::FinalError), meanStd(e.finals, QStringLiteral(" %")));
            QCOMPARE(text(RunGroupsModel::BestError), meanStd(e.finals, QStringLiteral(" %")));
            QCOMPARE(text(RunGroupsModel::WeightAngle), meanStd(shifted(e.finals, 40), QStringLiteral("°")));
            QCOMPARE(text(RunGroupsModel::DeltaAngle), meanStd(shifted(e.finals, 30), QStringLiteral("°")));
            QCOMPARE(text(RunGroupsModel::Status), QStringLiteral("%1 completed").arg(e.finals.size()));
            const study::Summary s = model->summaryOf(g, RunGroupsModel::FinalError);
            QCOMPARE(s.n, e.finals.size());
            QVERIFY(std::fabs(*s.mean - meanOf(e.finals)) < 1e-12);
            QVERIFY(std::fabs(*s.std - stdOf(e.finals)) < 1e-12);
            // The group opens into its runs, each with its seed and its own figures.
            const QModelIndex parent = model->index(g, 0);
            QCOMPARE(model->rowCount(parent), int(e.finals.size()));
            QStringList seeds;
            for (int r = 0; r < model->rowCount(parent); ++r) {
                const QModelIndex child = model->index(r, RunGroupsModel::FinalError, parent);
                const double value = child.data(RunGroupsModel::ValueRole).toDouble();
                QVERIFY(std::find(e.finals.begin(), e.finals.end(), value) != e.finals.end());
                QCOMPARE(child.data().toString(), QStringLiteral("%1 %").arg(value, 0, 'f', 2));
                seeds << model->index(r, RunGroupsModel::Seed, parent).data().toString();
            }
            seeds.sort();
            QCOMPARE(seeds.first(), QStringLiteral("1"));
        }
        // B's runs all come from one sweep: its id is the group's; A's runs are in none.
        QCOMPARE(model->index(groupOf(*model, idsB_[0]), RunGroupsModel::Sweep).data().toString(),
                 QString::number(sweep_));
        QVERIFY(!model->index(groupOf(*model, idsA_[0]), RunGroupsModel::Sweep).data().isValid());
    }

    // A selected group stands for its runs: Compare compares them all; a double click on a run compares it.
    void selectingAGroupSelectsItsRuns() {
        RunsView view;
        view.setStore(store_.get());
        view.groupSeedsBox()->setChecked(true);
        const int g = groupOf(*view.groupsModel(), idsA_[0]);
        view.groupTree()->selectionModel()->select(
            view.groupsModel()->index(g, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QVector<int64_t> expected = idsA_;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(view.selectedRuns(), expected);
        QSignalSpy compare(&view, &RunsView::compareRequested);
        QPushButton* button = nullptr;
        for (QPushButton* b : view.findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("Compare"))
                button = b;
        QVERIFY(button && button->isEnabled());
        button->click();
        QCOMPARE(compare.count(), 1);
        const auto ids = compare.first().first().value<QVector<qint64>>();
        QCOMPARE(ids.size(), expected.size());
        // One run, found and selected inside its group.
        view.selectRun(idsB_[1]);
        QCOMPARE(view.selectedRuns(), QVector<int64_t>{idsB_[1]});
        QVERIFY(view.groupTree()->isExpanded(
            view.groupsModel()->index(groupOf(*view.groupsModel(), idsB_[1]), 0)));
    }

    void sweepColumnAndFilter() {
        RunsView view;
        view.setStore(store_.get());
        RunsTableModel* table = view.model();
        QCOMPARE(table->headerData(RunsTableModel::Sweep, Qt::Horizontal).toString(),
                 QStringLiteral("Sweep"));
        for (int row = 0; row < table->rowCount(); ++row) {
            const int64_t id = table->runId(row);
            const QString sweep = table->index(row, RunsTableModel::Sweep).data().toString();
            QCOMPARE(sweep, idsB_.contains(id) ? QString::number(sweep_) : QString());
        }
        QComboBox* sweeps = view.sweepBox();
        QCOMPARE(sweeps->count(), 2);
        sweeps->setCurrentIndex(sweeps->findData(QVariant::fromValue<qlonglong>(sweep_)));
        QCOMPARE(table->totalCount(), int64_t(kFinalB.size()));
        view.groupSeedsBox()->setChecked(true);
        QCOMPARE(view.groupsModel()->groupCount(), 1);
        QCOMPARE(view.groupsModel()->runCount(), int64_t(kFinalB.size()));
        sweeps->setCurrentIndex(0);
        QCOMPARE(view.groupsModel()->groupCount(), 2);
        // Back to the flat table, which still works as before.
        view.groupSeedsBox()->setChecked(false);
        QVERIFY(view.table()->isVisibleTo(&view));
        QCOMPARE(table->totalCount(), int64_t(kFinalA.size() + kFinalB.size()));
        QCOMPARE(view.groupsModel()->groupCount(), 0);
    }

    // Last, as it changes the database: a run of A resumed to a third epoch with a lower error. The tree's
    // refresh reads it again rather than keeping the figures it had when the run was stopped at epoch 2.
    void refreshFollowsAResumedRun() {
        RunsView view;
        view.setStore(store_.get());
        view.groupSeedsBox()->setChecked(true);
        RunGroupsModel* model = view.groupsModel();
        const int before = groupOf(*model, idsA_[0]);
        QCOMPARE(model->index(before, RunGroupsModel::FinalError).data().toString(),
                 meanStd(kFinalA, QStringLiteral(" %")));
        store_->setStatus(idsA_[0], RunStatus::Running);
        store_->appendMetrics(idsA_[0], {{"test_error", 3, 30, 1.7e9 + 3, 11.0}});
        store_->setProgress(idsA_[0], 3, 11.0);
        store_->setStatus(idsA_[0], RunStatus::Completed);
        view.groupTree()->refreshGroups();
        const int after = groupOf(*model, idsA_[0]);
        std::vector<double> finals = kFinalA;
        finals[0] = 11.0;
        QCOMPARE(model->index(after, RunGroupsModel::FinalError).data().toString(),
                 meanStd(finals, QStringLiteral(" %")));
        QCOMPARE(model->index(after, RunGroupsModel::BestError).data().toString(),
                 meanStd(finals, QStringLiteral(" %")));
    }
};

QTEST_MAIN(TestRunGroupsView)
#include "tst_run_groups_view.moc"
