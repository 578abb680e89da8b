#pragma once
#include "core/store/run_store.h"
#include "ui/groups/seed_groups.h"
#include <QVector>
#include <QWidget>

class QCheckBox;
class QPushButton;
class QTableView;

namespace bp::ui {

class HyperparameterTableModel;

// The "Hyperparameters" tab: the runs' hyperparameters side by side, a "Differences only" switch, and the
// table copied to the clipboard or exported as CSV, Markdown or LaTeX.
class HyperparameterPanel : public QWidget {
    Q_OBJECT
  public:
    explicit HyperparameterPanel(QWidget* parent = nullptr);

    void setRuns(RunStore& store, const QVector<int64_t>& runIds);
    // Runs already read, with their seed groups (HyperparameterTableModel::setRunRecords).
    void setRunRecords(RunStore& store, const std::vector<RunRecord>& runs,
                       const std::vector<SeedGroup>& groups);
    // The table (as shown: differences only or not) in the format the extension names (.csv, .md, .tex;
    // anything else: CSV). False with a message naming the path in *error on failure.
    bool exportTable(const QString& path, QString* error) const;
    QString tableText(const QString& format) const; // "csv", "md" or "tex"

    HyperparameterTableModel* model() const { return model_; }
    QCheckBox* differencesOnlyBox() const { return differencesOnly_; }
    QTableView* view() const { return view_; }

  Q_SIGNALS:
    void errorOccurred(const QString& message);

  private:
    void copy(const QString& format);
    void exportWithDialog();

    HyperparameterTableModel* model_;
    QTableView* view_;
    QCheckBox* differencesOnly_;
};

} // namespace bp::ui
