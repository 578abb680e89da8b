#pragma once
#include "core/metrics/confusion.h"
#include <QStringList>
#include <QWidget>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;

namespace bp::ui {

// A confusion matrix as a heatmap: rows true classes (top to bottom), columns predicted classes, each cell
// coloured by its share of its row (so a rare class reads as clearly as a common one) and showing its count
// (written in the cells up to kMaxCellTexts classes; on hover always). Axes carry the class names.
class ConfusionHeatmap : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kMaxCellTexts = 20;

    explicit ConfusionHeatmap(QWidget* parent = nullptr);

    // names: one per class, else the class numbers.
    void setMatrix(const ConfusionMatrix& matrix, const QStringList& names = {});

    const ConfusionMatrix& matrix() const { return matrix_; }
    QStringList classNames() const { return names_; }
    // The row-normalised value a cell is coloured by (0 for an empty row).
    double rowShare(int truth, int predicted) const;
    // The text a cell shows ("" when counts are not written in the cells).
    QString cellText(int truth, int predicted) const;
    // The words shown on hover over the cell at a widget position of the plot; "" outside the matrix.
    QString describeAt(const QPoint& plotPosition) const;

    QCustomPlot* plot() const { return plot_; }
    QCPColorMap* colorMap() const { return map_; }

  protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void clearCellTexts();

    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    ConfusionMatrix matrix_;
    QStringList names_;
};

} // namespace bp::ui
