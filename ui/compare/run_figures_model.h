#pragma once
#include "core/store/run_store.h"
#include "ui/compare/run_figures.h"
#include <QAbstractTableModel>
#include <QVector>
#include <cstdint>
#include <vector>

namespace bp::ui {

// The outcome figures of several runs, one row per run ("#id name" as vertical header), at the final epoch,
// the best epoch (lowest test error) or a chosen epoch. The Epoch column says which epoch each row shows;
// a run without that epoch has empty cells.
class RunFiguresModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        Epoch,
        TrainLoss,
        TrainError,
        TestLoss,
        TestError,
        WeightAngle,
        DeltaAngle,
        SilentClasses, // test classes the network never predicted
        ColumnCount
    };
    enum class Mode { Final, Best, AtEpoch };
    static constexpr int ValueRole = Qt::UserRole + 1; // double (the epoch as a number); invalid when empty

    explicit RunFiguresModel(QObject* parent = nullptr);

    // Reads every epoch of the runs. Store errors empty the table and are kept in lastError().
    void setRuns(RunStore& store, const QVector<int64_t>& runIds);
    void clear();
    void setMode(Mode mode);
    Mode mode() const { return mode_; }
    void setEpoch(int epoch); // used in AtEpoch mode
    int epoch() const { return epoch_; }
    int maxEpoch() const; // the highest epoch any run recorded (0 when none)
    QString lastError() const { return error_; }
    // The figures a row shows in the current mode; nullptr when the run has no such epoch.
    const EpochFigures* shownFigures(int row) const;
    const RunRecord& run(int row) const { return rows_.at(size_t(row)).run; }
    const std::vector<EpochFigures>& epochs(int row) const { return rows_.at(size_t(row)).epochs; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    struct RunRow {
        RunRecord run;
        std::vector<EpochFigures> epochs;
    };
    void emitAllChanged();

    std::vector<RunRow> rows_;
    Mode mode_ = Mode::Final;
    int epoch_ = 0;
    QString error_;
};

} // namespace bp::ui
