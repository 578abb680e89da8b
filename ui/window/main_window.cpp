#include "ui/window/main_window.h"
#include "core/config/hyperparameters.h"
#include "core/runs/export.h"
#include "core/setup/command_line.h"
#include "core/store/run_store.h"
#include "core/train/trainer.h"
#include "core/util/error.h"
#include "ui/compare/compare_view.h"
#include "ui/form/run_form.h"
#include "ui/plots/export_options_dialog.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/plot_export.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/runs/runs_table_model.h"
#include "ui/runs/runs_view.h"
#include "ui/window/app_settings.h"
#include "ui/window/run_plots.h"
#include "ui/window/train_page.h"
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>

namespace bp::ui {

MainWindow::MainWindow(const QString& databasePath, QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Burstprop Explorer"));
    train_ = new TrainPage;
    tabs_ = new QTabWidget;
    tabs_->setDocumentMode(true);
    runs_ = new RunsView;
    compare_ = new CompareView;
    tabs_->addTab(train_, tr("&Train"));
    tabs_->addTab(runs_, tr("&Runs"));
    tabs_->addTab(compare_, tr("&Compare"));
    // A compared run that is still training (here or in another process) is re-read every 5 seconds.
    compareRefresh_ = new QTimer(this);
    compareRefresh_->setInterval(5000);
    connect(compareRefresh_, &QTimer::timeout, this, [this] {
        if (!reader_ || tabs_->currentWidget() != compare_)
            return;
        for (int64_t id : compare_->runs()) {
            const std::optional<RunRecord> r = reader_->getRun(id);
            if (r && (r->status == RunStatus::Running || r->status == RunStatus::Paused)) {
                compare_->refresh();
                return;
            }
        }
    });
    compareRefresh_->start();
    setCentralWidget(tabs_);
    databaseLabel_ = new QLabel;
    databaseLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(databaseLabel_);
    connect(train_, &TrainPage::errorOccurred, this, &MainWindow::showError);
    connect(runs_, &RunsView::errorOccurred, this, &MainWindow::showError);
    connect(compare_, &CompareView::errorOccurred, this, &MainWindow::showError);
    connect(runs_, &RunsView::compareRequested, this, [this](const QVector<qint64>& ids) {
        compare_->setRuns(QVector<int64_t>(ids.begin(), ids.end()));
        tabs_->setCurrentWidget(compare_);
    });
    connect(train_, &TrainPage::runStarted, runs_->model(), &RunsTableModel::refresh);
    connect(train_, &TrainPage::runFinished, runs_->model(), &RunsTableModel::refresh);
    connect(runs_, &RunsView::resumeRequested, this, [this](qint64 id) {
        QString error;
        if (train_->resumeRun(id, &error))
            tabs_->setCurrentWidget(train_);
        else
            showError(error);
    });
    connect(runs_, &RunsView::cloneRequested, this, [this](qint64 id) {
        QString error;
        if (!cloneIntoForm(id, &error))
            showError(error);
    });
    buildMenus();
    restoreSettings();
    openDatabase(databasePath.isEmpty() ? AppSettings().databasePath() : databasePath);
}

MainWindow::~MainWindow() {
    // The pages record into the store: they go first.
    train_->stopAndWait();
    delete tabs_;
}

RunForm* MainWindow::form() const {
    return train_->form();
}
QPushButton* MainWindow::launchButton() const {
    return train_->launchButton();
}
QPushButton* MainWindow::pauseButton() const {
    return train_->pauseButton();
}
QPushButton* MainWindow::stopButton() const {
    return train_->stopButton();
}
MetricPlot* MainWindow::lossPlot() const {
    return train_->plots()->lossPlot();
}
MetricPlot* MainWindow::errorPlot() const {
    return train_->plots()->errorPlot();
}
MetricPlot* MainWindow::weightAnglePlot() const {
    return train_->plots()->weightAnglePlot();
}
MetricPlot* MainWindow::deltaAnglePlot() const {
    return train_->plots()->deltaAnglePlot();
}
QString MainWindow::statusText() const {
    return train_->statusText();
}
std::optional<RunStatus> MainWindow::lastStatus() const {
    return train_->lastStatus();
}
void MainWindow::setDataOverride(data::DatasetPair data) {
    train_->setDataOverride(std::move(data));
}
void MainWindow::launch() {
    train_->launch();
}
void MainWindow::togglePause() {
    train_->togglePause();
}
void MainWindow::stop() {
    train_->stop();
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open run database…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Run database"), store_ ? QString::fromStdString(store_->path()) : QString(),
            tr("SQLite databases (*.sqlite *.db);;All files (*)"), nullptr,
            QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty() && !openDatabase(path))
            showError(databaseError_);
    });
    file->addSeparator();
    // Each export asks for a file (in the folder used last) and reports a failure with its reason.
    using Writer = bool (MainWindow::*)(const QString&, QString*);
    auto addExport = [this, file](const QString& text, const QString& filters, const QString& nameFormat,
                                  Writer write, bool asksFigureSize = false) {
        file->addAction(text, this, [this, text, filters, nameFormat, write, asksFigureSize] {
            if (asksFigureSize) {
                ExportOptionsDialog dialog(figureOptions_, this);
                if (dialog.exec() != QDialog::Accepted)
                    return;
                figureOptions_ = dialog.options();
            }
            const QString path =
                askSavePath(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")), filters,
                            nameFormat.arg(train_->currentRunId()));
            QString error;
            if (!path.isEmpty() && !(this->*write)(path, &error))
                showError(error);
        });
    };
    addExport(tr("Export all &panels…"), tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"),
              QStringLiteral("run-%1-panels.png"), &MainWindow::exportAllPanels, true);
    addExport(tr("Export run &metrics (CSV)…"), tr("CSV (*.csv)"), QStringLiteral("run-%1-metrics.csv"),
              &MainWindow::exportRunMetrics);
    addExport(tr("Export run &checkpoint for Python (.pt)…"), tr("PyTorch (*.pt)"),
              QStringLiteral("run-%1-latest.pt"), &MainWindow::exportRunCheckpoint);
    file->addSeparator();
    addExport(tr("Export c&omparison panels…"), tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"),
              QStringLiteral("comparison-%1.png"), &MainWindow::exportComparisonPanels);
    addExport(tr("Export comparison m&etrics (CSV)…"), tr("CSV (*.csv)"), QStringLiteral("comparison-%1.csv"),
              &MainWindow::exportComparisonMetrics);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    QAction* launchAction = run->addAction(tr("&Launch"), this, &MainWindow::launch);
    launchAction->setToolTip(tr("Ctrl+Return"));
    run->addAction(tr("&Queue"), train_, &TrainPage::enqueue);
    run->addAction(tr("&Pause / resume"), this, &MainWindow::togglePause);
    run->addAction(tr("&Stop"), this, &MainWindow::stop);
    run->addSeparator();
    QAction* copy = run->addAction(tr("&Copy as command line"), this, [this] {
        const QString line = copyCommandLine();
        statusBar()->showMessage(tr("Copied: %1").arg(line), 5000);
    });
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
}

bool MainWindow::openDatabase(const QString& path) {
    if (train_->isTraining()) {
        databaseError_ = tr("A run is training: stop it before opening another database.");
        return false;
    }
    try {
        // Two connections of the explorer's own: changes (new runs, renames, deletes) on one, every read on a
        // read-only one, so that a long Compare read waits for no writer (a training run records on a third).
        auto store = std::make_unique<RunStore>(path.toStdString());
        auto reader = std::make_unique<RunStore>(path.toStdString(), RunStore::Access::ReadOnly);
        train_->setStore(store.get());
        runs_->setStores(reader.get(), store.get());
        compare_->setStore(reader.get());
        store_ = std::move(store);
        reader_ = std::move(reader);
        databaseError_.clear();
        AppSettings().setDatabasePath(path);
        databaseLabel_->setText(tr("Runs: %1").arg(QDir::toNativeSeparators(path)));
        databaseLabel_->setStyleSheet(QString());
        return true;
    } catch (const std::exception& e) {
        databaseError_ = tr("The run database cannot be used, so runs are not recorded: %1")
                             .arg(QString::fromUtf8(e.what()));
        databaseLabel_->setText(tr("Runs are NOT recorded (File ▸ Open run database…)"));
        databaseLabel_->setStyleSheet(QStringLiteral("color: #c0392b"));
        databaseLabel_->setToolTip(databaseError_);
        if (!store_) {
            train_->setStore(nullptr);
            runs_->setStores(nullptr, nullptr);
            compare_->setStore(nullptr);
        }
        return false;
    }
}

QString MainWindow::copyCommandLine() {
    const QString line = QString::fromStdString(commandLine(train_->form()->config()));
    QApplication::clipboard()->setText(line);
    return line;
}

bool MainWindow::exportAllPanels(const QString& path, QString* error) {
    train_->plots()->replot(true); // panels on a hidden tab are drawn only when shown
    QList<QCustomPlot*> panels;
    for (MetricPlot* p : train_->plots()->metricPlots())
        panels << p->plot();
    return exportPanels(panels, path, figureOptions_, error);
}

bool MainWindow::exportRunMetrics(const QString& path, QString* error) {
    if (!store_ || train_->currentRunId() == 0) {
        *error = tr("No recorded run to export: launch one, or export from the Runs page.");
        return false;
    }
    try {
        exportMetricsCsv(*reader_, {train_->currentRunId()}, path.toStdString());
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool MainWindow::exportRunCheckpoint(const QString& path, QString* error) {
    if (!store_ || train_->currentRunId() == 0) {
        *error = tr("No recorded run to export: launch one, or export from the Runs page.");
        return false;
    }
    try {
        const std::optional<RunRecord> run = reader_->getRun(train_->currentRunId());
        const std::string source = run ? Trainer::resumableCheckpoint(run->resultsDir) : std::string();
        if (source.empty()) {
            *error = tr("Run %1 has no checkpoint yet.").arg(train_->currentRunId());
            return false;
        }
        exportPythonCheckpoint(path.toStdString(), loadCheckpoint(source));
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool MainWindow::exportComparisonPanels(const QString& path, QString* error) {
    if (compare_->runs().isEmpty()) {
        *error = tr("Nothing is compared yet: select runs on the Runs page and press Compare.");
        return false;
    }
    return compare_->exportFigures(path, error);
}

bool MainWindow::exportComparisonMetrics(const QString& path, QString* error) {
    if (!store_ || compare_->runs().isEmpty()) {
        *error = tr("Nothing is compared yet: select runs on the Runs page and press Compare.");
        return false;
    }
    try {
        const QVector<int64_t> ids = compare_->runs();
        exportMetricsCsv(*reader_, std::vector<int64_t>(ids.begin(), ids.end()), path.toStdString());
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool MainWindow::cloneIntoForm(int64_t runId, QString* error) {
    try {
        const std::optional<RunRecord> run = reader_ ? reader_->getRun(runId) : std::nullopt;
        if (!run) {
            *error = tr("Run %1 is not in the database.").arg(runId);
            return false;
        }
        train_->form()->setConfig(configFromJson(run->configJson));
        QStringList tags;
        for (const std::string& t : run->tags)
            tags << QString::fromStdString(t);
        train_->form()->setRunInfo(tr("%1 (copy)").arg(QString::fromStdString(run->name)), tags,
                                   QString::fromStdString(run->notes));
        tabs_->setCurrentWidget(train_);
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

QString MainWindow::askSavePath(const QString& title, const QString& filters, const QString& suggestedName) {
    AppSettings settings;
    const QString path = QFileDialog::getSaveFileName(
        this, title, settings.exportFolder() + QLatin1Char('/') + suggestedName, filters);
    if (!path.isEmpty())
        settings.setExportFolder(QFileInfo(path).absolutePath());
    return path;
}

void MainWindow::showError(const QString& message) {
    statusBar()->showMessage(message, 15000);
    if (isVisible() && !testAttribute(Qt::WA_DontShowOnScreen) &&
        QGuiApplication::platformName() != QLatin1String("offscreen"))
        QMessageBox::warning(this, tr("Burstprop Explorer"), message);
}

void MainWindow::restoreSettings() {
    AppSettings settings;
    if (!restoreGeometry(settings.windowGeometry()))
        resize(1400, 880);
    restoreState(settings.windowState());
    for (QSplitter* splitter : findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            splitter->restoreState(settings.splitterState(splitter->objectName()));
    const QString json = settings.lastConfigJson();
    if (!json.isEmpty()) {
        try {
            train_->form()->setConfig(configFromJson(json.toStdString()));
        } catch (const std::exception&) {
            // A form saved by another version: the defaults stay.
        }
    }
    tabs_->setCurrentIndex(std::clamp(settings.currentTab(), 0, tabs_->count() - 1));
}

void MainWindow::saveSettings() {
    AppSettings settings;
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState());
    for (QSplitter* splitter : findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            settings.setSplitterState(splitter->objectName(), splitter->saveState());
    settings.setLastConfigJson(QString::fromStdString(toJson(train_->form()->config())));
    settings.setCurrentTab(tabs_->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // Closing while a run trains stops it between two batches: its checkpoint is written and it is
    // recorded as stopped (resumable from the Runs page).
    train_->stopAndWait();
    saveSettings();
    event->accept();
}

} // namespace bp::ui
