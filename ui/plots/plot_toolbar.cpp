#include "ui/plots/plot_toolbar.h"
#include "ui/plots/metric_plot.h"
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <algorithm>
#include <cmath>

namespace bp::ui {

namespace {
constexpr int kSliderSteps = 1000; // slider position / 1000 = smoothing weight, 0 … 0.999
}

PlotToolbar::PlotToolbar(QWidget* parent)
    : QWidget(parent), smoothing_(new QSlider(Qt::Horizontal)), smoothingValue_(new QLabel),
      logX_(new QCheckBox(tr("Log x"))), logY_(new QCheckBox(tr("Log y"))), xAxis_(new QComboBox) {
    smoothing_->setObjectName(QStringLiteral("smoothing"));
    smoothing_->setRange(0, kSliderSteps - 1);
    smoothing_->setSingleStep(10);
    smoothing_->setPageStep(100);
    smoothing_->setMinimumWidth(120);
    smoothing_->setToolTip(tr("Debiased exponential moving average, as TensorBoard's"));
    smoothingValue_->setObjectName(QStringLiteral("smoothing_value"));
    smoothingValue_->setMinimumWidth(
        smoothingValue_->fontMetrics().horizontalAdvance(QStringLiteral("0.000")));
    smoothingValue_->setText(QStringLiteral("0.000"));
    logX_->setObjectName(QStringLiteral("log_x"));
    logY_->setObjectName(QStringLiteral("log_y"));
    xAxis_->setObjectName(QStringLiteral("x_axis"));
    for (XAxisMode mode : {XAxisMode::Epoch, XAxisMode::Step, XAxisMode::RelativeTime, XAxisMode::WallTime})
        xAxis_->addItem(xAxisTitle(mode), int(mode));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Smoothing")));
    layout->addWidget(smoothing_, 1);
    layout->addWidget(smoothingValue_);
    layout->addSpacing(12);
    layout->addWidget(logX_);
    layout->addWidget(logY_);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("X axis")));
    layout->addWidget(xAxis_);

    // MetricPlot's setters ignore unchanged values, so every control can simply re-apply all settings.
    connect(smoothing_, &QSlider::valueChanged, this, [this] {
        smoothingValue_->setText(QString::number(smoothing(), 'f', 3));
        applyToAll();
        Q_EMIT smoothingChanged(smoothing());
    });
    connect(logX_, &QCheckBox::toggled, this, [this](bool on) {
        applyToAll();
        Q_EMIT logXChanged(on);
    });
    connect(logY_, &QCheckBox::toggled, this, [this](bool on) {
        applyToAll();
        Q_EMIT logYChanged(on);
    });
    connect(xAxis_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        applyToAll();
        Q_EMIT xAxisModeChanged(xAxisMode());
    });
}

void PlotToolbar::setPlots(const QList<MetricPlot*>& plots) {
    plots_.clear();
    for (MetricPlot* plot : plots)
        plots_ << plot;
    applyToAll();
}

double PlotToolbar::smoothing() const {
    return smoothing_->value() / double(kSliderSteps);
}

bool PlotToolbar::logX() const {
    return logX_->isChecked();
}

bool PlotToolbar::logY() const {
    return logY_->isChecked();
}

XAxisMode PlotToolbar::xAxisMode() const {
    return XAxisMode(xAxis_->currentData().toInt());
}

void PlotToolbar::setSmoothing(double weight) {
    smoothing_->setValue(int(std::lround(std::clamp(weight, 0.0, 0.999) * kSliderSteps)));
}

void PlotToolbar::setXAxisMode(XAxisMode mode) {
    xAxis_->setCurrentIndex(xAxis_->findData(int(mode)));
}

void PlotToolbar::applyTo(MetricPlot* plot) const {
    plot->setSmoothing(smoothing());
    plot->setLogX(logX());
    plot->setLogY(logY());
    plot->setXAxisMode(xAxisMode());
}

void PlotToolbar::applyToAll() {
    for (MetricPlot* plot : plots_)
        if (plot)
            applyTo(plot);
}

} // namespace bp::ui
