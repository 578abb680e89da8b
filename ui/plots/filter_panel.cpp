#include "ui/plots/filter_panel.h"
#include <QEvent>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace bp::ui {

namespace {

constexpr int kGap = 2;      // pixels between kernels
constexpr int kBetween = 24; // between the W grid and the Y grid
constexpr int kMargin = 6;

int toByte(double v) {
    return std::clamp(static_cast<int>(std::lround(v * 255.0)), 0, 255);
}

std::pair<double, double> minMax(const at::Tensor& kernel) {
    const at::Tensor k = kernel.to(at::kDouble);
    return {k.min().item<double>(), k.max().item<double>()};
}

} // namespace

QImage kernelImage(const at::Tensor& kernel) {
    const at::Tensor k = kernel.detach().to(at::kCPU, at::kDouble).contiguous();
    // Colour for RGB kernels; otherwise one grey plane (the mean over the channels when not 1).
    const bool rgb = k.size(0) == 3;
    const at::Tensor planes = rgb ? k : k.mean(0, /*keepdim=*/true);
    const auto [lo, hi] = minMax(planes);
    const double span = hi - lo;
    auto level = [&](double v) { return toByte(span > 0.0 ? (v - lo) / span : 0.5); };
    const int64_t h = k.size(1), w = k.size(2);
    QImage image(static_cast<int>(w), static_cast<int>(h), QImage::Format_RGB32);
    const auto data = planes.accessor<double, 3>();
    for (int64_t r = 0; r < h; ++r)
        for (int64_t c = 0; c < w; ++c) {
            const int grey = level(data[0][r][c]);
            image.setPixel(static_cast<int>(c), static_cast<int>(r),
                           rgb ? qRgb(grey, level(data[1][r][c]), level(data[2][r][c]))
                               : qRgb(grey, grey, grey));
        }
    return image;
}

FilterPanel::FilterPanel(QWidget* parent) : QWidget(parent) {
    setToolTip(tr("Each kernel is stretched to its own minimum and maximum (over all its channels): W and Y "
                  "differ in scale, their patterns are compared. Colour for 3 input channels, grey for 1. "
                  "Hover a kernel for its range and the angle between its W and its Y."));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void FilterPanel::clear() {
    forward_.clear();
    feedback_.clear();
    angles_.clear();
    ranges_[0].clear();
    ranges_[1].clear();
    kernelSize_ = QSize();
    colour_ = false;
    channels_ = 0;
    note_.clear();
    update();
}

void FilterPanel::setTitle(const QString& title) {
    title_ = title;
    update();
}

void FilterPanel::setMissingFeedbackNote(const QString& note) {
    missingNote_ = note;
    if (!forward_.isEmpty() && feedback_.isEmpty())
        note_ = note;
    update();
}

bool FilterPanel::setFilters(const at::Tensor& w, const at::Tensor& y) {
    clear();
    if (!w.defined() || w.dim() != 4 || w.size(0) == 0) {
        note_ = tr("The first layer is not a convolution: no filters to show.");
        return false;
    }
    const int64_t count = w.size(0);
    kernelSize_ = QSize(static_cast<int>(w.size(3)), static_cast<int>(w.size(2)));
    colour_ = w.size(1) == 3;
    channels_ = static_cast<int>(w.size(1));
    const bool paired = y.defined() && y.sizes() == w.sizes();
    const at::Tensor wd = w.detach().to(at::kCPU, at::kDouble);
    const at::Tensor yd = paired ? y.detach().to(at::kCPU, at::kDouble) : at::Tensor();
    for (int64_t k = 0; k < count; ++k) {
        forward_ << kernelImage(wd[k]);
        ranges_[0] << minMax(wd[k]);
        if (!paired)
            continue;
        feedback_ << kernelImage(yd[k]);
        ranges_[1] << minMax(yd[k]);
        const double norms = (wd[k].norm() * yd[k].norm()).item<double>();
        const double cosine = norms > 0.0 ? (wd[k] * yd[k]).sum().item<double>() / norms : std::nan("");
        angles_ << std::acos(std::clamp(cosine, -1.0, 1.0)) * 180.0 / M_PI;
    }
    if (!paired)
        note_ = y.defined() ? tr("Y (%1) does not have W's shape: W only.")
                                  .arg(QString::fromStdString(c10::str(y.sizes())))
                            : missingNote_;
    update();
    return true;
}

double FilterPanel::kernelAngle(int kernel) const {
    return kernel >= 0 && kernel < angles_.size() ? angles_[kernel] : std::nan("");
}

int FilterPanel::headerHeight() const {
    const int line = fontMetrics().height();
    return kMargin + line * (note_.isEmpty() ? 2 : 3) + kGap;
}

FilterPanel::Geometry FilterPanel::geometry() const {
    Geometry g;
    const int n = std::max(1, kernelCount());
    const int grids = hasFeedback() ? 2 : 1;
    g.columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
    g.rows = (n + g.columns - 1) / g.columns;
    g.gap = kGap;
    g.between = grids == 2 ? kBetween : 0;
    g.top = headerHeight();
    const int side = std::max(1, std::max(kernelSize_.width(), kernelSize_.height()));
    const int widthFor = (width() - 2 * kMargin - g.between) / grids - g.columns * g.gap;
    const int heightFor = height() - g.top - kMargin - g.rows * g.gap;
    const int cell = std::min(widthFor / g.columns, heightFor / g.rows);
    // A whole number of screen pixels per kernel pixel, so every kernel pixel is drawn the same size.
    g.cell = std::max(1, cell / side) * side;
    g.gridWidth = g.columns * (g.cell + g.gap);
    g.left = std::max(kMargin, (width() - grids * g.gridWidth - g.between) / 2);
    return g;
}

QRect FilterPanel::kernelRect(int kernel, bool feedback) const {
    const Geometry g = geometry();
    const int side = std::max(1, std::max(kernelSize_.width(), kernelSize_.height()));
    const int scale = g.cell / side;
    const int x = g.left + (feedback ? g.gridWidth + g.between : 0) + (kernel % g.columns) * (g.cell + g.gap);
    const int y = g.top + (kernel / g.columns) * (g.cell + g.gap);
    return QRect(x, y, kernelSize_.width() * scale, kernelSize_.height() * scale);
}

QSize FilterPanel::sizeHint() const {
    return {520, 320};
}

QSize FilterPanel::minimumSizeHint() const {
    return {160, 120};
}

void FilterPanel::paintEvent(QPaintEvent* /*event*/) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    painter.setPen(palette().windowText().color());
    const int line = fontMetrics().height();
    int y = kMargin + fontMetrics().ascent();
    if (forward_.isEmpty()) {
        painter.drawText(kMargin, y,
                         note_.isEmpty() ? tr("The first layer's filters appear once the run has started.")
                                         : note_);
        return;
    }
    const QString shape = tr("%1 kernels of %2 × %3 × %4")
                              .arg(kernelCount())
                              .arg(channels_)
                              .arg(kernelSize_.height())
                              .arg(kernelSize_.width());
    painter.drawText(kMargin, y,
                     (title_.isEmpty() ? QString() : title_ + QStringLiteral(": ")) + shape +
                         tr(", each stretched to its own min–max"));
    y += line;
    if (!note_.isEmpty()) {
        painter.drawText(kMargin, y, note_);
        y += line;
    }
    const Geometry g = geometry();
    painter.drawText(g.left, y, tr("W (forward)"));
    if (hasFeedback())
        painter.drawText(g.left + g.gridWidth + g.between, y, tr("Y (feedback)"));
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    for (const bool feedback : {false, true}) {
        const QVector<QImage>& images = kernelImages(feedback);
        for (int k = 0; k < images.size(); ++k)
            painter.drawImage(kernelRect(k, feedback), images[k]);
    }
}

bool FilterPanel::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        const QPoint pos = static_cast<QHelpEvent*>(event)->pos();
        for (const bool feedback : {false, true})
            for (int k = 0; k < kernelImages(feedback).size(); ++k)
                if (kernelRect(k, feedback).contains(pos)) {
                    const auto [lo, hi] = ranges_[feedback ? 1 : 0][k];
                    QString text = tr("kernel %1 of %2: %3 to %4")
                                       .arg(k + 1)
                                       .arg(feedback ? QStringLiteral("Y") : QStringLiteral("W"))
                                       .arg(lo, 0, 'g', 3)
                                       .arg(hi, 0, 'g', 3);
                    if (hasFeedback())
                        text += tr("; angle W–Y %1°").arg(kernelAngle(k), 0, 'f', 1);
                    QToolTip::showText(static_cast<QHelpEvent*>(event)->globalPos(), text, this);
                    return true;
                }
    }
    return QWidget::event(event);
}

} // namespace bp::ui
