#include "ui/plots/signal_view.h"
#include "core/store/run_store.h"
#include "ui/plots/pixel_ratio.h"
#include "ui/plots/plot_theme.h"
#include "ui/plots/qcustomplot_include.h"
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <numeric>

namespace bp::ui {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// The quantities in the order the box lists them, with their names on screen.
struct QuantityName {
    const char* key;
    const char* title;
};
const QuantityName kQuantities[] = {
    {"event_rate", QT_TRANSLATE_NOOP("SignalView", "event rate e")},
    {"p", QT_TRANSLATE_NOOP("SignalView", "burst probability p")},
    {"p_t", QT_TRANSLATE_NOOP("SignalView", "burst probability p_t (teaching)")},
    {"delta", QT_TRANSLATE_NOOP("SignalView", "delta")}};

} // namespace

SignalView::SignalView(QWidget* parent)
    : QWidget(parent), layer_(new QComboBox), quantity_(new QComboBox), silent_(new QLabel),
      plot_(new QCustomPlot(this)) {
    layer_->setToolTip(tr("The layer whose signals are shown"));
    quantity_->setToolTip(tr("The signal: event rates, burst probabilities (p, and p_t under the teaching "
                             "signal) or the rule's deltas"));
    for (const QuantityName& q : kQuantities)
        quantity_->addItem(tr(q.title), QString::fromLatin1(q.key));
    silent_->setWordWrap(true);
    silent_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Layer")));
    row->addWidget(layer_);
    row->addWidget(new QLabel(tr("Signal")));
    row->addWidget(quantity_);
    row->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(plot_, 1);
    layout->addWidget(silent_);

    plot_->setMinimumSize(260, 180);
    followDevicePixelRatio(plot_);
    plot_->xAxis->setLabel(tr("step"));
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->grid()->setVisible(false);
    QCPColorGradient gradient(QCPColorGradient::gpThermal);
    gradient.setNanHandling(QCPColorGradient::nhTransparent);
    const ColorMapParts parts = addColorMap(plot_, 0, tr("share of the layer's values"), gradient);
    map_ = parts.map;
    scale_ = parts.scale;
    applyPlotTheme(plot_, palette());

    auto redraw = [this] {
        dirty_ = true;
        replot();
    };
    connect(layer_, &QComboBox::currentIndexChanged, this, redraw);
    connect(quantity_, &QComboBox::currentIndexChanged, this, redraw);
    clear();
}

void SignalView::clear() {
    columns_.clear();
    {
        const QSignalBlocker block(layer_);
        layer_->clear();
    }
    map_->data()->clear();
    silent_->setText(tr("No signal histograms yet: they are recorded at the steps that measure angles."));
    dirty_ = false;
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void SignalView::setLayerTitles(const QStringList& titles) {
    titles_ = titles;
    for (int i = 0; i < layer_->count(); ++i)
        layer_->setItemText(i, layerTitle(layer_->itemData(i).toInt()));
}

QString SignalView::layerTitle(int layer) const {
    return layer >= 0 && layer < titles_.size() ? titles_[layer] : tr("layer %1").arg(layer);
}

void SignalView::add(int epoch, int64_t step, const SignalHistogram& histogram) {
    QVector<Column>& list = columns_[{histogram.layer, histogram.quantity}];
    while (!list.isEmpty() && list.back().step >= step) // a resumed run re-records: keep the latest
        list.pop_back();
    list.push_back({step, epoch, histogram});
}

void SignalView::addMeasurement(int epoch, int64_t step, const std::vector<SignalHistogram>& histograms) {
    for (const SignalHistogram& h : histograms)
        add(epoch, step, h);
    updateBoxes();
    dirty_ = true;
}

void SignalView::loadFromStore(RunStore& store, int64_t runId) {
    clear();
    for (const auto& [layer, quantity] : store.signalHistogramKeys(runId))
        for (const SignalHistogramRecord& r : store.readSignalHistograms(runId, layer, quantity))
            add(r.epoch, r.step, r.histogram);
    updateBoxes();
    dirty_ = true;
}

void SignalView::updateBoxes() {
    // The layers with data, bottom first; the choice stays where it was (the top layer at first).
    QList<int> layers;
    for (const auto& entry : columns_)
        if (layers.isEmpty() || layers.back() != entry.first.first)
            layers << entry.first.first;
    if (layers.size() == layer_->count())
        return;
    const QSignalBlocker block(layer_);
    const QVariant previous = layer_->currentData();
    layer_->clear();
    for (int layer : layers)
        layer_->addItem(layerTitle(layer), layer);
    const int keep = previous.isValid() ? layer_->findData(previous) : -1;
    layer_->setCurrentIndex(keep >= 0 ? keep : layer_->count() - 1);
}

const QVector<SignalView::Column>* SignalView::chosen() const {
    if (layer_->currentIndex() < 0)
        return nullptr;
    const auto it =
        columns_.find({layer_->currentData().toInt(), quantity_->currentData().toString().toStdString()});
    return it == columns_.end() || it->second.isEmpty() ? nullptr : &it->second;
}

int SignalView::columnCount() const {
    const QVector<Column>* c = chosen();
    return c ? c->size() : 0;
}

int SignalView::binCount() const {
    const QVector<Column>* c = chosen();
    return c ? static_cast<int>(c->back().histogram.counts.size()) : 0;
}

double SignalView::share(int column, int bin) const {
    const QVector<Column>* c = chosen();
    if (!c || column < 0 || column >= c->size())
        return kNaN;
    const std::vector<int64_t>& counts = (*c)[column].histogram.counts;
    if (bin < 0 || bin >= static_cast<int>(counts.size()))
        return kNaN;
    const int64_t total = std::accumulate(counts.begin(), counts.end(), int64_t(0));
    return total > 0 ? static_cast<double>(counts[static_cast<size_t>(bin)]) / static_cast<double>(total)
                     : kNaN;
}

int SignalView::measurementCount(int layer, const std::string& quantity) const {
    const auto it = columns_.find({layer, quantity});
    return it == columns_.end() ? 0 : it->second.size();
}

void SignalView::replot() {
    if (!dirty_)
        return;
    dirty_ = false;
    draw();
    updateSilentLine();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void SignalView::draw() {
    const QVector<Column>* c = chosen();
    if (!c) {
        map_->data()->clear();
        return;
    }
    const int columns = c->size();
    const int bins = binCount();
    // The bins are in the quantity's own units when every measurement has the same range (event rates and
    // burst probabilities); deltas span each measurement's own min–max, so there y is the bin's position.
    bool fixed = true;
    for (const Column& col : *c)
        fixed = fixed && col.histogram.low == c->front().histogram.low &&
                col.histogram.high == c->front().histogram.high &&
                static_cast<int>(col.histogram.counts.size()) == bins;
    const double low = fixed ? c->front().histogram.low : 0.0;
    const double high = fixed ? c->front().histogram.high : 1.0;
    const double width = (high - low) / std::max(bins, 1);
    const double first = static_cast<double>(c->front().step), last = static_cast<double>(c->back().step);
    const double step = columns > 1 ? (last - first) / (columns - 1) : 1.0;
    QCPColorMapData* data = map_->data();
    data->setSize(columns, bins);
    const QCPRange values = bins > 1 ? QCPRange(low + width / 2, high - width / 2) : QCPRange(low, high);
    data->setRange(columns > 1 ? QCPRange(first, last) : QCPRange(first - 0.5, first + 0.5), values);
    double top = 0.0;
    for (int x = 0; x < columns; ++x) {
        const std::vector<int64_t>& counts = (*c)[x].histogram.counts;
        const double total = static_cast<double>(std::accumulate(counts.begin(), counts.end(), int64_t(0)));
        for (int y = 0; y < bins; ++y) {
            const double v = y < static_cast<int>(counts.size()) && total > 0
                                 ? static_cast<double>(counts[static_cast<size_t>(y)]) / total
                                 : kNaN;
            data->setCell(x, y, v);
            if (std::isfinite(v))
                top = std::max(top, v);
        }
    }
    map_->setDataRange(QCPRange(0.0, top > 0 ? top : 1.0));
    const QString name = quantity_->currentText();
    plot_->yAxis->setLabel(fixed ? name : tr("%1 (bins of each measurement's min → max)").arg(name));
    plot_->xAxis->setRange(first - step / 2, last + step / 2);
    plot_->yAxis->setRange(low, high);
}

void SignalView::updateSilentLine() {
    if (layer_->currentIndex() < 0) {
        silent_->setText(tr("No signal histograms yet: they are recorded at the steps that measure angles."));
        return;
    }
    const int layer = layer_->currentData().toInt();
    const auto rates = columns_.find({layer, "event_rate"});
    QStringList parts;
    if (rates != columns_.end() && !rates->second.isEmpty()) {
        const Column& latest = rates->second.back();
        const SignalHistogram& h = latest.histogram;
        parts << tr("At step %1 (epoch %2): %3 of %4 units silent (event rate below 0.001 for every example "
                    "of the batch)")
                     .arg(latest.step)
                     .arg(latest.epoch)
                     .arg(h.silentUnits)
                     .arg(h.units);
        if (h.silentClasses >= 0)
            parts << tr("%1 of %2 classes predicted for no example").arg(h.silentClasses).arg(h.units);
    }
    if (const QVector<Column>* c = chosen()) {
        const SignalHistogram& h = c->back().histogram;
        parts << tr("latest range %1 to %2").arg(h.low, 0, 'g', 4).arg(h.high, 0, 'g', 4);
    } else {
        parts << tr("no %1 recorded for this layer").arg(quantity_->currentText());
    }
    silent_->setText(parts.join(QStringLiteral("; ")) + QLatin1Char('.'));
}

void SignalView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPlotTheme(plot_, palette());
        plot_->replot(QCustomPlot::rpQueuedReplot);
    }
}

} // namespace bp::ui
