#include "ui/window/sweep_panel.h"
#include "core/runs/run_control.h"
#include "core/store/run_store.h"
#include "ui/plots/plot_theme.h"
#include "ui/plots/qcustomplot_include.h"
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <map>

namespace bp::ui {

namespace {

enum Column { ColRun, ColValues, ColStatus, ColEpoch, ColError, ColumnCount };

// "NAME: hidden_lr=0.01 seed=1" (the CLI's run names in a sweep) → "hidden_lr=0.01 seed=1".
QString sweptValues(const std::string& name) {
    const QString text = QString::fromStdString(name);
    const int colon = text.lastIndexOf(QStringLiteral(": "));
    return colon >= 0 ? text.mid(colon + 2) : text;
}

QColor curveColor(int i) {
    return QColor::fromHsv((i * 47) % 360, 200, 200);
}

// The run id and status kept with a row's first cell.
constexpr int kRunIdRole = Qt::UserRole;
constexpr int kStatusRole = Qt::UserRole + 1;

} // namespace

SweepPanel::SweepPanel(QWidget* parent) : QWidget(parent) {
    status_ = new QLabel(tr("No sweep"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    resume_ = new QPushButton(tr("Resume sweep"));
    resume_->setToolTip(tr("Start the sweep's queued runs and resume its stopped ones from their latest "
                           "checkpoint (burstprop-train sweep resume ID)"));
    connect(resume_, &QPushButton::clicked, this, [this] {
        if (sweepId_ > 0)
            Q_EMIT resumeRequested(sweepId_);
    });
    pauseSweep_ = new QPushButton(tr("Pause sweep"));
    pauseSweep_->setToolTip(tr("Start no new run and pause the running ones at their next batch "
                               "(burstprop-train sweep pause ID)"));
    connect(pauseSweep_, &QPushButton::clicked, this, [this] { pauseOrContinueSweep(true); });
    continueSweep_ = new QPushButton(tr("Continue sweep"));
    continueSweep_->setToolTip(
        tr("Continue the paused runs and start new ones again (burstprop-train sweep continue ID)"));
    connect(continueSweep_, &QPushButton::clicked, this, [this] { pauseOrContinueSweep(false); });
    stopRun_ = new QPushButton(tr("Stop run"));
    stopRun_->setToolTip(tr("Stop the selected runs: each checkpoints and ends as stopped; Resume sweep "
                            "continues them (burstprop-train stop RUN)"));
    connect(stopRun_, &QPushButton::clicked, this, [this] { actOnSelectedRuns(int(RunAction::Stop)); });
    pauseRun_ = new QPushButton(tr("Pause run"));
    pauseRun_->setToolTip(tr("Pause the selected runs at their next batch (burstprop-train pause RUN)"));
    connect(pauseRun_, &QPushButton::clicked, this, [this] { actOnSelectedRuns(int(RunAction::Pause)); });
    continueRun_ = new QPushButton(tr("Continue run"));
    continueRun_->setToolTip(tr("Continue the selected paused runs (burstprop-train continue RUN)"));
    connect(continueRun_, &QPushButton::clicked, this,
            [this] { actOnSelectedRuns(int(RunAction::Continue)); });
    action_ = new QLabel;
    action_->setWordWrap(true);
    action_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    table_ = new QTableWidget(0, ColumnCount);
    table_->setHorizontalHeaderLabels(
        {tr("Run"), tr("Values"), tr("Status"), tr("Epoch"), tr("Test error %")});
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->verticalHeader()->hide();
    connect(table_, &QTableWidget::itemSelectionChanged, this, &SweepPanel::updateRunButtons);
    table_->horizontalHeader()->setSectionResizeMode(ColValues, QHeaderView::Stretch);
    plot_ = new QCustomPlot;
    plot_->setMinimumHeight(160);
    plot_->xAxis->setLabel(tr("epoch"));
    plot_->yAxis->setLabel(tr("test error %"));
    applyPlotTheme(plot_, palette());

    auto* header = new QHBoxLayout;
    header->addWidget(status_, 1);
    header->addWidget(pauseSweep_);
    header->addWidget(continueSweep_);
    header->addWidget(resume_);
    auto* runButtons = new QHBoxLayout;
    runButtons->addWidget(action_, 1);
    runButtons->addWidget(stopRun_);
    runButtons->addWidget(pauseRun_);
    runButtons->addWidget(continueRun_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(table_, 1);
    layout->addLayout(runButtons);
    layout->addWidget(plot_, 1);

    timer_.setInterval(1000);
    connect(&timer_, &QTimer::timeout, this, &SweepPanel::refresh);
    updateResume();
}

void SweepPanel::clearCurves() {
    curves_.clear();
    plot_->clearGraphs();
    plot_->replot();
}

void SweepPanel::showSweep(int64_t sweepId) {
    if (sweepId != sweepId_) {
        clearCurves();
        action_->clear();
    }
    sweepId_ = sweepId;
    if (sweepId == 0) {
        sweepStatus_.clear();
        table_->setRowCount(0);
        status_->setText(tr("Starting burstprop-train sweep…"));
    }
    refresh();
    updateResume();
}

void SweepPanel::setRunning(bool running) {
    running_ = running;
    if (running)
        timer_.start();
    else
        timer_.stop();
    refresh();
    updateResume();
}

void SweepPanel::updateResume() {
    resume_->setEnabled(
        !running_ && sweepId_ > 0 &&
        (sweepStatus_ == QLatin1String("stopped") || sweepStatus_ == QLatin1String("running") ||
         sweepStatus_ == QLatin1String("paused"))); // running or paused: its process ended without saying so
    pauseSweep_->setEnabled(sweepId_ > 0 && sweepStatus_ == QLatin1String("running"));
    continueSweep_->setEnabled(sweepId_ > 0 && sweepStatus_ == QLatin1String("paused"));
    updateRunButtons();
}

void SweepPanel::updateRunButtons() {
    bool running = false, paused = false;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows(ColRun)) {
        const QString status = index.data(kStatusRole).toString();
        running = running || status == QLatin1String("running");
        paused = paused || status == QLatin1String("paused");
    }
    stopRun_->setEnabled(running || paused);
    pauseRun_->setEnabled(running);
    continueRun_->setEnabled(paused);
}

void SweepPanel::pauseOrContinueSweep(bool pause) {
    if (!store_ || sweepId_ <= 0)
        return;
    try {
        const ControlOutcome outcome =
            controlSweep(*store_, sweepId_, pause ? RunAction::Pause : RunAction::Continue);
        action_->setText(QString::fromStdString(outcome.message));
    } catch (const std::exception& e) {
        action_->setText(QString::fromUtf8(e.what()));
    }
    refresh();
}

void SweepPanel::actOnSelectedRuns(int action) {
    if (!store_)
        return;
    const auto act = static_cast<RunAction>(action);
    QStringList messages;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows(ColRun)) {
        const QString status = index.data(kStatusRole).toString();
        const bool applies = act == RunAction::Stop
                                 ? status == QLatin1String("running") || status == QLatin1String("paused")
                             : act == RunAction::Pause ? status == QLatin1String("running")
                                                       : status == QLatin1String("paused");
        if (!applies)
            continue;
        try {
            messages << QString::fromStdString(
                controlRun(*store_, index.data(kRunIdRole).toLongLong(), act).message);
        } catch (const std::exception& e) {
            messages << QString::fromUtf8(e.what());
        }
    }
    action_->setText(messages.join(QLatin1Char('\n')));
    refresh();
}

void SweepPanel::refresh() {
    if (!store_ || sweepId_ <= 0)
        return;
    try {
        const std::optional<SweepRecord> sweep = store_->sweep(sweepId_);
        if (!sweep)
            return;
        sweepStatus_ = QString::fromStdString(sweep->status);
        const std::vector<RunRecord> runs = store_->runsOfSweep(sweepId_);
        std::map<std::string, int> counts;
        table_->setRowCount(static_cast<int>(runs.size()));
        double maxEpoch = 1.0;
        bool added = false;
        for (int row = 0; row < static_cast<int>(runs.size()); ++row) {
            const RunRecord& run = runs[size_t(row)];
            const std::string status = toString(run.status);
            ++counts[status];
            // Only the test errors after the last one read, and only when the run recorded an epoch since: a
            // finished run costs nothing, a running one an index seek per epoch.
            Curve& curve = curves_[run.id];
            if (run.status != RunStatus::Queued && run.epochsDone != curve.epochsRead) {
                const std::vector<MetricPoint> points =
                    store_->readMetrics(run.id, "test_error", curve.lastStep + 1);
                ++metricReads_;
                curve.epochsRead = run.epochsDone;
                if (!points.empty()) {
                    if (!curve.graph) {
                        curve.graph = plot_->addGraph();
                        curve.graph->setName(sweptValues(run.name));
                        curve.graph->setPen(QPen(curveColor(row), 1.5));
                    }
                    for (const MetricPoint& p : points)
                        curve.graph->addData(p.epoch, p.value);
                    curve.lastStep = points.back().step;
                    curve.lastError = QString::number(points.back().value, 'f', 2);
                    added = true;
                }
            }
            if (curve.graph && !curve.graph->data()->isEmpty())
                maxEpoch = std::max(maxEpoch, (curve.graph->data()->constEnd() - 1)->key);
            const QStringList cells{
                QString::number(run.id), sweptValues(run.name), QString::fromStdString(status),
                QStringLiteral("%1/%2").arg(run.epochsDone).arg(run.epochsTotal), curve.lastError};
            for (int col = 0; col < ColumnCount; ++col) {
                QTableWidgetItem* item = table_->item(row, col);
                if (!item) {
                    item = new QTableWidgetItem;
                    table_->setItem(row, col, item);
                }
                item->setText(cells[col]);
                if (col == ColValues)
                    item->setForeground(curveColor(row));
                if (col == ColRun) {
                    item->setData(kRunIdRole, QVariant::fromValue<qint64>(run.id));
                    item->setData(kStatusRole, QString::fromStdString(status));
                }
            }
        }
        if (added) {
            plot_->rescaleAxes();
            plot_->xAxis->setRange(0, maxEpoch);
            plot_->replot(QCustomPlot::rpQueuedReplot);
        }
        QStringList parts;
        for (const auto& [status, n] : counts)
            parts << QStringLiteral("%1 %2").arg(n).arg(QString::fromStdString(status));
        status_->setText(
            tr("Sweep %1 “%2”: %3 · %4")
                .arg(sweepId_)
                .arg(QString::fromStdString(sweep->name), sweepStatus_, parts.join(QStringLiteral(", "))));
    } catch (const std::exception& e) {
        status_->setText(tr("Sweep %1: cannot read it from the database: %2").arg(sweepId_).arg(e.what()));
    }
    updateResume();
}

} // namespace bp::ui
