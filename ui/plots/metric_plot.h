#pragma once
#include "ui/plots/series_data.h"
#include <QColor>
#include <QString>
#include <QVector>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QCPGraph;
class QCPRange;

namespace bp::ui {

class HoverReadout;

// One panel of curves. Every point is kept in full; only a per-pixel min/max reduction of the visible
// range is handed to QCustomPlot, recomputed on zoom (wheel), pan (drag) and resize. Double click
// resets the view; clicking a legend entry hides or shows its series; hovering shows the nearest point.
// The legend sits in a row of its own below the axes (as many entries a line as fit), so it hides no data,
// on screen or in exports. Points are appended cheaply; the owner calls replot() when it chooses, so
// redraws are coalesced.
class MetricPlot : public QWidget {
    Q_OBJECT
  public:
    MetricPlot(const QString& title, const QString& yLabel, QWidget* parent = nullptr);
    ~MetricPlot() override;

    // Returns the series index. faint: drawn thin and light (raw per-batch values behind epoch curves).
    int addSeries(const QString& name, const QColor& color, bool faint = false, bool markers = false);
    // Whether the plot's smoothing applies to this series (default true). A sparse series (a handful of
    // epoch points) is better left raw: an average over five points lags far behind the last one.
    void setSeriesSmoothed(int series, bool smoothed);
    bool isSeriesSmoothed(int series) const;
    // A series without a legend entry (faint batch values) that is shown and hidden with another: clicking
    // the other's legend entry hides both.
    void setSeriesCompanion(int series, int legendSeries);
    // Ensures one series per layer named "<prefix> <i>" exists, creating them in a fixed palette.
    int layerSeries(const QString& prefix, int layer, bool faint);
    // Likewise for a layer named by the person's name of it ("hidden 2", "output"), coloured by its index.
    // The solid (epoch) series is never smoothed; the faint one (batch measurements) follows the plot's
    // smoothing and is shown and hidden with the solid one.
    int layerSeries(int layer, const QString& title, bool faint);
    // x is the epoch (step and wall time unknown: such points are not drawn in those x modes).
    void addPoint(int series, double x, double y);
    void addPoint(int series, const XPoint& x, double y);
    // Replaces a series' points, keeping the view (for a finer re-read of the visible range after a zoom).
    void setSeriesPoints(int series, const QVector<XPoint>& xs, const QVector<double>& ys);
    void clear();
    // Redraws once; while the user has not zoomed or panned since the last reset, fits the view to the data.
    void replot();
    void resetView(); // fits the view to the data and follows new data again

    int seriesCount() const { return int(series_.size()); }
    QString seriesName(int series) const;
    int pointCount(int series) const; // points stored (all of them, not the reduced ones drawn)
    const SeriesData* seriesData(int series) const;
    QCustomPlot* plot() const { return plot_; }
    // The graph drawn in the legend (the smoothed curve while smoothing) and the faint raw one behind it.
    QCPGraph* curveGraph(int series) const;
    QCPGraph* rawGraph(int series) const;
    HoverReadout* hoverReadout() const { return hover_; }

    double smoothing() const { return options_.smoothing; }
    bool logX() const { return options_.logX; }
    bool logY() const { return options_.logY; }
    XAxisMode xAxisMode() const { return options_.mode; }
    bool isSeriesVisible(int series) const;

  public Q_SLOTS:
    void setSmoothing(double weight); // clamped to [0, 0.999]
    void setLogX(bool on);
    void setLogY(bool on);
    void setXAxisMode(bp::ui::XAxisMode mode);
    void setSeriesVisible(int series, bool visible);

  Q_SIGNALS:
    void seriesVisibilityChanged(int series, bool visible);
    // The user zoomed or panned to this x range (in the current x axis mode).
    void viewChanged(double lower, double upper);

  protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    struct Series {
        QString name;
        QColor color;
        bool faint = false;
        bool visible = true;
        bool smoothed = true;      // the plot's smoothing applies (setSeriesSmoothed)
        int companionOf = -1;      // shown and hidden with that series (setSeriesCompanion)
        QCPGraph* curve = nullptr; // raw, or smoothed while smoothing
        QCPGraph* raw = nullptr;   // faint raw values behind the smoothed curve; hidden without smoothing
        SeriesData data;
        SeriesCurves curves;
        bool curvesStale = true;
    };

    void onOptionsChanged(bool refit);
    void applyPens(Series& s);
    bool drawsSmoothed(const Series& s) const { return s.smoothed && options_.smoothing > 0.0; }
    void updateLegendWrap(); // as many legend entries a line as the plot's width holds
    void rebuildStaleCurves();
    void reduceVisible(); // hands the reduced visible range of every series to its graphs
    void fitView();
    void updateAxes();
    void fitTickCounts(); // fewer ticks on a smaller plot
    void onXRangeChanged(const QCPRange& range);
    QString formatX(double x) const;

    QCustomPlot* plot_;
    HoverReadout* hover_;
    std::vector<Series> series_;
    CurveOptions options_;
    bool followData_ = true; // false once the user zooms or pans, until resetView()
    bool fitting_ = false;   // set while fitView() moves the ranges, so they are reduced once
};

} // namespace bp::ui
