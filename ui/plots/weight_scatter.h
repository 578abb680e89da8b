#pragma once
#include <ATen/ATen.h>
#include <QString>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPTextElement;

namespace bp::ui {

// The paper demo's view of one layer: forward weights W (x) against feedback weights Y (y), one dot per
// weight. Y is stored in W's layout (out × in, see core/nn/layer.h: both are sent down as signal·W and
// signal·Y), so W[i][j] pairs with Y[i][j]; a Y given in Wᵀ's layout is paired with Wᵀ. The "before
// training" points are faint, the current ones solid, and the title shows the current angle between
// W and Y. At most maxPoints() dots per cloud, taken at a fixed stride so successive frames show the
// same weights.
class WeightScatter : public QWidget {
    Q_OBJECT
  public:
    explicit WeightScatter(QWidget* parent = nullptr);

    // Return false, with the reason in errorMessage() and the title, when the tensors cannot be paired.
    bool setInitial(const at::Tensor& w, const at::Tensor& y);
    bool setCurrent(const at::Tensor& w, const at::Tensor& y);
    void clear();
    void setTitlePrefix(const QString& prefix); // e.g. "layer 2"; the angle is appended

    static int maxPoints() { return 20000; }
    int initialCount() const;
    int currentCount() const;
    double currentAngle() const { return angle_; } // degrees; NaN before setCurrent()
    QString errorMessage() const { return error_; }
    QString title() const;
    QCustomPlot* plot() const { return plot_; }
    QCPGraph* initialGraph() const { return initial_; }
    QCPGraph* currentGraph() const { return current_; }

  protected:
    void changeEvent(QEvent* event) override;

  private:
    bool setCloud(QCPGraph* graph, const at::Tensor& w, const at::Tensor& y, double* angle);
    void updateTitle();
    void fitView();

    QCustomPlot* plot_;
    QCPTextElement* title_;
    QCPGraph* initial_;
    QCPGraph* current_;
    QString prefix_;
    QString error_;
    double angle_;
};

} // namespace bp::ui
