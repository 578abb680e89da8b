#pragma once
#include "core/events/observer.h"
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

class QComboBox;
class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QLabel;

namespace bp {
class RunStore;
}

namespace bp::ui {

// The Signals tab: for a chosen layer and quantity (event rate, burst probabilities p and p_t, delta), the
// histograms recorded at the measured steps as a heatmap over training — x the step (columns evenly spaced
// between the first and last measurement, as the angle heatmaps), y the bins, colour the share of the layer's
// values in the bin — and a line naming the silent units (and, for the output layer, the classes predicted
// for no example) at the latest measurement. Fed live from the batch reports or loaded from the run store.
class SignalView : public QWidget {
    Q_OBJECT
  public:
    explicit SignalView(QWidget* parent = nullptr);

    void clear();
    // How layers are named in the layer box, by their index in the network; empty: "layer <index>".
    void setLayerTitles(const QStringList& titles);
    // One measured batch's histograms (BatchReport::signals). The view is redrawn by replot().
    void addMeasurement(int epoch, int64_t step, const std::vector<SignalHistogram>& histograms);
    // Every signal histogram the run recorded (schema 8); nothing for runs recorded before.
    void loadFromStore(RunStore& store, int64_t runId);
    // Redraws the chosen layer and quantity when something changed (queued replot).
    void replot();

    QComboBox* layerBox() const { return layer_; }
    QComboBox* quantityBox() const { return quantity_; }
    QLabel* silentLabel() const { return silent_; }
    QCustomPlot* plot() const { return plot_; }
    QCPColorMap* colorMap() const { return map_; }
    QCPColorScale* colorScale() const { return scale_; }
    // Measurements of the chosen layer and quantity; the share of its values in a bin of a column (NaN
    // outside).
    int columnCount() const;
    int binCount() const;
    double share(int column, int bin) const;
    // Layers and quantities with data.
    int measurementCount(int layer, const std::string& quantity) const;

  protected:
    void changeEvent(QEvent* event) override;

  private:
    struct Column {
        int64_t step = 0;
        int epoch = 0;
        SignalHistogram histogram;
    };
    using Key = std::pair<int, std::string>;
    void add(int epoch, int64_t step, const SignalHistogram& histogram);
    void updateBoxes();
    void draw();
    void updateSilentLine();
    QString layerTitle(int layer) const;
    const QVector<Column>* chosen() const;

    QComboBox* layer_;
    QComboBox* quantity_;
    QLabel* silent_;
    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    QStringList titles_;
    std::map<Key, QVector<Column>> columns_;
    bool dirty_ = false;
};

} // namespace bp::ui
