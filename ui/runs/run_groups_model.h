#pragma once
#include "core/store/run_store.h"
#include "ui/groups/seed_groups.h"
#include <QAbstractItemModel>
#include <QHash>
#include <optional>
#include <vector>

namespace bp::ui {

// The runs of a run store as seed groups (the Runs page's "Group seeds"): a row per group — its runs, and
// mean ± std of the final and best test error and of the top layer's weight and delta angle — that opens
// into its runs. Every run that matches the filter is read (groups need all their members); figures of
// runs that are no longer running are kept between refreshes.
class RunGroupsModel : public QAbstractItemModel {
    Q_OBJECT
  public:
    enum Column {
        Name,
        Runs,
        Seed,
        FinalError,
        BestError,
        WeightAngle,
        DeltaAngle,
        Status,
        Epochs,
        Sweep,
        ColumnCount
    };
    enum Role { RunIdRole = Qt::UserRole + 1, ValueRole }; // ValueRole: the number (a group's mean)

    explicit RunGroupsModel(QObject* parent = nullptr);

    void setStore(RunStore* store);
    void setFilter(const RunFilter& filter); // the order is the store's (newest first)
    QString lastError() const { return error_; }

    int groupCount() const { return int(groups_.size()); }
    const SeedGroup& group(int row) const { return groups_.at(size_t(row)); }
    std::vector<int64_t> runsOfGroup(int row) const;
    int64_t runCount() const { return int64_t(runs_.size()); }
    std::optional<RunRecord> record(int64_t runId) const;
    // The summary of a figure column (FinalError … DeltaAngle) over a group's runs.
    study::Summary summaryOf(int groupRow, Column column) const;
    QModelIndex indexOfRun(int64_t runId) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  public Q_SLOTS:
    void reload();  // re-reads every run and regroups
    void refresh(); // regroups only when runs came, went or changed

  private:
    std::vector<RunRecord> query();
    void rebuild(std::vector<RunRecord> runs);
    std::optional<double> figure(size_t run, Column column) const;
    QVariant runData(size_t run, int column, int role) const;
    QVariant groupData(int group, int column, int role) const;

    RunStore* store_ = nullptr;
    RunFilter filter_;
    std::vector<RunRecord> runs_;
    std::vector<RunEndFigures> figures_; // one per run
    std::vector<SeedGroup> groups_;
    struct Settled {
        RunStatus status;
        int epochsDone;
        RunEndFigures figures;
    };
    QHash<int64_t, Settled> settled_; // figures of runs that no longer change, as of that status and epoch
    QString error_;
};

} // namespace bp::ui
