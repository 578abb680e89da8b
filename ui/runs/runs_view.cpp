#include "ui/runs/runs_view.h"
#include "core/checkpoint/checkpoint.h"
#include "core/runs/export.h"
#include "core/runs/recorded_run.h"
#include "ui/runs/run_groups_model.h"
#include "ui/runs/run_groups_tree.h"
#include "ui/runs/runs_table_model.h"
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace bp::ui {

RunsView::RunsView(QWidget* parent) : QWidget(parent) {
    model_ = new RunsTableModel(this);
    filter_ = new QLineEdit;
    filter_->setPlaceholderText(tr("Filter: name, notes, tags, dataset, rule…"));
    filter_->setClearButtonEnabled(true);
    ranges_ = new QLineEdit;
    ranges_->setPlaceholderText(tr("Hyperparameters, e.g. hidden_lr 0.01..0.5, n_epochs 10.."));
    ranges_->setClearButtonEnabled(true);
    status_ = new QComboBox;
    status_->addItem(tr("any status"));
    for (RunStatus s : {RunStatus::Queued, RunStatus::Running, RunStatus::Paused, RunStatus::Completed,
                        RunStatus::Stopped, RunStatus::Diverged, RunStatus::Failed, RunStatus::Interrupted})
        status_->addItem(QString::fromStdString(toString(s)), static_cast<int>(s));
    sweep_ = new QComboBox;
    sweep_->setObjectName(QStringLiteral("sweep_filter"));
    sweep_->setToolTip(tr("Only the runs of one sweep (burstprop-train sweep)"));
    sweep_->addItem(tr("any sweep"));
    groupSeeds_ = new QCheckBox(tr("Group seeds"));
    groupSeeds_->setToolTip(tr("Show runs that differ only by their seed as one row with mean ± std, "
                               "opening into its runs"));
    auto* filters = new QHBoxLayout;
    filters->addWidget(filter_, 2);
    filters->addWidget(ranges_, 2);
    filters->addWidget(status_);
    filters->addWidget(sweep_);
    filters->addWidget(groupSeeds_);

    table_ = new QTableView;
    table_->setModel(model_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(RunsTableModel::Started, Qt::DescendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
    table_->horizontalHeader()->setSectionResizeMode(RunsTableModel::Name, QHeaderView::Stretch);
    table_->horizontalHeader()->setSectionResizeMode(RunsTableModel::Started, QHeaderView::ResizeToContents);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    table_->setWordWrap(false);
    groupTree_ = new RunGroupsTree;
    views_ = new QStackedWidget;
    views_->addWidget(table_);
    views_->addWidget(groupTree_);

    compare_ = new QPushButton(tr("Compare"));
    compare_->setToolTip(tr("Overlay the selected runs' metrics and compare their hyperparameters"));
    resume_ = new QPushButton(tr("Resume"));
    resume_->setToolTip(tr("Continue a stopped or interrupted run from its latest checkpoint"));
    clone_ = new QPushButton(tr("Clone into form"));
    export_ = new QPushButton(tr("Export…"));
    evaluate_ = new QPushButton(tr("Evaluate…"));
    evaluate_->setToolTip(tr("Evaluate one of the run's checkpoints on its test set: error per class and "
                             "the confusion matrix"));
    delete_ = new QPushButton(tr("Delete…"));
    summary_ = new QLabel;
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(summary_, 1);
    for (QPushButton* b : {compare_, resume_, clone_, evaluate_, export_, delete_})
        buttons->addWidget(b);
    auto* exportMenu = new QMenu(export_);
    exportMenu->addAction(tr("Metrics as CSV…"), this, &RunsView::askExportMetrics);
    exportMenu->addAction(tr("Checkpoint…"), this, &RunsView::askExportCheckpoint);
    export_->setMenu(exportMenu);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(views_, 1);
    layout->addLayout(buttons);

    connect(filter_, &QLineEdit::textChanged, this, &RunsView::applyFilter);
    connect(ranges_, &QLineEdit::textChanged, this, &RunsView::applyFilter);
    connect(status_, &QComboBox::currentIndexChanged, this, &RunsView::applyFilter);
    connect(sweep_, &QComboBox::currentIndexChanged, this, &RunsView::applyFilter);
    connect(groupSeeds_, &QCheckBox::toggled, this, &RunsView::setGrouped);
    connect(groupTree_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsView::updateButtons);
    connect(groupsModel(), &QAbstractItemModel::modelReset, this, &RunsView::updateButtons);
    connect(groupTree_, &QWidget::customContextMenuRequested, this, &RunsView::showContextMenu);
    connect(groupTree_, &RunGroupsTree::compareRequested, this, &RunsView::compareRequested);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsView::updateButtons);
    connect(model_, &QAbstractItemModel::modelReset, this, &RunsView::updateButtons);
    connect(model_, &QAbstractItemModel::rowsInserted, this, &RunsView::updateButtons);
    connect(table_, &QWidget::customContextMenuRequested, this, &RunsView::showContextMenu);
    connect(table_, &QAbstractItemView::doubleClicked, this, [this] {
        if (const int64_t id = currentRun())
            Q_EMIT compareRequested({id});
    });
    connect(compare_, &QPushButton::clicked, this, [this] {
        QVector<qint64> ids;
        for (int64_t id : selectedRuns())
            ids << id;
        Q_EMIT compareRequested(ids);
    });
    connect(resume_, &QPushButton::clicked, this, [this] { Q_EMIT resumeRequested(currentRun()); });
    connect(clone_, &QPushButton::clicked, this, [this] { Q_EMIT cloneRequested(currentRun()); });
    connect(delete_, &QPushButton::clicked, this, &RunsView::askDelete);
    connect(evaluate_, &QPushButton::clicked, this, &RunsView::askEvaluate);
    // The keys a table of files answers to: Delete asks to delete the selected runs, F2 renames one.
    auto* deleteKey = new QAction(tr("Delete…"), table_);
    deleteKey->setShortcut(QKeySequence::Delete);
    deleteKey->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteKey, &QAction::triggered, this, [this] {
        if (!selectedRuns().isEmpty())
            askDelete();
    });
    auto* renameKey = new QAction(tr("Rename…"), table_);
    renameKey->setShortcut(QKeySequence(Qt::Key_F2));
    renameKey->setShortcutContext(Qt::WidgetShortcut);
    connect(renameKey, &QAction::triggered, this, [this] {
        if (currentRun())
            askRename();
    });
    table_->addActions({deleteKey, renameKey});
    // F2 is the table's own "edit" trigger too; the model has no editable cells, the action renames.
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    refreshTimer_.setInterval(1000);
    connect(&refreshTimer_, &QTimer::timeout, this, [this] {
        if (isGrouped())
            groupTree_->refreshGroups();
        else
            model_->refresh();
        updateButtons();
    });
    updateButtons();
}

void RunsView::setStore(RunStore* store) {
    setStores(store, store);
}

void RunsView::setStores(RunStore* reader, RunStore* writer) {
    writer_ = writer;
    model_->setStore(reader);
    reloadSweeps();
    groupsModel()->setStore(isGrouped() ? reader : nullptr);
    updateButtons();
}

RunGroupsModel* RunsView::groupsModel() const {
    return groupTree_->groupsModel();
}

bool RunsView::isGrouped() const {
    return groupSeeds_->isChecked();
}

// Grouping reads every matching run with its figures: done while the groups show, not behind the table.
void RunsView::setGrouped(bool grouped) {
    views_->setCurrentWidget(grouped ? static_cast<QWidget*>(groupTree_) : table_);
    if (grouped) {
        groupsModel()->setFilter(model_->filter());
        groupsModel()->setStore(model_->store());
    } else {
        groupsModel()->setStore(nullptr);
        model_->refresh();
    }
    updateButtons();
}

// The sweeps of the database, newest first; the chosen one stays chosen while it exists.
void RunsView::reloadSweeps() {
    const QVariant chosen = sweep_->currentData();
    std::vector<SweepRecord> sweeps;
    if (RunStore* store = model_->store()) {
        try {
            sweeps = store->listSweeps();
        } catch (const std::exception&) {
            // The table's error line reports store problems.
        }
    }
    const QSignalBlocker block(sweep_);
    sweep_->clear();
    sweep_->addItem(tr("any sweep"));
    for (const SweepRecord& sw : sweeps)
        sweep_->addItem(tr("sweep %1 %2").arg(sw.id).arg(QString::fromStdString(sw.name)).trimmed(),
                        QVariant::fromValue<qlonglong>(sw.id));
    sweep_->setCurrentIndex(std::max(0, sweep_->findData(chosen)));
    sweep_->setVisible(sweep_->count() > 1);
    if (chosen.isValid() && sweep_->currentIndex() == 0)
        applyFilter(); // the sweep was deleted
}

std::optional<RunRecord> RunsView::recordOf(int64_t runId) const {
    if (isGrouped())
        return groupsModel()->record(runId);
    return model_->record(model_->rowOfRun(runId));
}

void RunsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    reloadSweeps();
    if (isGrouped())
        groupTree_->refreshGroups();
    else
        model_->refresh();
    refreshTimer_.start();
}

void RunsView::hideEvent(QHideEvent* event) {
    refreshTimer_.stop();
    QWidget::hideEvent(event);
}

bool RunsView::parseRanges(const QString& text, std::vector<RunFilter::Range>* ranges, QString* error) {
    static const QRegularExpression item(QStringLiteral(
        R"(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:=\s*)?((?:[-+]?(?:\d+(?:\.(?!\.)\d*)?|\.\d+)(?:[eE][-+]?\d+)?)?)\s*(\.\.)?\s*((?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)?)\s*$)"));
    ranges->clear();
    for (const QString& part : text.split(QRegularExpression(QStringLiteral("[,;]")), Qt::SkipEmptyParts)) {
        if (part.trimmed().isEmpty())
            continue;
        const QRegularExpressionMatch m = item.match(part);
        bool okLow = true, okHigh = true;
        const QString low = m.captured(2), high = m.captured(4);
        const bool range = !m.captured(3).isEmpty();
        const double lo = low.isEmpty() ? -1e300 : low.toDouble(&okLow);
        const double hi = range ? (high.isEmpty() ? 1e300 : high.toDouble(&okHigh)) : lo;
        if (!m.hasMatch() || !okLow || !okHigh || (!range && low.isEmpty())) {
            *error = tr("'%1' is not 'key min..max' (e.g. hidden_lr 0.01..0.5)").arg(part.trimmed());
            return false;
        }
        ranges->push_back({m.captured(1).toStdString(), lo, hi});
    }
    return true;
}

void RunsView::applyFilter() {
    RunFilter f;
    f.text = filter_->text().trimmed().toStdString();
    if (status_->currentIndex() > 0)
        f.status = static_cast<RunStatus>(status_->currentData().toInt());
    if (sweep_->currentIndex() > 0)
        f.sweepId = sweep_->currentData().toLongLong();
    QString error;
    // A malformed hyperparameter filter is not applied, and the line under the table says so: the runs
    // shown are those of the other filters, never the results of an earlier, different filter.
    rangeError_.clear();
    if (!parseRanges(ranges_->text(), &f.hyperparameters, &error)) {
        f.hyperparameters.clear();
        rangeError_ = tr("Hyperparameter filter not applied: %1").arg(error);
    }
    ranges_->setStyleSheet(rangeError_.isEmpty() ? QString() : QStringLiteral("border: 1px solid #c0392b"));
    ranges_->setToolTip(rangeError_);
    model_->setFilter(f);
    if (isGrouped())
        groupsModel()->setFilter(f);
    updateButtons();
}

QVector<int64_t> RunsView::selectedRuns() const {
    if (isGrouped())
        return groupTree_->selectedRuns();
    QVector<int64_t> ids;
    for (const QModelIndex& row : table_->selectionModel()->selectedRows())
        ids << model_->runId(row.row());
    std::sort(ids.begin(), ids.end());
    return ids;
}

int64_t RunsView::currentRun() const {
    const QVector<int64_t> ids = selectedRuns();
    return ids.size() == 1 ? ids.front() : 0;
}

void RunsView::selectRun(int64_t runId) {
    if (isGrouped()) {
        groupTree_->selectRun(runId);
        return;
    }
    const int row = model_->rowOfRun(runId);
    if (row >= 0)
        table_->selectRow(row);
}

void RunsView::updateButtons() {
    const QVector<int64_t> ids = selectedRuns();
    const std::optional<RunRecord> one = ids.size() == 1 ? recordOf(ids.front()) : std::nullopt;
    compare_->setEnabled(!ids.isEmpty());
    resume_->setEnabled(one && (one->status == RunStatus::Stopped || one->status == RunStatus::Interrupted ||
                                one->status == RunStatus::Failed));
    clone_->setEnabled(one.has_value());
    evaluate_->setEnabled(one.has_value());
    export_->setEnabled(!ids.isEmpty());
    delete_->setEnabled(!ids.isEmpty());
    const QString error = isGrouped() ? groupsModel()->lastError() : model_->lastError();
    QString summary =
        error.isEmpty() ? (isGrouped() ? tr("%n run(s)", nullptr, int(groupsModel()->runCount())) +
                                             tr(" in %n seed group(s)", nullptr, groupsModel()->groupCount())
                                       : tr("%n run(s)", nullptr, static_cast<int>(model_->totalCount()))) +
                              (ids.isEmpty() ? QString() : tr(", %1 selected").arg(ids.size()))
                        : error;
    if (!rangeError_.isEmpty())
        summary += QStringLiteral(" · ") + rangeError_;
    summary_->setText(summary);
    summary_->setStyleSheet(rangeError_.isEmpty() && error.isEmpty() ? QString()
                                                                     : QStringLiteral("color: #c0392b"));
}

void RunsView::showContextMenu(const QPoint& at) {
    if (selectedRuns().isEmpty())
        return;
    QMenu menu(this);
    menu.addAction(compare_->text(), compare_, &QPushButton::click);
    if (resume_->isEnabled())
        menu.addAction(resume_->text(), resume_, &QPushButton::click);
    if (currentRun()) {
        menu.addAction(clone_->text(), clone_, &QPushButton::click);
        menu.addAction(evaluate_->text(), this, &RunsView::askEvaluate);
        menu.addSeparator();
        menu.addAction(tr("Rename…"), this, &RunsView::askRename);
        menu.addAction(tr("Tags…"), this, &RunsView::askTags);
        menu.addAction(tr("Notes…"), this, &RunsView::askNotes);
    }
    menu.addSeparator();
    menu.addAction(tr("Export metrics as CSV…"), this, &RunsView::askExportMetrics);
    if (currentRun())
        menu.addAction(tr("Export checkpoint…"), this, &RunsView::askExportCheckpoint);
    menu.addSeparator();
    menu.addAction(tr("Delete…"), this, &RunsView::askDelete);
    QAbstractItemView* view = isGrouped() ? static_cast<QAbstractItemView*>(groupTree_) : table_;
    menu.exec(view->viewport()->mapToGlobal(at));
}

template <typename F> static bool storeCall(RunStore* store, QString* error, F&& f) {
    if (!store) {
        *error = QObject::tr("No run database is open.");
        return false;
    }
    try {
        f(*store);
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool RunsView::renameRun(int64_t runId, const QString& name, QString* error) {
    const bool ok = storeCall(writer_, error, [&](RunStore& s) { s.rename(runId, name.toStdString()); });
    model_->refresh();
    if (isGrouped())
        groupTree_->refreshGroups();
    return ok;
}

bool RunsView::setRunTags(int64_t runId, const QStringList& tags, QString* error) {
    std::vector<std::string> list;
    for (const QString& t : tags)
        if (!t.trimmed().isEmpty())
            list.push_back(t.trimmed().toStdString());
    const bool ok = storeCall(writer_, error, [&](RunStore& s) { s.setTags(runId, list); });
    model_->refresh();
    if (isGrouped())
        groupTree_->refreshGroups();
    return ok;
}

bool RunsView::setRunNotes(int64_t runId, const QString& notes, QString* error) {
    const bool ok = storeCall(writer_, error, [&](RunStore& s) { s.setNotes(runId, notes.toStdString()); });
    model_->refresh();
    if (isGrouped())
        groupTree_->refreshGroups();
    return ok;
}

bool RunsView::deleteRuns(const QVector<int64_t>& runIds, QString* error) {
    // One transaction checks every run and deletes them all, or none (a running one stops it).
    const bool ok = storeCall(writer_, error, [&](RunStore& s) {
        s.deleteRuns(std::vector<int64_t>(runIds.begin(), runIds.end()));
    });
    model_->refresh();
    if (isGrouped())
        groupTree_->refreshGroups();
    updateButtons();
    return ok;
}

bool RunsView::exportMetrics(const QVector<int64_t>& runIds, const QString& path, QString* error) {
    return storeCall(model_->store(), error, [&](RunStore& s) {
        exportMetricsCsv(s, std::vector<int64_t>(runIds.begin(), runIds.end()), path.toStdString());
    });
}

bool RunsView::exportCheckpoint(int64_t runId, const QString& kind, bool python, const QString& path,
                                QString* error) {
    return storeCall(model_->store(), error, [&](RunStore& s) {
        const Checkpoint checkpoint = loadCheckpoint(findCheckpoint(s, runId, kind.toStdString()));
        if (python)
            exportPythonCheckpoint(path.toStdString(), checkpoint);
        else
            saveCheckpoint(path.toStdString(), checkpoint);
    });
}

} // namespace bp::ui
