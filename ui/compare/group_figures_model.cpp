#include "ui/compare/group_figures_model.h"
#include "ui/compare/run_figures_model.h"
#include <cmath>

namespace bp::ui {

namespace {

// Losses are small numbers: four decimals; errors (%) and angles (°) two.
int decimalsOf(int column) {
    return column == RunFiguresModel::TrainLoss || column == RunFiguresModel::TestLoss ? 4 : 2;
}

} // namespace

GroupFiguresModel::GroupFiguresModel(RunFiguresModel* runs, QObject* parent)
    : QAbstractTableModel(parent), runs_(runs) {
    // The runs' table changes mode or epoch: every cell (and the figures' titles) may change.
    connect(runs_, &QAbstractItemModel::dataChanged, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    });
}

void GroupFiguresModel::setGroups(std::vector<SeedGroup> groups) {
    beginResetModel();
    groups_ = std::move(groups);
    endResetModel();
}

std::vector<double> GroupFiguresModel::finalTestErrors(int group) const {
    std::vector<double> values;
    if (group < 0 || group >= rowCount())
        return values;
    for (size_t row : groups_[size_t(group)].runs) {
        if (int(row) >= runs_->rowCount())
            continue;
        const EpochFigures* last = finalEpoch(runs_->epochs(int(row)));
        if (last && std::isfinite(last->testError))
            values.push_back(last->testError);
    }
    return values;
}

study::Summary GroupFiguresModel::summaryOf(int group, int column) const {
    std::vector<double> values;
    if (group >= 0 && group < rowCount() && column > Runs && column < PValue)
        for (size_t row : groups_[size_t(group)].runs) {
            const QVariant v = runs_->data(runs_->index(int(row), column), RunFiguresModel::ValueRole);
            if (v.isValid())
                values.push_back(v.toDouble());
        }
    return study::summary(values);
}

std::optional<double> GroupFiguresModel::pValue(int group) const {
    if (group <= 0 || group >= rowCount())
        return std::nullopt;
    const study::WelchTest test = study::welchTTest(finalTestErrors(group), finalTestErrors(0));
    return test.valid ? std::optional<double>(test.p) : std::nullopt;
}

QString GroupFiguresModel::figureTitle(int column) const {
    const QString title = runs_->headerData(column, Qt::Horizontal).toString();
    switch (runs_->mode()) {
    case RunFiguresModel::Mode::Final:
        return tr("%1, final").arg(title);
    case RunFiguresModel::Mode::Best:
        return tr("%1, best epoch").arg(title);
    case RunFiguresModel::Mode::AtEpoch:
        return tr("%1, epoch %2").arg(title).arg(runs_->epoch());
    }
    return title;
}

study::GroupTable GroupFiguresModel::table() const {
    study::GroupTable t;
    t.pTitle = headerData(PValue, Qt::Horizontal).toString().toStdString();
    std::vector<int> columns;
    for (int c = Runs + 1; c < PValue; ++c)
        for (int g = 0; g < rowCount(); ++g)
            if (summaryOf(g, c).n > 0) {
                columns.push_back(c);
                t.figures.push_back(figureTitle(c).toStdString());
                t.figureDecimals.push_back(decimalsOf(c));
                break;
            }
    for (int g = 0; g < rowCount(); ++g) {
        study::GroupTableRow row{
            groups_[size_t(g)].title().toStdString(), groups_[size_t(g)].runs.size(), {}, pValue(g)};
        for (int c : columns)
            row.figures.push_back(summaryOf(g, c));
        t.rows.push_back(std::move(row));
    }
    return t;
}

int GroupFiguresModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(groups_.size());
}

int GroupFiguresModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GroupFiguresModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != ValueRole)
        return {};
    const SeedGroup& g = groups_[size_t(index.row())];
    if (index.column() == Runs)
        return int(g.runs.size());
    if (index.column() == PValue) {
        const std::optional<double> p = pValue(index.row());
        if (!p)
            return {};
        return role == ValueRole ? QVariant(*p) : QVariant(QString::fromStdString(study::pValueText(*p)));
    }
    const study::Summary s = summaryOf(index.row(), index.column());
    if (!s.mean)
        return {};
    if (role == ValueRole)
        return *s.mean;
    return QString::fromStdString(study::meanStdText(s, decimalsOf(index.column()), g.runs.size()));
}

QVariant GroupFiguresModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= rowCount())
            return {};
        if (role == Qt::DisplayRole)
            return groups_[size_t(section)].title();
        return {};
    }
    if (role == Qt::ToolTipRole && section == PValue)
        return tr("Welch's t-test of the group's final test error against the first group's (two-sided). "
                  "Select two groups for the bootstrap interval of their difference.");
    if (role == Qt::ToolTipRole && section > Runs && section < PValue)
        return tr("Mean ± sample std over the group's runs; a figure some run lacks adds its own n");
    if (role != Qt::DisplayRole)
        return {};
    if (section == Runs)
        return tr("Runs");
    if (section == PValue)
        return groups_.empty() ? tr("p vs G1, final test error")
                               : tr("p vs %1, final test error").arg(groups_.front().name);
    return runs_->headerData(section, Qt::Horizontal, role);
}

} // namespace bp::ui
