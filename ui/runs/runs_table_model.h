#pragma once
#include "core/store/run_store.h"
#include <QAbstractTableModel>
#include <QHash>
#include <QVector>
#include <optional>
#include <vector>

namespace bp::ui {

// The runs of a run store as a table, loaded lazily in pages (canFetchMore/fetchMore) so that thousands of
// runs open at once. Sorting and filtering happen in SQL. refresh() re-reads the loaded rows: runs added by
// another process (the CLI on the same database) appear at the top, changed ones update in place.
class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        Status,
        Name,
        Dataset,
        Rule,
        Network,
        Epochs,
        BestError,
        WeightAngle,
        DeltaAngle,
        Started,
        Duration,
        Tags,
        Sweep, // the sweep's id; blank for runs in no sweep
        ColumnCount
    };
    enum Role { RunIdRole = Qt::UserRole + 1, SortValueRole };
    static constexpr int kPageSize = 200;

    explicit RunsTableModel(QObject* parent = nullptr);

    void setStore(RunStore* store); // resets; nullptr empties the table
    RunStore* store() const { return store_; }
    void setFilter(const RunFilter& filter); // keeps the current sort order
    const RunFilter& filter() const { return filter_; }
    int64_t totalCount() const { return total_; } // matching runs, loaded or not
    int64_t runId(int row) const;
    int rowOfRun(int64_t runId) const; // -1 when not loaded
    std::optional<RunRecord> record(int row) const;
    // The last message of a store error (a locked or vanished database); empty when all is well.
    QString lastError() const { return error_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

  public Q_SLOTS:
    void refresh();

  private:
    struct Angles {
        std::optional<double> weight, delta;
    };
    void reload();
    std::vector<RunRecord> query(int offset, int limit);
    const Angles& anglesOf(const RunRecord& run) const;

    RunStore* store_ = nullptr;
    RunFilter filter_;
    std::vector<RunRecord>
        rows_; // std::vector: RunRecord holds std::strings, which QList may not move safely
    int64_t total_ = 0;
    QString error_;
    bool resetting_ = false;
    bool fetching_ = false;
    mutable QHash<int64_t, Angles> angles_; // final angles of finished runs (running ones are re-read)
};

} // namespace bp::ui
