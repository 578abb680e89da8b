#include "ui/compare/run_figures_model.h"
#include "core/util/error.h"
#include "ui/compare/run_identity.h"
#include <cmath>

namespace bp::ui {

namespace {

double valueOf(const EpochFigures& f, int column) {
    switch (column) {
    case RunFiguresModel::Epoch:
        return f.epoch;
    case RunFiguresModel::TrainLoss:
        return f.trainLoss;
    case RunFiguresModel::TrainError:
        return f.trainError;
    case RunFiguresModel::TestLoss:
        return f.testLoss;
    case RunFiguresModel::TestError:
        return f.testError;
    case RunFiguresModel::WeightAngle:
        return f.weightAngle;
    case RunFiguresModel::DeltaAngle:
        return f.deltaAngle;
    case RunFiguresModel::SilentClasses:
        return f.silentClasses;
    default:
        return EpochFigures::kMissing;
    }
}

QString format(double value, int column) {
    if (column == RunFiguresModel::Epoch || column == RunFiguresModel::SilentClasses)
        return QString::number(int(value));
    if (column == RunFiguresModel::WeightAngle || column == RunFiguresModel::DeltaAngle ||
        column == RunFiguresModel::TrainError || column == RunFiguresModel::TestError)
        return QString::number(value, 'f', 2);
    return QString::number(value, 'g', 5);
}

} // namespace

RunFiguresModel::RunFiguresModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunFiguresModel::setRuns(RunStore& store, const QVector<int64_t>& runIds) {
    beginResetModel();
    rows_.clear();
    error_.clear();
    try {
        for (int64_t id : runIds) {
            std::optional<RunRecord> run = store.getRun(id);
            if (run)
                rows_.push_back({std::move(*run), readEpochFigures(store, id)});
        }
    } catch (const Error& e) {
        rows_.clear();
        error_ = QString::fromUtf8(e.what());
    }
    endResetModel();
}

void RunFiguresModel::clear() {
    beginResetModel();
    rows_.clear();
    error_.clear();
    endResetModel();
}

void RunFiguresModel::setMode(Mode mode) {
    if (mode == mode_)
        return;
    mode_ = mode;
    emitAllChanged();
}

void RunFiguresModel::setEpoch(int epoch) {
    if (epoch == epoch_)
        return;
    epoch_ = epoch;
    if (mode_ == Mode::AtEpoch)
        emitAllChanged();
}

int RunFiguresModel::maxEpoch() const {
    int most = 0;
    for (const RunRow& row : rows_)
        if (!row.epochs.empty())
            most = std::max(most, row.epochs.back().epoch);
    return most;
}

void RunFiguresModel::emitAllChanged() {
    if (!rows_.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const EpochFigures* RunFiguresModel::shownFigures(int row) const {
    if (row < 0 || row >= rowCount())
        return nullptr;
    const std::vector<EpochFigures>& epochs = rows_[size_t(row)].epochs;
    switch (mode_) {
    case Mode::Final:
        return finalEpoch(epochs);
    case Mode::Best:
        return bestEpoch(epochs);
    case Mode::AtEpoch:
        return figuresAtEpoch(epochs, epoch_);
    }
    return nullptr;
}

int RunFiguresModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

int RunFiguresModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunFiguresModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != ValueRole)
        return {};
    const EpochFigures* f = shownFigures(index.row());
    if (!f)
        return {};
    const double value = valueOf(*f, index.column());
    if (std::isnan(value))
        return {};
    return role == ValueRole ? QVariant(value) : QVariant(format(value, index.column()));
}

QVariant RunFiguresModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role == Qt::ToolTipRole && orientation == Qt::Horizontal && section == SilentClasses)
        return tr(
            "Classes of the test set that the network predicted for no test image: an output unit pushed "
            "to near zero early in training stays silent, and each adds its share of the test set to the "
            "error. Empty for runs recorded before this figure existed.");
    if (role == Qt::ToolTipRole && orientation == Qt::Horizontal && section == WeightAngle)
        return tr("Angle between each layer's forward weights W and its feedback weights, averaged over the "
                  "layers, at the end of the epoch. The Runs page and the plots above show the top layer's "
                  "angle instead.");
    if (role == Qt::ToolTipRole && orientation == Qt::Horizontal && section == DeltaAngle)
        return tr("Angle between each layer's deltas and backprop's, averaged over the layers, at the end of "
                  "the epoch. The Runs page and the plots above show the top layer's angle instead.");
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section >= 0 && section < rowCount() ? runLabel(rows_[size_t(section)].run) : QVariant();
    static const char* const titles[ColumnCount] = {"Epoch",
                                                    "Train loss",
                                                    "Train error (%)",
                                                    "Test loss",
                                                    "Test error (%)",
                                                    "Weight angle, layer mean (°)",
                                                    "Delta angle, layer mean (°)",
                                                    "Silent classes"};
    return section >= 0 && section < ColumnCount ? QString::fromUtf8(titles[section]) : QVariant();
}

} // namespace bp::ui
