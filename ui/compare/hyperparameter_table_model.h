#pragma once
#include "core/store/run_store.h"
#include <QAbstractTableModel>
#include <QStringList>
#include <QVector>
#include <cstdint>

namespace bp::ui {

// Hyperparameters of several runs side by side: one row per hyperparameter key (the union over the runs,
// sorted) followed by the runs' reproducibility facts, one column per run ("#id name"). The row name is the
// vertical header. A hyperparameter the run's rule or network does not use shows "n/a", greyed, with the
// reason as tooltip (readHyperparameters: the store's record, else the rule registry). A row differs when
// the values of the runs it applies to are not all equal: "n/a" beside a value is no difference by itself
// (the rule or architecture row, which does differ, says why). Differences-only hides the rows that do not
// differ; with every row shown, differing rows are drawn bold and coloured.
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
        QStringList values;        // one per run; empty when the run lacks the key
        QStringList notApplicable; // one per run: why the key does not apply to it; empty when it does
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
