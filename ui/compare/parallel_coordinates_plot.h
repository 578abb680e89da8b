#pragma once
#include "core/store/run_store.h"
#include "ui/compare/parallel_coordinates_data.h"
#include "ui/groups/seed_groups.h"
#include <QStringList>
#include <QWidget>

namespace bp::ui {

// Hyperparameters against outcomes: one vertical axis per varying hyperparameter plus final test error and
// final weight angle (buildParallelCoordinates), numeric axes from their minimum (bottom) to their maximum
// (top), logarithmic ones marked "(log)" with their decades, categorical ones with each category at its
// place; one polyline per run coloured by final test error on a viridis ramp (its colour bar right of the
// axes, clear of their titles). Hovering a line highlights it and names the run ("#id name: test error
// x %") under the axes and as a tooltip. Without two runs or a varying parameter a message is drawn. Given
// the runs' seed groups, the lines may instead be coloured by group (runColour of the group's index, a
// legend of the groups' titles in place of the colour bar) or drawn one per group: the group's shared
// hyperparameters (the seed axis left out) and its runs' mean outcomes.
class ParallelCoordinatesPlot : public QWidget {
    Q_OBJECT
  public:
    enum class LineMode {
        Runs,        // one line per run, coloured by final test error
        RunsByGroup, // one line per run, coloured by its seed group
        GroupMeans,  // one line per seed group: its mean outcomes
    };

    explicit ParallelCoordinatesPlot(QWidget* parent = nullptr);

    void setRuns(RunStore& store, const QVector<int64_t>& runIds); // store errors become the message
    // Figures already read; groups: the runs' seed groups (indices into runs), used by the group modes.
    void setRuns(const std::vector<RunOutcome>& runs, const std::vector<SeedGroup>& groups = {});
    void clear();
    void setLineMode(LineMode mode);
    LineMode lineMode() const { return mode_; }
    // The groups' titles the legend lists, in colour order; empty when the lines are coloured by error.
    QStringList legendLabels() const;
    QColor colourOf(int line) const;

    QStringList axisNames() const;
    int lineCount() const { return data_.lines.size(); }
    QString message() const { return data_.message; }
    const ParallelCoordinates& data() const { return data_; }
    int hoveredLine() const { return hovered_; }
    // The line drawn within a few pixels of pos (widget coordinates), the nearest; -1 when none.
    int lineAt(const QPointF& pos) const;
    QPointF pointOf(int line, int axis) const; // where a line crosses an axis, in widget coordinates
    QString lineToolTip(int line) const;       // "#id name: test error x %"
    QString hoverCaption() const { return lineToolTip(hovered_); } // drawn under the axes; empty: none
    // Layout, in widget coordinates: an axis's title (at most three lines), the colour bar with its title and
    // labels, and the axes' area.
    QRectF axisTitleRect(int axis) const;
    QRectF legendRect() const;
    QRectF plotArea() const;

    QSize sizeHint() const override { return {640, 320}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

  private:
    double axisX(int axis) const;
    double labelWidth() const; // of an axis's title and tick labels: its share of the width
    QRectF labelRect(double centreX, double top, double width, double height) const; // kept left of the bar
    QColor lineColour(const ParallelLine& line) const;
    void paintAxes(QPainter& painter) const;
    void paintLines(QPainter& painter) const;
    void paintLabels(QPainter& painter) const;
    void paintTick(QPainter& painter, double x, double y, const QString& text) const;
    void paintLegend(QPainter& painter) const;
    void setHovered(int line);
    void rebuild();
    bool byGroup() const { return mode_ != LineMode::Runs && !groups_.empty(); }

    std::vector<RunOutcome> runs_;
    std::vector<SeedGroup> groups_;
    LineMode mode_ = LineMode::Runs;
    ParallelCoordinates data_;
    double errorMin_ = 0.0, errorMax_ = 0.0; // colour scale
    int hovered_ = -1;
};

} // namespace bp::ui
