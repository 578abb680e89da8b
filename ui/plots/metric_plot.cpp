#include "ui/plots/metric_plot.h"
#include "ui/plots/hover_readout.h"
#include "ui/plots/pixel_ratio.h"
#include "ui/plots/plot_theme.h"
#include "ui/plots/qcustomplot_include.h"
#include <QDateTime>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace bp::ui {

namespace {

constexpr int kFaintAlpha = 70;

// Wall-clock ticks with seconds while the axis spans an hour or less (ticks seconds apart would all read
// the same minute), with the date once it spans more.
class WallClockTicker : public QCPAxisTickerDateTime {
  public:
    void generate(const QCPRange& range, const QLocale& locale, QChar formatChar, int precision,
                  QVector<double>& ticks, QVector<double>* subTicks, QVector<QString>* tickLabels) override {
        setDateTimeFormat(range.size() <= 3600.0 ? QStringLiteral("hh:mm:ss")
                                                 : QStringLiteral("hh:mm\nMMM d"));
        QCPAxisTickerDateTime::generate(range, locale, formatChar, precision, ticks, subTicks, tickLabels);
    }
};

// Powers of ten on a log axis spanning a decade or more; inside a narrower range (0.02 … 0.09) no power of
// ten falls, so plain evenly stepped values are labelled instead.
class AdaptiveLogTicker : public QCPAxisTickerLog {
  protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override {
        if (range.lower > 0 && range.upper / range.lower < 20.0)
            return QCPAxisTicker::createTickVector(QCPAxisTicker::getTickStep(range), range);
        return QCPAxisTickerLog::createTickVector(tickStep, range);
    }
    QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override {
        if (ticks.size() >= 2 && ticks.last() / ticks.first() < 20.0)
            return QCPAxisTicker::createSubTickVector(subTickCount, ticks);
        return QCPAxisTickerLog::createSubTickVector(subTickCount, ticks);
    }
};
constexpr double kRawBehindSmoothed = 0.3; // opacity of the raw curve behind a smoothed one

struct Bounds {
    double lower = std::numeric_limits<double>::infinity();
    double upper = -std::numeric_limits<double>::infinity();
    bool valid() const { return lower <= upper; }
    void include(const QVector<double>& values) {
        for (double v : values)
            if (std::isfinite(v)) {
                lower = std::min(lower, v);
                upper = std::max(upper, v);
            }
    }
    // A range showing the bounds with a margin; never empty, and positive on a log axis.
    QCPRange padded(double margin, bool log) const {
        if (log) {
            const double lo = std::log10(lower), hi = std::log10(upper);
            const double pad = hi > lo ? (hi - lo) * margin : 0.5;
            return QCPRange(std::pow(10.0, lo - pad), std::pow(10.0, hi + pad));
        }
        const double pad = upper > lower ? (upper - lower) * margin : std::max(0.5, std::abs(lower) * 0.1);
        return QCPRange(lower - pad, upper + pad);
    }
};

} // namespace

MetricPlot::MetricPlot(const QString& title, const QString& yLabel, QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(
        0, 0, new QCPTextElement(plot_, title, QFont(font().family(), 10, QFont::Bold)));
    plot_->xAxis->setLabel(xAxisTitle(options_.mode));
    plot_->yAxis->setLabel(yLabel);
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 8));
    // The legend below the axes in a row of its own, never over the curves (their ends, where training
    // ends, were under it). Its row takes only the height its entries need.
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    plot_->plotLayout()->addElement(2, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(2, 0.001);
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setMinimumSize(260, 180);
    hover_ = new HoverReadout(plot_, [this](double x) { return formatX(x); });
    applyPlotTheme(plot_, palette());
    followDevicePixelRatio(plot_);

    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            &MetricPlot::onXRangeChanged);
    connect(plot_->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
        if (!fitting_)
            followData_ = false;
    });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        if (event->buttons() == Qt::NoButton)
            hover_->showNearest(event->position());
        else
            hover_->hide(); // dragging: the read-out would lag behind the moving curves
    });
    connect(plot_, &QCustomPlot::legendClick, this,
            [this](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) {
                auto* entry = qobject_cast<QCPPlottableLegendItem*>(item);
                for (int i = 0; entry && i < seriesCount(); ++i)
                    if (series_[size_t(i)].curve == entry->plottable())
                        setSeriesVisible(i, !series_[size_t(i)].visible);
            });
    plot_->installEventFilter(this);
}

MetricPlot::~MetricPlot() = default;

int MetricPlot::addSeries(const QString& name, const QColor& color, bool faint, bool markers) {
    Series s;
    s.name = name;
    s.color = color;
    s.faint = faint;
    s.raw = plot_->addGraph(); // added first, so drawn behind the curve
    s.raw->setName(name);
    s.raw->removeFromLegend();
    s.raw->setSelectable(QCP::stNone);
    s.curve = plot_->addGraph();
    s.curve->setName(name);
    s.curve->setSelectable(QCP::stNone);
    if (markers)
        s.curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    if (faint)
        s.curve->removeFromLegend();
    applyPens(s);
    series_.push_back(std::move(s));
    QVector<QCPGraph*> curves;
    for (const Series& each : series_)
        curves << each.curve;
    hover_->setGraphs(curves);
    updateLegendWrap();
    return seriesCount() - 1;
}

void MetricPlot::setSeriesCompanion(int series, int legendSeries) {
    if (series < 0 || series >= seriesCount() || legendSeries < 0 || legendSeries >= seriesCount() ||
        series == legendSeries)
        return;
    Series& s = series_[size_t(series)];
    s.companionOf = legendSeries;
    s.visible = series_[size_t(legendSeries)].visible;
    applyPens(s);
}

void MetricPlot::setSeriesSmoothed(int series, bool smoothed) {
    if (series < 0 || series >= seriesCount() || series_[size_t(series)].smoothed == smoothed)
        return;
    Series& s = series_[size_t(series)];
    s.smoothed = smoothed;
    s.curvesStale = true;
    applyPens(s);
}

bool MetricPlot::isSeriesSmoothed(int series) const {
    return series >= 0 && series < seriesCount() && series_[size_t(series)].smoothed;
}

int MetricPlot::layerSeries(const QString& prefix, int layer, bool faint) {
    return layerSeries(layer, QStringLiteral("%1 %2").arg(prefix).arg(layer), faint);
}

int MetricPlot::layerSeries(int layer, const QString& title, bool faint) {
    const QString name = faint ? title + QStringLiteral(" (batch)") : title;
    for (int i = 0; i < seriesCount(); ++i)
        if (series_[size_t(i)].name == name)
            return i;
    static const QColor palette[] = {QColor(31, 119, 180), QColor(255, 127, 14),  QColor(44, 160, 44),
                                     QColor(214, 39, 40),  QColor(148, 103, 189), QColor(140, 86, 75)};
    const int added = addSeries(name, palette[layer % 6], faint, !faint);
    if (!faint)
        setSeriesSmoothed(added, false); // a layer's epoch points stay as measured
    // A layer's batch measurements go with its epoch curve, whichever came first.
    const QString other = faint ? title : title + QStringLiteral(" (batch)");
    for (int i = 0; i < seriesCount() - 1; ++i)
        if (series_[size_t(i)].name == other) {
            if (faint)
                setSeriesCompanion(added, i);
            else
                setSeriesCompanion(i, added);
        }
    return added;
}

void MetricPlot::addPoint(int series, double x, double y) {
    XPoint at;
    at.epoch = x;
    addPoint(series, at, y);
}

void MetricPlot::addPoint(int series, const XPoint& x, double y) {
    if (series < 0 || series >= seriesCount() || !std::isfinite(y))
        return;
    Series& s = series_[size_t(series)];
    s.data.append(x, y);
    s.curvesStale = true;
}

void MetricPlot::setSeriesPoints(int series, const QVector<XPoint>& xs, const QVector<double>& ys) {
    if (series < 0 || series >= seriesCount())
        return;
    Series& s = series_[size_t(series)];
    s.data.clear();
    for (int i = 0; i < xs.size() && i < ys.size(); ++i)
        if (std::isfinite(ys[i]))
            s.data.append(xs[i], ys[i]);
    s.curvesStale = true;
}

void MetricPlot::clear() {
    hover_->setGraphs({});
    hover_->hide();
    for (const Series& s : series_) {
        plot_->removeGraph(s.curve);
        plot_->removeGraph(s.raw);
    }
    series_.clear();
    followData_ = true;
    updateLegendWrap();
    plot_->replot();
}

void MetricPlot::replot() {
    rebuildStaleCurves();
    if (followData_)
        fitView(); // also reduces
    else
        reduceVisible();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void MetricPlot::resetView() {
    followData_ = true;
    replot();
}

QString MetricPlot::seriesName(int series) const {
    return series >= 0 && series < seriesCount() ? series_[size_t(series)].name : QString();
}

int MetricPlot::pointCount(int series) const {
    return series >= 0 && series < seriesCount() ? series_[size_t(series)].data.size() : 0;
}

const SeriesData* MetricPlot::seriesData(int series) const {
    return series >= 0 && series < seriesCount() ? &series_[size_t(series)].data : nullptr;
}

QCPGraph* MetricPlot::curveGraph(int series) const {
    return series >= 0 && series < seriesCount() ? series_[size_t(series)].curve : nullptr;
}

QCPGraph* MetricPlot::rawGraph(int series) const {
    return series >= 0 && series < seriesCount() ? series_[size_t(series)].raw : nullptr;
}

bool MetricPlot::isSeriesVisible(int series) const {
    return series >= 0 && series < seriesCount() && series_[size_t(series)].visible;
}

void MetricPlot::setSmoothing(double weight) {
    weight = std::clamp(std::isfinite(weight) ? weight : 0.0, 0.0, 0.999);
    if (weight == options_.smoothing)
        return;
    options_.smoothing = weight;
    onOptionsChanged(false);
}

void MetricPlot::setLogX(bool on) {
    if (on == options_.logX)
        return;
    options_.logX = on;
    onOptionsChanged(true);
}

void MetricPlot::setLogY(bool on) {
    if (on == options_.logY)
        return;
    options_.logY = on;
    onOptionsChanged(true);
}

void MetricPlot::setXAxisMode(XAxisMode mode) {
    if (mode == options_.mode)
        return;
    options_.mode = mode;
    onOptionsChanged(true);
}

void MetricPlot::setSeriesVisible(int series, bool visible) {
    if (series < 0 || series >= seriesCount() || series_[size_t(series)].visible == visible)
        return;
    Series& s = series_[size_t(series)];
    s.visible = visible;
    applyPens(s);
    for (Series& companion : series_)
        if (companion.companionOf == series) {
            companion.visible = visible;
            applyPens(companion);
        }
    plot_->replot(QCustomPlot::rpQueuedReplot);
    Q_EMIT seriesVisibilityChanged(series, visible);
}

void MetricPlot::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPlotTheme(plot_, palette());
        for (Series& s : series_)
            applyPens(s); // greys the legend entries of hidden series again
        plot_->replot(QCustomPlot::rpQueuedReplot);
    }
}

void MetricPlot::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    updateLegendWrap();
    fitTickCounts();
    reduceVisible(); // the number of pixel columns changed
}

bool MetricPlot::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && event->type() == QEvent::Leave)
        hover_->hide();
    return QWidget::eventFilter(watched, event);
}

void MetricPlot::onOptionsChanged(bool refit) {
    for (Series& s : series_) {
        s.curvesStale = true;
        applyPens(s);
    }
    updateAxes();
    if (refit)
        followData_ = true; // the old view means nothing in the new coordinates
    hover_->hide();
    replot();
}

void MetricPlot::applyPens(Series& s) {
    const bool smoothing = drawsSmoothed(s);
    QColor color = s.color;
    color.setAlpha(s.faint ? kFaintAlpha : 255);
    s.curve->setPen(QPen(color, s.faint ? 1.0 : 2.0));
    QColor behind = color;
    behind.setAlphaF(color.alphaF() * kRawBehindSmoothed);
    s.raw->setPen(QPen(behind, 1.0));
    s.curve->setVisible(s.visible);
    s.raw->setVisible(s.visible && smoothing);
    if (QCPPlottableLegendItem* item = plot_->legend->itemWithPlottable(s.curve))
        item->setTextColor(s.visible ? palette().color(QPalette::Text)
                                     : palette().color(QPalette::Disabled, QPalette::Text));
}

void MetricPlot::rebuildStaleCurves() {
    for (Series& s : series_)
        if (s.curvesStale) {
            CurveOptions options = options_;
            if (!s.smoothed)
                options.smoothing = 0.0;
            s.curves = buildCurves(s.data, options);
            s.curvesStale = false;
        }
}

void MetricPlot::reduceVisible() {
    const QCPRange range = plot_->xAxis->range();
    const int pixels = std::max(plot_->width(), 1);
    for (Series& s : series_) {
        if (s.curvesStale) // new points since the last replot(): drawn by the next one
            continue;
        const bool smoothing = drawsSmoothed(s);
        const CurvePoints curve = reduceMinMax(smoothing ? s.curves.smoothed : s.curves.raw, range.lower,
                                               range.upper, pixels, options_.logX);
        s.curve->setData(curve.x, curve.y, true);
        if (smoothing) {
            const CurvePoints raw =
                reduceMinMax(s.curves.raw, range.lower, range.upper, pixels, options_.logX);
            s.raw->setData(raw.x, raw.y, true);
        } else {
            s.raw->data()->clear();
        }
    }
}

void MetricPlot::updateLegendWrap() {
    QCPLegend* legend = plot_->legend;
    int widest = 1, entries = 0;
    for (int i = 0; i < legend->itemCount(); ++i) // a wrapped grid's cells, some of them empty
        if (QCPLayoutElement* item = legend->item(i)) {
            widest = std::max(widest, item->minimumOuterSizeHint().width());
            ++entries;
        }
    const int room = plot_->width() - legend->margins().left() - legend->margins().right();
    const int columns = std::clamp(room / (widest + legend->columnSpacing()), 1, std::max(1, entries));
    if (columns != legend->wrap()) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLegend::foColumnsFirst, true); // re-flows the entries
    }
}

void MetricPlot::fitView() {
    Bounds x, y;
    for (const Series& s : series_) {
        if (!s.visible)
            continue;
        x.include(s.curves.raw.x);
        y.include(s.curves.raw.y);
        x.include(s.curves.smoothed.x);
        y.include(s.curves.smoothed.y);
    }
    if (x.valid() && y.valid()) {
        fitting_ = true;
        plot_->yAxis->setRange(y.padded(0.05, options_.logY));
        plot_->xAxis->setRange(x.padded(0.0, options_.logX));
        fitting_ = false;
    }
    reduceVisible();
}

void MetricPlot::updateAxes() {
    fitting_ = true; // a scale change may move the ranges; that is not the user's doing
    plot_->xAxis->setLabel(xAxisTitle(options_.mode));
    plot_->xAxis->setScaleType(options_.logX ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (options_.logX) {
        plot_->xAxis->setTicker(QSharedPointer<AdaptiveLogTicker>::create());
    } else if (options_.mode == XAxisMode::WallTime) {
        plot_->xAxis->setTicker(QSharedPointer<WallClockTicker>::create());
    } else {
        plot_->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    plot_->yAxis->setScaleType(options_.logY ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (options_.logY)
        plot_->yAxis->setTicker(QSharedPointer<AdaptiveLogTicker>::create());
    else
        plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    fitTickCounts();
    fitting_ = false;
}

void MetricPlot::fitTickCounts() {
    // About one labelled tick per 110 px across and per 60 px up: a small plot keeps its labels apart.
    plot_->xAxis->ticker()->setTickCount(std::clamp(plot_->width() / 110, 2, 6));
    plot_->yAxis->ticker()->setTickCount(std::clamp(plot_->height() / 60, 2, 5));
}

void MetricPlot::onXRangeChanged(const QCPRange&) {
    if (fitting_)
        return;
    followData_ = false; // the user zoomed or panned: keep their view while data arrives
    reduceVisible();
    Q_EMIT viewChanged(plot_->xAxis->range().lower, plot_->xAxis->range().upper);
}

QString MetricPlot::formatX(double x) const {
    switch (options_.mode) {
    case XAxisMode::WallTime:
        return QDateTime::fromMSecsSinceEpoch(qint64(x * 1000.0))
            .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
    case XAxisMode::RelativeTime:
        return tr("%1 s").arg(x, 0, 'g', 6);
    case XAxisMode::Epoch:
    case XAxisMode::Step:
        break;
    }
    return QString::number(x, 'g', 6);
}

} // namespace bp::ui
