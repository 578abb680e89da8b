#pragma once
#include <ATen/ATen.h>
#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>

namespace bp::ui {

// The first layer's convolution kernels as small images: the forward kernels W on the left, the feedback
// kernels Y (W's layout, out × in × kh × kw) on the right, kernel k of one beside kernel k of the other in
// the same place of its grid. A kernel of 3 input channels is drawn in colour (RGB), one of 1 channel in
// grey (other counts: the mean over the channels, in grey). Each kernel is stretched to its own minimum and
// maximum over all its channels (W and Y differ in scale by orders of magnitude; their patterns are what
// is compared), drawn with square pixels. Without Y (backprop, node perturbation, direct feedback
// alignment) only W is drawn and note() says why. Hovering a kernel shows its index, its range and the angle
// between its W and its Y.
class FilterPanel : public QWidget {
    Q_OBJECT
  public:
    explicit FilterPanel(QWidget* parent = nullptr);

    // w: out × in × kh × kw. y: undefined, or of w's shape (otherwise it is left out, with the reason in
    // note()). Returns false, with the reason in note() and nothing drawn, when w is not a convolution's.
    bool setFilters(const at::Tensor& w, const at::Tensor& y);
    // Shown above the grids when there is no Y (e.g. "backprop has no feedback weights"); replaced by the
    // reason when Y does not fit.
    void setMissingFeedbackNote(const QString& note);
    void setTitle(const QString& title); // e.g. "conv1"
    void clear();

    int kernelCount() const { return int(forward_.size()); }
    bool hasFeedback() const { return !feedback_.isEmpty(); }
    bool isColour() const { return colour_; }
    QSize kernelSize() const { return kernelSize_; }
    // The kernels as drawn (before scaling up), W's or Y's.
    const QVector<QImage>& kernelImages(bool feedback) const { return feedback ? feedback_ : forward_; }
    // Angle between kernel k of W and of Y in degrees (NaN without Y).
    double kernelAngle(int kernel) const;
    QString note() const { return note_; }
    QString title() const { return title_; }
    // The grids' top-left corners in widget coordinates (for tests and hover): kernel k of W lies at
    // kernelRect(k, false), of Y at kernelRect(k, true).
    QRect kernelRect(int kernel, bool feedback) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

  private:
    struct Geometry {
        int columns = 1, rows = 1, cell = 8, gap = 2, gridWidth = 0, top = 0, left = 0, between = 0;
    };
    Geometry geometry() const;
    int headerHeight() const;

    QVector<QImage> forward_, feedback_;
    QVector<double> angles_;
    QVector<std::pair<double, double>> ranges_[2];
    QSize kernelSize_;
    bool colour_ = false;
    int channels_ = 0;
    QString title_;
    QString note_;
    QString missingNote_;
};

// One kernel (in × kh × kw, any floating type) as an image of kw × kh pixels, stretched to its own minimum
// and maximum: RGB for 3 channels, grey otherwise (the mean over the channels). A constant kernel is
// mid-grey.
QImage kernelImage(const at::Tensor& kernel);

} // namespace bp::ui
