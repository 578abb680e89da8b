#pragma once
#include "core/study/statistics.h"
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace bp::ui {

class GroupFiguresModel;

// The Compare page's figures by seed group: the group table, and "is the difference real?" — with exactly
// two groups selected (or only two compared), the bootstrap interval of the difference of their final test
// errors (10,000 resamples, a fixed seed) and Welch's p-value in words — and the table's export as CSV,
// Markdown or LaTeX.
class GroupPanel : public QWidget {
    Q_OBJECT
  public:
    static constexpr uint64_t kBootstrapSeed = 20240531; // the same interval every time for the same runs

    explicit GroupPanel(GroupFiguresModel* model, QWidget* parent = nullptr);

    GroupFiguresModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    QLabel* verdictLabel() const { return verdict_; }
    QPushButton* exportButton() const { return export_; }
    void selectGroups(int a, int b); // selects two rows of the table

    enum class Format { Csv, Markdown, Latex };
    QString tableText(Format format) const;
    // By the extension: .md Markdown, .tex LaTeX, else CSV. False with a message in *error on failure.
    bool exportTable(const QString& path, QString* error) const;

  Q_SIGNALS:
    void errorOccurred(const QString& message);

  private:
    void updateVerdict();
    void rememberSelection();
    void restoreSelection();
    void askExport(Format format);

    GroupFiguresModel* model_;
    QTableView* table_;
    QLabel* verdict_;
    QPushButton* export_;
    QStringList selected_; // titles of the groups selected before the table was re-read
};

} // namespace bp::ui
