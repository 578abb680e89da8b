#include "ui/window/main_window.h"
#include "ui/form/run_form.h"
#include "ui/plots/metric_plot.h"
#include "ui/training/training_session.h"
#include <QCloseEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>
#include <cmath>

namespace bp::ui {

namespace {
enum Series { TrainLoss, TestLoss, TrainError, TestError };

QString duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    const qint64 s = static_cast<qint64>(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Burstprop Explorer"));
    form_ = new RunForm;
    auto* scroll = new QScrollArea;
    scroll->setWidget(form_);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(340);

    launch_ = new QPushButton(tr("Launch"));
    launch_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    launch_->setToolTip(tr("Train with these settings (Ctrl+Return)"));
    pause_ = new QPushButton(tr("Pause"));
    pause_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    stop_ = new QPushButton(tr("Stop"));
    stop_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(launch_);
    buttons->addWidget(pause_);
    buttons->addWidget(stop_);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(scroll);
    leftLayout->addLayout(buttons);

    loss_ = new MetricPlot(tr("Loss"), tr("MSE"));
    error_ = new MetricPlot(tr("Error"), tr("%"));
    weightAngles_ = new MetricPlot(tr("Feedback vs forward weights"), tr("angle W–Y (°)"));
    deltaAngles_ = new MetricPlot(tr("Update vs backprop"), tr("delta angle (°)"));
    auto* plots = new QWidget;
    auto* grid = new QGridLayout(plots);
    grid->addWidget(loss_, 0, 0);
    grid->addWidget(error_, 0, 1);
    grid->addWidget(weightAngles_, 1, 0);
    grid->addWidget(deltaAngles_, 1, 1);

    auto* splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(plots);
    splitter->setStretchFactor(1, 1);
    setCentralWidget(splitter);

    progress_ = new QProgressBar;
    progress_->setMaximumWidth(220);
    status_ = new QLabel(tr("Ready"));
    statusBar()->addWidget(status_, 1);
    statusBar()->addPermanentWidget(progress_);

    replotTimer_.setSingleShot(true);
    replotTimer_.setInterval(40); // at most 25 redraws a second, whatever the batch rate
    connect(&replotTimer_, &QTimer::timeout, this, &MainWindow::drainSession);
    connect(launch_, &QPushButton::clicked, this, &MainWindow::launch);
    connect(pause_, &QPushButton::clicked, this, &MainWindow::togglePause);
    connect(stop_, &QPushButton::clicked, this, &MainWindow::stop);
    connect(form_, &RunForm::validityChanged, this, &MainWindow::updateButtons);
    updateButtons();
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

QString MainWindow::statusText() const { return status_->text(); }

void MainWindow::updateButtons() {
    const bool running = session_ && session_->isRunning();
    launch_->setEnabled(!running && form_->isValid());
    launch_->setToolTip(form_->isValid() ? tr("Train with these settings (Ctrl+Return)") : form_->errors().join('\n'));
    pause_->setEnabled(running);
    pause_->setText(paused_ ? tr("Resume") : tr("Pause"));
    stop_->setEnabled(running);
}

void MainWindow::launch() {
    if (!form_->isValid() || (session_ && session_->isRunning()))
        return;
    for (MetricPlot* p : {loss_, error_, weightAngles_, deltaAngles_})
        p->clear();
    series_[TrainLoss] = loss_->addSeries(tr("train"), QColor(31, 119, 180), false, true);
    series_[TestLoss] = loss_->addSeries(tr("test"), QColor(214, 39, 40), false, true);
    series_[TrainError] = error_->addSeries(tr("train"), QColor(31, 119, 180), false, true);
    series_[TestError] = error_->addSeries(tr("test"), QColor(214, 39, 40), false, true);
    session_ = std::make_unique<TrainingSession>(form_->config());
    if (dataOverride_)
        session_->setData(*dataOverride_);
    connect(session_.get(), &TrainingSession::dataAvailable, this, [this] {
        if (!replotTimer_.isActive())
            replotTimer_.start();
    });
    connect(session_.get(), &TrainingSession::finished, this, &MainWindow::onFinished);
    paused_ = false;
    lastStatus_.reset();
    progress_->setValue(0);
    session_->start();
    status_->setText(tr("Loading data…"));
    updateButtons();
}

void MainWindow::togglePause() {
    if (!session_ || !session_->isRunning())
        return;
    paused_ = !paused_;
    if (paused_)
        session_->pause();
    else
        session_->resume();
    updateButtons();
}

void MainWindow::stop() {
    if (session_)
        session_->stop();
}

void MainWindow::drainSession() {
    if (!session_)
        return;
    SessionUpdate update = session_->take();
    const int epochs = session_->config().epochs;
    for (const BatchReport& b : update.batches) {
        const double x = (b.epoch - 1) + static_cast<double>(b.batch) / b.batchesPerEpoch;
        for (size_t i = 0; i < b.weightAngles.size(); ++i)
            weightAngles_->addPoint(weightAngles_->layerSeries(tr("layer"), int(i) + 1, true), x, b.weightAngles[i]);
        for (size_t i = 0; i < b.deltaAngles.size(); ++i)
            deltaAngles_->addPoint(deltaAngles_->layerSeries(tr("layer"), int(i), true), x, b.deltaAngles[i]);
    }
    if (!update.batches.isEmpty()) {
        const BatchReport& b = update.batches.back();
        const double done = (b.epoch - 1) + static_cast<double>(b.batch) / b.batchesPerEpoch;
        progress_->setValue(static_cast<int>(100.0 * done / epochs));
        status_->setText(tr("epoch %1/%2 · batch %3/%4 · loss %5 · error %6% · %7 examples/s · ETA %8")
                             .arg(b.epoch).arg(epochs).arg(b.batch).arg(b.batchesPerEpoch)
                             .arg(b.runningLoss, 0, 'f', 4).arg(b.runningError, 0, 'f', 2)
                             .arg(b.examplesPerSecond, 0, 'f', 0).arg(duration(b.etaSeconds)));
    }
    for (const EpochReport& e : update.epochs) {
        loss_->addPoint(series_[TrainLoss], e.epoch, e.trainLoss);
        loss_->addPoint(series_[TestLoss], e.epoch, e.testLoss);
        error_->addPoint(series_[TrainError], e.epoch, e.trainError);
        error_->addPoint(series_[TestError], e.epoch, e.testError);
        for (size_t i = 0; i < e.weightAngles.size(); ++i)
            weightAngles_->addPoint(weightAngles_->layerSeries(tr("layer"), int(i) + 1, false), e.epoch, e.weightAngles[i]);
        for (size_t i = 0; i < e.deltaAngles.size(); ++i)
            deltaAngles_->addPoint(deltaAngles_->layerSeries(tr("layer"), int(i), false), e.epoch, e.deltaAngles[i]);
    }
    if (update.status) {
        lastStatus_ = update.status;
        if (*update.status == RunStatus::Paused)
            status_->setText(tr("Paused"));
    }
    for (MetricPlot* p : {loss_, error_, weightAngles_, deltaAngles_})
        p->replot();
}

void MainWindow::onFinished(RunStatus status, const QString& message) {
    if (session_)
        session_->wait();
    drainSession();
    lastStatus_ = status;
    QString text = tr("Run %1").arg(QString::fromStdString(toString(status)));
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    status_->setText(text);
    if (status == RunStatus::Completed)
        progress_->setValue(100);
    paused_ = false;
    updateButtons();
    if (status == RunStatus::Failed && isVisible() && !testAttribute(Qt::WA_DontShowOnScreen))
        QMessageBox::warning(this, tr("Run failed"), message);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // Closing while a run trains stops it between two batches and waits for the thread.
    if (session_ && session_->isRunning()) {
        session_->stop();
        session_->wait();
        drainSession(); // records the final status the trainer reported
    }
    event->accept();
}

} // namespace bp::ui
