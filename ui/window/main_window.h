#pragma once
#include "core/data/dataset.h"
#include "core/events/observer.h"
#include "ui/plots/plot_export.h"
#include <QMainWindow>
#include <QTimer>
#include <memory>
#include <optional>

class QLabel;
class QPushButton;
class QTabWidget;

namespace bp {
class RunStore;
}

namespace bp::ui {

class CompareView;
class MetricPlot;
class RunForm;
class RunsView;
class TrainPage;

// The explorer's window: a Train page (form, queue, live plots), the Runs page (every recorded run) and
// the Compare page, over one run database. Menus for the database, exports and run control; the layout,
// the last form and the database are remembered between sessions.
class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    // databasePath empty: the one used last, else the default database.
    explicit MainWindow(const QString& databasePath = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    TrainPage* trainPage() const { return train_; }
    RunsView* runsView() const { return runs_; }
    CompareView* compareView() const { return compare_; }
    QTabWidget* tabs() const { return tabs_; }
    RunStore* store() const { return store_.get(); }   // the explorer's writes
    RunStore* reader() const { return reader_.get(); } // the explorer's reads (read-only)
    QString databaseError() const { return databaseError_; }
    ExportOptions& figureOptions() { return figureOptions_; }

    // The Train page's parts, for tests and shortcuts.
    // The size of a first window on a screen of this available geometry: 1400 × 880 where it fits, else
    // the screen less a margin (a title bar, a panel).
    static QSize initialSize(const QRect& available);

    RunForm* form() const;
    QPushButton* launchButton() const;
    QPushButton* pauseButton() const;
    QPushButton* stopButton() const;
    MetricPlot* lossPlot() const;
    MetricPlot* errorPlot() const;
    MetricPlot* weightAnglePlot() const;
    MetricPlot* deltaAnglePlot() const;
    QString statusText() const;
    std::optional<RunStatus> lastStatus() const;
    void setDataOverride(data::DatasetPair data);

  public Q_SLOTS:
    void launch();
    void togglePause();
    void stop();
    // Opens (or creates) the run database; false with databaseError() when it cannot be used.
    bool openDatabase(const QString& path);
    // The burstprop-train command that records the form's run as Launch would, into this window's
    // database, with its name, tags and notes: one line per seed when "× N seeds" asks for several. On
    // the clipboard.
    QString copyCommandLine();
    // Every panel of the Train page stacked into one PNG, SVG or PDF, at figureOptions()'s size.
    bool exportAllPanels(const QString& path, QString* error);
    // The runs that File ▸ Export run metrics / checkpoint act on: those selected on the Runs page while it
    // is shown, the compared ones on the Compare page, else the Train page's current (or last) run.
    QVector<int64_t> exportedRuns() const;
    // Their metrics as long-format CSV / the one run's latest checkpoint as a Python .pt. What was written
    // is said in the status bar.
    bool exportRunMetrics(const QString& path, QString* error);
    bool exportRunCheckpoint(const QString& path, QString* error);
    // The Compare page's panels (PNG/SVG/PDF) and the compared runs' metrics (long-format CSV).
    bool exportComparisonPanels(const QString& path, QString* error);
    bool exportComparisonMetrics(const QString& path, QString* error);
    // Fills the form from a recorded run (its configuration, name, tags and notes).
    bool cloneIntoForm(int64_t runId, QString* error);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    void buildMenus();
    void restoreSettings();
    void saveSettings();
    void showError(const QString& message);
    QString shortcutsText() const; // Help ▸ Keyboard shortcuts
    QString askSavePath(const QString& title, const QString& filters, const QString& suggestedName);

    std::unique_ptr<RunStore> store_;
    std::unique_ptr<RunStore> reader_;
    QString databaseError_;
    TrainPage* train_;
    RunsView* runs_;
    CompareView* compare_;
    QTabWidget* tabs_;
    QTimer* compareRefresh_;
    ExportOptions figureOptions_{900, 380, 144};
    QLabel* databaseLabel_;
    QAction* exportMetricsAction_ = nullptr;
    QAction* exportCheckpointAction_ = nullptr;
};

} // namespace bp::ui
