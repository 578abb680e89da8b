#include "ui/window/sweep_panel.h"
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
    table_ = new QTableWidget(0, ColumnCount);
    table_->setHorizontalHeaderLabels(
        {tr("Run"), tr("Values"), tr("Status"), tr("Epoch"), tr("Test error %")});
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(ColValues, QHeaderView::Stretch);
    plot_ = new QCustomPlot;
    plot_->setMinimumHeight(160);
    plot_->xAxis->setLabel(tr("epoch"));
    plot_->yAxis->setLabel(tr("test error %"));
    applyPlotTheme(plot_, palette());

    auto* header = new QHBoxLayout;
    header->addWidget(status_, 1);
    header->addWidget(resume_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(table_, 1);
    layout->addWidget(plot_, 1);

    timer_.setInterval(1000);
    connect(&timer_, &QTimer::timeout, this, &SweepPanel::refresh);
    updateResume();
}

void SweepPanel::showSweep(int64_t sweepId) {
    sweepId_ = sweepId;
    if (sweepId == 0) {
        sweepStatus_.clear();
        table_->setRowCount(0);
        plot_->clearGraphs();
        plot_->replot();
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
        (sweepStatus_ == QLatin1String("stopped") || sweepStatus_ == QLatin1String("running")));
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
        plot_->clearGraphs();
        double maxEpoch = 1.0;
        for (int row = 0; row < static_cast<int>(runs.size()); ++row) {
            const RunRecord& run = runs[size_t(row)];
            const std::string status = toString(run.status);
            ++counts[status];
            QString error;
            if (run.status != RunStatus::Queued) {
                const std::vector<MetricPoint> points = store_->readMetrics(run.id, "test_error");
                if (!points.empty()) {
                    error = QString::number(points.back().value, 'f', 2);
                    QCPGraph* graph = plot_->addGraph();
                    graph->setName(sweptValues(run.name));
                    graph->setPen(QPen(curveColor(row), 1.5));
                    QVector<double> x, y;
                    for (const MetricPoint& p : points) {
                        x << p.epoch;
                        y << p.value;
                    }
                    graph->setData(x, y, true);
                    maxEpoch = std::max(maxEpoch, x.back());
                }
            }
            const QStringList cells{QString::number(run.id), sweptValues(run.name),
                                    QString::fromStdString(status),
                                    QStringLiteral("%1/%2").arg(run.epochsDone).arg(run.epochsTotal), error};
            for (int col = 0; col < ColumnCount; ++col) {
                QTableWidgetItem* item = table_->item(row, col);
                if (!item) {
                    item = new QTableWidgetItem;
                    table_->setItem(row, col, item);
                }
                item->setText(cells[col]);
                if (col == ColValues)
                    item->setForeground(curveColor(row));
            }
        }
        plot_->rescaleAxes();
        plot_->xAxis->setRange(0, maxEpoch);
        plot_->replot(QCustomPlot::rpQueuedReplot);
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
