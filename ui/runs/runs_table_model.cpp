#include "ui/runs/runs_table_model.h"
#include "core/store/run_recorder.h"
#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <cmath>

namespace bp::ui {

namespace {

const char* const kSortKeys[] = {
    "status",     "name",     "dataset", "rule", "architecture", "epochs_done", "best_test_error", "", "",
    "started_at", "duration", "",        ""};

QColor statusColour(RunStatus s) {
    switch (s) {
    case RunStatus::Running:
        return QColor(31, 119, 180);
    case RunStatus::Paused:
        return QColor(148, 103, 189);
    case RunStatus::Completed:
        return QColor(44, 160, 44);
    case RunStatus::Stopped:
        return QColor(127, 127, 127);
    case RunStatus::Diverged:
    case RunStatus::Failed:
        return QColor(214, 39, 40);
    case RunStatus::Interrupted:
        return QColor(255, 127, 14);
    case RunStatus::Queued:
        break;
    }
    return QColor(127, 127, 127);
}

QString durationText(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return {};
    const qint64 s = static_cast<qint64>(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

// The network in a few characters: "fc 500-500-500", "mnist-conv".
QString networkText(const RunRecord& r) {
    if (r.architecture != "fc")
        return QString::fromStdString(r.architecture);
    const std::string::size_type at = r.configJson.find("\"hidden_widths\":[");
    QString widths;
    if (at != std::string::npos) {
        const auto begin = at + 17, end = r.configJson.find(']', begin);
        widths = QString::fromStdString(r.configJson.substr(begin, end - begin))
                     .replace(QLatin1Char(','), QLatin1Char('-'));
    }
    return QStringLiteral("fc %1").arg(widths.isEmpty() ? QStringLiteral("(no hidden layer)") : widths);
}

bool sameRow(const RunRecord& a, const RunRecord& b) {
    return a.id == b.id && a.status == b.status && a.epochsDone == b.epochsDone &&
           a.bestTestError == b.bestTestError && a.name == b.name && a.tags == b.tags && a.notes == b.notes &&
           a.finishedAt == b.finishedAt && a.epochsTotal == b.epochsTotal && a.sweepId == b.sweepId;
}

} // namespace

RunsTableModel::RunsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsTableModel::setStore(RunStore* store) {
    store_ = store;
    reload();
}

void RunsTableModel::setFilter(const RunFilter& filter) {
    const std::string key = filter_.sortKey;
    const bool descending = filter_.descending;
    filter_ = filter;
    filter_.sortKey = key;
    filter_.descending = descending;
    reload();
}

std::vector<RunRecord> RunsTableModel::query(int offset, int limit) {
    if (!store_)
        return {};
    RunFilter f = filter_;
    f.offset = offset;
    f.limit = limit;
    try {
        error_.clear();
        return store_->listRuns(f);
    } catch (const std::exception& e) {
        error_ = QString::fromUtf8(e.what());
        return {};
    }
}

void RunsTableModel::reload() {
    resetting_ = true; // views (and QAbstractItemModelTester) may ask for more rows from modelReset itself
    beginResetModel();
    rows_.clear();
    angles_.clear();
    total_ = 0;
    if (store_) {
        try {
            total_ = store_->countRuns(filter_);
        } catch (const std::exception& e) {
            error_ = QString::fromUtf8(e.what());
        }
        for (const RunRecord& r : query(0, kPageSize))
            rows_.push_back(r);
    }
    endResetModel();
    resetting_ = false;
}

bool RunsTableModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !resetting_ && !fetching_ && int(rows_.size()) < total_;
}

void RunsTableModel::fetchMore(const QModelIndex& parent) {
    if (parent.isValid() || resetting_ || fetching_)
        return;
    fetching_ = true; // views may ask for more from rowsInserted itself
    struct Done {
        bool& flag;
        ~Done() { flag = false; }
    } done{fetching_};
    std::vector<RunRecord> more = query(int(rows_.size()), kPageSize);
    if (more.empty()) {
        total_ = int(rows_.size()); // runs were deleted meanwhile
        return;
    }
    beginInsertRows({}, int(rows_.size()), int(rows_.size()) + static_cast<int>(more.size()) - 1);
    for (RunRecord& r : more)
        rows_.push_back(std::move(r));
    endInsertRows();
}

void RunsTableModel::refresh() {
    if (!store_)
        return;
    int64_t total = 0;
    try {
        total = store_->countRuns(filter_);
    } catch (const std::exception& e) {
        error_ = QString::fromUtf8(e.what());
        return;
    }
    const int added = static_cast<int>(std::max<int64_t>(0, total - total_));
    std::vector<RunRecord> fresh = query(0, int(rows_.size()) + added);
    // New runs at the top (the default newest-first order) are inserted; any other change of the row set
    // (deletions, another order) reloads.
    bool shifted = fresh.size() == size_t(int(rows_.size()) + added);
    for (int i = 0; shifted && i < int(rows_.size()); ++i)
        shifted = fresh[size_t(i + added)].id == rows_[size_t(i)].id;
    if (!shifted) {
        reload();
        return;
    }
    // No fetchMore() from views reacting to the signals below until the rows are consistent again.
    fetching_ = true;
    struct Done {
        bool& flag;
        ~Done() { flag = false; }
    } done{fetching_};
    total_ = total;
    if (added > 0) {
        beginInsertRows({}, 0, added - 1);
        rows_.insert(rows_.begin(), fresh.begin(), fresh.begin() + added);
        endInsertRows();
    }
    for (int i = added; i < int(rows_.size()); ++i) {
        const RunRecord& now = fresh[size_t(i)];
        if (!sameRow(now, rows_[size_t(i)]) || now.status == RunStatus::Running) {
            rows_[size_t(i)] = now;
            angles_.remove(now.id);
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
        }
    }
}

int64_t RunsTableModel::runId(int row) const {
    return row >= 0 && row < int(rows_.size()) ? rows_[size_t(row)].id : 0;
}

int RunsTableModel::rowOfRun(int64_t runId) const {
    for (int i = 0; i < int(rows_.size()); ++i)
        if (rows_[size_t(i)].id == runId)
            return i;
    return -1;
}

std::optional<RunRecord> RunsTableModel::record(int row) const {
    if (row < 0 || row >= int(rows_.size()))
        return std::nullopt;
    return rows_[size_t(row)];
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const RunsTableModel::Angles& RunsTableModel::anglesOf(const RunRecord& run) const {
    auto it = angles_.find(run.id);
    if (it != angles_.end())
        return *it;
    Angles a;
    try {
        // The top layer's angle: the highest index recorded, its last value (one bucket over all steps).
        const std::vector<std::string> names = store_->metricNames(run.id);
        const int topWeight = topAngleLayer(names, "weight_angle/");
        const int topDelta = topAngleLayer(names, "delta_angle/");
        auto last = [&](const std::string& name) -> std::optional<double> {
            const auto buckets = store_->readMetricsReduced(run.id, name, 0, INT64_MAX, 1);
            if (buckets.empty() || !std::isfinite(buckets.back().last))
                return std::nullopt;
            return buckets.back().last;
        };
        if (topWeight >= 0)
            a.weight = last("weight_angle/" + std::to_string(topWeight));
        if (topDelta >= 0)
            a.delta = last("delta_angle/" + std::to_string(topDelta));
    } catch (const std::exception&) {
        // Shown empty; the table's error line reports store problems.
    }
    return *angles_.insert(run.id, a);
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size()) || index.column() >= ColumnCount)
        return {};
    const RunRecord& r = rows_[size_t(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == RunIdRole)
        return QVariant::fromValue<qlonglong>(r.id);
    const double now = static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    const double duration = r.duration(now).value_or(std::nan("")); // time trained, pauses left out
    if (role == Qt::DisplayRole || role == SortValueRole) {
        switch (column) {
        case Status:
            return QString::fromStdString(toString(r.status));
        case Name:
            return QStringLiteral("#%1 %2").arg(r.id).arg(QString::fromStdString(r.name));
        case Dataset:
            return QString::fromStdString(r.dataset);
        case Rule:
            return QString::fromStdString(r.rule);
        case Network:
            return networkText(r);
        case Epochs:
            return QStringLiteral("%1/%2").arg(r.epochsDone).arg(r.epochsTotal);
        case BestError:
            return r.bestTestError ? QVariant(QStringLiteral("%1 %").arg(*r.bestTestError, 0, 'f', 2))
                                   : QVariant();
        case WeightAngle:
        case DeltaAngle: {
            const Angles& a = anglesOf(r);
            const std::optional<double>& v = column == WeightAngle ? a.weight : a.delta;
            return v ? QVariant(QStringLiteral("%1°").arg(*v, 0, 'f', 1)) : QVariant();
        }
        case Started:
            return r.startedAt
                       ? QVariant(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(*r.startedAt * 1000))
                                      .toString(QStringLiteral("yyyy-MM-dd hh:mm")))
                       : QVariant();
        case Duration:
            return durationText(duration);
        case Tags: {
            QStringList tags;
            for (const std::string& t : r.tags)
                tags << QString::fromStdString(t);
            return tags.join(QStringLiteral(", "));
        }
        case Sweep:
            return r.sweepId ? QVariant(QString::number(*r.sweepId)) : QVariant();
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::ForegroundRole && column == Status)
        return QBrush(statusColour(r.status));
    if (role == Qt::FontRole && column == Status && r.status == RunStatus::Running) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::TextAlignmentRole && (column == Epochs || column == BestError || column == WeightAngle ||
                                          column == DeltaAngle || column == Duration || column == Sweep))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (column == WeightAngle)
            return tr("Last measured angle between the output layer's forward and feedback weights (the "
                      "metric weight_angle/<output layer's index>; other layers on the Compare page)");
        if (column == DeltaAngle)
            return tr("Last measured angle between the top hidden layer's update and backprop's (the metric "
                      "delta_angle/<its index>; other layers on the Compare page)");
        QString tip = QString::fromStdString(r.notes);
        if (!r.host.empty())
            tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) +
                   tr("process %1 on %2").arg(r.pid).arg(QString::fromStdString(r.host));
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    return {};
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const titles[] = {QT_TR_NOOP("Status"),
                                         QT_TR_NOOP("Name"),
                                         QT_TR_NOOP("Dataset"),
                                         QT_TR_NOOP("Rule"),
                                         QT_TR_NOOP("Network"),
                                         QT_TR_NOOP("Epochs"),
                                         QT_TR_NOOP("Best test error"),
                                         QT_TR_NOOP("Weight angle, output"),
                                         QT_TR_NOOP("Delta angle, top hidden"),
                                         QT_TR_NOOP("Started"),
                                         QT_TR_NOOP("Duration"),
                                         QT_TR_NOOP("Tags"),
                                         QT_TR_NOOP("Sweep")};
    return tr(titles[section]);
}

void RunsTableModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= ColumnCount)
        return;
    const char* key = kSortKeys[column];
    filter_.sortKey = *key ? key : "id";
    filter_.descending = order == Qt::DescendingOrder;
    reload();
}

} // namespace bp::ui
