// The Train page's runs with several processes: burstprop-train --nproc N as a child process, recorded by its
// rank 0 in the run store and shown on the page from there (re-read every 1.5 s until it ends).
#include "core/setup/network_for_config.h"
#include "core/store/run_store.h"
#include "ui/training/external_run.h"
#include "ui/training/run_queue.h"
#include "ui/window/run_plots.h"
#include "ui/window/train_page.h"
#include <QDateTime>
#include <QLabel>
#include <QProgressBar>

namespace bp::ui {

bool TrainPage::startExternal(const QueuedRun& run, QString* error) {
    if (!store_) {
        *error = tr("A run with several processes is recorded in the run database, and none is open.");
        return false;
    }
    QStringList searched;
    const QString program = findTrainerProgram(&searched);
    if (program.isEmpty()) {
        *error = tr("The run was not started: burstprop-train (needed for several processes) was not found; "
                    "looked at %1. Set BURSTPROP_TRAIN_BIN to its path.")
                     .arg(searched.join(QStringLiteral(", ")));
        status_->setText(*error);
        return false;
    }
    runId_ = 0;
    externalProcesses_ = run.processes;
    QStringList titles;
    for (const std::string& t : layerTitles(run.config))
        titles << QString::fromStdString(t);
    plots_->setLayerTitles(titles);
    plots_->reset(static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0);
    plots_->setRule(run.config.rule);
    plots_->setOutputKind(run.config.output);
    lastStatus_.reset();
    lastEpoch_.reset();
    lastBatch_.reset();
    paused_ = false;
    progress_->setValue(0);
    external_ = std::make_unique<ExternalRun>();
    connect(external_.get(), &ExternalRun::runIdKnown, this, [this](qint64 id) {
        runId_ = id;
        Q_EMIT runStarted(id);
        refreshExternal();
    });
    connect(external_.get(), &ExternalRun::finished, this, &TrainPage::onExternalFinished);
    external_->start(program,
                     externalRunArguments(run, run.processes, QString::fromStdString(store_->path())));
    externalTimer_.start();
    status_->setText(tr("Starting burstprop-train with %1 processes…").arg(run.processes));
    updateButtons();
    return true;
}

void TrainPage::refreshExternal() {
    if (!store_ || runId_ <= 0)
        return;
    try {
        const std::optional<RunRecord> record = store_->getRun(runId_);
        if (!record)
            return;
        plots_->loadFromStore(*store_, runId_);
        plots_->replot();
        if (record->epochsTotal > 0)
            progress_->setValue(100 * record->epochsDone / record->epochsTotal);
        QString text = tr("run %1 · %2 processes (burstprop-train --nproc, re-read from the database) · "
                          "%3 · epoch %4/%5")
                           .arg(runId_)
                           .arg(externalProcesses_)
                           .arg(QString::fromStdString(toString(record->status)))
                           .arg(record->epochsDone)
                           .arg(record->epochsTotal);
        if (record->bestTestError)
            text += tr(" · best test error %1 %").arg(*record->bestTestError, 0, 'f', 2);
        status_->setText(text);
    } catch (const std::exception& e) {
        status_->setText(tr("run %1: cannot read it from the database: %2").arg(runId_).arg(e.what()));
    }
}

void TrainPage::onExternalFinished(int exitCode, const QString& message) {
    externalTimer_.stop();
    refreshExternal();
    RunStatus status = exitCode == 0     ? RunStatus::Completed
                       : exitCode == 130 ? RunStatus::Stopped
                                         : RunStatus::Failed;
    if (store_ && runId_ > 0) {
        try {
            if (const std::optional<RunRecord> record = store_->getRun(runId_))
                status = record->status;
        } catch (const std::exception&) {
        }
    }
    lastStatus_ = status;
    QString text = runId_ > 0 ? tr("Run %1 %2 (%3 processes)")
                                    .arg(runId_)
                                    .arg(QString::fromStdString(toString(status)))
                                    .arg(externalProcesses_)
                              : tr("burstprop-train ended before it recorded a run");
    const bool failed = exitCode != 0 && exitCode != 130;
    QString error;
    if (failed) {
        const QStringList lines = external_ ? external_->errorLines() : QStringList();
        error = !message.isEmpty() ? message : tr("burstprop-train exited with code %1").arg(exitCode);
        if (!lines.isEmpty())
            error += QStringLiteral(":\n") + lines.join(QLatin1Char('\n'));
        text += QStringLiteral(" · ") + error;
    }
    if (status == RunStatus::Stopped && !queue_->isEmpty())
        text += tr(" · %n run(s) still queued (Queue starts them)", nullptr, queue_->count());
    status_->setText(text);
    if (status == RunStatus::Completed)
        progress_->setValue(100);
    updateButtons();
    Q_EMIT runFinished(runId_, status);
    if (failed)
        Q_EMIT errorOccurred(error);
    if (status != RunStatus::Stopped)
        startNext();
}

} // namespace bp::ui
