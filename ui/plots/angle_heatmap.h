#pragma once
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;

namespace bp::ui {

// Layer × time heatmap of alignment angles (weight or delta angles), coloured 0–90°. Columns are
// appended live; the colour map's cells grow in chunks so an append costs O(layers), not a full copy.
// Columns are drawn evenly spaced between the first and last x (angles are measured at a fixed interval).
class AngleHeatmap : public QWidget {
    Q_OBJECT
  public:
    explicit AngleHeatmap(const QString& title, QWidget* parent = nullptr);

    // Clears the columns; rows are labelled "layer <first> … layer <first + count − 1>".
    void setLayerCount(int count, int firstLayer = 0);
    // Clears the columns; one row per label.
    void setLayerLabels(const QStringList& labels);
    // One column of angles in degrees, bottom layer first; missing layers are left empty (NaN).
    void addColumn(double x, const QVector<double>& anglesPerLayer);
    void clear();
    void replot(); // fits the view to the columns and redraws once (queued)
    void setXLabel(const QString& label);

    int layerCount() const { return labels_.size(); }
    int columnCount() const { return xs_.size(); }
    double angle(int column, int layer) const; // NaN outside the data
    QCustomPlot* plot() const { return plot_; }
    QCPColorMap* colorMap() const { return map_; }
    QCPColorScale* colorScale() const { return scale_; }

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void resizeCells(int capacity);
    void updateKeyRange();

    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    QStringList labels_;
    QVector<double> xs_;
    QVector<double> angles_; // column-major: column c, layer l at c * layerCount() + l
    int capacity_ = 0;       // columns the colour map holds
};

} // namespace bp::ui
