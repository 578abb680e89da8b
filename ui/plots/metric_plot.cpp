#include "ui/plots/metric_plot.h"
#include <QVBoxLayout>
#include "ui/plots/qcustomplot_include.h"

namespace bp::ui {

MetricPlot::MetricPlot(const QString& title, const QString& yLabel, QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, title, QFont(font().family(), 10, QFont::Bold)));
    plot_->xAxis->setLabel(tr("epoch"));
    plot_->yAxis->setLabel(yLabel);
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 8));
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setMinimumSize(260, 180);
}

int MetricPlot::addSeries(const QString& name, const QColor& color, bool faint, bool markers) {
    QCPGraph* graph = plot_->addGraph();
    graph->setName(name);
    QColor c = color;
    if (faint)
        c.setAlpha(70);
    graph->setPen(QPen(c, faint ? 1.0 : 2.0));
    if (markers)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    if (faint)
        graph->removeFromLegend();
    graphs_.push_back(graph);
    names_ << name;
    return graphs_.size() - 1;
}

int MetricPlot::layerSeries(const QString& prefix, int layer, bool faint) {
    const QString name = QStringLiteral("%1 %2%3").arg(prefix).arg(layer).arg(faint ? QStringLiteral(" (batch)") : QString());
    const int existing = names_.indexOf(name);
    if (existing >= 0)
        return existing;
    static const QColor palette[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                     QColor(214, 39, 40), QColor(148, 103, 189), QColor(140, 86, 75)};
    return addSeries(name, palette[layer % 6], faint, !faint);
}

void MetricPlot::addPoint(int series, double x, double y) {
    if (series >= 0 && series < graphs_.size() && std::isfinite(y))
        graphs_[series]->addData(x, y);
}

void MetricPlot::clear() {
    plot_->clearGraphs();
    graphs_.clear();
    names_.clear();
    plot_->replot();
}

void MetricPlot::replot() {
    plot_->rescaleAxes();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

int MetricPlot::pointCount(int series) const {
    return series >= 0 && series < graphs_.size() ? graphs_[series]->dataCount() : 0;
}

} // namespace bp::ui
