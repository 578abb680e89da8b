#include "ui/plots/angle_heatmap.h"
#include "ui/plots/pixel_ratio.h"
#include "ui/plots/plot_theme.h"
#include "ui/plots/qcustomplot_include.h"
#include <QVBoxLayout>
#include <cmath>

namespace bp::ui {

namespace {
constexpr int kColumnChunk = 256;
constexpr double kMaxAngle = 90.0;
const double kNaN = std::numeric_limits<double>::quiet_NaN();
} // namespace

AngleHeatmap::AngleHeatmap(const QString& title, QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setMinimumSize(260, 180);
    followDevicePixelRatio(plot_);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(
        0, 0, new QCPTextElement(plot_, title, QFont(font().family(), 10, QFont::Bold)));
    plot_->xAxis->setLabel(tr("epoch"));
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->grid()->setVisible(false);

    QCPColorGradient gradient(QCPColorGradient::gpThermal);
    gradient.setNanHandling(QCPColorGradient::nhTransparent);
    const ColorMapParts parts = addColorMap(plot_, 1, tr("angle (°)"), gradient);
    map_ = parts.map;
    scale_ = parts.scale;
    map_->setDataRange(QCPRange(0.0, kMaxAngle));
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    applyPlotTheme(plot_, palette());
}

void AngleHeatmap::setLayerCount(int count, int firstLayer) {
    QStringList labels;
    for (int i = 0; i < count; ++i)
        labels << tr("layer %1").arg(firstLayer + i);
    setLayerLabels(labels);
}

void AngleHeatmap::setLayerLabels(const QStringList& labels) {
    labels_ = labels;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < labels_.size(); ++i)
        ticker->addTick(i, labels_[i]);
    plot_->yAxis->setTicker(ticker);
    clear();
}

void AngleHeatmap::addColumn(double x, const QVector<double>& anglesPerLayer) {
    const int layers = layerCount();
    if (layers == 0 || !std::isfinite(x))
        return;
    const int column = xs_.size();
    xs_.push_back(x);
    for (int l = 0; l < layers; ++l)
        angles_.push_back(l < anglesPerLayer.size() ? anglesPerLayer[l] : kNaN);
    if (column >= capacity_)
        resizeCells(capacity_ + kColumnChunk);
    for (int l = 0; l < layers; ++l)
        map_->data()->setCell(column, l, angles_[column * layers + l]);
    updateKeyRange();
}

void AngleHeatmap::clear() {
    xs_.clear();
    angles_.clear();
    capacity_ = 0;
    map_->data()->clear();
    plot_->yAxis->setRange(-0.5, std::max(layerCount(), 1) - 0.5);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void AngleHeatmap::replot() {
    if (!xs_.isEmpty()) {
        const double step = xs_.size() > 1 ? (xs_.last() - xs_.first()) / (xs_.size() - 1) : 1.0;
        plot_->xAxis->setRange(xs_.first() - step / 2, xs_.last() + step / 2);
    }
    plot_->yAxis->setRange(-0.5, std::max(layerCount(), 1) - 0.5);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void AngleHeatmap::setXLabel(const QString& label) {
    plot_->xAxis->setLabel(label);
}

double AngleHeatmap::angle(int column, int layer) const {
    if (column < 0 || column >= columnCount() || layer < 0 || layer >= layerCount())
        return kNaN;
    return angles_[column * layerCount() + layer];
}

void AngleHeatmap::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPlotTheme(plot_, palette());
        plot_->replot(QCustomPlot::rpQueuedReplot);
    }
}

void AngleHeatmap::resizeCells(int capacity) {
    // QCPColorMapData::setSize discards the cells: refill the new map from the stored columns, and
    // leave the columns not yet filled NaN (transparent).
    const int layers = layerCount();
    capacity_ = capacity;
    map_->data()->setSize(capacity_, layers);
    map_->data()->fill(kNaN);
    for (int c = 0; c < columnCount(); ++c)
        for (int l = 0; l < layers; ++l)
            map_->data()->setCell(c, l, angles_[c * layers + l]);
}

void AngleHeatmap::updateKeyRange() {
    // Cell c sits at x₀ + c·step, step being the mean spacing of the columns so far.
    const double step = xs_.size() > 1 ? (xs_.last() - xs_.first()) / (xs_.size() - 1) : 1.0;
    // Rows sit at 0 … layers − 1. QCustomPlot draws a map of one row over its whole value range, and of
    // several rows from the first row's centre to the last's, plus half a row on each side.
    const QCPRange rows = layerCount() == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0.0, layerCount() - 1);
    map_->data()->setRange(QCPRange(xs_.first(), xs_.first() + (capacity_ - 1) * step), rows);
}

} // namespace bp::ui
