#pragma once
#include <QStringList>
#include <QTreeView>
#include <QVector>
#include <cstdint>

namespace bp::ui {

class RunGroupsModel;

// The Runs page's seed groups: a tree of groups opening into their runs, over its own RunGroupsModel. A
// selected group stands for all its runs; the groups left open stay open when the runs are regrouped.
class RunGroupsTree : public QTreeView {
    Q_OBJECT
  public:
    explicit RunGroupsTree(QWidget* parent = nullptr);
    RunGroupsModel* groupsModel() const { return groups_; }
    QVector<int64_t> selectedRuns() const; // sorted, each once
    void selectRun(int64_t runId);         // opens its group
    void refreshGroups();                  // re-reads the store, keeping open groups open

  Q_SIGNALS:
    void compareRequested(const QVector<qint64>& runIds); // double click: a run, or a group's runs

  private:
    void rememberExpanded();
    void restoreExpanded();

    RunGroupsModel* groups_;
    QStringList expanded_; // titles of the open groups
};

} // namespace bp::ui
