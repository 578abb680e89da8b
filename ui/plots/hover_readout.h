#pragma once
#include <QObject>
#include <QPointF>
#include <QString>
#include <QVector>
#include <functional>

class QCustomPlot;
class QCPGraph;
class QCPItemText;
class QCPItemTracer;
class QCPLayer;

namespace bp::ui {

// A marker and a label on the drawn point nearest the mouse: series name, x and y. Lives on its own
// buffered layer so that following the mouse redraws only that layer, not the curves.
class HoverReadout : public QObject {
    Q_OBJECT
  public:
    HoverReadout(QCustomPlot* plot, std::function<QString(double)> formatX);

    // The graphs to search (invisible ones are skipped); their names label the read-out.
    void setGraphs(const QVector<QCPGraph*>& graphs) { graphs_ = graphs; }
    // Moves the read-out to the visible point nearest `pixel` (within 40 px); returns its text, or an
    // empty string (and hides it) when none is near.
    QString showNearest(const QPointF& pixel);
    void hide();
    QString text() const;

  private:
    QCustomPlot* plot_;
    std::function<QString(double)> formatX_;
    QVector<QCPGraph*> graphs_;
    QCPLayer* layer_;
    QCPItemTracer* tracer_;
    QCPItemText* label_;
};

} // namespace bp::ui
