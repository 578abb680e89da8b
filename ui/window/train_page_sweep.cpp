// The Train page's sweeps: while a field of the form sweeps, Launch starts `burstprop-train sweep` as a child
// process recording into the explorer's database; the sweep panel shows its runs from there (re-read every
// second while it runs). Stop sends SIGTERM (the sweep stops its runs and is recorded stopped); Resume sweep
// runs `burstprop-train sweep resume ID`.
#include "core/store/run_store.h"
#include "ui/form/run_form.h"
#include "ui/training/external_run.h"
#include "ui/training/sweep_launch.h"
#include "ui/training/training_session.h"
#include "ui/window/run_plots.h"
#include "ui/window/sweep_panel.h"
#include "ui/window/train_page.h"
#include <QLabel>
#include <QProgressBar>
#include <QSpinBox>

namespace bp::ui {

namespace {

SweepRequest requestFromForm(const RunForm* form, int seeds) {
    SweepRequest request;
    request.config = form->config();
    request.grid = form->sweepGrid();
    request.seeds = seeds;
    request.random = form->randomDrawsField()->value();
    request.parallel = form->sweepParallel();
    request.name = form->runName();
    request.tags = form->tags();
    request.notes = form->notes();
    return request;
}

} // namespace

void TrainPage::updateSweepSummary() {
    if (!form_->isSweep()) {
        sweepSummary_->hide();
        return;
    }
    sweepSummary_->show();
    const SweepRequest request = requestFromForm(form_, seeds_->value());
    const SweepCount count = countSweep(request);
    if (!count) {
        sweepSummary_->setText(tr("Sweep: %1").arg(count.error));
        sweepSummary_->setStyleSheet(QStringLiteral("color: #c0392b"));
        return;
    }
    sweepSummary_->setStyleSheet(QString());
    auto many = [](size_t n, const QString& one, const QString& several) {
        return n == 1 ? one : several.arg(n);
    };
    QString text = tr("Sweep of %1 (%2 × %3")
                       .arg(many(count.runs, tr("1 run"), tr("%1 runs")),
                            many(count.points, tr("1 point"), tr("%1 points")),
                            many(size_t(request.seeds), tr("1 seed"), tr("%1 seeds")));
    if (count.duplicates > 0)
        text +=
            tr(", %n left out as the same as an earlier run", nullptr, static_cast<int>(count.duplicates));
    text += tr("), %1 at a time · ").arg(request.parallel);
    text += store_ ? sweepEstimateText(*store_, count.configs, request.parallel)
                   : tr("no earlier run to estimate from");
    sweepSummary_->setText(text);
}

bool TrainPage::startSweep(QString* error) {
    const SweepRequest request = requestFromForm(form_, seeds_->value());
    if (const SweepCount count = countSweep(request); !count) {
        *error = tr("The sweep was not started: %1").arg(count.error);
        return false;
    }
    if (!store_) {
        *error = tr("A sweep is recorded in the run database, and none is open.");
        return false;
    }
    return startSweepProcess(sweepLaunchArguments(request, QString::fromStdString(store_->path())), 0, error);
}

bool TrainPage::resumeSweep(int64_t sweepId, QString* error) {
    if (!store_) {
        *error = tr("No run database is open.");
        return false;
    }
    if (isTraining()) {
        *error = tr("A run or sweep is training; stop it or wait for it before resuming a sweep.");
        return false;
    }
    QStringList args{QStringLiteral("sweep"), QStringLiteral("resume"), QString::number(sweepId),
                     QStringLiteral("--db"), QString::fromStdString(store_->path())};
    if (form_->parallelField()->value() > 0)
        args << QStringLiteral("--parallel") << QString::number(form_->parallelField()->value());
    return startSweepProcess(args, sweepId, error);
}

bool TrainPage::startSweepProcess(const QStringList& arguments, int64_t sweepId, QString* error) {
    QStringList searched;
    const QString program = findTrainerProgram(&searched);
    if (program.isEmpty()) {
        *error = tr("The sweep was not started: burstprop-train was not found; looked at %1. Set "
                    "BURSTPROP_TRAIN_BIN to its path.")
                     .arg(searched.join(QStringLiteral(", ")));
        status_->setText(*error);
        return false;
    }
    session_.reset();
    if (external_)
        external_.release()->deleteLater();
    if (sweep_) // this may run inside its finished() signal: deleted later
        sweep_.release()->deleteLater();
    runId_ = 0;
    lastStatus_.reset();
    plots_->hide();
    sweepPanel_->show();
    sweepPanel_->showSweep(sweepId);
    sweep_ = std::make_unique<ExternalSweep>();
    connect(sweep_.get(), &ExternalSweep::sweepIdKnown, this,
            [this](qint64 id) { sweepPanel_->showSweep(id); });
    connect(sweep_.get(), &ExternalSweep::finished, this, &TrainPage::onSweepFinished);
    sweep_->start(program, arguments);
    sweepPanel_->setRunning(true);
    progress_->setValue(0);
    status_->setText(sweepId > 0 ? tr("Resuming sweep %1…").arg(sweepId) : tr("Starting the sweep…"));
    updateButtons();
    return true;
}

void TrainPage::onSweepFinished(int exitCode, const QString& message) {
    sweepPanel_->setRunning(false); // re-reads it once more
    const int64_t id = sweep_ ? sweep_->sweepId() : 0;
    QString text = id > 0 ? tr("Sweep %1 %2").arg(id).arg(sweepPanel_->sweepStatus())
                          : tr("burstprop-train sweep ended before it recorded a sweep");
    const bool failed = exitCode != 0 && exitCode != 130;
    if (failed) {
        const QStringList lines = sweep_ ? sweep_->errorLines() : QStringList();
        QString error =
            !message.isEmpty() ? message : tr("burstprop-train sweep exited with code %1").arg(exitCode);
        if (!lines.isEmpty())
            error += QStringLiteral(":\n") + lines.join(QLatin1Char('\n'));
        text += QStringLiteral(" · ") + error;
        if (id <= 0)
            Q_EMIT errorOccurred(error);
    }
    if (exitCode == 130)
        text += tr(" · Resume sweep continues it");
    status_->setText(text);
    if (exitCode == 0)
        progress_->setValue(100);
    lastStatus_ = exitCode == 0     ? RunStatus::Completed
                  : exitCode == 130 ? RunStatus::Stopped
                                    : RunStatus::Failed;
    updateButtons();
    updateSweepSummary(); // the estimate may now have the sweep's runs to go by
}

} // namespace bp::ui
