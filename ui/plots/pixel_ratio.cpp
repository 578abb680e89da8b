#include "ui/plots/pixel_ratio.h"
#include "ui/plots/qcustomplot_include.h"
#include <QEvent>
#include <QObject>
#include <utility>

namespace bp::ui {

namespace {

class PixelRatioFollower : public QObject {
  public:
    PixelRatioFollower(QCustomPlot* plot, std::function<void(qreal)> onChange)
        : QObject(plot), plot_(plot), onChange_(std::move(onChange)) {
        plot->installEventFilter(this);
    }

    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched == plot_ && event->type() == QEvent::Paint) {
            const qreal ratio = plot_->devicePixelRatioF();
            if (!qFuzzyCompare(ratio, plot_->bufferDevicePixelRatio())) {
                plot_->setBufferDevicePixelRatio(ratio);
                if (onChange_)
                    onChange_(ratio);
                // Into the buffers now, so that this very paint shows the plot at the new ratio.
                plot_->replot(QCustomPlot::rpQueuedRefresh);
            }
        }
        return QObject::eventFilter(watched, event);
    }

  private:
    QCustomPlot* plot_;
    std::function<void(qreal)> onChange_;
};

} // namespace

void followDevicePixelRatio(QCustomPlot* plot, std::function<void(qreal)> onChange) {
    new PixelRatioFollower(plot, std::move(onChange));
}

} // namespace bp::ui
