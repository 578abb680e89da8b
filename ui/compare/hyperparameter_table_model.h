#pragma once
#include "core/store/run_store.h"
#include "ui/groups/seed_groups.h"
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
// differ; with every row shown, differing rows are drawn bold and coloured. By group (setGrouped): one column
// per seed group ("G1 · hidden_lr=0.1"), each cell the value its runs share; the seed row lists the group's
// seeds ("1–5" when consecutive, else "1, 4, 9"), and a fact its runs do not share lists their values.
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
    // The same for runs already read, with their seed groups when known (indices into runs; else read
    // when first shown by group).
    void setRunRecords(RunStore& store, const std::vector<RunRecord>& runs,
                       const std::vector<SeedGroup>& groups = {});
    void clear();
    // Each run's hyperparameters as read (readHyperparameters), in column order.
    const std::vector<std::vector<Hyperparameter>>& runHyperparameters() const { return params_; }
    void setDifferencesOnly(bool on);
    bool differencesOnly() const { return differencesOnly_; }
    // One column per seed group (seedGroups of the runs) instead of one per run.
    void setGrouped(bool on);
    bool grouped() const { return grouped_; }
    const std::vector<SeedGroup>& groups() const { return groups_; } // empty until shown by group
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
    void updateShownRows();
    Row groupRow(const Row& perRun) const;

    std::vector<RunRecord> runs_;
    void build(RunStore& store, const std::vector<RunRecord>& runs, const std::vector<SeedGroup>& groups);

    std::vector<std::vector<Hyperparameter>> params_; // per run
    std::vector<Row> runRows_;                        // one value per run
    std::vector<SeedGroup> groups_;                   // of runs_, once shown by group
    std::vector<Row> rows_;                           // as shown: runRows_, or one value per group
    bool grouped_ = false;
    QVector<int> visible_; // indices into rows_
    bool differencesOnly_ = false;
    QString error_;
};

} // namespace bp::ui
