#include "ui/plots/confusion_heatmap.h"
#include "ui/plots/pixel_ratio.h"
#include "ui/plots/plot_theme.h"
#include "ui/plots/qcustomplot_include.h"
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

namespace bp::ui {

namespace {

// Cells whose row share is above this are dark: their count is written in white.
constexpr double kDarkShare = 0.55;
constexpr const char* kCellTextProperty = "bpConfusionCell";

} // namespace

ConfusionHeatmap::ConfusionHeatmap(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setMinimumSize(360, 320);
    followDevicePixelRatio(plot_);
    plot_->xAxis->setLabel(tr("predicted class"));
    plot_->yAxis->setLabel(tr("true class"));
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->grid()->setVisible(false);
    plot_->yAxis->setRangeReversed(true); // the first class on top, as the matrix reads
    plot_->xAxis->setTickLabelRotation(40);

    QCPColorGradient gradient;
    gradient.setColorStopAt(0.0, QColor(247, 251, 255));
    gradient.setColorStopAt(0.5, QColor(107, 174, 214));
    gradient.setColorStopAt(1.0, QColor(8, 48, 107));
    const ColorMapParts parts = addColorMap(plot_, 0, tr("share of the true class"), gradient);
    map_ = parts.map;
    scale_ = parts.scale;
    map_->setDataRange(QCPRange(0.0, 1.0));
    plot_->setMouseTracking(true);
    plot_->installEventFilter(this);
    applyPlotTheme(plot_, palette());
}

void ConfusionHeatmap::setMatrix(const ConfusionMatrix& matrix, const QStringList& names) {
    matrix_ = matrix;
    const int n = matrix.classes();
    names_ = names.size() == n ? names : QStringList();
    if (names_.isEmpty())
        for (int c = 0; c < n; ++c)
            names_ << QString::number(c);
    auto xTicks = QSharedPointer<QCPAxisTickerText>::create();
    auto yTicks = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < n; ++c) {
        xTicks->addTick(c, names_[c]);
        yTicks->addTick(c, names_[c]);
    }
    plot_->xAxis->setTicker(xTicks);
    plot_->yAxis->setTicker(yTicks);

    clearCellTexts();
    map_->data()->setSize(std::max(n, 1), std::max(n, 1));
    // QCustomPlot spreads the cells from the first one's centre to the last one's (one cell: over the range).
    const QCPRange cells = n > 1 ? QCPRange(0.0, n - 1) : QCPRange(-0.5, 0.5);
    map_->data()->setRange(cells, cells);
    map_->data()->fill(0.0);
    const bool writeCounts = n <= kMaxCellTexts;
    QFont cellFont = font();
    cellFont.setPointSizeF(std::max(6.0, cellFont.pointSizeF() * (n > 12 ? 0.7 : 0.85)));
    for (int t = 0; t < n; ++t)
        for (int p = 0; p < n; ++p) {
            const double share = rowShare(t, p);
            map_->data()->setCell(p, t, share);
            if (!writeCounts)
                continue;
            auto* text = new QCPItemText(plot_);
            text->setProperty(kCellTextProperty, true);
            text->position->setType(QCPItemPosition::ptPlotCoords);
            text->position->setCoords(p, t);
            text->setPositionAlignment(Qt::AlignCenter);
            text->setText(QString::number(matrix_.count(t, p)));
            text->setFont(cellFont);
            text->setColor(share > kDarkShare ? Qt::white : QColor(20, 20, 20));
            text->setClipToAxisRect(true);
        }
    plot_->xAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    plot_->yAxis->setRange(-0.5, std::max(n, 1) - 0.5);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

double ConfusionHeatmap::rowShare(int truth, int predicted) const {
    if (truth < 0 || predicted < 0 || truth >= matrix_.classes() || predicted >= matrix_.classes())
        return 0.0;
    const int64_t row = matrix_.present(truth);
    return row > 0 ? double(matrix_.count(truth, predicted)) / double(row) : 0.0;
}

QString ConfusionHeatmap::cellText(int truth, int predicted) const {
    for (int i = 0; i < plot_->itemCount(); ++i) {
        auto* text = qobject_cast<QCPItemText*>(plot_->item(i));
        if (text && text->property(kCellTextProperty).toBool() &&
            std::lround(text->position->key()) == predicted && std::lround(text->position->value()) == truth)
            return text->text();
    }
    return {};
}

QString ConfusionHeatmap::describeAt(const QPoint& plotPosition) const {
    if (!plot_->axisRect()->rect().contains(plotPosition))
        return {};
    const long p = std::lround(plot_->xAxis->pixelToCoord(plotPosition.x()));
    const long t = std::lround(plot_->yAxis->pixelToCoord(plotPosition.y()));
    if (t < 0 || p < 0 || t >= matrix_.classes() || p >= matrix_.classes())
        return {};
    const int64_t count = matrix_.count(int(t), int(p));
    return tr("true %1, predicted %2: %3 of %4 (%5%)")
        .arg(names_[int(t)], names_[int(p)])
        .arg(count)
        .arg(matrix_.present(int(t)))
        .arg(100.0 * rowShare(int(t), int(p)), 0, 'f', 1);
}

void ConfusionHeatmap::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPlotTheme(plot_, palette());
        plot_->replot(QCustomPlot::rpQueuedReplot);
    }
}

bool ConfusionHeatmap::eventFilter(QObject* watched, QEvent* event) {
    if (watched == plot_ && event->type() == QEvent::MouseMove) {
        const auto* move = static_cast<QMouseEvent*>(event);
        const QString text = describeAt(move->position().toPoint());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(move->globalPosition().toPoint(), text, plot_);
    }
    return QWidget::eventFilter(watched, event);
}

void ConfusionHeatmap::clearCellTexts() {
    for (int i = plot_->itemCount() - 1; i >= 0; --i)
        if (plot_->item(i)->property(kCellTextProperty).toBool())
            plot_->removeItem(i);
}

} // namespace bp::ui
