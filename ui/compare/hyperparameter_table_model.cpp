#include "ui/compare/hyperparameter_table_model.h"
#include "core/util/error.h"
#include "ui/compare/run_hyperparameters.h"
#include "ui/compare/run_identity.h"
#include <QColor>
#include <QFont>
#include <algorithm>
#include <map>

namespace bp::ui {

namespace {

QString factValue(const RunRecord& run, const QString& fact) {
    if (fact == QLatin1String("seed"))
        return QString::number(run.seed);
    if (fact == QLatin1String("program version"))
        return QString::fromStdString(run.programVersion);
    if (fact == QLatin1String("LibTorch version"))
        return QString::fromStdString(run.torchVersion);
    if (fact == QLatin1String("device"))
        return QString::fromStdString(run.device);
    if (fact == QLatin1String("threads used"))
        return QString::number(run.threads);
    if (fact == QLatin1String("host"))
        return QString::fromStdString(run.host);
    if (fact == QLatin1String("status"))
        return QString::fromStdString(toString(run.status));
    if (fact == QLatin1String("epochs"))
        return QStringLiteral("%1 / %2").arg(run.epochsDone).arg(run.epochsTotal);
    return {};
}

// Whether the values of the runs the row applies to differ (n/a cells do not count).
bool differs(const QStringList& values, const QStringList& notApplicable) {
    const QString* first = nullptr;
    for (int i = 0; i < values.size(); ++i) {
        if (!notApplicable.value(i).isEmpty())
            continue;
        if (first && values[i] != *first)
            return true;
        first = first ? first : &values[i];
    }
    return false;
}

const QColor kNotApplicable(140, 140, 140); // grey: readable on light and dark backgrounds

// A group's seeds: "3–7" when they are consecutive (three or more), else listed in order.
QString seedText(QStringList seeds) {
    std::vector<long long> numbers;
    for (const QString& s : seeds) {
        bool ok = false;
        numbers.push_back(s.toLongLong(&ok));
        if (!ok) {
            seeds.removeDuplicates();
            return seeds.join(QStringLiteral(", "));
        }
    }
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    if (numbers.size() >= 3 && numbers.back() - numbers.front() == static_cast<long long>(numbers.size()) - 1)
        return QStringLiteral("%1–%2").arg(numbers.front()).arg(numbers.back());
    QStringList out;
    for (long long n : numbers)
        out << QString::number(n);
    return out.join(QStringLiteral(", "));
}

} // namespace

const QStringList& HyperparameterTableModel::factNames() {
    static const QStringList names{QStringLiteral("program version"),
                                   QStringLiteral("LibTorch version"),
                                   QStringLiteral("device"),
                                   QStringLiteral("threads used"),
                                   QStringLiteral("host"),
                                   QStringLiteral("status"),
                                   QStringLiteral("epochs")};
    return names;
}

HyperparameterTableModel::HyperparameterTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void HyperparameterTableModel::setRuns(RunStore& store, const QVector<int64_t>& runIds) {
    std::vector<RunRecord> runs;
    try {
        for (int64_t id : runIds)
            if (std::optional<RunRecord> run = store.getRun(id))
                runs.push_back(std::move(*run));
    } catch (const Error& e) {
        beginResetModel();
        runs_.clear();
        params_.clear();
        runRows_.clear();
        groups_.clear();
        error_ = QString::fromUtf8(e.what());
        updateShownRows();
        endResetModel();
        return;
    }
    setRunRecords(store, runs);
}

void HyperparameterTableModel::setRunRecords(RunStore& store, const std::vector<RunRecord>& runs,
                                             const std::vector<SeedGroup>& groups) {
    beginResetModel();
    build(store, runs, groups);
    updateShownRows();
    endResetModel();
}

void HyperparameterTableModel::build(RunStore& store, const std::vector<RunRecord>& runs,
                                     const std::vector<SeedGroup>& groups) {
    runs_ = runs;
    params_.clear();
    runRows_.clear();
    groups_ = groups;
    rows_.clear();
    error_.clear();
    try {
        for (const RunRecord& run : runs_)
            params_.push_back(readHyperparameters(store, run));
        // key → row (std::map: rows sorted by key)
        std::map<QString, Row> byKey;
        const int n = int(runs_.size());
        for (int r = 0; r < n; ++r)
            for (const Hyperparameter& h : params_[size_t(r)]) {
                const QString key = QString::fromStdString(h.key);
                Row& row = byKey[key];
                if (row.values.isEmpty()) {
                    row.name = key;
                    row.values.resize(n);
                    row.notApplicable.resize(n);
                }
                // A value the run's rule or network does not use is shown as such, not as a setting.
                row.values[r] = h.applies ? QString::fromStdString(h.display()) : QStringLiteral("n/a");
                if (!h.applies)
                    row.notApplicable[r] = notApplicableReason(runs_[size_t(r)], h);
            }
        for (auto& [key, row] : byKey)
            runRows_.push_back(std::move(row));
        QStringList facts = runs_.empty() ? QStringList() : factNames(); // no runs, no rows
        if (!runs_.empty() && !byKey.count(QStringLiteral("seed")))
            facts.prepend(QStringLiteral("seed"));
        for (const QString& fact : facts) {
            Row row{fact, {}, {}, false};
            for (const RunRecord& run : runs_)
                row.values << factValue(run, fact);
            runRows_.push_back(row);
        }
    } catch (const Error& e) {
        runs_.clear();
        params_.clear();
        runRows_.clear();
        groups_.clear();
        error_ = QString::fromUtf8(e.what());
    }
}

void HyperparameterTableModel::setGrouped(bool on) {
    if (on == grouped_)
        return;
    beginResetModel();
    grouped_ = on;
    updateShownRows();
    endResetModel();
}

HyperparameterTableModel::Row HyperparameterTableModel::groupRow(const Row& perRun) const {
    Row row{perRun.name, {}, {}, false};
    const bool seed = perRun.name == QLatin1String("seed");
    for (const SeedGroup& g : groups_) {
        QStringList values, reasons;
        for (size_t r : g.runs) {
            const QString reason = perRun.notApplicable.value(int(r));
            if (!reason.isEmpty()) {
                reasons << reason;
                continue;
            }
            if (!values.contains(perRun.values.value(int(r))) || seed)
                values << perRun.values.value(int(r));
        }
        if (values.isEmpty() && !reasons.isEmpty()) { // applies to none of the group's runs
            row.values << QStringLiteral("n/a");
            row.notApplicable << reasons.front();
            continue;
        }
        row.values << (seed ? seedText(values) : values.join(QStringLiteral(", ")));
        row.notApplicable << QString();
    }
    return row;
}

void HyperparameterTableModel::updateShownRows() {
    rows_.clear();
    if (!grouped_) {
        rows_ = runRows_;
    } else {
        if (groups_.empty() && !runs_.empty())
            groups_ = seedGroups(runs_); // read when first shown by group
        for (const Row& perRun : runRows_)
            rows_.push_back(groupRow(perRun));
    }
    for (Row& row : rows_)
        row.differs = differs(row.values, row.notApplicable);
    updateVisibleRows();
}

void HyperparameterTableModel::clear() {
    beginResetModel();
    runs_.clear();
    params_.clear();
    runRows_.clear();
    groups_.clear();
    rows_.clear();
    visible_.clear();
    error_.clear();
    endResetModel();
}

void HyperparameterTableModel::setDifferencesOnly(bool on) {
    if (on == differencesOnly_)
        return;
    beginResetModel();
    differencesOnly_ = on;
    updateVisibleRows();
    endResetModel();
}

void HyperparameterTableModel::updateVisibleRows() {
    visible_.clear();
    for (int i = 0; i < int(rows_.size()); ++i)
        if (!differencesOnly_ || rows_[size_t(i)].differs)
            visible_ << i;
}

QString HyperparameterTableModel::rowName(int row) const {
    return row >= 0 && row < visible_.size() ? rows_[size_t(visible_[row])].name : QString();
}

int HyperparameterTableModel::rowOfName(const QString& name) const {
    for (int r = 0; r < visible_.size(); ++r)
        if (rows_[size_t(visible_[r])].name == name)
            return r;
    return -1;
}

QVector<int64_t> HyperparameterTableModel::runIds() const {
    QVector<int64_t> ids;
    for (const RunRecord& run : runs_)
        ids << run.id;
    return ids;
}

int HyperparameterTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : visible_.size();
}

int HyperparameterTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(grouped_ ? groups_.size() : runs_.size());
}

QVariant HyperparameterTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = rows_[size_t(visible_[index.row()])];
    const QString notApplicable = row.notApplicable.value(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return row.values.value(index.column());
    case Qt::ToolTipRole:
        return notApplicable.isEmpty() ? row.values.value(index.column()) : notApplicable;
    case DiffersRole:
        return row.differs;
    case Qt::FontRole:
        if (row.differs && !differencesOnly_ && notApplicable.isEmpty()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (!notApplicable.isEmpty())
            return kNotApplicable;
        if (row.differs && !differencesOnly_)
            return QColor(196, 78, 0); // dark orange: readable on light and dark backgrounds
        return {};
    default:
        return {};
    }
}

QVariant HyperparameterTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= columnCount())
            return {};
        if (grouped_) {
            const SeedGroup& g = groups_[size_t(section)];
            if (role == Qt::DisplayRole)
                return g.title();
            if (role == Qt::ToolTipRole) {
                QStringList runs;
                for (size_t r : g.runs)
                    runs << runLabel(runs_[r]);
                return (g.runs.size() == 1 ? tr("1 run: ") : tr("%1 runs: ").arg(g.runs.size())) +
                       runs.join(QStringLiteral(", "));
            }
            return {};
        }
        if (role == Qt::DisplayRole)
            return runLabel(runs_[size_t(section)]);
        if (role == Qt::ToolTipRole)
            return QString::fromStdString(runs_[size_t(section)].notes);
        return {};
    }
    if (section < 0 || section >= visible_.size())
        return {};
    const Row& row = rows_[size_t(visible_[section])];
    if (role == Qt::DisplayRole)
        return row.name;
    if (role == Qt::FontRole && row.differs && !differencesOnly_) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ForegroundRole && row.differs && !differencesOnly_)
        return QColor(196, 78, 0);
    return {};
}

} // namespace bp::ui
