#pragma once
#include "core/store/run_store.h"
#include "ui/compare/parallel_coordinates_data.h"
#include <QStringList>
#include <QWidget>

namespace bp::ui {

// Hyperparameters against outcomes: one vertical axis per varying numeric hyperparameter plus final test
// error and final weight angle, each scaled from its minimum (bottom) to its maximum (top); one polyline per
// run coloured by final test error on a viridis ramp (legend bar on the right). Hovering a line highlights
// it and shows "#id name: test error x %". Without two runs or a varying parameter a message is drawn.
class ParallelCoordinatesPlot : public QWidget {
    Q_OBJECT
  public:
    explicit ParallelCoordinatesPlot(QWidget* parent = nullptr);

    void setRuns(RunStore& store, const QVector<int64_t>& runIds); // store errors become the message
    void setRuns(const std::vector<RunOutcome>& runs);             // figures already read
    void clear();

    QStringList axisNames() const;
    int lineCount() const { return data_.lines.size(); }
    QString message() const { return data_.message; }
    const ParallelCoordinates& data() const { return data_; }
    int hoveredLine() const { return hovered_; }
    // The line drawn within a few pixels of pos (widget coordinates), the nearest; -1 when none.
    int lineAt(const QPointF& pos) const;
    QPointF pointOf(int line, int axis) const; // where a line crosses an axis, in widget coordinates
    QString lineToolTip(int line) const;       // "#id name: test error x %"

    QSize sizeHint() const override { return {640, 320}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

  private:
    QRectF plotArea() const;
    double axisX(int axis) const;
    QColor lineColour(const ParallelLine& line) const;
    void paintAxes(QPainter& painter) const;
    void paintLegend(QPainter& painter) const;
    void setHovered(int line);

    ParallelCoordinates data_;
    double errorMin_ = 0.0, errorMax_ = 0.0; // colour scale
    int hovered_ = -1;
};

} // namespace bp::ui
