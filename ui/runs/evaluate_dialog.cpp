#include "ui/runs/evaluate_dialog.h"
#include "core/config/run_config.h"
#include "ui/plots/confusion_heatmap.h"
#include "ui/plots/plot_export.h"
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPromise>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>
#include <memory>

namespace bp::ui {

namespace {

QString percent(double value) {
    return QStringLiteral("%1%").arg(value, 0, 'f', 2);
}

QTableWidgetItem* cell(const QString& text, bool number = true) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

QFuture<EvaluationOutcome> evaluateRunLater(const QString& databasePath, int64_t runId,
                                            const QString& label) {
    auto promise = std::make_shared<QPromise<EvaluationOutcome>>();
    QFuture<EvaluationOutcome> future = promise->future();
    promise->start();
    const std::string path = databasePath.toStdString(), which = label.toStdString();
    QThreadPool::globalInstance()->start([promise, path, runId, which] {
        EvaluationOutcome outcome;
        try {
            // A connection of this thread's own: the page's connections belong to the GUI thread.
            RunStore store(path, RunStore::Access::ReadOnly);
            outcome.evaluation = evaluateRun(store, runId, which);
        } catch (const std::exception& e) {
            const std::string what = e.what();
            outcome.errorMessage = QString::fromStdString(what.substr(0, what.find('\n')));
            if (outcome.errorMessage.isEmpty())
                outcome.errorMessage = QObject::tr("the evaluation failed");
        }
        promise->addResult(std::move(outcome));
        promise->finish();
    });
    return future;
}

QStringList datasetClassNames(const std::string& dataset, int classes,
                              const std::vector<std::string>& named) {
    QStringList names;
    if (named.size() == static_cast<size_t>(classes)) {
        for (const std::string& name : named)
            names << QString::fromStdString(name);
        return names;
    }
    try {
        switch (parseDatasetKind(dataset)) {
        case DatasetKind::FashionMnist:
            names = {QStringLiteral("T-shirt/top"), QStringLiteral("Trouser"), QStringLiteral("Pullover"),
                     QStringLiteral("Dress"),       QStringLiteral("Coat"),    QStringLiteral("Sandal"),
                     QStringLiteral("Shirt"),       QStringLiteral("Sneaker"), QStringLiteral("Bag"),
                     QStringLiteral("Ankle boot")};
            break;
        case DatasetKind::Cifar10:
            names = {QStringLiteral("airplane"), QStringLiteral("automobile"), QStringLiteral("bird"),
                     QStringLiteral("cat"),      QStringLiteral("deer"),       QStringLiteral("dog"),
                     QStringLiteral("frog"),     QStringLiteral("horse"),      QStringLiteral("ship"),
                     QStringLiteral("truck")};
            break;
        default:
            break;
        }
    } catch (const std::exception&) {
        // An unknown data set: its classes are numbered.
    }
    if (names.size() != classes) {
        names.clear();
        for (int c = 0; c < classes; ++c)
            names << QString::number(c);
    }
    return names;
}

EvaluateDialog::EvaluateDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Evaluate checkpoint"));
    title_ = new QLabel;
    title_->setWordWrap(true);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_ = new QLabel;
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    busy_ = new QProgressBar;
    busy_->setRange(0, 0); // busy: the evaluation reports no progress
    busy_->setTextVisible(false);
    busy_->hide();

    loss_ = new QLabel;
    error_ = new QLabel;
    top5_ = new QLabel;
    examples_ = new QLabel;
    for (QLabel* l : {loss_, error_, top5_, examples_})
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* figures = new QFormLayout;
    figures->addRow(tr("Test loss"), loss_);
    figures->addRow(tr("Test error"), error_);
    figures->addRow(tr("Top-5 error"), top5_);
    figures->addRow(tr("Test examples"), examples_);
    perClass_ = new QTableWidget(0, 4);
    perClass_->setHorizontalHeaderLabels({tr("class"), tr("examples"), tr("errors"), tr("error")});
    perClass_->verticalHeader()->hide();
    perClass_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    perClass_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(figures);
    leftLayout->addWidget(perClass_, 1);
    heatmap_ = new ConfusionHeatmap;
    auto* split = new QSplitter;
    split->addWidget(left);
    split->addWidget(heatmap_);
    split->setStretchFactor(1, 1);
    results_ = split;
    results_->hide();

    exportCsv_ = new QPushButton(tr("Export CSV…"));
    exportCsv_->setToolTip(
        tr("The confusion matrix as CSV, as burstprop-train evaluate --confusion writes it"));
    exportImage_ = new QPushButton(tr("Export image…"));
    exportImage_->setToolTip(tr("The confusion matrix heatmap as PNG, SVG or PDF"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(exportCsv_, QDialogButtonBox::ActionRole);
    buttons->addButton(exportImage_, QDialogButtonBox::ActionRole);
    exportCsv_->setEnabled(false);
    exportImage_->setEnabled(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addWidget(busy_);
    layout->addWidget(status_);
    layout->addWidget(results_, 1);
    layout->addWidget(buttons);
    resize(960, 560);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(exportCsv_, &QPushButton::clicked, this, &EvaluateDialog::askExportCsv);
    connect(exportImage_, &QPushButton::clicked, this, &EvaluateDialog::askExportImage);
    connect(&watcher_, &QFutureWatcher<EvaluationOutcome>::finished, this, &EvaluateDialog::showOutcome);
}

void EvaluateDialog::start(const QString& databasePath, int64_t runId, const QString& label) {
    hasResult_ = false;
    running_ = true;
    outcome_ = EvaluationOutcome();
    names_.clear();
    results_->hide();
    exportCsv_->setEnabled(false);
    exportImage_->setEnabled(false);
    const QString which = label.isEmpty() ? QStringLiteral("latest") : label;
    setWindowTitle(tr("Evaluate run %1").arg(runId));
    title_->setText(tr("Run %1, checkpoint %2").arg(runId).arg(which));
    status_->setStyleSheet(QString());
    status_->setText(tr("Evaluating the %1 checkpoint on the test set…").arg(which));
    busy_->show();
    watcher_.setFuture(evaluateRunLater(databasePath, runId, which));
}

void EvaluateDialog::showOutcome() {
    running_ = false;
    busy_->hide();
    outcome_ = watcher_.result();
    if (!outcome_) {
        status_->setStyleSheet(QStringLiteral("color: #c0392b"));
        status_->setText(tr("Cannot evaluate: %1").arg(outcome_.errorMessage));
        Q_EMIT evaluated(false);
        return;
    }
    hasResult_ = true;
    const RunEvaluation& e = outcome_.evaluation;
    const TestEvaluation& r = e.result;
    const ConfusionMatrix& m = r.confusion;
    names_ = datasetClassNames(e.run.dataset, m.classes(), e.result.classNames);
    title_->setText(tr("Run %1 \"%2\", checkpoint %3 (epoch %4, step %5)")
                        .arg(e.run.id)
                        .arg(QString::fromStdString(e.run.name), QString::fromStdString(e.label))
                        .arg(e.epoch)
                        .arg(e.step));
    status_->setText(tr("%1 on %2 test examples of %3")
                         .arg(QString::fromStdString(e.checkpointPath))
                         .arg(r.test.examples)
                         .arg(QString::fromStdString(e.run.dataset)));
    loss_->setText(QString::number(r.test.loss, 'g', 6));
    QString silent;
    if (r.test.silentClasses == 1)
        silent = tr(" (1 class predicted for no example)");
    else if (r.test.silentClasses > 1)
        silent = tr(" (%1 classes predicted for no example)").arg(r.test.silentClasses);
    error_->setText(percent(r.test.error) + silent);
    top5_->setText(r.hasTop5 ? percent(r.test.top5Error) : tr("n/a (not a softmax output)"));
    examples_->setText(QString::number(r.test.examples));
    perClass_->setRowCount(m.classes());
    for (int t = 0; t < m.classes(); ++t) {
        const std::optional<double> error = m.classError(t);
        perClass_->setItem(t, 0, cell(names_[t], false));
        perClass_->setItem(t, 1, cell(QString::number(m.present(t))));
        perClass_->setItem(t, 2, cell(QString::number(m.present(t) - m.count(t, t))));
        perClass_->setItem(t, 3, cell(error ? percent(*error) : QStringLiteral("–")));
    }
    perClass_->resizeColumnsToContents();
    heatmap_->setMatrix(m, names_);
    results_->show();
    exportCsv_->setEnabled(true);
    exportImage_->setEnabled(true);
    Q_EMIT evaluated(true);
}

QLabel* EvaluateDialog::figureLabel(const QString& name) const {
    if (name == QLatin1String("loss"))
        return loss_;
    if (name == QLatin1String("error"))
        return error_;
    if (name == QLatin1String("top5"))
        return top5_;
    if (name == QLatin1String("examples"))
        return examples_;
    return nullptr;
}

bool EvaluateDialog::exportCsv(const QString& path, QString* error) const {
    if (!hasResult_) {
        *error = tr("Nothing evaluated yet.");
        return false;
    }
    QSaveFile file(path);
    const std::string csv = outcome_.evaluation.result.confusion.csv(); // the CLI's --confusion file
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(csv.data(), qint64(csv.size())) != qint64(csv.size()) || !file.commit()) {
        *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool EvaluateDialog::exportImage(const QString& path, QString* error) const {
    if (!hasResult_) {
        *error = tr("Nothing evaluated yet.");
        return false;
    }
    return exportPlot(heatmap_->plot(), path, ExportOptions{}, error);
}

void EvaluateDialog::askExportCsv() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export confusion matrix"),
                                                      QStringLiteral("run-%1-%2-confusion.csv")
                                                          .arg(evaluation().run.id)
                                                          .arg(QString::fromStdString(evaluation().label)),
                                                      tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export confusion matrix"), error);
}

void EvaluateDialog::askExportImage() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export confusion matrix"),
                                                      QStringLiteral("run-%1-%2-confusion.png")
                                                          .arg(evaluation().run.id)
                                                          .arg(QString::fromStdString(evaluation().label)),
                                                      tr("PNG image (*.png);;SVG (*.svg);;PDF (*.pdf)"));
    QString error;
    if (!path.isEmpty() && !exportImage(path, &error))
        QMessageBox::warning(this, tr("Export confusion matrix"), error);
}

} // namespace bp::ui
