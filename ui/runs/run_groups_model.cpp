#include "ui/runs/run_groups_model.h"
#include <QBrush>
#include <cmath>
#include <map>
#include <set>

namespace bp::ui {

namespace {

constexpr quintptr kGroupRow = 0; // internalId of group rows; a run's is its group's row + 1

bool sameRuns(const std::vector<RunRecord>& a, const std::vector<RunRecord>& b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].id != b[i].id || a[i].status != b[i].status || a[i].epochsDone != b[i].epochsDone ||
            a[i].bestTestError != b[i].bestTestError || a[i].name != b[i].name ||
            a[i].sweepId != b[i].sweepId)
            return false;
    return true;
}

bool isFigure(int column) {
    return column >= RunGroupsModel::FinalError && column <= RunGroupsModel::DeltaAngle;
}

QString withUnit(const QString& text, int column) {
    if (text.isEmpty())
        return text;
    return text + (column == RunGroupsModel::WeightAngle || column == RunGroupsModel::DeltaAngle
                       ? QStringLiteral("°")
                       : QStringLiteral(" %"));
}

} // namespace

RunGroupsModel::RunGroupsModel(QObject* parent) : QAbstractItemModel(parent) {}

void RunGroupsModel::setStore(RunStore* store) {
    store_ = store;
    settled_.clear();
    reload();
}

void RunGroupsModel::setFilter(const RunFilter& filter) {
    filter_ = filter;
    filter_.limit = -1;
    filter_.offset = 0;
    filter_.sortKey = "id";
    filter_.descending = true;
    reload();
}

std::vector<RunRecord> RunGroupsModel::query() {
    if (!store_)
        return {};
    try {
        error_.clear();
        return store_->listRuns(filter_);
    } catch (const std::exception& e) {
        error_ = QString::fromUtf8(e.what());
        return {};
    }
}

void RunGroupsModel::reload() {
    rebuild(query());
}

void RunGroupsModel::refresh() {
    if (!store_)
        return;
    std::vector<RunRecord> runs = query();
    if (!error_.isEmpty() || sameRuns(runs, runs_))
        return;
    rebuild(std::move(runs));
}

void RunGroupsModel::rebuild(std::vector<RunRecord> runs) {
    beginResetModel();
    runs_ = std::move(runs);
    figures_.clear();
    for (const RunRecord& run : runs_) {
        // A resumed run changes again: its figures are kept only with the status and epoch they were read at.
        const bool settled = run.status != RunStatus::Running && run.status != RunStatus::Paused &&
                             run.status != RunStatus::Queued;
        if (const auto kept = settled_.find(run.id); settled && kept != settled_.end() &&
                                                     kept->status == run.status &&
                                                     kept->epochsDone == run.epochsDone) {
            figures_.push_back(kept->figures);
            continue;
        }
        RunEndFigures f;
        try {
            f = readRunEndFigures(*store_, run);
            if (settled)
                settled_.insert(run.id, {run.status, run.epochsDone, f});
            else
                settled_.remove(run.id);
        } catch (const std::exception& e) {
            error_ = QString::fromUtf8(e.what());
        }
        figures_.push_back(f);
    }
    groups_ = seedGroups(runs_);
    endResetModel();
}

std::vector<int64_t> RunGroupsModel::runsOfGroup(int row) const {
    std::vector<int64_t> ids;
    if (row >= 0 && row < groupCount())
        for (size_t run : groups_[size_t(row)].runs)
            ids.push_back(runs_[run].id);
    return ids;
}

std::optional<RunRecord> RunGroupsModel::record(int64_t runId) const {
    for (const RunRecord& run : runs_)
        if (run.id == runId)
            return run;
    return std::nullopt;
}

std::optional<double> RunGroupsModel::figure(size_t run, Column column) const {
    const RunEndFigures& f = figures_[run];
    switch (column) {
    case FinalError:
        return f.finalTestError;
    case BestError:
        return f.bestTestError;
    case WeightAngle:
        return f.weightAngle;
    case DeltaAngle:
        return f.deltaAngle;
    default:
        return std::nullopt;
    }
}

study::Summary RunGroupsModel::summaryOf(int groupRow, Column column) const {
    std::vector<std::optional<double>> values;
    if (groupRow >= 0 && groupRow < groupCount())
        for (size_t run : groups_[size_t(groupRow)].runs)
            values.push_back(figure(run, column));
    return study::summary(presentValues(values));
}

QModelIndex RunGroupsModel::indexOfRun(int64_t runId) const {
    for (int g = 0; g < groupCount(); ++g) {
        const std::vector<size_t>& members = groups_[size_t(g)].runs;
        for (int i = 0; i < int(members.size()); ++i)
            if (runs_[members[size_t(i)]].id == runId)
                return createIndex(i, 0, quintptr(g) + 1);
    }
    return {};
}

QModelIndex RunGroupsModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kGroupRow);
    if (parent.internalId() != kGroupRow)
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex RunGroupsModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kGroupRow)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kGroupRow);
}

int RunGroupsModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid())
        return groupCount();
    if (parent.internalId() != kGroupRow || parent.column() != 0 || parent.row() >= groupCount())
        return 0;
    return int(groups_[size_t(parent.row())].runs.size());
}

int RunGroupsModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant RunGroupsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == kGroupRow)
        return groupData(index.row(), index.column(), role);
    const SeedGroup& g = groups_[size_t(index.internalId() - 1)];
    return runData(g.runs[size_t(index.row())], index.column(), role);
}

QVariant RunGroupsModel::runData(size_t run, int column, int role) const {
    const RunRecord& r = runs_[run];
    if (role == RunIdRole)
        return QVariant::fromValue<qlonglong>(r.id);
    if (role == Qt::TextAlignmentRole && column != Name && column != Status)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (isFigure(column) && (role == Qt::DisplayRole || role == ValueRole)) {
        const std::optional<double> v = figure(run, Column(column));
        if (!v)
            return {};
        if (role == ValueRole)
            return *v;
        return withUnit(QString::number(*v, 'f', 2), column);
    }
    if (role != Qt::DisplayRole && role != ValueRole)
        return {};
    switch (column) {
    case Name:
        return QStringLiteral("#%1 %2").arg(r.id).arg(QString::fromStdString(r.name));
    case Seed:
        return QString::number(r.seed);
    case Status:
        return QString::fromStdString(toString(r.status));
    case Epochs:
        return QStringLiteral("%1/%2").arg(r.epochsDone).arg(r.epochsTotal);
    case Sweep:
        return r.sweepId ? QVariant(QString::number(*r.sweepId)) : QVariant();
    default:
        return {};
    }
}

QVariant RunGroupsModel::groupData(int group, int column, int role) const {
    const SeedGroup& g = groups_[size_t(group)];
    if (role == RunIdRole)
        return QVariant::fromValue<qlonglong>(0);
    if (role == Qt::ToolTipRole && column == Name)
        return g.description.isEmpty()
                   ? tr("Runs that differ only by their seed")
                   : tr("Runs that differ only by their seed; this group: %1").arg(g.description);
    if (role == Qt::TextAlignmentRole && column != Name && column != Status)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (isFigure(column) && (role == Qt::DisplayRole || role == ValueRole)) {
        const study::Summary s = summaryOf(group, Column(column));
        if (!s.mean)
            return {};
        if (role == ValueRole)
            return *s.mean;
        return withUnit(meanStdText(s, g.runs.size()), column);
    }
    if (role != Qt::DisplayRole && role != ValueRole)
        return {};
    switch (column) {
    case Name:
        return g.title();
    case Runs:
        return int(g.runs.size());
    case Status: {
        // "3 completed, 1 running": how far the group has come.
        std::map<std::string, int> counts;
        for (size_t run : g.runs)
            ++counts[toString(runs_[run].status)];
        QStringList parts;
        for (const auto& [status, n] : counts)
            parts << QStringLiteral("%1 %2").arg(n).arg(QString::fromStdString(status));
        return parts.join(QStringLiteral(", "));
    }
    case Sweep: {
        std::set<std::optional<int64_t>> sweeps;
        for (size_t run : g.runs)
            sweeps.insert(runs_[run].sweepId);
        return sweeps.size() == 1 && *sweeps.begin() ? QVariant(QString::number(**sweeps.begin()))
                                                     : QVariant();
    }
    default:
        return {};
    }
}

QVariant RunGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole && isFigure(section))
        return tr("A group shows mean ± sample std over its runs (a figure some run lacks adds its own n)");
    if (role != Qt::DisplayRole)
        return {};
    static const char* const titles[] = {QT_TR_NOOP("Group / run"),
                                         QT_TR_NOOP("Runs"),
                                         QT_TR_NOOP("Seed"),
                                         QT_TR_NOOP("Final test error"),
                                         QT_TR_NOOP("Best test error"),
                                         QT_TR_NOOP("Weight angle, output"),
                                         QT_TR_NOOP("Delta angle, top hidden"),
                                         QT_TR_NOOP("Status"),
                                         QT_TR_NOOP("Epochs"),
                                         QT_TR_NOOP("Sweep")};
    return tr(titles[section]);
}

} // namespace bp::ui
