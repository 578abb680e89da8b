#pragma once
#include "core/study/group_table.h"
#include "ui/groups/seed_groups.h"
#include <QAbstractTableModel>
#include <vector>

namespace bp::ui {

class RunFiguresModel;

// The Compare page's figures by seed group: one row per group ("G1 · hidden_lr=0.1" as vertical header),
// its runs counted, each figure of the runs' table (at the final epoch, the best or a chosen one, as that
// table shows them) as mean ± std, and Welch's p-value of each group's final test error against the first
// group's. Follows the runs' table as it changes.
class GroupFiguresModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    // Columns 1 … 7 are those of RunFiguresModel (its Epoch column becomes Runs).
    enum Column { Runs, PValue = 8, ColumnCount };
    static constexpr int ValueRole = Qt::UserRole + 1; // a figure's mean, Runs' count, the p-value

    explicit GroupFiguresModel(RunFiguresModel* runs, QObject* parent = nullptr);

    void setGroups(std::vector<SeedGroup> groups); // runs: rows of the runs' table
    const std::vector<SeedGroup>& groups() const { return groups_; }
    std::vector<double> finalTestErrors(int group) const; // of the runs that recorded one
    study::Summary summaryOf(int group, int column) const;
    // The table as exported: the figures some run has, and the p-values.
    study::GroupTable table() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    std::optional<double> pValue(int group) const;
    QString figureTitle(int column) const; // "Test error (%), final"

    RunFiguresModel* runs_;
    std::vector<SeedGroup> groups_;
};

} // namespace bp::ui
