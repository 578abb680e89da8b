#include "ui/plots/hover_readout.h"
#include "ui/plots/qcustomplot_include.h"
#include <cmath>

namespace bp::ui {

namespace {
constexpr double kSearchRadius = 40.0; // pixels
}

HoverReadout::HoverReadout(QCustomPlot* plot, std::function<QString(double)> formatX)
    : QObject(plot), plot_(plot), formatX_(std::move(formatX)) {
    plot_->addLayer(QStringLiteral("hover"), plot_->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    layer_ = plot_->layer(QStringLiteral("hover"));
    layer_->setMode(QCPLayer::lmBuffered);
    tracer_ = new QCPItemTracer(plot_);
    tracer_->setLayer(layer_);
    tracer_->setStyle(QCPItemTracer::tsCircle);
    tracer_->setSize(8);
    tracer_->setSelectable(false);
    label_ = new QCPItemText(plot_);
    label_->setLayer(layer_);
    label_->setSelectable(false);
    label_->position->setParentAnchor(tracer_->position);
    label_->position->setCoords(10, -10); // pixels right of and above the marker
    label_->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    label_->setTextAlignment(Qt::AlignLeft);
    label_->setPadding(QMargins(4, 2, 4, 2));
    tracer_->setVisible(false);
    label_->setVisible(false);
}

QString HoverReadout::showNearest(const QPointF& pixel) {
    QCPGraph* bestGraph = nullptr;
    double bestDistance = kSearchRadius * kSearchRadius;
    double bestKey = 0.0, bestValue = 0.0;
    for (QCPGraph* graph : graphs_) {
        if (!graph->visible() || graph->data()->isEmpty())
            continue;
        const double key = graph->keyAxis()->pixelToCoord(pixel.x());
        auto it = graph->data()->findBegin(key, true);
        // Points are x-sorted: the nearest in pixels lies within a few points of the key; look around it.
        auto first = it - std::min<int>(int(it - graph->data()->constBegin()), 8);
        auto last = it + std::min<int>(int(graph->data()->constEnd() - it), 9);
        for (auto p = first; p != last; ++p) {
            const QPointF at = graph->coordsToPixels(p->key, p->value);
            const double dx = at.x() - pixel.x(), dy = at.y() - pixel.y();
            if (dx * dx + dy * dy < bestDistance) {
                bestDistance = dx * dx + dy * dy;
                bestGraph = graph;
                bestKey = p->key;
                bestValue = p->value;
            }
        }
    }
    if (!bestGraph) {
        hide();
        return {};
    }
    const QColor color = bestGraph->pen().color();
    tracer_->setPen(QPen(color, 2));
    tracer_->position->setAxes(bestGraph->keyAxis(), bestGraph->valueAxis());
    tracer_->position->setCoords(bestKey, bestValue);
    label_->setText(QStringLiteral("%1\nx = %2\ny = %3")
                        .arg(bestGraph->name(), formatX_(bestKey), QString::number(bestValue, 'g', 6)));
    label_->setColor(plot_->xAxis->tickLabelColor());
    label_->setBrush(plot_->legend->brush()); // the themed background
    label_->setPen(QPen(color));
    tracer_->setVisible(true);
    label_->setVisible(true);
    layer_->replot();
    return label_->text();
}

void HoverReadout::hide() {
    if (!tracer_->visible())
        return;
    tracer_->setVisible(false);
    label_->setVisible(false);
    layer_->replot();
}

QString HoverReadout::text() const {
    return label_->visible() ? label_->text() : QString();
}

} // namespace bp::ui
