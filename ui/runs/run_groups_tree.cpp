#include "ui/runs/run_groups_tree.h"
#include "ui/runs/run_groups_model.h"
#include <QHeaderView>
#include <algorithm>

namespace bp::ui {

RunGroupsTree::RunGroupsTree(QWidget* parent) : QTreeView(parent), groups_(new RunGroupsModel(this)) {
    setObjectName(QStringLiteral("run_groups"));
    setModel(groups_);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    setUniformRowHeights(true);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setContextMenuPolicy(Qt::CustomContextMenu);
    header()->setSectionResizeMode(RunGroupsModel::Name, QHeaderView::Stretch);
    header()->setStretchLastSection(false);
    header()->resizeSection(RunGroupsModel::Runs, 50);
    header()->resizeSection(RunGroupsModel::Seed, 60);
    header()->resizeSection(RunGroupsModel::Epochs, 70);
    header()->resizeSection(RunGroupsModel::Sweep, 60);
    connect(groups_, &QAbstractItemModel::modelAboutToBeReset, this, &RunGroupsTree::rememberExpanded);
    connect(groups_, &QAbstractItemModel::modelReset, this, &RunGroupsTree::restoreExpanded);
    connect(this, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
        QVector<qint64> ids;
        const QModelIndex row = index.siblingAtColumn(0);
        if (const qint64 id = row.data(RunGroupsModel::RunIdRole).toLongLong())
            ids << id;
        else
            for (int64_t member : groups_->runsOfGroup(row.row()))
                ids << member;
        if (!ids.isEmpty())
            Q_EMIT compareRequested(ids);
    });
}

QVector<int64_t> RunGroupsTree::selectedRuns() const {
    QVector<int64_t> ids;
    for (const QModelIndex& row : selectionModel()->selectedRows()) {
        if (const qint64 id = row.data(RunGroupsModel::RunIdRole).toLongLong())
            ids << id;
        else if (!row.parent().isValid())
            for (int64_t member : groups_->runsOfGroup(row.row()))
                ids << member;
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

void RunGroupsTree::selectRun(int64_t runId) {
    const QModelIndex index = groups_->indexOfRun(runId);
    if (!index.isValid())
        return;
    expand(index.parent());
    selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    scrollTo(index);
}

void RunGroupsTree::refreshGroups() {
    groups_->refresh();
}

void RunGroupsTree::rememberExpanded() {
    expanded_.clear();
    for (int g = 0; g < groups_->groupCount(); ++g)
        if (isExpanded(groups_->index(g, 0)))
            expanded_ << groups_->group(g).title();
}

void RunGroupsTree::restoreExpanded() {
    for (int g = 0; g < groups_->groupCount(); ++g)
        if (expanded_.contains(groups_->group(g).title()))
            expand(groups_->index(g, 0));
}

} // namespace bp::ui
