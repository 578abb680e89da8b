#pragma once
#include "core/store/run_store.h"
#include <QAbstractTableModel>
#include <QStringList>
#include <QVector>
#include <cstdint>

namespace bp::ui {

// Hyperparameters of several runs side by side: one row per hyperparameter key (the union over the runs,
// sorted) followed by the runs' reproducibility facts, one column per run ("#id name"). The row name is the
// vertical header. Differences-only hides the rows whose displayed values are all equal; with every row
// shown, differing rows are drawn bold and coloured.
class HyperparameterTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    // Fact rows after the hyperparameters. The "seed" hyperparameter row already holds the run's seed, and
    // the "threads" hyperparameter the configured count (0: all cores), so the fact is the count used.
    static const QStringList& factNames();
    static constexpr int DiffersRole = Qt::UserRole + 1; // bool: the row's values are not all equal

    explicit HyperparameterTableModel(QObject* parent = nullptr);

    // Runs that no longer exist are left out. Store errors empty the table and are kept in lastError().
    void setRuns(RunStore& store, const QVector<int64_t>& runIds);
    void clear();
    void setDifferencesOnly(bool on);
    bool differencesOnly() const { return differencesOnly_; }
    QString lastError() const { return error_; }
    // The name of a visible row (its vertical header).
    QString rowName(int row) const;
    int rowOfName(const QString& name) const; // -1 when hidden or absent
    QVector<int64_t> runIds() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    struct Row {
        QString name;
        QStringList values; // one per run; empty when the run lacks the key
        bool differs = false;
    };
    void updateVisibleRows();

    std::vector<RunRecord> runs_;
    std::vector<Row> rows_;
    QVector<int> visible_; // indices into rows_
    bool differencesOnly_ = false;
    QString error_;
};

} // namespace bp::ui
