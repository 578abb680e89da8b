#pragma once
#include "core/store/run_store.h"
#include "ui/groups/seed_groups.h"
#include "ui/plots/plot_export.h"
#include <QList>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace bp::ui {

class ComparePlots;
class GroupFiguresModel;
class GroupPanel;
class HyperparameterPanel;
class HyperparameterTableModel;
class MetricPlot;
class ParallelCoordinatesPlot;
class PlotToolbar;
class RunFiguresModel;

// Several runs compared: their curves overlaid on top (loss, error, weight and delta angle, one colour per
// run), and below, tabs with their hyperparameters side by side, their figures (final, best or at an epoch)
// and a parallel-coordinates plot of hyperparameters against outcomes. Reads everything from the run store;
// the owner calls refresh() while compared runs are still training. With no runs (or no store) it shows a
// hint of how to compare runs instead. By group (on by itself when the runs form seed groups of more than
// one run): each group's mean with a band (± std, min–max or a 95 % bootstrap interval; its runs faint
// behind on demand), the figures as mean ± std per group with "is the difference real?" for two groups.
class CompareView : public QWidget {
    Q_OBJECT
  public:
    explicit CompareView(QWidget* parent = nullptr);

    void setStore(RunStore* store); // nullptr empties the view; the store must outlive the view or be reset
    RunStore* store() const { return store_; }
    QVector<int64_t> runs() const { return runIds_; }
    // The four panels stacked into one PNG, SVG or PDF; false with a message naming the path on failure.
    bool exportFigures(const QString& path, QString* error, ExportOptions options = {});
    QString lastError() const { return error_; } // of the last load; empty when it succeeded
    bool isEmpty() const;                        // the hint shows instead of the panels
    QLabel* placeholder() const { return placeholder_; }

    QCheckBox* differencesOnlyBox() const;
    HyperparameterTableModel* hyperparameterModel() const;
    HyperparameterPanel* hyperparameterPanel() const { return hyperparameters_; }
    RunFiguresModel* figuresModel() const { return figures_; }
    QComboBox* figuresModeBox() const { return figuresMode_; }
    QSpinBox* figuresEpochBox() const { return figuresEpoch_; }
    QList<MetricPlot*> plots() const;
    PlotToolbar* toolbar() const;
    ParallelCoordinatesPlot* parallelPlot() const { return parallel_; }
    // By group: the parallel plot's lines, one per run coloured by group or one per group (its mean).
    QComboBox* parallelLinesBox() const { return parallelLines_; }
    QTabWidget* tabs() const { return tabs_; }
    QCheckBox* byGroupBox() const { return byGroup_; }
    QComboBox* bandBox() const { return band_; } // item data: study::Band as int
    QCheckBox* showRunsBox() const { return showRuns_; }
    GroupPanel* groupPanel() const { return groupPanel_; }
    GroupFiguresModel* groupFiguresModel() const;
    bool isByGroup() const;

  public Q_SLOTS:
    void setRuns(const QVector<int64_t>& runIds); // in this order (it sets the colours); reloads
    void refresh();                               // re-reads the runs from the store

  Q_SIGNALS:
    // A store or export failure, ready to show (the main window's status bar).
    void errorOccurred(const QString& message);

  private:
    QWidget* buildFiguresTab();
    QWidget* buildGroupControls();
    QWidget* buildParallelTab();
    void redrawCurves(const std::vector<RunRecord>& runs);
    void showGroupsOrRuns();
    void onFiguresModeChanged();
    void fail(const QString& message);

    RunStore* store_ = nullptr;
    QVector<int64_t> runIds_;
    QString error_;
    ComparePlots* curves_;
    QTabWidget* tabs_;
    HyperparameterPanel* hyperparameters_;
    RunFiguresModel* figures_;
    QComboBox* figuresMode_ = nullptr;
    QSpinBox* figuresEpoch_ = nullptr;
    QStackedWidget* figuresPages_ = nullptr; // the runs' figures, or the groups'
    GroupPanel* groupPanel_ = nullptr;
    QCheckBox* byGroup_ = nullptr;
    QComboBox* band_ = nullptr;
    QCheckBox* showRuns_ = nullptr;
    QWidget* groupControls_ = nullptr;
    std::vector<RunRecord> shownRuns_;   // the runs read by the last refresh(), in their order
    std::vector<SeedGroup> shownGroups_; // their seed groups (indices into shownRuns_)
    bool chooseGrouping_ = false;        // the next refresh() sets "by group" from the runs' groups
    ParallelCoordinatesPlot* parallel_;
    QComboBox* parallelLines_ = nullptr;
    QStackedWidget* pages_;
    QLabel* placeholder_;
};

} // namespace bp::ui
