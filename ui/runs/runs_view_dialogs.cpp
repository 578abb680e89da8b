// The Runs page's dialogs: what asks the person before RunsView's actions (rename, tags, notes, delete,
// exports, evaluate) and then calls them.
#include "core/runs/recorded_run.h"
#include "ui/runs/evaluate_dialog.h"
#include "ui/runs/runs_table_model.h"
#include "ui/runs/runs_view.h"
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>

namespace bp::ui {

void RunsView::askRename() {
    const std::optional<RunRecord> r = recordOf(currentRun());
    if (!r)
        return;
    const int64_t id = r->id;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename run %1").arg(id), tr("Name"),
                                               QLineEdit::Normal, QString::fromStdString(r->name), &ok);
    QString error;
    if (ok && !renameRun(id, name, &error))
        Q_EMIT errorOccurred(error);
}

void RunsView::askTags() {
    const std::optional<RunRecord> r = recordOf(currentRun());
    if (!r)
        return;
    const int64_t id = r->id;
    QStringList tags;
    for (const std::string& t : r->tags)
        tags << QString::fromStdString(t);
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Tags of run %1").arg(id), tr("Comma-separated tags"),
                                               QLineEdit::Normal, tags.join(QStringLiteral(", ")), &ok);
    QString error;
    if (ok && !setRunTags(id, text.split(QLatin1Char(',')), &error))
        Q_EMIT errorOccurred(error);
}

void RunsView::askNotes() {
    const std::optional<RunRecord> r = recordOf(currentRun());
    if (!r)
        return;
    const int64_t id = r->id;
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(this, tr("Notes on run %1").arg(id), tr("Notes"),
                                                        QString::fromStdString(r->notes), &ok);
    QString error;
    if (ok && !setRunNotes(id, text, &error))
        Q_EMIT errorOccurred(error);
}

void RunsView::askDelete() {
    const QVector<int64_t> ids = selectedRuns();
    if (ids.isEmpty())
        return;
    QString what;
    if (ids.size() == 1) {
        const std::optional<RunRecord> r = recordOf(ids.front());
        what = tr("run %1 (\"%2\")").arg(ids.front()).arg(r ? QString::fromStdString(r->name) : QString());
    } else {
        what = tr("%1 runs").arg(ids.size());
    }
    const auto answer = QMessageBox::question(
        this, tr("Delete runs"),
        tr("Delete %1 with its metrics and checkpoint files? This cannot be undone.").arg(what),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    QString error;
    if (answer == QMessageBox::Yes && !deleteRuns(ids, &error))
        Q_EMIT errorOccurred(error);
}

void RunsView::askExportMetrics() {
    const QVector<int64_t> ids = selectedRuns();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export metrics"),
                                                      QStringLiteral("metrics.csv"), tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportMetrics(ids, path, &error))
        Q_EMIT errorOccurred(error);
}

void RunsView::askExportCheckpoint() {
    const int64_t id = currentRun();
    if (!id || !model_->store())
        return;
    QStringList kinds;
    try {
        for (const CheckpointRecord& c : model_->store()->checkpoints(id))
            kinds << QString::fromStdString(checkpointLabel(c));
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(QString::fromUtf8(e.what()));
        return;
    }
    if (kinds.isEmpty()) {
        Q_EMIT errorOccurred(tr("Run %1 has no checkpoint.").arg(id));
        return;
    }
    bool ok = false;
    const QString kind = QInputDialog::getItem(this, tr("Export checkpoint of run %1").arg(id), tr("State"),
                                               kinds, kinds.indexOf(QStringLiteral("latest")), false, &ok);
    if (!ok)
        return;
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export checkpoint"), QStringLiteral("run-%1-%2.pt").arg(id).arg(kind),
        tr("For Python's torch.load (*.pt);;Resumable native checkpoint (*.ckpt)"), &filter);
    QString error;
    if (!path.isEmpty() && !exportCheckpoint(id, kind, !path.endsWith(QLatin1String(".ckpt")), path, &error))
        Q_EMIT errorOccurred(error);
}

QStringList RunsView::checkpointLabels(int64_t runId, QString* error) const {
    QStringList labels;
    if (!model_->store()) {
        *error = tr("No run database is open.");
        return labels;
    }
    try {
        for (const CheckpointRecord& c : model_->store()->checkpoints(runId))
            labels << QString::fromStdString(checkpointLabel(c));
    } catch (const std::exception& e) {
        *error = QString::fromUtf8(e.what());
    }
    return labels;
}

EvaluateDialog* RunsView::evaluateRun(int64_t runId, const QString& label) {
    if (!model_->store())
        return nullptr;
    auto* dialog = new EvaluateDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->start(QString::fromStdString(model_->store()->path()), runId, label);
    dialog->show();
    return dialog;
}

void RunsView::askEvaluate() {
    const int64_t id = currentRun();
    if (!id)
        return;
    QString error;
    const QStringList labels = checkpointLabels(id, &error);
    if (!error.isEmpty()) {
        Q_EMIT errorOccurred(error);
        return;
    }
    if (labels.isEmpty()) {
        Q_EMIT errorOccurred(tr("Run %1 has no checkpoint to evaluate: it was trained without checkpoints, "
                                "or they were removed.")
                                 .arg(id));
        return;
    }
    const int latest = labels.indexOf(QStringLiteral("latest"));
    bool ok = false;
    const QString label = QInputDialog::getItem(this, tr("Evaluate run %1").arg(id), tr("Checkpoint"), labels,
                                                std::max(latest, 0), false, &ok);
    if (ok)
        evaluateRun(id, label);
}

} // namespace bp::ui
