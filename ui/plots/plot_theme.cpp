#include "ui/plots/plot_theme.h"
#include "ui/plots/qcustomplot_include.h"

namespace bp::ui {

namespace {

void themeAxis(QCPAxis* axis, const QColor& text, const QColor& grid) {
    const QPen pen(text, 1);
    axis->setBasePen(pen);
    axis->setTickPen(pen);
    axis->setSubTickPen(pen);
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    axis->grid()->setZeroLinePen(Qt::NoPen);
}

} // namespace

void applyPlotTheme(QCustomPlot* plot, const QPalette& palette) {
    const QColor background = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    QColor grid = palette.color(QPalette::Mid);
    plot->setBackground(background);
    for (QCPAxisRect* rect : plot->axisRects())
        for (QCPAxis* axis : rect->axes())
            themeAxis(axis, text, grid);
    plot->legend->setBrush(background);
    plot->legend->setBorderPen(QPen(grid));
    plot->legend->setTextColor(text);
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot->legend->item(i)))
            if (item->plottable()->visible())
                item->setTextColor(text);
    // Text elements (titles) and colour scales live in the layout grid.
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true)) {
        if (auto* title = qobject_cast<QCPTextElement*>(element))
            title->setTextColor(text);
        else if (auto* scale = qobject_cast<QCPColorScale*>(element))
            themeAxis(scale->axis(), text, grid);
    }
}

ColorMapParts addColorMap(QCustomPlot* plot, int row, const QString& label,
                          const QCPColorGradient& gradient) {
    auto* map = new QCPColorMap(plot->xAxis, plot->yAxis);
    map->setInterpolate(false);
    map->setTightBoundary(false);
    auto* scale = new QCPColorScale(plot);
    plot->plotLayout()->addElement(row, 1, scale);
    scale->setType(QCPAxis::atRight);
    scale->axis()->setLabel(label);
    map->setColorScale(scale);
    map->setGradient(gradient);
    auto* margins = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    return {map, scale};
}

} // namespace bp::ui
