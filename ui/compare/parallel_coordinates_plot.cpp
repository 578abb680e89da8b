#include "ui/compare/parallel_coordinates_plot.h"
#include "core/util/error.h"
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <cmath>

namespace bp::ui {

namespace {

constexpr double kHoverPixels = 6.0;

// Five samples of matplotlib's viridis, interpolated linearly: dark purple (0) to yellow (1).
QColor viridis(double t) {
    static const QColor stops[] = {QColor(0x44, 0x01, 0x54), QColor(0x3b, 0x52, 0x8b),
                                   QColor(0x21, 0x91, 0x8c), QColor(0x5e, 0xc9, 0x62),
                                   QColor(0xfd, 0xe7, 0x25)};
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 4.0;
    const int i = std::min(int(t), 3);
    const double f = t - i;
    const QColor& a = stops[i];
    const QColor& b = stops[i + 1];
    return QColor::fromRgbF(float(a.redF() + f * (b.redF() - a.redF())),
                            float(a.greenF() + f * (b.greenF() - a.greenF())),
                            float(a.blueF() + f * (b.blueF() - a.blueF())));
}

double distanceToSegment(const QPointF& p, const QPointF& a, const QPointF& b) {
    const QPointF ab = b - a;
    const double length2 = QPointF::dotProduct(ab, ab);
    const double t = length2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0) : 0.0;
    const QPointF d = p - (a + t * ab);
    return std::sqrt(QPointF::dotProduct(d, d));
}

QString formatTick(double v) {
    return QString::number(v, 'g', 4);
}

} // namespace

ParallelCoordinatesPlot::ParallelCoordinatesPlot(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(320, 200);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
}

void ParallelCoordinatesPlot::setRuns(RunStore& store, const QVector<int64_t>& runIds) {
    try {
        setRuns(readRunOutcomes(store, runIds));
    } catch (const Error& e) {
        clear();
        data_.message = QString::fromUtf8(e.what());
    }
}

void ParallelCoordinatesPlot::setRuns(const std::vector<RunOutcome>& runs) {
    data_ = buildParallelCoordinates(runs);
    errorMin_ = errorMax_ = std::nan("");
    for (const ParallelLine& line : data_.lines)
        if (std::isfinite(line.finalTestError)) {
            errorMin_ =
                std::isnan(errorMin_) ? line.finalTestError : std::min(errorMin_, line.finalTestError);
            errorMax_ =
                std::isnan(errorMax_) ? line.finalTestError : std::max(errorMax_, line.finalTestError);
        }
    hovered_ = -1;
    update();
}

void ParallelCoordinatesPlot::clear() {
    data_ = ParallelCoordinates{};
    data_.message = tr("Select runs to compare.");
    hovered_ = -1;
    update();
}

QStringList ParallelCoordinatesPlot::axisNames() const {
    QStringList names;
    for (const ParallelAxis& axis : data_.axes)
        names << axis.name;
    return names;
}

QRectF ParallelCoordinatesPlot::plotArea() const {
    const QFontMetrics fm(font());
    // Room for axis names above and tick labels below; the legend bar on the right.
    return QRectF(40, 2.5 * fm.height() + 8, width() - 40 - 110, height() - 4.5 * fm.height() - 16);
}

double ParallelCoordinatesPlot::axisX(int axis) const {
    const QRectF area = plotArea();
    const int n = data_.axes.size();
    return n <= 1 ? area.center().x() : area.left() + area.width() * axis / (n - 1);
}

QPointF ParallelCoordinatesPlot::pointOf(int line, int axis) const {
    const QRectF area = plotArea();
    const ParallelAxis& a = data_.axes[axis];
    const double v = data_.lines[line].values[axis];
    const double t = a.max > a.min ? (v - a.min) / (a.max - a.min) : 0.5;
    return {axisX(axis), area.bottom() - t * area.height()};
}

QColor ParallelCoordinatesPlot::lineColour(const ParallelLine& line) const {
    if (!std::isfinite(line.finalTestError))
        return QColor(150, 150, 150);
    return viridis(errorMax_ > errorMin_ ? (line.finalTestError - errorMin_) / (errorMax_ - errorMin_) : 0.5);
}

int ParallelCoordinatesPlot::lineAt(const QPointF& pos) const {
    int best = -1;
    double bestDistance = kHoverPixels;
    for (int l = 0; l < data_.lines.size(); ++l)
        for (int a = 0; a + 1 < data_.axes.size(); ++a) {
            if (!std::isfinite(data_.lines[l].values[a]) || !std::isfinite(data_.lines[l].values[a + 1]))
                continue;
            const double d = distanceToSegment(pos, pointOf(l, a), pointOf(l, a + 1));
            if (d <= bestDistance) {
                bestDistance = d;
                best = l;
            }
        }
    return best;
}

QString ParallelCoordinatesPlot::lineToolTip(int line) const {
    if (line < 0 || line >= data_.lines.size())
        return {};
    const ParallelLine& l = data_.lines[line];
    const QString error =
        std::isfinite(l.finalTestError) ? QString::number(l.finalTestError, 'f', 2) : tr("n/a");
    return tr("%1: test error %2 %").arg(l.label, error);
}

void ParallelCoordinatesPlot::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    if (!data_.message.isEmpty() || data_.axes.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                         data_.message.isEmpty() ? tr("Select runs to compare.") : data_.message);
        return;
    }
    paintAxes(painter);
    // Lines, the hovered one last and thicker so that it stands out above the others.
    for (int pass = 0; pass < 2; ++pass)
        for (int l = 0; l < data_.lines.size(); ++l) {
            const bool hovered = l == hovered_;
            if (hovered != (pass == 1))
                continue;
            QColor colour = lineColour(data_.lines[l]);
            if (hovered_ >= 0 && !hovered)
                colour.setAlpha(90);
            painter.setPen(QPen(colour, hovered ? 3.5 : 1.6));
            QPainterPath path;
            bool drawing = false;
            for (int a = 0; a < data_.axes.size(); ++a) {
                if (!std::isfinite(data_.lines[l].values[a])) {
                    drawing = false; // a missing value breaks the line
                    continue;
                }
                const QPointF p = pointOf(l, a);
                drawing ? path.lineTo(p) : path.moveTo(p);
                drawing = true;
            }
            painter.drawPath(path);
        }
    paintLegend(painter);
}

void ParallelCoordinatesPlot::paintAxes(QPainter& painter) const {
    const QRectF area = plotArea();
    const QFontMetrics fm(font());
    const double slot = data_.axes.size() > 1 ? area.width() / (data_.axes.size() - 1) : area.width();
    painter.setPen(QPen(palette().color(QPalette::Text), 1.0));
    for (int a = 0; a < data_.axes.size(); ++a) {
        const ParallelAxis& axis = data_.axes[a];
        const double x = axisX(a);
        painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        const double labelWidth = std::max(60.0, slot - 4);
        const QString name = fm.elidedText(axis.name, Qt::ElideMiddle, int(labelWidth));
        painter.drawText(
            QRectF(x - labelWidth / 2, area.top() - 2.5 * fm.height() - 4, labelWidth, fm.height()),
            Qt::AlignCenter, name);
        painter.drawText(
            QRectF(x - labelWidth / 2, area.top() - 1.3 * fm.height() - 2, labelWidth, fm.height()),
            Qt::AlignCenter, formatTick(axis.max));
        painter.drawText(QRectF(x - labelWidth / 2, area.bottom() + 4, labelWidth, fm.height()),
                         Qt::AlignCenter, formatTick(axis.min));
    }
}

void ParallelCoordinatesPlot::paintLegend(QPainter& painter) const {
    const QRectF area = plotArea();
    const QFontMetrics fm(font());
    const QRectF bar(width() - 90, area.top(), 14, area.height());
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft()); // low error at the bottom
    for (int i = 0; i <= 8; ++i)
        gradient.setColorAt(i / 8.0, viridis(i / 8.0));
    painter.setPen(palette().color(QPalette::Text));
    painter.setBrush(gradient);
    painter.drawRect(bar);
    painter.setBrush(Qt::NoBrush);
    const bool known = std::isfinite(errorMin_);
    painter.drawText(QPointF(bar.right() + 4, bar.top() + fm.ascent()),
                     known ? formatTick(errorMax_) : QString());
    painter.drawText(QPointF(bar.right() + 4, bar.bottom()), known ? formatTick(errorMin_) : QString());
    painter.drawText(QRectF(bar.left() - 20, area.top() - 2.5 * fm.height() - 4, 100, fm.height()),
                     Qt::AlignLeft, tr("test error %"));
}

void ParallelCoordinatesPlot::mouseMoveEvent(QMouseEvent* event) {
    const int line = lineAt(event->position());
    setHovered(line);
    if (line >= 0)
        QToolTip::showText(event->globalPosition().toPoint(), lineToolTip(line), this);
    else
        QToolTip::hideText();
}

void ParallelCoordinatesPlot::leaveEvent(QEvent*) {
    setHovered(-1);
}

void ParallelCoordinatesPlot::setHovered(int line) {
    if (line == hovered_)
        return;
    hovered_ = line;
    update();
}

} // namespace bp::ui
