#pragma once
#include "core/store/run_store.h"
#include <QTimer>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace bp::ui {

class EvaluateDialog;
class RunGroupsModel;
class RunGroupsTree;
class RunsTableModel;

// Every recorded run: a sortable, filterable table (text, status, and hyperparameter ranges such as
// "hidden_lr 0.01..0.5, n_epochs 10..") with rename, tags, notes, resume, clone, compare, evaluate (a
// checkpoint on the test set: errors per class and the confusion matrix), export and delete.
// While visible it re-reads the store every second, so runs of other processes appear and update. "Group
// seeds" shows the runs as seed groups (a tree: a group's mean ± std, opening into its runs); a sweep box
// keeps the runs of one sweep.
class RunsView : public QWidget {
    Q_OBJECT
  public:
    explicit RunsView(QWidget* parent = nullptr);

    // Reads (the table, exports) go through reader, changes (rename, tags, notes, delete) through writer:
    // the explorer's two connections. setStore(s) uses one store for both.
    void setStore(RunStore* store);
    void setStores(RunStore* reader, RunStore* writer);
    RunsTableModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    QLineEdit* filterField() const { return filter_; }
    QLineEdit* rangeField() const { return ranges_; }
    QComboBox* statusBox() const { return status_; }
    QComboBox* sweepBox() const { return sweep_; } // "any sweep", then each sweep (its id as item data)
    QCheckBox* groupSeedsBox() const { return groupSeeds_; }
    RunGroupsModel* groupsModel() const;
    RunGroupsTree* groupTree() const { return groupTree_; }
    bool isGrouped() const;
    // The runs selected; a selected group stands for all its runs.
    QVector<int64_t> selectedRuns() const;
    void selectRun(int64_t runId);

    // Parses "key min..max" items separated by commas or semicolons ("lr 0.1..", "n_epochs ..10" are open
    // ranges; "seed 3" is one value). Returns false with the reason for a malformed item.
    static bool parseRanges(const QString& text, std::vector<RunFilter::Range>* ranges, QString* error);

    // The actions, without dialogs (the buttons ask first and call these).
    bool renameRun(int64_t runId, const QString& name, QString* error);
    bool setRunTags(int64_t runId, const QStringList& tags, QString* error);
    bool setRunNotes(int64_t runId, const QString& notes, QString* error);
    bool deleteRuns(const QVector<int64_t>& runIds, QString* error);
    bool exportMetrics(const QVector<int64_t>& runIds, const QString& path, QString* error);
    // kind: "latest", "best", "initial" or "epoch-N"; python: the torch.load .pt, else the native checkpoint.
    bool exportCheckpoint(int64_t runId, const QString& kind, bool python, const QString& path,
                          QString* error);
    // The labels of the checkpoints a run keeps ("initial", "latest", "best", "epoch-N"); empty with the
    // reason in *error when they cannot be read.
    QStringList checkpointLabels(int64_t runId, QString* error) const;
    // Opens a dialog (deleted on close) that evaluates the run's checkpoint of that label off the GUI
    // thread and shows test loss, error, per-class error and the confusion matrix.
    EvaluateDialog* evaluateRun(int64_t runId, const QString& label);

  Q_SIGNALS:
    void resumeRequested(qint64 runId);
    void cloneRequested(qint64 runId);
    void compareRequested(const QVector<qint64>& runIds);
    void errorOccurred(const QString& message);

  protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

  private:
    void applyFilter();
    void reloadSweeps();
    void setGrouped(bool grouped);
    std::optional<RunRecord> recordOf(int64_t runId) const;
    void updateButtons();
    void showContextMenu(const QPoint& at);
    void askRename();
    void askTags();
    void askNotes();
    void askDelete();
    void askExportMetrics();
    void askExportCheckpoint();
    void askEvaluate();
    int64_t currentRun() const;

    RunsTableModel* model_;
    RunStore* writer_ = nullptr;
    QTableView* table_;
    QLineEdit* filter_;
    QLineEdit* ranges_;
    QComboBox* status_;
    QComboBox* sweep_;
    QCheckBox* groupSeeds_;
    RunGroupsTree* groupTree_;
    QStackedWidget* views_;
    QLabel* summary_;
    QString rangeError_; // why the hyperparameter filter is not applied; empty when it is
    QPushButton* compare_;
    QPushButton* resume_;
    QPushButton* clone_;
    QPushButton* delete_;
    QPushButton* export_;
    QPushButton* evaluate_;
    QTimer refreshTimer_;
};

} // namespace bp::ui
