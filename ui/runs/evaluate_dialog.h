#pragma once
#include "core/runs/evaluate_run.h"
#include <QDialog>
#include <QFutureWatcher>
#include <QStringList>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QWidget;

namespace bp::ui {

class ConfusionHeatmap;

// What an evaluation off the GUI thread gives back: the evaluation, or why there is none.
struct EvaluationOutcome {
    RunEvaluation evaluation;
    QString errorMessage;
    explicit operator bool() const { return errorMessage.isEmpty(); }
};

// Evaluates a recorded run's checkpoint (core/runs: evaluateRun) on a thread of the global pool, through a
// read-only connection of its own to the database at databasePath. The future has one result.
QFuture<EvaluationOutcome> evaluateRunLater(const QString& databasePath, int64_t runId, const QString& label);

// The names of a data set's classes where it has them (Fashion-MNIST, CIFAR-10), else the class numbers.
// named: the names the evaluated data gave its classes (an image folder's class folders), used when there is
// one per class.
QStringList datasetClassNames(const std::string& dataset, int classes,
                              const std::vector<std::string>& named = {});

// The Runs page's "Evaluate…": a run's checkpoint evaluated on its test set without training. While it
// runs a busy bar shows; then the test loss, error (top-5 for softmax outputs), the error per class and the
// confusion matrix as a heatmap, which export as CSV (the CLI's --confusion file) and as PNG, SVG or PDF. A
// failure (no such checkpoint, a missing file, data that cannot be opened) is shown in words.
class EvaluateDialog : public QDialog {
    Q_OBJECT
  public:
    explicit EvaluateDialog(QWidget* parent = nullptr);

    // Starts evaluating (a newer start drops an unfinished one's result).
    void start(const QString& databasePath, int64_t runId, const QString& label);

    bool isRunning() const { return running_; } // from start() until its outcome is shown
    bool hasResult() const { return hasResult_; }
    const RunEvaluation& evaluation() const { return outcome_.evaluation; }
    QString errorMessage() const { return outcome_.errorMessage; } // "" while running or after success
    QStringList classNames() const { return names_; }

    QLabel* statusLabel() const { return status_; }
    QProgressBar* busyBar() const { return busy_; }
    QLabel* figureLabel(const QString& name) const; // "loss", "error", "top5", "examples"
    QTableWidget* perClassTable() const { return perClass_; }
    ConfusionHeatmap* heatmap() const { return heatmap_; }
    QPushButton* csvButton() const { return exportCsv_; }
    QPushButton* imageButton() const { return exportImage_; }

    // The exports, without file dialogs (the buttons ask for a path and call these).
    bool exportCsv(const QString& path, QString* error) const;
    bool exportImage(const QString& path, QString* error) const; // .png, .svg or .pdf

  Q_SIGNALS:
    void evaluated(bool ok); // the evaluation ended, with a result or an error

  private:
    void showOutcome();
    void askExportCsv();
    void askExportImage();

    QFutureWatcher<EvaluationOutcome> watcher_;
    EvaluationOutcome outcome_;
    bool hasResult_ = false;
    bool running_ = false;
    QStringList names_;
    QLabel* title_;
    QLabel* status_;
    QProgressBar* busy_;
    QWidget* results_;
    QLabel* loss_;
    QLabel* error_;
    QLabel* top5_;
    QLabel* examples_;
    QTableWidget* perClass_;
    ConfusionHeatmap* heatmap_;
    QPushButton* exportCsv_;
    QPushButton* exportImage_;
};

} // namespace bp::ui
