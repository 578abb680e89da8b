#include "ui/window/train_page.h"
#include "core/runs/recorded_run.h"
#include "core/setup/defaults.h"
#include "core/setup/network_for_config.h"
#include "core/store/run_store.h"
#include "ui/form/preset_bar.h"
#include "ui/form/run_form.h"
#include "ui/training/external_run.h"
#include "ui/training/run_queue.h"
#include "ui/training/sweep_launch.h"
#include "ui/training/training_session.h"
#include "ui/window/run_plots.h"
#include "ui/window/sweep_panel.h"
#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <cmath>

namespace bp::ui {

namespace {

QString duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    const qint64 s = static_cast<qint64>(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

// "hidden 1", …, "output" for the configuration's network (empty when it cannot be built).
QStringList layerTitlesOf(const RunConfig& config) {
    QStringList titles;
    for (const std::string& t : layerTitles(config))
        titles << QString::fromStdString(t);
    return titles;
}

std::vector<std::string> toStd(const QStringList& list) {
    std::vector<std::string> out;
    for (const QString& s : list)
        out.push_back(s.toStdString());
    return out;
}

} // namespace

TrainPage::TrainPage(QWidget* parent) : QWidget(parent) {
    form_ = new RunForm;
    presets_ = new PresetBar;
    presets_->setConfigProvider([this] { return form_->config(); });
    connect(presets_, &PresetBar::presetChosen, form_, &RunForm::setConfig);
    connect(form_, &RunForm::validityChanged, presets_, [this](bool valid) {
        if (valid)
            presets_->clearError();
    });
    auto* scroll = new QScrollArea;
    scroll->setWidget(form_);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(360);

    // Shortcuts belong to actions: a button whose text changes (Launch, Pause) would lose its own.
    auto makeAction = [this](const QString& text, const QKeySequence& key, void (TrainPage::*slot)()) {
        auto* action = new QAction(text, this);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    launchAction_ = makeAction(tr("&Launch"), QKeySequence(Qt::CTRL | Qt::Key_Return), &TrainPage::launch);
    queueAction_ =
        makeAction(tr("&Queue"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), &TrainPage::enqueue);
    pauseAction_ = makeAction(tr("&Pause"), QKeySequence(Qt::CTRL | Qt::Key_P), &TrainPage::togglePause);
    stopAction_ = makeAction(tr("&Stop"), QKeySequence(Qt::CTRL | Qt::Key_Period), &TrainPage::stop);
    launch_ = new QPushButton(tr("Launch"));
    enqueue_ = new QPushButton(tr("Queue"));
    enqueue_->setToolTip(
        tr("Add this run to the queue; queued runs train one after another (Ctrl+Shift+Return)"));
    pause_ = new QPushButton(tr("Pause"));
    pause_->setToolTip(tr("Pause or resume between two batches (Ctrl+P)"));
    stop_ = new QPushButton(tr("Stop"));
    stop_->setToolTip(
        tr("Stop after the current batch; the latest checkpoint is written, the run can be resumed "
           "from the Runs page (Ctrl+.)"));
    seeds_ = new QSpinBox;
    seeds_->setRange(1, 100);
    seeds_->setPrefix(QStringLiteral("× "));
    seeds_->setSuffix(tr(" seeds"));
    seeds_->setToolTip(tr("Launch and Queue make one run per seed: the form's seed, seed + 1, ... A single "
                          "epoch of burstprop ends near 17 % or at 21-35 % test error depending on the seed; "
                          "compare the runs on the Runs page"));
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {launch_, enqueue_})
        buttons->addWidget(b);
    buttons->addWidget(seeds_);
    for (QPushButton* b : {pause_, stop_})
        buttons->addWidget(b);

    queue_ = new RunQueueModel(this);
    queueView_ = new QListView;
    queueView_->setModel(queue_);
    queueView_->setMaximumHeight(110);
    queueView_->setToolTip(tr("Queued runs, first at the top"));
    removeQueued_ = new QPushButton(tr("Remove"));
    auto* up = new QPushButton(tr("Up"));
    auto* down = new QPushButton(tr("Down"));
    auto* queueButtons = new QHBoxLayout;
    queueButtons->addWidget(new QLabel(tr("Queue")));
    queueButtons->addStretch(1);
    for (QPushButton* b : {up, down, removeQueued_})
        queueButtons->addWidget(b);
    auto currentRow = [this] {
        return queueView_->currentIndex().isValid() ? queueView_->currentIndex().row() : -1;
    };
    connect(removeQueued_, &QPushButton::clicked, this, [this, currentRow] { queue_->remove(currentRow()); });
    connect(up, &QPushButton::clicked, this, [this, currentRow] {
        const int row = currentRow();
        if (queue_->moveUp(row))
            queueView_->setCurrentIndex(queue_->index(row - 1));
    });
    connect(down, &QPushButton::clicked, this, [this, currentRow] {
        const int row = currentRow();
        if (queue_->moveDown(row))
            queueView_->setCurrentIndex(queue_->index(row + 1));
    });

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(presets_);
    leftLayout->addWidget(scroll, 1);
    leftLayout->addLayout(buttons);
    sweepSummary_ = new QLabel;
    sweepSummary_->setObjectName(QStringLiteral("sweepSummary"));
    sweepSummary_->setWordWrap(true);
    sweepSummary_->hide();
    leftLayout->addWidget(sweepSummary_);
    leftLayout->addLayout(queueButtons);
    leftLayout->addWidget(queueView_);

    plots_ = new RunPlots;
    progress_ = new QProgressBar;
    progress_->setMaximumWidth(240);
    status_ = new QLabel(tr("Ready"));
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->addWidget(plots_, 1);
    sweepPanel_ = new SweepPanel;
    sweepPanel_->hide();
    rightLayout->addWidget(sweepPanel_, 1);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(status_, 1);
    statusRow->addWidget(progress_);
    rightLayout->addLayout(statusRow);

    auto* splitter = new QSplitter;
    splitter->setObjectName(QStringLiteral("trainSplitter"));
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    replotTimer_.setSingleShot(true);
    // At most 4 redraws a second, whatever the batch rate: drawing competes with training for the cores (at
    // 10 a second the GUI thread was busy 9.5 % of the time during a default run, tst_explorer_benchmark).
    replotTimer_.setInterval(250);
    connect(&replotTimer_, &QTimer::timeout, this, &TrainPage::drain);
    weightsTimer_.setInterval(1000);
    connect(&weightsTimer_, &QTimer::timeout, this, &TrainPage::requestWeightsIfShown);
    externalTimer_.setInterval(1500);
    connect(&externalTimer_, &QTimer::timeout, this, &TrainPage::refreshExternal);
    connect(plots_, &RunPlots::weightsViewShown, this, [this] {
        if (sessionRunning())
            session_->requestWeights(); // the next batch brings them, not the next tick
    });
    connect(launch_, &QPushButton::clicked, launchAction_, &QAction::trigger);
    connect(enqueue_, &QPushButton::clicked, queueAction_, &QAction::trigger);
    connect(pause_, &QPushButton::clicked, pauseAction_, &QAction::trigger);
    connect(stop_, &QPushButton::clicked, stopAction_, &QAction::trigger);
    connect(form_, &RunForm::validityChanged, this, &TrainPage::updateButtons);
    connect(form_, &RunForm::validityChanged, this, &TrainPage::updateSweepSummary);
    connect(seeds_, &QSpinBox::valueChanged, this, &TrainPage::updateSweepSummary);
    connect(sweepPanel_, &SweepPanel::resumeRequested, this, [this](qint64 id) {
        QString error;
        if (!resumeSweep(id, &error))
            Q_EMIT errorOccurred(error);
    });
    connect(queue_, &RunQueueModel::countChanged, this, &TrainPage::updateButtons);
    updateButtons();
}

TrainPage::~TrainPage() {
    stopAndWait();
}

void TrainPage::setStore(RunStore* store) {
    store_ = store;
    sweepPanel_->setStore(store);
    updateSweepSummary();
}

QString TrainPage::statusText() const {
    return status_->text();
}

bool TrainPage::isTraining() const {
    return sessionRunning() || (external_ && external_->isRunning()) || (sweep_ && sweep_->isRunning());
}

bool TrainPage::sessionRunning() const {
    return session_ && session_->isRunning();
}

void TrainPage::updateButtons() {
    const bool running = isTraining();
    const bool valid = form_->isValid();
    launch_->setEnabled(valid);
    launch_->setText(running ? tr("Launch after this run") : tr("Launch"));

    launch_->setToolTip(valid ? tr("Train with these settings (Ctrl+Return)")
                              : form_->errors().join(QLatin1Char('\n')));
    enqueue_->setEnabled(valid);
    if (form_->isSweep()) { // a sweep starts now or not at all; it is not queued
        launch_->setText(tr("Launch sweep"));
        launch_->setEnabled(valid && !running);
        enqueue_->setEnabled(false);
    }
    pause_->setEnabled(sessionRunning()); // burstprop-train --nproc has no pause
    pause_->setText(paused_ ? tr("Resume") : tr("Pause"));
    stop_->setEnabled(running);
    launchAction_->setEnabled(valid);
    queueAction_->setEnabled(valid);
    pauseAction_->setEnabled(sessionRunning());
    pauseAction_->setText(paused_ ? tr("&Resume") : tr("&Pause"));
    stopAction_->setEnabled(running);
    removeQueued_->setEnabled(!queue_->isEmpty());
}

QueuedRun TrainPage::runFromForm() const {
    QueuedRun run;
    run.config = form_->config();
    run.name = form_->runName().isEmpty() ? QStringLiteral("%1 on %2")
                                                .arg(QString::fromStdString(run.config.rule),
                                                     QString::fromStdString(toString(run.config.dataset)))
                                          : form_->runName();
    run.tags = form_->tags();
    run.notes = form_->notes();
    run.processes = form_->processes();
    return run;
}

QVector<QueuedRun> TrainPage::runsFromForm() const {
    const QueuedRun base = runFromForm();
    const int count = seeds_->value();
    if (count == 1)
        return {base};
    QVector<QueuedRun> runs;
    for (int i = 0; i < count; ++i) {
        QueuedRun run = base;
        run.config.seed = base.config.seed + uint64_t(i);
        run.name = QStringLiteral("%1 · seed %2").arg(base.name).arg(run.config.seed);
        runs.push_back(std::move(run));
    }
    return runs;
}

void TrainPage::launch() {
    if (!form_->isValid())
        return;
    if (form_->isSweep()) {
        QString error;
        if (!isTraining() && !startSweep(&error))
            Q_EMIT errorOccurred(error);
        return;
    }
    QVector<QueuedRun> runs = runsFromForm();
    if (!isTraining()) {
        QString error;
        if (!startRun(runs.takeFirst(), nullptr, &error)) {
            Q_EMIT errorOccurred(error); // the other seeds would fail alike; a stopped queue stays stopped
            return;
        }
    }
    for (const QueuedRun& run : runs)
        queue_->enqueue(run);
}

void TrainPage::enqueue() {
    if (!form_->isValid() || form_->isSweep())
        return;
    for (const QueuedRun& run : runsFromForm())
        queue_->enqueue(run);
    if (!isTraining())
        startNext();
}

void TrainPage::startNext() {
    while (!isTraining()) {
        std::optional<QueuedRun> next = queue_->takeNext();
        if (!next)
            return;
        QString error;
        if (startRun(*next, nullptr, &error))
            return;
        Q_EMIT errorOccurred(error);
    }
}

bool TrainPage::startRun(const QueuedRun& run, ResumePlan* resume, QString* error) {
    sweepPanel_->hide(); // the run's plots again in place of a sweep's
    plots_->show();
    session_.reset();
    if (external_) // this may run inside its finished() signal (the next queued run): deleted later
        external_.release()->deleteLater();
    if (!resume && run.processes > 1)
        return startExternal(run, error);
    auto session = std::make_unique<TrainingSession>(run.config);
    runId_ = 0;
    if (resume) {
        runId_ = resume->run.id;
        session->setRecording(store_->path(), runId_, {resume->checkpointDir, 0, ownerOf(*store_, runId_)});
        if (resume->checkpoint)
            session->resumeFrom(std::move(*resume->checkpoint));
    } else if (store_) {
        try {
            runId_ = store_->createRun(
                run.config, run.name.toStdString(), run.notes.toStdString(), toStd(run.tags),
                [&](const std::string& key) { return hyperparameterApplies(run.config, key); });
            store_->addMessage(runId_, "info",
                               "started by burstprop-explorer (Qt " + std::string(qVersion()) + ")");
            session->setRecording(store_->path(), runId_,
                                  {store_->defaultRunFolder(runId_), 0, ownerOf(*store_, runId_)});
        } catch (const std::exception& e) {
            *error = tr("The run was not started: %1").arg(QString::fromUtf8(e.what()));
            return false;
        }
    }
    plots_->setLayerTitles(layerTitlesOf(run.config));
    if (resume)
        plots_->loadFromStore(*store_, runId_);
    else
        plots_->reset(static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0);
    plots_->setRule(run.config.rule);
    plots_->setOutputKind(run.config.output);
    session_ = std::move(session);
    if (dataOverride_)
        session_->setData(*dataOverride_);
    connect(session_.get(), &TrainingSession::dataAvailable, this, [this] {
        if (!replotTimer_.isActive())
            replotTimer_.start();
    });
    connect(session_.get(), &TrainingSession::finished, this, &TrainPage::onFinished);
    paused_ = false;
    initialWeightsShown_ = false;
    lastStatus_.reset();
    lastEpoch_.reset();
    lastBatch_.reset();
    progress_->setValue(0);
    session_->start();
    weightsTimer_.start();
    status_->setText(resume ? tr("Resuming run %1…").arg(runId_) : tr("Loading data…"));
    updateButtons();
    Q_EMIT runStarted(runId_);
    return true;
}

bool TrainPage::resumeRun(int64_t runId, QString* error) {
    if (!store_) {
        *error = tr("No run database is open.");
        return false;
    }
    if (isTraining()) {
        *error = tr("A run is training; stop it or wait for it before resuming another.");
        return false;
    }
    try {
        ResumePlan plan = planResume(*store_, runId);
        recordResume(*store_, plan);
        QueuedRun run;
        run.name = QString::fromStdString(plan.run.name);
        run.config = plan.config;
        // The form shows what trains: the resumed run's settings, name, tags and notes.
        QStringList tags;
        for (const std::string& t : plan.run.tags)
            tags << QString::fromStdString(t);
        form_->setConfig(plan.config);
        form_->setRunInfo(run.name, tags, QString::fromStdString(plan.run.notes));
        seeds_->setValue(1);
        return startRun(run, &plan, error);
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
}

void TrainPage::togglePause() {
    if (!sessionRunning())
        return;
    paused_ = !paused_;
    if (paused_)
        session_->pause();
    else
        session_->resume();
    updateButtons();
}

void TrainPage::stop() {
    if (session_)
        session_->stop();
    if (external_)
        external_->stop(); // SIGTERM: every rank stops at the same batch, rank 0 checkpoints
    if (sweep_)
        sweep_->stop(); // SIGTERM: the sweep stops its runs and is recorded as stopped
}

void TrainPage::stopAndWait() {
    queue_->clear();
    if (sweep_ && sweep_->isRunning()) {
        sweep_->stop();
        sweep_->wait(120000); // its finished() reports the sweep's end (onSweepFinished)
    }
    if (external_ && external_->isRunning()) {
        external_->stop();
        external_->wait(120000); // its finished() reports the run's end (onExternalFinished)
    }
    if (sessionRunning()) {
        session_->stop();
        session_->wait();
        drain(); // the final status and the last points
    }
    weightsTimer_.stop();
}

void TrainPage::requestWeightsIfShown() {
    if (sessionRunning() && plots_->weightsVisible())
        session_->requestWeights();
}

void TrainPage::drain() {
    if (!session_)
        return;
    QElapsedTimer clock;
    clock.start();
    SessionUpdate update = session_->take();
    const int epochs = session_->config().epochs;
    // In the order they happened (an epoch's end after its last batch; epoch 0, before training, first):
    // the heatmaps append columns in arrival order, and epoch 0 sets their rows up.
    int nextEpoch = 0;
    for (const BatchReport& b : update.batches) {
        for (; nextEpoch < update.epochs.size() && update.epochs[nextEpoch].step < b.step; ++nextEpoch)
            plots_->addEpoch(update.epochs[nextEpoch]);
        plots_->addBatch(b);
    }
    for (; nextEpoch < update.epochs.size(); ++nextEpoch)
        plots_->addEpoch(update.epochs[nextEpoch]);
    if (!update.batches.isEmpty()) {
        const BatchReport& b = update.batches.back();
        const double done = (b.epoch - 1) + static_cast<double>(b.batch) / b.batchesPerEpoch;
        progress_->setValue(static_cast<int>(100.0 * done / epochs));
        status_->setText(
            tr("run %9 · epoch %1/%2 · batch %3/%4 · loss %5 · error %6 % · %7 examples/s · ETA %8")
                .arg(b.epoch)
                .arg(epochs)
                .arg(b.batch)
                .arg(b.batchesPerEpoch)
                .arg(b.runningLoss, 0, 'f', 4)
                .arg(b.runningError, 0, 'f', 2)
                .arg(b.examplesPerSecond, 0, 'f', 0)
                .arg(duration(b.etaSeconds))
                .arg(runId_));
    }
    if (!initialWeightsShown_ && (!update.batches.isEmpty() || !update.epochs.isEmpty())) {
        const WeightSnapshot initial = session_->initialWeights();
        if (!initial.forward.isEmpty()) {
            plots_->setInitialWeights(initial);
            plots_->setCurrentWeights(initial);
            initialWeightsShown_ = true;
        }
    }
    if (update.weights)
        plots_->setCurrentWeights(*update.weights);
    for (const QString& warning : update.warnings)
        status_->setText(warning);
    if (!update.epochs.isEmpty())
        lastEpoch_ = update.epochs.back();
    if (!update.batches.isEmpty())
        lastBatch_ = update.batches.back();
    if (update.status) {
        lastStatus_ = update.status;
        if (*update.status == RunStatus::Paused)
            status_->setText(lastBatch_ ? tr("Run %1 paused at epoch %2, batch %3/%4 (Ctrl+P resumes)")
                                              .arg(runId_)
                                              .arg(lastBatch_->epoch)
                                              .arg(lastBatch_->batch)
                                              .arg(lastBatch_->batchesPerEpoch)
                                        : tr("Run %1 paused (Ctrl+P resumes)").arg(runId_));
    }
    plots_->replot();
    longestDrainMs_ = std::max(longestDrainMs_, static_cast<double>(clock.nsecsElapsed()) / 1e6);
}

void TrainPage::onFinished(RunStatus status, const QString& message) {
    if (session_)
        session_->wait();
    weightsTimer_.stop();
    drain();
    lastStatus_ = status;
    QString text = tr("Run %1 %2").arg(runId_).arg(QString::fromStdString(toString(status)));
    if (lastEpoch_ && lastEpoch_->epoch > 0)
        text += tr(" · test error %1 % after epoch %2")
                    .arg(lastEpoch_->testError, 0, 'f', 2)
                    .arg(lastEpoch_->epoch);
    if (!message.isEmpty())
        text += QStringLiteral(": ") + message;
    if (status == RunStatus::Stopped && !queue_->isEmpty())
        text += tr(" · %n run(s) still queued (Queue starts them)", nullptr, queue_->count());
    status_->setText(text);
    if (status == RunStatus::Completed)
        progress_->setValue(100);
    paused_ = false;
    updateButtons();
    Q_EMIT runFinished(runId_, status);
    if (status == RunStatus::Failed)
        Q_EMIT errorOccurred(tr("Run %1 failed: %2").arg(runId_).arg(message));
    if (status != RunStatus::Stopped)
        startNext();
}

} // namespace bp::ui
