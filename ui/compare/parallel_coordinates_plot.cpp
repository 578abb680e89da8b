#include "ui/compare/parallel_coordinates_plot.h"
#include "core/util/error.h"
#include "ui/compare/run_identity.h"
#include <QLinearGradient>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace bp::ui {

namespace {

constexpr double kHoverPixels = 6.0;
constexpr double kMargin = 6.0;    // around the widget's edge
constexpr double kGap = 12.0;      // between the axes' labels and the colour bar
constexpr double kEdgeRoom = 50.0; // half the room of the first and last axes' labels
constexpr double kBarWidth = 14.0;
constexpr int kTitleLines = 3;              // an axis title wraps onto at most this many lines
constexpr double kSwatch = 12.0;            // a group's colour in the legend
constexpr double kGroupLegendWidth = 200.0; // the group legend's widest

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

// The words of text on at most kTitleLines lines of this width; a word too long for a line is elided in the
// middle, and what does not fit on the last line is elided at its end.
QStringList titleLines(const QString& text, const QFontMetrics& fm, int width) {
    QStringList lines;
    QString line;
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (int i = 0; i < words.size(); ++i) {
        const QString longer = line.isEmpty() ? words[i] : line + QLatin1Char(' ') + words[i];
        if (line.isEmpty() || fm.horizontalAdvance(longer) <= width) {
            line = longer;
            continue;
        }
        lines << line;
        if (lines.size() == kTitleLines - 1) {
            lines << fm.elidedText(QStringList(words.mid(i)).join(QLatin1Char(' ')), Qt::ElideRight, width);
            return lines;
        }
        line = words[i];
    }
    if (!line.isEmpty())
        lines << line;
    for (QString& each : lines)
        if (fm.horizontalAdvance(each) > width)
            each = fm.elidedText(each, Qt::ElideMiddle, width);
    return lines;
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

void ParallelCoordinatesPlot::setRuns(const std::vector<RunOutcome>& runs,
                                      const std::vector<SeedGroup>& groups) {
    runs_ = runs;
    groups_ = groups;
    rebuild();
}

void ParallelCoordinatesPlot::setLineMode(LineMode mode) {
    if (mode == mode_)
        return;
    mode_ = mode;
    rebuild();
}

void ParallelCoordinatesPlot::rebuild() {
    if (mode_ == LineMode::GroupMeans && !groups_.empty()) {
        // A group as one run: the hyperparameters its runs share (all but the seed), its mean outcomes.
        std::vector<RunOutcome> means;
        for (const SeedGroup& g : groups_) {
            if (g.runs.empty())
                continue;
            RunOutcome mean = runs_[g.runs.front()];
            mean.hyperparameters.erase(
                std::remove_if(mean.hyperparameters.begin(), mean.hyperparameters.end(),
                               [](const Hyperparameter& h) { return h.key == "seed"; }),
                mean.hyperparameters.end());
            double errors = 0.0, angles = 0.0;
            int errorCount = 0, angleCount = 0;
            for (size_t r : g.runs) {
                if (std::isfinite(runs_[r].finalTestError)) {
                    errors += runs_[r].finalTestError;
                    ++errorCount;
                }
                if (std::isfinite(runs_[r].finalWeightAngle)) {
                    angles += runs_[r].finalWeightAngle;
                    ++angleCount;
                }
            }
            mean.finalTestError = errorCount ? errors / errorCount : std::nan("");
            mean.finalWeightAngle = angleCount ? angles / angleCount : std::nan("");
            means.push_back(std::move(mean));
        }
        data_ = buildParallelCoordinates(means);
        if (groups_.size() < 2)
            data_.message = tr("One line per group needs at least two groups.");
        else if (means.size() == groups_.size())
            for (int l = 0; l < data_.lines.size(); ++l) {
                const SeedGroup& g = groups_[size_t(l)];
                data_.lines[l].group = l;
                data_.lines[l].label = tr("%1 (mean of %2)").arg(g.title()).arg(g.runs.size());
            }
    } else {
        data_ = buildParallelCoordinates(runs_);
        if (!groups_.empty() && data_.lines.size() == int(runs_.size()))
            for (int g = 0; g < int(groups_.size()); ++g)
                for (size_t r : groups_[size_t(g)].runs)
                    if (r < runs_.size())
                        data_.lines[int(r)].group = g;
    }
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
    runs_.clear();
    groups_.clear();
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

QStringList ParallelCoordinatesPlot::legendLabels() const {
    QStringList labels;
    if (byGroup())
        for (const SeedGroup& g : groups_)
            labels << g.title();
    return labels;
}

QColor ParallelCoordinatesPlot::colourOf(int line) const {
    return line >= 0 && line < data_.lines.size() ? lineColour(data_.lines[line]) : QColor();
}

QRectF ParallelCoordinatesPlot::legendRect() const {
    const QFontMetrics fm(font());
    if (byGroup()) { // a swatch and the group's title per line, at most kGroupLegendWidth wide
        double w = fm.horizontalAdvance(tr("groups"));
        for (const SeedGroup& g : groups_)
            w = std::max(w, kSwatch + 4.0 + fm.horizontalAdvance(g.title()));
        w = std::min(w + 4.0, kGroupLegendWidth);
        return QRectF(width() - kMargin - w, kMargin, w, height() - 2 * kMargin - (fm.height() + 6));
    }
    const double w = std::max({double(fm.horizontalAdvance(tr("final test"))),
                               double(fm.horizontalAdvance(tr("error (%)"))),
                               kBarWidth + 4 + fm.horizontalAdvance(QStringLiteral("88.88"))}) +
                     4.0;
    return QRectF(width() - kMargin - w, kMargin, w, height() - 2 * kMargin - (fm.height() + 6));
}

QRectF ParallelCoordinatesPlot::plotArea() const {
    const QFontMetrics fm(font());
    // Above: two lines of title and the maximum; below: the minimum and the hovered run's caption; right:
    // room for the last axis's labels, then the colour bar.
    const double top = kMargin + (kTitleLines + 1) * fm.height() + 8;
    const double bottom = height() - kMargin - 2 * fm.height() - 10;
    const double right = legendRect().left() - kGap - kEdgeRoom;
    return QRectF(QPointF(kMargin + kEdgeRoom, top), QPointF(right, bottom));
}

QRectF ParallelCoordinatesPlot::labelRect(double centreX, double top, double width, double height) const {
    // Centred on its axis, narrowed rather than moved where it would leave the widget or reach the bar.
    width = std::min({width, 2 * (centreX - kMargin), 2 * (legendRect().left() - kGap - centreX)});
    return QRectF(centreX - width / 2, top, std::max(width, 0.0), height);
}

QRectF ParallelCoordinatesPlot::axisTitleRect(int axis) const {
    const QFontMetrics fm(font());
    return labelRect(axisX(axis), kMargin, labelWidth(), kTitleLines * fm.height());
}

double ParallelCoordinatesPlot::labelWidth() const {
    const int n = data_.axes.size();
    const double slot = n > 1 ? plotArea().width() / (n - 1) : plotArea().width();
    return std::max(slot - 6, 24.0);
}

double ParallelCoordinatesPlot::axisX(int axis) const {
    const QRectF area = plotArea();
    const int n = data_.axes.size();
    return n <= 1 ? area.center().x() : area.left() + area.width() * axis / (n - 1);
}

QPointF ParallelCoordinatesPlot::pointOf(int line, int axis) const {
    const QRectF area = plotArea();
    const double t = data_.axes[axis].fraction(data_.lines[line].values[axis]);
    return {axisX(axis), area.bottom() - t * area.height()};
}

QColor ParallelCoordinatesPlot::lineColour(const ParallelLine& line) const {
    if (byGroup() && line.group >= 0)
        return runColour(line.group);
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
    if (mode_ == LineMode::RunsByGroup && byGroup() && l.group >= 0)
        return tr("%1 (%2): test error %3 %").arg(l.label, groups_[size_t(l.group)].name, error);
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
    paintLines(painter);
    paintLabels(painter); // over the lines, on a background of their own
    paintLegend(painter);
    if (hovered_ >= 0) {
        const QFontMetrics fm(font());
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(
            QRectF(kMargin, height() - kMargin - fm.height(), legendRect().left() - kMargin, fm.height()),
            Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(hoverCaption(), Qt::ElideRight, int(legendRect().left() - kMargin)));
    }
}

void ParallelCoordinatesPlot::paintAxes(QPainter& painter) const {
    const QRectF area = plotArea();
    painter.setPen(QPen(palette().color(QPalette::Text), 1.0));
    for (int a = 0; a < data_.axes.size(); ++a)
        painter.drawLine(QPointF(axisX(a), area.top()), QPointF(axisX(a), area.bottom()));
}

void ParallelCoordinatesPlot::paintLines(QPainter& painter) const {
    // The hovered line last, thicker and with its crossings marked; the others faded behind it.
    for (int pass = 0; pass < 2; ++pass)
        for (int l = 0; l < data_.lines.size(); ++l) {
            const bool hovered = l == hovered_;
            if (hovered != (pass == 1))
                continue;
            QColor colour = lineColour(data_.lines[l]);
            if (hovered_ >= 0 && !hovered)
                colour.setAlpha(60);
            painter.setPen(QPen(colour, hovered ? 3.5 : 1.6));
            QPainterPath path;
            bool drawing = false;
            for (int a = 0; a < data_.axes.size(); ++a) {
                if (!std::isfinite(data_.lines[l].values[a])) {
                    drawing = false; // a missing or not applicable value breaks the line
                    continue;
                }
                const QPointF p = pointOf(l, a);
                drawing ? path.lineTo(p) : path.moveTo(p);
                drawing = true;
                if (hovered)
                    path.addEllipse(p, 3.0, 3.0);
            }
            painter.drawPath(path);
        }
}

void ParallelCoordinatesPlot::paintTick(QPainter& painter, double x, double y, const QString& text) const {
    const QFontMetrics fm(font());
    const double w = std::min(double(fm.horizontalAdvance(text) + 6), labelWidth());
    const QRectF box = labelRect(x, y - fm.height() / 2.0, w, fm.height());
    QColor background = palette().color(QPalette::Base);
    background.setAlpha(210);
    painter.fillRect(box, background);
    painter.drawText(box, Qt::AlignCenter, fm.elidedText(text, Qt::ElideMiddle, int(w)));
}

void ParallelCoordinatesPlot::paintLabels(QPainter& painter) const {
    const QRectF area = plotArea();
    const QFontMetrics fm(font());
    painter.setPen(palette().color(QPalette::Text));
    for (int a = 0; a < data_.axes.size(); ++a) {
        const ParallelAxis& axis = data_.axes[a];
        const double x = axisX(a);
        const QRectF title = axisTitleRect(a);
        const QString name = axis.log ? tr("%1 (log)").arg(axis.name) : axis.name;
        painter.drawText(title, Qt::AlignHCenter | Qt::AlignBottom,
                         titleLines(name, fm, int(title.width())).join(QLatin1Char('\n')));
        if (axis.categorical()) {
            for (int c = 0; c < axis.categories.size(); ++c)
                paintTick(painter, x, area.bottom() - axis.fraction(c) * area.height(), axis.categories[c]);
            continue;
        }
        paintTick(painter, x, area.top() - fm.height() / 2.0 - 4, formatTick(axis.max));
        paintTick(painter, x, area.bottom() + fm.height() / 2.0 + 4, formatTick(axis.min));
        if (!axis.log)
            continue;
        // The decades in between, where they leave room for their labels.
        for (int k = int(std::ceil(std::log10(axis.min))); k <= int(std::floor(std::log10(axis.max))); ++k) {
            const double y = area.bottom() - axis.fraction(std::pow(10.0, k)) * area.height();
            if (y - area.top() > fm.height() && area.bottom() - y > fm.height())
                paintTick(painter, x, y, formatTick(std::pow(10.0, k)));
        }
    }
}

void ParallelCoordinatesPlot::paintLegend(QPainter& painter) const {
    const QRectF legend = legendRect();
    const QRectF area = plotArea();
    const QFontMetrics fm(font());
    if (byGroup()) {
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(
            QRectF(legend.left(), kMargin + (kTitleLines - 1) * fm.height(), legend.width(), fm.height()),
            Qt::AlignLeft | Qt::AlignBottom, tr("groups"));
        double y = area.top();
        for (int g = 0; g < int(groups_.size()) && y + fm.height() <= legend.bottom(); ++g) {
            painter.fillRect(QRectF(legend.left(), y + (fm.height() - kSwatch) / 2, kSwatch, kSwatch),
                             runColour(g));
            const double textWidth = legend.width() - kSwatch - 4;
            painter.drawText(QRectF(legend.left() + kSwatch + 4, y, textWidth, fm.height()),
                             Qt::AlignLeft | Qt::AlignVCenter,
                             fm.elidedText(groups_[size_t(g)].title(), Qt::ElideRight, int(textWidth)));
            y += fm.height() + 2;
        }
        return;
    }
    const QRectF bar(legend.left(), area.top(), kBarWidth, area.height());
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
    painter.drawText(
        QRectF(legend.left(), kMargin + (kTitleLines - 2) * fm.height(), legend.width(), 2 * fm.height()),
        Qt::AlignLeft | Qt::AlignBottom | Qt::TextWordWrap, tr("final test error (%)"));
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
