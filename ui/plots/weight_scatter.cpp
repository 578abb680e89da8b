#include "ui/plots/weight_scatter.h"
#include "core/rules/learning_rule.h"
#include "ui/plots/pixel_ratio.h"
#include "ui/plots/plot_export.h"
#include "ui/plots/plot_theme.h"
#include "ui/plots/qcustomplot_include.h"
#include <QPainter>
#include <QPixmap>
#include <QVBoxLayout>
#include <QtMath>
#include <cmath>

namespace bp::ui {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const QColor kInitialColor(127, 127, 127, 90);
const QColor kCurrentColor(31, 119, 180);
constexpr double kDotSize = 3.0; // diameter in screen pixels

// One antialiased disc, drawn once: QCustomPlot then blits it for every weight, where 40,000 ellipses
// drawn one by one took about 90 ms a frame (tst_plot_benchmark).
QCPScatterStyle dotStyle(const QColor& color, double diameter, qreal pixelRatio) {
    const int side = qCeil(diameter * pixelRatio);
    QPixmap dot(side, side);
    dot.setDevicePixelRatio(pixelRatio);
    dot.fill(Qt::transparent);
    QPainter painter(&dot);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(0, 0, diameter, diameter));
    painter.end();
    return QCPScatterStyle(dot);
}

// The tensors as an elementwise pair: as given when the shapes match, W transposed when Y has Wᵀ's shape.
bool pairUp(const at::Tensor& w, const at::Tensor& y, at::Tensor* wPaired, QString* error) {
    if (!w.defined() || !y.defined()) {
        *error = WeightScatter::tr("no feedback weights in this layer");
        return false;
    }
    if (w.sizes() == y.sizes()) {
        *wPaired = w;
        return true;
    }
    if (w.dim() == 2 && y.dim() == 2 && w.size(0) == y.size(1) && w.size(1) == y.size(0)) {
        *wPaired = w.t();
        return true;
    }
    auto shape = [](const at::Tensor& t) {
        QStringList sizes;
        for (int64_t s : t.sizes())
            sizes << QString::number(s);
        return sizes.join(QStringLiteral("×"));
    };
    *error = WeightScatter::tr("W (%1) and Y (%2) have different shapes").arg(shape(w), shape(y));
    return false;
}

} // namespace

WeightScatter::WeightScatter(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)), angle_(kNaN) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setMinimumSize(260, 220);
    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(), QFont(font().family(), 10, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    plot_->xAxis->setLabel(tr("forward weight W"));
    plot_->yAxis->setLabel(tr("feedback weight Y"));
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->legend->setVisible(true);
    plot_->legend->setFont(QFont(font().family(), 8));

    auto makeCloud = [this](const QString& name, const QColor& color) {
        QCPGraph* graph = plot_->addGraph();
        graph->setName(name);
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(dotStyle(color, kDotSize, plot_->devicePixelRatioF()));
        graph->setProperty(kVectorDotSizeProperty, kDotSize); // exports draw vector discs
        graph->setPen(QPen(color));
        graph->setAdaptiveSampling(false); // a scatter, not a curve: every dot matters
        return graph;
    };
    initial_ = makeCloud(tr("before training"), kInitialColor);
    current_ = makeCloud(tr("now"), kCurrentColor);
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] {
        fitView();
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    // On a screen of another pixel ratio the dots are drawn again, so that they stay sharp discs of the
    // same size.
    followDevicePixelRatio(plot_, [this](qreal ratio) {
        initial_->setScatterStyle(dotStyle(kInitialColor, kDotSize, ratio));
        current_->setScatterStyle(dotStyle(kCurrentColor, kDotSize, ratio));
    });
    applyPlotTheme(plot_, palette());
    updateTitle();
}

bool WeightScatter::setInitial(const at::Tensor& w, const at::Tensor& y) {
    return setCloud(initial_, w, y, nullptr);
}

bool WeightScatter::setCurrent(const at::Tensor& w, const at::Tensor& y) {
    return setCloud(current_, w, y, &angle_);
}

void WeightScatter::clear() {
    initial_->data()->clear();
    current_->data()->clear();
    angle_ = kNaN;
    error_.clear();
    updateTitle();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void WeightScatter::setTitlePrefix(const QString& prefix) {
    prefix_ = prefix;
    updateTitle();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

int WeightScatter::initialCount() const {
    return initial_->dataCount();
}

int WeightScatter::currentCount() const {
    return current_->dataCount();
}

QString WeightScatter::title() const {
    return title_->text();
}

void WeightScatter::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPlotTheme(plot_, palette());
        plot_->replot(QCustomPlot::rpQueuedReplot);
    }
}

bool WeightScatter::setCloud(QCPGraph* graph, const at::Tensor& w, const at::Tensor& y, double* angle) {
    error_.clear();
    try {
        at::Tensor wPaired;
        if (!pairUp(w, y, &wPaired, &error_)) {
            graph->data()->clear();
            if (angle)
                *angle = kNaN;
        } else {
            // The subsample first, then only it converted: a layer has up to millions of weights.
            const int64_t n = y.numel();
            const int64_t stride = std::max<int64_t>(1, (n + maxPoints() - 1) / maxPoints());
            auto pick = [&](const at::Tensor& t) {
                return t.detach().reshape({-1}).slice(0, 0, n, stride).to(at::kCPU, at::kDouble).contiguous();
            };
            const at::Tensor wPick = pick(wPaired), yPick = pick(y);
            const double* wData = wPick.data_ptr<double>();
            const double* yData = yPick.data_ptr<double>();
            const int count = static_cast<int>(wPick.numel());
            QVector<double> xs(wData, wData + count), ys(yData, yData + count);
            graph->setData(xs, ys); // sorted by W for drawing; the pairs stay together
            if (angle)
                *angle = tensorAngle(wPaired, y); // over every weight, not the subsample
        }
    } catch (const std::exception& e) { // bp::Error or c10::Error from the tensor library
        error_ = QString::fromUtf8(e.what());
        graph->data()->clear();
    }
    updateTitle();
    fitView();
    plot_->replot(QCustomPlot::rpQueuedReplot);
    return error_.isEmpty();
}

void WeightScatter::updateTitle() {
    QString text = prefix_.isEmpty() ? tr("W against Y") : prefix_;
    if (!error_.isEmpty())
        text += QStringLiteral(": ") + error_;
    else if (std::isfinite(angle_))
        text += tr(": angle %1°").arg(angle_, 0, 'f', 1);
    title_->setText(text);
}

void WeightScatter::fitView() {
    if (initial_->data()->isEmpty() && current_->data()->isEmpty())
        return;
    // Each axis on its own scale: W and Y are drawn from different distributions, and alignment shows
    // as the cloud's slant, whatever the scales.
    plot_->rescaleAxes();
    plot_->xAxis->scaleRange(1.1);
    plot_->yAxis->scaleRange(1.1);
}

} // namespace bp::ui
