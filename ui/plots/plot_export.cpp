#include "ui/plots/plot_export.h"
#include "ui/plots/qcustomplot_include.h"
#include <QCoreApplication>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace bp::ui {

namespace {

constexpr double kScreenDpi = 96.0;

QString tr(const char* text) {
    return QCoreApplication::translate("bp::ui::PlotExport", text);
}

struct PanelLayout {
    QList<QCustomPlot*> panels;
    QList<QSize> sizes; // screen pixels
    QSize total{0, 0};  // the panels stacked
};

PanelLayout layOut(const QList<QCustomPlot*>& panels, const ExportOptions& options) {
    PanelLayout layout;
    for (QCustomPlot* panel : panels) {
        if (!panel)
            continue;
        const QSize size(options.width > 0 ? options.width : panel->width(),
                         options.height > 0 ? options.height : panel->height());
        layout.panels << panel;
        layout.sizes << size;
        layout.total =
            QSize(std::max(layout.total.width(), size.width()), layout.total.height() + size.height());
    }
    return layout;
}

// Draws the panels one under the other on an active painter whose units are screen pixels.
void paintPanels(QCPPainter& painter, const PanelLayout& layout, const QColor& background) {
    painter.fillRect(QRect(QPoint(0, 0), layout.total), background);
    int top = 0;
    for (int i = 0; i < layout.panels.size(); ++i) {
        painter.save();
        painter.translate(0, top);
        layout.panels[i]->toPainter(&painter, layout.sizes[i].width(), layout.sizes[i].height());
        painter.restore();
        top += layout.sizes[i].height();
    }
}

bool writePng(QSaveFile& file, const PanelLayout& layout, int dpi, const QColor& background) {
    const double scale = dpi / kScreenDpi;
    // Drawn on an image of screen resolution, scaled: fonts given in points then take the same share of
    // the panel as on screen, where the layout's margins were measured. (At the file's DPI they would grow
    // by dpi/96 a second time and overflow the margins: clipped axis titles, truncated legends.)
    QImage image(layout.total * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDotsPerMeterX(qRound(kScreenDpi / 0.0254));
    image.setDotsPerMeterY(qRound(kScreenDpi / 0.0254));
    QCPPainter painter(&image);
    painter.setMode(QCPPainter::pmNonCosmetic,
                    scale > 1.0); // pens grow with the scale, as QCustomPlot's savePng
    painter.scale(scale, scale);
    paintPanels(painter, layout, background);
    painter.end();
    image.setDotsPerMeterX(qRound(dpi / 0.0254)); // what the file records
    image.setDotsPerMeterY(qRound(dpi / 0.0254));
    return image.save(&file, "PNG");
}

bool writeSvg(QSaveFile& file, const PanelLayout& layout, const QString& title, const QColor& background) {
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setSize(layout.total);
    svg.setViewBox(QRect(QPoint(0, 0), layout.total));
    svg.setResolution(int(kScreenDpi));
    svg.setTitle(title);
    QCPPainter painter;
    if (!painter.begin(&svg))
        return false;
    painter.setMode(QCPPainter::pmVectorized);
    paintPanels(painter, layout, background);
    return painter.end();
}

bool writePdf(QSaveFile& file, const PanelLayout& layout, const QString& title, const QColor& background) {
    QPdfWriter pdf(&file);
    pdf.setTitle(title);
    pdf.setCreator(QCoreApplication::applicationName());
    pdf.setResolution(int(kScreenDpi)); // painter units = screen pixels; the page is their size in points
    pdf.setPageSize(QPageSize(QSizeF(layout.total) * (72.0 / kScreenDpi), QPageSize::Point, QString(),
                              QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    QCPPainter painter;
    if (!painter.begin(&pdf))
        return false;
    painter.setMode(QCPPainter::pmVectorized);
    paintPanels(painter, layout, background);
    return painter.end();
}

// For the lifetime of this object, graphs with kVectorDotSizeProperty draw vector discs (see plot_export.h).
class VectorDots {
  public:
    explicit VectorDots(const QList<QCustomPlot*>& panels) {
        for (QCustomPlot* panel : panels)
            for (int i = 0; i < panel->graphCount(); ++i) {
                QCPGraph* graph = panel->graph(i);
                const QVariant size = graph->property(kVectorDotSizeProperty);
                if (!size.isValid())
                    continue;
                saved_.append({graph, graph->scatterStyle()});
                graph->setScatterStyle(
                    QCPScatterStyle(QCPScatterStyle::ssDisc, graph->pen().color(), size.toDouble()));
            }
    }
    ~VectorDots() {
        for (const auto& [graph, style] : saved_)
            graph->setScatterStyle(style);
    }
    VectorDots(const VectorDots&) = delete;
    VectorDots& operator=(const VectorDots&) = delete;

  private:
    QList<QPair<QCPGraph*, QCPScatterStyle>> saved_;
};

bool fail(QString* error, const QString& message) {
    if (error)
        *error = message;
    return false;
}

} // namespace

bool exportPlot(QCustomPlot* plot, const QString& path, const ExportOptions& options, QString* error) {
    return exportPanels({plot}, path, options, error);
}

bool exportPanels(const QList<QCustomPlot*>& panels, const QString& path, const ExportOptions& options,
                  QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
        return fail(error, tr("Cannot export %1: the name must end in .png, .svg or .pdf").arg(path));
    const PanelLayout layout = layOut(panels, options);
    if (layout.panels.isEmpty() || layout.total.isEmpty())
        return fail(error, tr("Cannot export %1: there is no plot to draw").arg(path));
    if (options.dpi < 24 || options.dpi > 2400)
        return fail(error, tr("Cannot export %1: %2 DPI is outside 24–2400").arg(path).arg(options.dpi));

    // Written beside the target and renamed into place on success: a failed export leaves no partial file.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(error, tr("Cannot write %1: %2").arg(path, file.errorString()));
    // Fills around panels narrower than the widest; each panel paints its own (themed) background.
    const QColor background = layout.panels.first()->palette().color(QPalette::Base);
    const QString title = QFileInfo(path).completeBaseName();
    bool drawn = false;
    const VectorDots dots(layout.panels);
    if (suffix == QLatin1String("png"))
        drawn = writePng(file, layout, options.dpi, background);
    else if (suffix == QLatin1String("svg"))
        drawn = writeSvg(file, layout, title, background);
    else
        drawn = writePdf(file, layout, title, background);
    // toPainter() lays the panels out at the export size; put them back for the screen.
    for (QCustomPlot* panel : layout.panels)
        panel->replot(QCustomPlot::rpQueuedReplot);
    if (!drawn) {
        file.cancelWriting();
        return fail(error, tr("Cannot export %1: drawing the plot failed").arg(path));
    }
    if (!file.commit())
        return fail(error, tr("Cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

} // namespace bp::ui
