// The Compare page by seed group over a real database: four configurations (hidden_lr 0.1, 0.2, 0.3 with five
// seeds each, 0.4 with three, one of which stopped after epoch 1) with known test errors. Checked: the
// switch comes on by itself, each group's mean and band (± std, min–max, bootstrap) against numbers worked
// out here, only the epochs every member reached, the runs faint behind on demand, the figures as
// mean ± std per group with Welch's p, the verdict for groups that differ and groups that do not (and the
// caution for few runs), and the table's export.
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/study/statistics.h"
#include "ui/compare/compare_view.h"
#include "ui/compare/group_curves.h"
#include "ui/compare/group_figures_model.h"
#include "ui/compare/group_panel.h"
#include "ui/compare/hyperparameter_panel.h"
#include "ui/compare/hyperparameter_table_model.h"
#include "ui/compare/parallel_coordinates_plot.h"
#include "ui/compare/run_figures_model.h"
#include "ui/compare/run_identity.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcustomplot_include.h"
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace bp;
using namespace bp::ui;

namespace {

const double kHiddenLr[] = {0.1, 0.2, 0.3, 0.4};
// Final test errors (%) per configuration. 0.1 and 0.3 do not differ; 0.2 clearly differs from both.
const std::vector<std::vector<double>> kFinal = {{10.0, 10.5, 9.8, 10.2, 10.1},
                                                 {20.1, 19.7, 20.4, 20.0, 19.9},
                                                 {10.3, 9.7, 10.6, 9.9, 10.0},
                                                 {30.0, 31.0, 35.0}};
constexpr int kEpochs = 3;

// Test error at epoch e: final + 5·(3 − e). The last run of the fourth group stops after epoch 1.
int lastEpoch(size_t group, size_t seed) {
    return group == 3 && seed == 2 ? 1 : kEpochs;
}

double meanOf(const std::vector<double>& v) {
    double s = 0;
    for (double x : v)
        s += x;
    return s / double(v.size());
}

double stdOf(const std::vector<double>& v) {
    const double m = meanOf(v);
    double ss = 0;
    for (double x : v)
        ss += (x - m) * (x - m);
    return std::sqrt(ss / double(v.size() - 1));
}

std::vector<double> atEpoch(const std::vector<double>& finals, int epoch) {
    std::vector<double> out;
    for (double f : finals)
        out.push_back(f + 5.0 * (kEpochs - epoch));
    return out;
}

int seriesNamed(const MetricPlot* plot, const QString& name) {
    for (int s = 0; s < plot->seriesCount(); ++s)
        if (plot->seriesName(s) == name)
            return s;
    return -1;
}

QVector<double> valuesOf(const MetricPlot* plot, const QString& name) {
    const int s = seriesNamed(plot, name);
    return s >= 0 ? plot->seriesData(s)->values() : QVector<double>{};
}

bool near(double a, double b) {
    return std::fabs(a - b) < 1e-9;
}

} // namespace

class TestGroupCompare : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<RunStore> store_;
    QVector<int64_t> ids_;

    MetricPlot* errorPlot(CompareView& view) { return view.plots().at(1); }

  private Q_SLOTS:
    void initTestCase() {
        store_ = std::make_unique<RunStore>(dir_.filePath(QStringLiteral("runs.sqlite")).toStdString());
        for (size_t g = 0; g < kFinal.size(); ++g)
            for (size_t s = 0; s < kFinal[g].size(); ++s) {
                RunConfig c = defaultConfig(DatasetKind::Mnist, "burstprop");
                c.hiddenLr = kHiddenLr[g];
                c.seed = s + 1;
                c.epochs = kEpochs;
                c.hiddenWidths = {16, 8};
                const int64_t id = store_->createRun(c, "g" + std::to_string(g) + "s" + std::to_string(s));
                std::vector<MetricSample> samples;
                for (int e = 0; e <= lastEpoch(g, s); ++e) {
                    const double error = kFinal[g][s] + 5.0 * (kEpochs - e);
                    samples.push_back({"test_error", e, 10 * e, 1.7e9 + e, error});
                    samples.push_back({"test_loss", e, 10 * e, 1.7e9 + e, error / 10});
                    samples.push_back({"weight_angle/2", e, 10 * e, 1.7e9 + e, 50.0 + error});
                }
                store_->appendMetrics(id, samples);
                ids_ << id;
            }
    }

    void switchComesOnForSeedGroups() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns({ids_[0], ids_[5]}); // one run of each of two configurations: no groups to speak of
        QVERIFY(!view.isByGroup());
        QCOMPARE(view.plots().at(1)->seriesCount(), 4); // a batch and a test series per run
        view.setRuns(ids_);
        QVERIFY(view.isByGroup());
        QCOMPARE(view.groupFiguresModel()->rowCount(), 4);
        view.byGroupBox()->setChecked(false);
        QCOMPARE(errorPlot(view)->seriesCount(), 2 * ids_.size());
        view.byGroupBox()->setChecked(true);
        QCOMPARE(errorPlot(view)->seriesCount(), 3 * 4); // band low, band high, mean per group
    }

    void bandsOverEpochsEveryMemberReached() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        const SeedGroup& g1 = view.groupFiguresModel()->groups().at(0);
        QCOMPARE(g1.title(), QStringLiteral("G1 · hidden_lr=0.1"));
        MetricPlot* plot = errorPlot(view);
        auto* title = qobject_cast<QCPTextElement*>(plot->plot()->plotLayout()->element(0, 0));
        QVERIFY(title && title->text().contains(QStringLiteral("mean of each seed group")));
        for (study::Band band : {study::Band::Std, study::Band::MinMax, study::Band::Bootstrap}) {
            view.bandBox()->setCurrentIndex(view.bandBox()->findData(int(band)));
            for (size_t g = 0; g < kFinal.size(); ++g) {
                const SeedGroup& group = view.groupFiguresModel()->groups().at(g);
                const QVector<double> mean = valuesOf(plot, groupCurveName(group, band));
                const QVector<double> low = valuesOf(plot, group.title() + QStringLiteral(" · band low"));
                const QVector<double> high = valuesOf(plot, group.title() + QStringLiteral(" · band high"));
                // The fourth group: one run stopped after epoch 1, so only epochs 0 and 1 are aggregated.
                const int epochs = g == 3 ? 2 : kEpochs + 1;
                QCOMPARE(mean.size(), epochs);
                QCOMPARE(low.size(), epochs);
                QCOMPARE(high.size(), epochs);
                for (int e = 0; e < epochs; ++e) {
                    const std::vector<double> values = atEpoch(kFinal[g], e);
                    QVERIFY(near(mean[e], meanOf(values)));
                    double lo = 0, hi = 0;
                    if (band == study::Band::Std) {
                        lo = meanOf(values) - stdOf(values);
                        hi = meanOf(values) + stdOf(values);
                    } else if (band == study::Band::MinMax) {
                        lo = *std::min_element(values.begin(), values.end());
                        hi = *std::max_element(values.begin(), values.end());
                    } else {
                        const study::Interval i = study::bootstrapMean(values, GroupCurveOptions{}.bootstrap);
                        lo = i.low;
                        hi = i.high;
                    }
                    QVERIFY2(near(low[e], lo), qPrintable(QStringLiteral("G%1 epoch %2").arg(g + 1).arg(e)));
                    QVERIFY(near(high[e], hi));
                }
            }
        }
        // The runs faint behind their group's mean, on demand.
        QCOMPARE(seriesNamed(plot, QStringLiteral("#%1 g0s0").arg(ids_[0])), -1);
        view.showRunsBox()->setChecked(true);
        const int run = seriesNamed(plot, QStringLiteral("#%1 g0s0").arg(ids_[0]));
        QVERIFY(run >= 0);
        QCOMPARE(plot->pointCount(run), kEpochs + 1);
        QCOMPARE(plot->seriesCount(), 3 * 4 + int(ids_.size()));
    }

    void figuresPerGroup() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        GroupFiguresModel* model = view.groupFiguresModel();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int g = 0; g < 4; ++g) {
            const std::vector<double>& finals = kFinal[size_t(g)];
            QCOMPARE(model->index(g, GroupFiguresModel::Runs).data().toInt(), int(finals.size()));
            // The fourth group's short run ends at epoch 1: its final figure is that epoch's.
            std::vector<double> expected = finals;
            if (g == 3)
                expected[2] += 5.0 * (kEpochs - 1);
            QCOMPARE(
                model->index(g, RunFiguresModel::TestError).data().toString(),
                QStringLiteral("%1 ± %2").arg(meanOf(expected), 0, 'f', 2).arg(stdOf(expected), 0, 'f', 2));
            QCOMPARE(model->headerData(g, Qt::Vertical).toString(), model->groups().at(size_t(g)).title());
        }
        QVERIFY(!model->index(0, GroupFiguresModel::PValue).data().isValid()); // the reference group
        const double pB =
            model->index(1, GroupFiguresModel::PValue).data(GroupFiguresModel::ValueRole).toDouble();
        const double pC =
            model->index(2, GroupFiguresModel::PValue).data(GroupFiguresModel::ValueRole).toDouble();
        QCOMPARE(pB, study::welchTTest(kFinal[1], kFinal[0]).p);
        QVERIFY(pB < 1e-6);
        QVERIFY(pC > 0.5);
        // The groups' figures replace the runs' while comparing by group.
        QVERIFY(view.groupPanel()->isVisibleTo(view.tabs()->widget(1)));
    }

    void verdictForTwoGroups() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        GroupPanel* panel = view.groupPanel();
        QVERIFY(panel->verdictLabel()->text().startsWith(QStringLiteral("Select two groups")));
        study::BootstrapOptions options;
        options.seed = GroupPanel::kBootstrapSeed;
        // G1 and G2 differ far beyond seed noise.
        panel->selectGroups(0, 1);
        const study::Comparison differ = study::compareGroups(kFinal[0], kFinal[1], "G1", "G2", options);
        QString text = panel->verdictLabel()->text();
        QVERIFY2(text.endsWith(QString::fromStdString(differ.verdict)), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("the interval excludes zero")));
        QVERIFY(!text.contains(QStringLiteral("Caution")));
        QVERIFY(differ.difference.high < 0);
        // G1 and G3 do not.
        panel->selectGroups(0, 2);
        text = panel->verdictLabel()->text();
        QVERIFY(text.endsWith(
            QString::fromStdString(study::compareGroups(kFinal[0], kFinal[2], "G1", "G3", options).verdict)));
        QVERIFY(text.contains(QStringLiteral("the interval contains zero")));
        // G4 has three runs: the interval is too narrow to trust.
        panel->selectGroups(1, 3);
        text = panel->verdictLabel()->text();
        QVERIFY(text.contains(QStringLiteral("G4 has only 3 runs")));
        QVERIFY(text.contains(QStringLiteral("too narrow to trust")));
        // Re-read (as while the runs train), the same two groups stay chosen.
        view.refresh();
        QCOMPARE(panel->table()->selectionModel()->selectedRows().size(), 2);
        QCOMPARE(panel->verdictLabel()->text(), text);
    }

    void exportsTheGroupTable() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        GroupPanel* panel = view.groupPanel();
        const QString markdown = panel->tableText(GroupPanel::Format::Markdown);
        const QString lineG1 =
            QStringLiteral("| G1 · hidden_lr=0.1 | 5 | %1 ± %2 |")
                .arg(meanOf(atEpoch(kFinal[0], kEpochs)) / 10, 0, 'f', 4)
                .arg(stdOf(atEpoch(kFinal[0], kEpochs)) / 10, 0, 'f', 4); // test loss first, 4 decimals
        QVERIFY2(markdown.contains(lineG1), qPrintable(markdown));
        QVERIFY(markdown.contains(QStringLiteral("p vs G1, final test error |")));
        for (const auto& [name, format] :
             {std::pair{QStringLiteral("groups.md"), GroupPanel::Format::Markdown},
              std::pair{QStringLiteral("groups.tex"), GroupPanel::Format::Latex},
              std::pair{QStringLiteral("groups.csv"), GroupPanel::Format::Csv}}) {
            const QString path = dir_.filePath(name);
            QString error;
            QVERIFY2(panel->exportTable(path, &error), qPrintable(error));
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(QString::fromUtf8(file.readAll()), panel->tableText(format));
        }
        QVERIFY(panel->tableText(GroupPanel::Format::Latex).contains(QStringLiteral("\\toprule")));
        QVERIFY(panel->tableText(GroupPanel::Format::Csv)
                    .startsWith(QStringLiteral("group,n,\"Test loss, final mean\"")));
    }

    // By group the hyperparameter table has one column per group: the values its runs share, the seeds as
    // a range; by run, one column per run again.
    void hyperparameterTableByGroup() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        QVERIFY(view.isByGroup());
        HyperparameterTableModel* table = view.hyperparameterModel();
        QAbstractItemModelTester tester(table, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(table->columnCount(), 4);
        const std::vector<SeedGroup>& groups = view.groupFiguresModel()->groups();
        for (int g = 0; g < 4; ++g)
            QCOMPARE(table->headerData(g, Qt::Horizontal).toString(), groups[size_t(g)].title());
        QVERIFY(table->headerData(0, Qt::Horizontal, Qt::ToolTipRole).toString().startsWith("5 runs: #1 "));
        const int lr = table->rowOfName(QStringLiteral("hidden_lr"));
        const int seed = table->rowOfName(QStringLiteral("seed"));
        const int widths = table->rowOfName(QStringLiteral("hidden_widths"));
        QVERIFY(lr >= 0 && seed >= 0 && widths >= 0);
        const QStringList lrs{"0.1", "0.2", "0.3", "0.4"}, seeds{"1–5", "1–5", "1–5", "1–3"};
        for (int g = 0; g < 4; ++g) {
            QCOMPARE(table->data(table->index(lr, g)).toString(), lrs[g]);
            QCOMPARE(table->data(table->index(seed, g)).toString(), seeds[g]);
            QCOMPARE(table->data(table->index(widths, g)).toString(),
                     table->data(table->index(widths, 0)).toString());
        }
        QVERIFY(table->data(table->index(lr, 0), HyperparameterTableModel::DiffersRole).toBool());
        QVERIFY(!table->data(table->index(widths, 0), HyperparameterTableModel::DiffersRole).toBool());
        // The export is the table as shown: a column per group.
        const QString csv = view.hyperparameterPanel()->tableText(QStringLiteral("csv"));
        QVERIFY2(csv.startsWith(QStringLiteral("parameter,G1 · hidden_lr=0.1,G2 · hidden_lr=0.2")),
                 qPrintable(csv));
        view.byGroupBox()->setChecked(false);
        QCOMPARE(table->columnCount(), ids_.size());
        QCOMPARE(table->data(table->index(table->rowOfName(QStringLiteral("seed")), 6)).toString(), "2");
    }

    // Parallel coordinates by group: every run coloured by its group with the groups as legend, or one line
    // per group through its runs' mean outcomes (no seed axis); by run, coloured by test error again.
    void parallelCoordinatesByGroup() {
        CompareView view;
        view.setStore(store_.get());
        view.setRuns(ids_);
        ParallelCoordinatesPlot* plot = view.parallelPlot();
        QCOMPARE(plot->lineMode(), ParallelCoordinatesPlot::LineMode::RunsByGroup);
        QCOMPARE(plot->lineCount(), ids_.size());
        const std::vector<SeedGroup>& groups = view.groupFiguresModel()->groups();
        QStringList titles;
        for (const SeedGroup& g : groups)
            titles << g.title();
        QCOMPARE(plot->legendLabels(), titles);
        for (int g = 0; g < 4; ++g)
            for (size_t r : groups[size_t(g)].runs)
                QCOMPARE(plot->colourOf(int(r)), runColour(g));
        QVERIFY(plot->lineToolTip(0).contains(QStringLiteral("(G1)")));
        const int errorAxis = int(plot->axisNames().indexOf(QString::fromUtf8(kFinalTestErrorAxis)));
        QVERIFY(errorAxis >= 0);
        std::vector<double> runMeans; // each group's mean of its runs' final test errors as drawn
        for (const SeedGroup& g : groups) {
            double sum = 0;
            for (size_t r : g.runs)
                sum += plot->data().lines[int(r)].values[errorAxis];
            runMeans.push_back(sum / double(g.runs.size()));
        }
        QVERIFY(plot->axisNames().contains(QStringLiteral("seed")));

        view.parallelLinesBox()->setCurrentIndex(
            view.parallelLinesBox()->findData(int(ParallelCoordinatesPlot::LineMode::GroupMeans)));
        QCOMPARE(plot->lineMode(), ParallelCoordinatesPlot::LineMode::GroupMeans);
        QCOMPARE(plot->lineCount(), 4);
        QVERIFY2(plot->message().isEmpty(), qPrintable(plot->message()));
        QVERIFY(!plot->axisNames().contains(QStringLiteral("seed")));
        QCOMPARE(plot->axisNames().front(), QStringLiteral("hidden_lr"));
        const int meanAxis = int(plot->axisNames().indexOf(QString::fromUtf8(kFinalTestErrorAxis)));
        for (int g = 0; g < 4; ++g) {
            QVERIFY(near(plot->data().lines[g].values[meanAxis], runMeans[size_t(g)]));
            QCOMPARE(plot->colourOf(g), runColour(g));
            QVERIFY(plot->data().lines[g].label.startsWith(titles[g]));
        }
        QVERIFY(near(runMeans[0], meanOf(kFinal[0])));
        QCOMPARE(plot->legendLabels(), titles);

        view.byGroupBox()->setChecked(false);
        QCOMPARE(plot->lineMode(), ParallelCoordinatesPlot::LineMode::Runs);
        QCOMPARE(plot->lineCount(), ids_.size());
        QVERIFY(plot->legendLabels().isEmpty());
        QVERIFY(plot->colourOf(0) != plot->colourOf(5)); // by test error: 10 % and 20 % differ
    }

    // The curves with their bands export as PNG, SVG and PDF (File ▸ Export comparison panels): the band's
    // translucent fill is in each file.
    void exportsBandsInEveryFormat() {
        // Two groups of three seeds whose runs spread widely: bands far wider than their mean's line.
        RunStore store(dir_.filePath(QStringLiteral("bands.sqlite")).toStdString());
        QVector<int64_t> ids;
        for (int g = 0; g < 2; ++g)
            for (int seed = 1; seed <= 3; ++seed) {
                RunConfig c = defaultConfig(DatasetKind::Mnist, "burstprop");
                c.hiddenLr = kHiddenLr[g];
                c.seed = uint64_t(seed);
                c.epochs = kEpochs;
                const int64_t id = store.createRun(c, "wide" + std::to_string(g) + std::to_string(seed));
                std::vector<MetricSample> samples;
                for (int e = 0; e <= kEpochs; ++e) {
                    const double error = 20.0 + 40.0 * g + 12.0 * (seed - 2);
                    samples.push_back({"test_error", e, 10 * e, 1.7e9 + e, error});
                    samples.push_back({"test_loss", e, 10 * e, 1.7e9 + e, error / 10});
                }
                store.appendMetrics(id, samples);
                ids << id;
            }
        CompareView view;
        view.setStore(&store);
        view.setRuns(ids);
        QVERIFY(view.isByGroup());
        view.resize(1000, 800);
        QColor fill = runColour(0);
        fill.setAlpha(50);
        // The band over white, as a PNG shows it.
        const auto over = [](int c, int a) { return (c * a + 255 * (255 - a) + 127) / 255; };
        const QColor onWhite(over(fill.red(), 50), over(fill.green(), 50), over(fill.blue(), 50));
        QString error;
        const QString png = dir_.filePath(QStringLiteral("groups.png"));
        QVERIFY2(view.exportFigures(png, &error), qPrintable(error));
        const QImage image(png);
        QVERIFY(image.width() >= 600 && image.height() >= 4 * 400); // four panels stacked
        int band = 0, nonWhite = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                nonWhite += c != Qt::white;
                band += std::abs(c.red() - onWhite.red()) <= 3 &&
                        std::abs(c.green() - onWhite.green()) <= 3 &&
                        std::abs(c.blue() - onWhite.blue()) <= 3;
            }
        QVERIFY2(band > 2000, qPrintable(QStringLiteral("%1 band pixels").arg(band)));
        QVERIFY(nonWhite > 20000);

        const QString svg = dir_.filePath(QStringLiteral("groups.svg"));
        QVERIFY2(view.exportFigures(svg, &error), qPrintable(error));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QString svgText = QString::fromUtf8(svgFile.readAll());
        // A filled path in the band's colour, translucent.
        const QRegularExpression bandFill(
            QStringLiteral("fill=\"%1\" fill-opacity=\"0\\.19").arg(runColour(0).name()));
        QVERIFY2(svgText.contains(bandFill), qPrintable(svgText.left(3000)));
        QVERIFY(svgText.contains(
            groupCurveName(view.groupFiguresModel()->groups().at(0), study::Band::Std).toHtmlEscaped()));

        const QString pdf = dir_.filePath(QStringLiteral("groups.pdf"));
        QVERIFY2(view.exportFigures(pdf, &error), qPrintable(error));
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        const QByteArray pdfBytes = pdfFile.readAll();
        QVERIFY(pdfBytes.startsWith("%PDF"));
        // The band's alpha (50/255) as a fill transparency in a graphics state of the page.
        QVERIFY2(pdfBytes.contains("/ca 0.196"), pdfBytes.left(2000).constData());
    }
};

QTEST_MAIN(TestGroupCompare)
#include "tst_group_compare.moc"
