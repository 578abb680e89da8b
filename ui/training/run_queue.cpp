#include "ui/training/run_queue.h"
#include "core/setup/command_line.h"
#include <cctype>

namespace bp::ui {

namespace {

bool isOptionName(const std::string& word) {
    // "-0.5" is a value; "-hidden_lr" and "--dataset" are names.
    return word.size() > 1 && word[0] == '-' &&
           (std::isalpha(static_cast<unsigned char>(word[1])) || word[1] == '-');
}

} // namespace

QString differencesText(const RunConfig& config) {
    const std::vector<std::string> args = commandLineArguments(config);
    QStringList parts;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i];
        name.erase(0, name.find_first_not_of('-'));
        if (const size_t eq = name.find('='); eq != std::string::npos) // "-xi_mean=-0.5"
            parts << QString::fromStdString(name.substr(0, eq) + " " + name.substr(eq + 1));
        else if (i + 1 < args.size() && !isOptionName(args[i + 1]))
            parts << QStringLiteral("%1 %2").arg(QString::fromStdString(name),
                                                 QString::fromStdString(args[++i]));
        else
            parts << QString::fromStdString(name);
    }
    return parts.isEmpty() ? QObject::tr("the defaults") : parts.join(QStringLiteral(" · "));
}

RunQueueModel::RunQueueModel(QObject* parent) : QAbstractListModel(parent) {}

int RunQueueModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : count();
}

QVariant RunQueueModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.model() != this || !isRow(index.row()))
        return {};
    const QueuedRun& run = runs_.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        // Two lines: the name, then only what differs from the dataset's and rule's defaults, so that runs
        // of a sweep differ where the eye looks. The whole configuration is the SummaryRole.
        return run.name + QLatin1Char('\n') + differencesText(run.config);
    case Qt::ToolTipRole:
    case CommandLineRole:
        return QString::fromStdString(commandLine(run.config));
    case NameRole:
        return run.name;
    case SummaryRole:
        return QString::fromStdString(configurationLine(run.config));
    case StoreRunIdRole:
        return run.storeRunId ? QVariant(qlonglong(*run.storeRunId)) : QVariant();
    default:
        return {};
    }
}

QHash<int, QByteArray> RunQueueModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(SummaryRole, "summary");
    names.insert(CommandLineRole, "commandLine");
    names.insert(StoreRunIdRole, "storeRunId");
    return names;
}

int RunQueueModel::enqueue(const QueuedRun& run) {
    const int row = count();
    beginInsertRows({}, row, row);
    runs_.push_back(run);
    endInsertRows();
    Q_EMIT countChanged(count());
    return row;
}

bool RunQueueModel::remove(int row) {
    if (!isRow(row))
        return false;
    beginRemoveRows({}, row, row);
    runs_.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged(count());
    return true;
}

bool RunQueueModel::moveUp(int row) {
    return move(row, row - 1);
}

bool RunQueueModel::moveDown(int row) {
    return move(row, row + 1);
}

bool RunQueueModel::move(int from, int to) {
    if (!isRow(from) || !isRow(to) || from == to)
        return false;
    // beginMoveRows takes the destination as the row the item goes before, in the old numbering.
    if (!beginMoveRows({}, from, from, {}, to > from ? to + 1 : to))
        return false;
    runs_.move(from, to);
    endMoveRows();
    return true;
}

std::optional<QueuedRun> RunQueueModel::takeNext() {
    if (isEmpty())
        return std::nullopt;
    QueuedRun next = runs_.first();
    remove(0);
    return next;
}

void RunQueueModel::clear() {
    if (isEmpty())
        return;
    beginResetModel();
    runs_.clear();
    endResetModel();
    Q_EMIT countChanged(0);
}

bool RunQueueModel::setStoreRunId(int row, int64_t runId) {
    if (!isRow(row))
        return false;
    runs_[row].storeRunId = runId;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {StoreRunIdRole});
    return true;
}

} // namespace bp::ui
