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
#include "ui/training/run_queue.h"
#include "ui/window/app_settings.h"
#include "ui/window/run_plots.h"
#include "ui/window/train_page.h"
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QUrl>

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
        return file->addAction(text, this, [this, text, filters, nameFormat, write, asksFigureSize] {
            if (asksFigureSize) {
                ExportOptionsDialog dialog(figureOptions_, this);
                if (dialog.exec() != QDialog::Accepted)
                    return;
                figureOptions_ = dialog.options();
            }
            QStringList ids;
            for (int64_t id : exportedRuns())
                ids << QString::number(id);
            const QString path =
                askSavePath(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")), filters,
                            nameFormat.arg(ids.isEmpty() ? QStringLiteral("0") : ids.join(QLatin1Char('-'))));
            QString error;
            if (!path.isEmpty() && !(this->*write)(path, &error))
                showError(error);
        });
    };
    addExport(tr("Export all &panels…"), tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"),
              QStringLiteral("run-%1-panels.png"), &MainWindow::exportAllPanels, true);
    exportMetricsAction_ = addExport(tr("Export run &metrics (CSV)…"), tr("CSV (*.csv)"),
                                     QStringLiteral("run-%1-metrics.csv"), &MainWindow::exportRunMetrics);
    exportCheckpointAction_ = addExport(tr("Export run &checkpoint for Python (.pt)…"), tr("PyTorch (*.pt)"),
                                        QStringLiteral("run-%1-latest.pt"), &MainWindow::exportRunCheckpoint);
    // The two say which runs they export, as the page shown and its selection decide.
    connect(file, &QMenu::aboutToShow, this, [this] {
        const QVector<int64_t> ids = exportedRuns();
        const QString which = ids.isEmpty()     ? tr("run")
                              : ids.size() == 1 ? tr("run %1").arg(ids.front())
                                                : tr("%n runs", nullptr, int(ids.size()));
        exportMetricsAction_->setText(tr("Export &metrics of %1 (CSV)…").arg(which));
        exportCheckpointAction_->setText(ids.size() > 1
                                             ? tr("Export &checkpoint for Python (.pt): select one run")
                                             : tr("Export &checkpoint of %1 for Python (.pt)…").arg(which));
        exportMetricsAction_->setEnabled(!ids.isEmpty());
        exportCheckpointAction_->setEnabled(ids.size() == 1);
    });
    file->addSeparator();
    addExport(tr("Export c&omparison panels…"), tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"),
              QStringLiteral("comparison-%1.png"), &MainWindow::exportComparisonPanels, true);
    addExport(tr("Export comparison m&etrics (CSV)…"), tr("CSV (*.csv)"), QStringLiteral("comparison-%1.csv"),
              &MainWindow::exportComparisonMetrics);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addActions(
        {train_->launchAction(), train_->queueAction(), train_->pauseAction(), train_->stopAction()});
    run->addSeparator();
    QAction* copy = run->addAction(tr("&Copy as command line"), this, [this] {
        const QString line = copyCommandLine();
        statusBar()->showMessage(tr("Copied: %1").arg(line), 5000);
    });
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this,
                    [this] { QMessageBox::information(this, tr("Keyboard shortcuts"), shortcutsText()); });
    help->addAction(tr("&Documentation"), this, [this] {
        // The docs of the source tree this explorer was built from (README.md's table lists them).
        const QString docs = QStringLiteral(BURSTPROP_DOCS_DIR);
        if (!QDir(docs).exists() || !QDesktopServices::openUrl(QUrl::fromLocalFile(docs)))
            QMessageBox::information(
                this, tr("Documentation"),
                tr("The guides are the Markdown files of the project's docs/ folder (%1): "
                   "cli.md, explorer.md, reproducing.md, performance.md, testing.md.")
                    .arg(QDir::toNativeSeparators(docs)));
    });
    help->addAction(tr("&About Burstprop Explorer"), this, [this] {
        QMessageBox::about(
            this, tr("About Burstprop Explorer"),
            tr("<b>Burstprop Explorer %1</b><p>Burst-dependent plasticity (Payeur, Guerguiev, Zenke, "
               "Richards &amp; Naud 2021, Nature Neuroscience) and its baselines, trained with "
               "LibTorch, watched and compared here.</p><p>Qt %2</p>")
                .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
}

QString MainWindow::shortcutsText() const {
    QStringList lines;
    for (QAction* a :
         {train_->launchAction(), train_->queueAction(), train_->pauseAction(), train_->stopAction()})
        lines << QStringLiteral("%1\t%2").arg(a->shortcut().toString(QKeySequence::NativeText),
                                              QString(a->text()).remove(QLatin1Char('&')));
    lines << tr("%1\tCopy the form as a command line")
                 .arg(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C).toString(QKeySequence::NativeText));
    lines << tr("Alt+T, Alt+R, Alt+C\tThe Train, Runs and Compare pages");
    lines << tr("F2, Delete\tRename, delete the selected runs (Runs page)");
    lines << tr("Double click\tA plot: fit the view to its data. A run: compare it");
    return lines.join(QLatin1Char('\n'));
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
    QStringList lines;
    for (const QueuedRun& run : train_->runsFromForm()) {
        std::string line = commandLine(run.config);
        if (run.processes > 1)
            line += " --nproc " + std::to_string(run.processes);
        if (store_)
            line += " --db " + shellQuoted(store_->path());
        line += " --name " + shellQuoted(run.name.toStdString());
        if (!run.tags.isEmpty())
            line += " --tags " + shellQuoted(run.tags.join(QLatin1Char(',')).toStdString());
        if (!run.notes.isEmpty())
            line += " --notes " + shellQuoted(run.notes.toStdString());
        lines << QString::fromStdString(line);
    }
    const QString text = lines.join(QLatin1Char('\n'));
    QApplication::clipboard()->setText(text);
    return text;
}

bool MainWindow::exportAllPanels(const QString& path, QString* error) {
    train_->plots()->replot(true); // panels on a hidden tab are drawn only when shown
    QList<QCustomPlot*> panels;
    for (MetricPlot* p : train_->plots()->metricPlots())
        panels << p->plot();
    return exportPanels(panels, path, figureOptions_, error);
}

QVector<int64_t> MainWindow::exportedRuns() const {
    if (tabs_->currentWidget() == runs_ && !runs_->selectedRuns().isEmpty())
        return runs_->selectedRuns();
    if (tabs_->currentWidget() == compare_ && !compare_->runs().isEmpty())
        return compare_->runs();
    if (train_->currentRunId() != 0)
        return {train_->currentRunId()};
    return {};
}

bool MainWindow::exportRunMetrics(const QString& path, QString* error) {
    const QVector<int64_t> ids = exportedRuns();
    if (!store_ || ids.isEmpty()) {
        *error = tr("No recorded run to export: launch one, or select runs on the Runs page.");
        return false;
    }
    try {
        exportMetricsCsv(*reader_, std::vector<int64_t>(ids.begin(), ids.end()), path.toStdString());
        QStringList names;
        for (int64_t id : ids)
            names << QString::number(id);
        statusBar()->showMessage(tr("Wrote the metrics of %n run(s) (%1) to %2", nullptr, int(ids.size()))
                                     .arg(names.join(QStringLiteral(", ")), QDir::toNativeSeparators(path)),
                                 15000);
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

bool MainWindow::exportRunCheckpoint(const QString& path, QString* error) {
    const QVector<int64_t> ids = exportedRuns();
    if (!store_ || ids.isEmpty()) {
        *error = tr("No recorded run to export: launch one, or select a run on the Runs page.");
        return false;
    }
    if (ids.size() > 1) {
        *error = tr("A checkpoint is one run's: select one run (%1 are selected).").arg(ids.size());
        return false;
    }
    try {
        const std::optional<RunRecord> run = reader_->getRun(ids.front());
        const std::string source = run ? Trainer::resumableCheckpoint(run->resultsDir) : std::string();
        if (source.empty()) {
            *error = tr("Run %1 has no checkpoint yet.").arg(ids.front());
            return false;
        }
        const Checkpoint checkpoint = loadCheckpoint(source);
        exportPythonCheckpoint(path.toStdString(), checkpoint);
        statusBar()->showMessage(tr("Wrote the weights of run %1 at epoch %2 to %3")
                                     .arg(ids.front())
                                     .arg(checkpoint.epoch)
                                     .arg(QDir::toNativeSeparators(path)),
                                 15000);
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
    return compare_->exportFigures(path, error, figureOptions_);
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
        train_->seedsBox()->setValue(1); // the clone is one run: its seed, as recorded
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
    const QScreen* screen = QGuiApplication::primaryScreen();
    const QRect available = screen ? screen->availableGeometry() : QRect(0, 0, 1400, 880);
    if (!restoreGeometry(settings.windowGeometry()) || !available.contains(geometry()))
        resize(initialSize(available)); // a window saved on a larger screen is fitted to this one
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

QSize MainWindow::initialSize(const QRect& available) {
    return QSize(std::min(1400, available.width() - 16), std::min(880, available.height() - 48));
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
