// Figure export: PNG (size and DPI), SVG and PDF files, stacked panels, and failures that name the path.
#include "ui/plots/metric_plot.h"
#include "ui/plots/plot_export.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/plots/weight_scatter.h"
#include <QtTest>
#include <memory>

using namespace bp::ui;

namespace {

std::unique_ptr<MetricPlot> samplePlot(const QString& title) {
    auto plot = std::make_unique<MetricPlot>(title, QStringLiteral("MSE"));
    plot->resize(500, 300);
    const int train = plot->addSeries(QStringLiteral("train"), QColor(31, 119, 180), false, true);
    const int test = plot->addSeries(QStringLiteral("test"), QColor(214, 39, 40), false, true);
    for (int e = 0; e < 20; ++e) {
        plot->addPoint(train, e, 1.0 / (e + 1));
        plot->addPoint(test, e, 1.2 / (e + 1));
    }
    plot->replot();
    plot->show();
    if (!QTest::qWaitForWindowExposed(plot.get()))
        qWarning("window not exposed");
    return plot;
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestPlotExport : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void pngSizeFollowsDpi_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("dpi");
        QTest::addColumn<QSize>("pixels");
        QTest::addRow("screen") << 600 << 400 << 96 << QSize(600, 400);
        QTest::addRow("print 192") << 600 << 400 << 192 << QSize(1200, 800);
        QTest::addRow("print 300") << 480 << 320 << 300 << QSize(1500, 1000); // 480·300/96, 320·300/96
        QTest::addRow("on-screen size") << 0 << 0 << 96 << QSize(500, 300);
    }
    void pngSizeFollowsDpi() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, dpi);
        QFETCH(QSize, pixels);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto plot = samplePlot(QStringLiteral("Loss"));
        const QString path = dir.filePath(QStringLiteral("loss.png"));
        QString error;
        QVERIFY2(exportPlot(plot->plot(), path, ExportOptions{width, height, dpi}, &error),
                 qPrintable(error));
        QVERIFY(readAll(path).startsWith("\x89PNG\r\n\x1a\n"));
        const QImage image(path);
        QCOMPARE(image.size(), pixels);
        QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), dpi);
        // Drawn, not blank: the image has more than the background colour.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 3);
    }

    // A PNG at 144 or 192 DPI is the 96-DPI picture drawn sharper, not a different layout: text given in
    // points must not grow a second time with the file's DPI (it did: the y-axis title was clipped to a
    // sliver, "step" cut off, legends truncated). Scaled back down, the high-DPI image matches the 96-DPI
    // one closely, and the y-axis title's ink starts inside the image.
    void highDpiPngKeepsTheLayout_data() {
        QTest::addColumn<int>("dpi");
        QTest::addRow("144") << 144;
        QTest::addRow("192") << 192;
    }
    void highDpiPngKeepsTheLayout() {
        QFETCH(int, dpi);
        QTemporaryDir dir;
        auto plot = samplePlot(QStringLiteral("Loss"));
        QString error;
        const QString screen = dir.filePath(QStringLiteral("96.png")),
                      sharp = dir.filePath(QStringLiteral("hi.png"));
        QVERIFY2(exportPlot(plot->plot(), screen, ExportOptions{900, 380, 96}, &error), qPrintable(error));
        QVERIFY2(exportPlot(plot->plot(), sharp, ExportOptions{900, 380, dpi}, &error), qPrintable(error));
        const QImage reference = QImage(screen).convertToFormat(QImage::Format_Grayscale8);
        const QImage scaled = QImage(sharp)
                                  .scaled(reference.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                                  .convertToFormat(QImage::Format_Grayscale8);
        // Dark pixels (text, axes, curves) of one image that the other has nowhere near.
        auto dark = [](const QImage& image, int x, int y) { return qGray(image.pixel(x, y)) < 110; };
        auto near = [&](const QImage& image, int x, int y) {
            for (int dy = -2; dy <= 2; ++dy)
                for (int dx = -2; dx <= 2; ++dx) {
                    const int xx = x + dx, yy = y + dy;
                    if (xx >= 0 && yy >= 0 && xx < image.width() && yy < image.height() &&
                        qGray(image.pixel(xx, yy)) < 170)
                        return true;
                }
            return false;
        };
        int darkPixels = 0, unmatched = 0, leftmostInk = reference.width();
        for (int y = 0; y < reference.height(); ++y)
            for (int x = 0; x < reference.width(); ++x) {
                if (dark(scaled, x, y)) {
                    ++darkPixels;
                    unmatched += near(reference, x, y) ? 0 : 1;
                    leftmostInk = std::min(leftmostInk, x);
                }
            }
        QVERIFY(darkPixels > 500);
        QVERIFY2(unmatched < darkPixels / 20,
                 qPrintable(QStringLiteral("%1 of %2 dark pixels have no counterpart at 96 DPI")
                                .arg(unmatched)
                                .arg(darkPixels)));
        QVERIFY2(leftmostInk >= 2,
                 qPrintable(QStringLiteral("ink at x = %1: the y-axis title is cut").arg(leftmostInk)));
    }

    void svgIsVectorWithLegendAndTitles() {
        QTemporaryDir dir;
        auto plot = samplePlot(QStringLiteral("Loss"));
        const QString path = dir.filePath(QStringLiteral("loss.svg"));
        QString error;
        QVERIFY2(exportPlot(plot->plot(), path, ExportOptions{}, &error), qPrintable(error));
        const QByteArray svg = readAll(path);
        QVERIFY(svg.startsWith("<?xml"));
        QVERIFY(svg.contains("<svg"));
        for (const char* text : {">MSE<", ">epoch<", ">train<", ">test<", ">Loss<"})
            QVERIFY2(svg.contains(text), text);
        QVERIFY2(svg.size() < 1000000, qPrintable(QString::number(svg.size()))); // not W&B's 6 MB
    }

    void scatterDotsExportAsVectorDiscs() {
        // On screen the W–Y scatter blits one pre-drawn disc per weight; an SVG gets vector discs (no
        // embedded images), and the screen style is back afterwards.
        QTemporaryDir dir;
        WeightScatter scatter;
        scatter.resize(400, 300);
        scatter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scatter));
        const at::Tensor w = at::randn({20, 10});
        QVERIFY(scatter.setInitial(w, at::randn({20, 10})));
        QVERIFY(scatter.setCurrent(w, at::randn({20, 10})));
        const QString path = dir.filePath(QStringLiteral("scatter.svg"));
        QString error;
        QVERIFY2(exportPlot(scatter.plot(), path, ExportOptions{}, &error), qPrintable(error));
        const QByteArray svg = readAll(path);
        QVERIFY(svg.contains("<svg"));
        QVERIFY(!svg.contains("<image"));
        QVERIFY2(svg.count("<path") + svg.count("<ellipse") + svg.count("<circle") >= 400,
                 qPrintable(QString::number(svg.count("<path"))));
        QCOMPARE(scatter.currentGraph()->scatterStyle().shape(), QCPScatterStyle::ssPixmap);
    }

    void pdfIsWritten() {
        QTemporaryDir dir;
        auto plot = samplePlot(QStringLiteral("Loss"));
        const QString path = dir.filePath(QStringLiteral("loss.PDF")); // the extension in any case
        QString error;
        QVERIFY2(exportPlot(plot->plot(), path, ExportOptions{400, 300, 96}, &error), qPrintable(error));
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF-"));
        QVERIFY(pdf.contains("%%EOF"));
        // One page of 400×300 screen pixels = 300×225 points.
        QVERIFY2(pdf.contains("/MediaBox [0 0 300.000000 225.000000]"), pdf.left(2000).constData());
    }

    void panelsAreStacked_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("magic");
        QTest::addRow("png") << "all.png" << QByteArray("\x89PNG");
        QTest::addRow("svg") << "all.svg" << QByteArray("<?xml");
        QTest::addRow("pdf") << "all.pdf" << QByteArray("%PDF-");
    }
    void panelsAreStacked() {
        QFETCH(QString, name);
        QFETCH(QByteArray, magic);
        QTemporaryDir dir;
        auto loss = samplePlot(QStringLiteral("Loss"));
        auto error = samplePlot(QStringLiteral("Error"));
        auto angle = samplePlot(QStringLiteral("Angle"));
        const QString path = dir.filePath(name);
        QString message;
        QVERIFY2(exportPanels({loss->plot(), error->plot(), angle->plot()}, path, ExportOptions{400, 250, 96},
                              &message),
                 qPrintable(message));
        const QByteArray bytes = readAll(path);
        QVERIFY(bytes.startsWith(magic));
        if (name.endsWith(QLatin1String(".png"))) {
            QCOMPARE(QImage(path).size(), QSize(400, 750));
        } else if (name.endsWith(QLatin1String(".svg"))) {
            QVERIFY(bytes.contains("viewBox=\"0 0 400 750\""));
            for (const char* title : {">Loss<", ">Error<", ">Angle<"})
                QVERIFY2(bytes.contains(title), title);
        } else {
            QVERIFY(bytes.contains(
                "/MediaBox [0 0 300.000000 563.000000]")); // 562.5 pt; QPageSize keeps whole points
        }
        // The panels are laid out for the screen again afterwards.
        QCOMPARE(loss->plot()->viewport().size(), loss->plot()->size());
    }

    void failuresNameThePath_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::addRow("missing folder") << "/nonexistent-folder-bp/loss.png"
                                        << "Cannot write";
        QTest::addRow("unknown format") << "loss.jpg"
                                        << ".png, .svg or .pdf";
        QTest::addRow("no extension") << "loss"
                                      << ".png, .svg or .pdf";
    }
    void failuresNameThePath() {
        QFETCH(QString, path);
        QFETCH(QString, message);
        auto plot = samplePlot(QStringLiteral("Loss"));
        QString error;
        QVERIFY(!exportPlot(plot->plot(), path, ExportOptions{}, &error));
        QVERIFY2(error.contains(path) && error.contains(message), qPrintable(error));
        QVERIFY(!QFile::exists(path));
    }

    void noPanelsIsAnError() {
        QTemporaryDir dir;
        QString error;
        QVERIFY(!exportPanels({}, dir.filePath(QStringLiteral("x.png")), ExportOptions{}, &error));
        QVERIFY(error.contains(QStringLiteral("no plot")));
        QVERIFY(!exportPlot(nullptr, dir.filePath(QStringLiteral("x.png")), ExportOptions{}, nullptr));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.png"))));
    }
};

QTEST_MAIN(TestPlotExport)
#include "tst_plot_export.moc"
