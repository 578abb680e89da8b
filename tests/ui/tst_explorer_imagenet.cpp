// The explorer's side of the ImageNet network (issue 12), through real widgets offscreen: the "Paper:
// ImageNet" preset in the form, the summary of an image folder (small real PNG and JPEG files the test
// writes), the top-5 error panel, eight-layer angle panels, and the first layer's filters, W beside Y, for
// the MNIST conv net (live, from a real run) and for an ImageNet-shaped first layer.
#include "core/images/image_folder.h"
#include "core/rules/rule_registry.h"
#include "core/setup/defaults.h"
#include "core/setup/network_for_config.h"
#include "core/store/run_store.h"
#include "core/util/error.h"
#include "support/explorer_window.h"
#include "ui/form/image_folder_summary.h"
#include "ui/form/preset_library.h"
#include "ui/form/preset_values.h"
#include "ui/form/run_form.h"
#include "ui/plots/angle_heatmap.h"
#include "ui/plots/filter_panel.h"
#include "ui/plots/metric_plot.h"
#include "ui/plots/qcustomplot_include.h"
#include "ui/training/training_session.h"
#include "ui/window/main_window.h"
#include "ui/window/run_plots.h"
#include "ui/window/train_page.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QImageWriter>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace bp;

namespace {

const QString kImagenetPreset = QStringLiteral("Paper: ImageNet");

// Writes a small real image (a gradient, different per seed) at root/relative, creating its folders.
bool writeImage(const QString& root, const QString& relative, int seed) {
    const QString path = QDir(root).filePath(relative);
    if (!QDir().mkpath(QFileInfo(path).path()))
        return false;
    QImage image(16, 12, QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixel(x, y,
                           qRgb((x * 16 + seed * 40) % 256, (y * 20 + seed * 7) % 256, (seed * 90) % 256));
    return image.save(path);
}

// train/<class>/… and val/<class>/…: files per class in train and in val, PNG and (where Qt has the plugin)
// JPEG alternately.
bool writeFolder(const QString& root, const QStringList& trainClasses, const QStringList& valClasses,
                 int trainPerClass, int valPerClass) {
    const bool jpeg = QImageWriter::supportedImageFormats().contains("jpeg");
    int seed = 0;
    for (const auto& [split, classes, count] :
         {std::tuple{QStringLiteral("train"), trainClasses, trainPerClass},
          std::tuple{QStringLiteral("val"), valClasses, valPerClass}})
        for (const QString& c : classes) {
            if (!QDir().mkpath(QDir(root).filePath(split + QLatin1Char('/') + c)))
                return false;
            for (int i = 0; i < count; ++i, ++seed) {
                const QString ext = jpeg && i % 2 == 1 ? QStringLiteral("JPEG") : QStringLiteral("png");
                if (!writeImage(root, QStringLiteral("%1/%2/%3.%4").arg(split, c).arg(i).arg(ext), seed))
                    return false;
            }
        }
    return true;
}

// scanTrainVal's own message for a folder, to compare with what the form shows.
QString scanError(const QString& dir) {
    try {
        images::scanTrainVal(dir.toStdString());
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

ui::Preset imagenetPreset() {
    ui::PresetLibrary library(QStringLiteral("/nonexistent/presets.json"));
    const ui::Preset* preset = library.find(kImagenetPreset);
    return preset ? *preset : ui::Preset{};
}

// W and Y of each layer of net, as TrainingSession copies them (W of every convolution, Y where it has W's
// shape).
ui::WeightSnapshot snapshotOf(const Network& net, bool withFeedback) {
    ui::WeightSnapshot s;
    for (const Layer& layer : net.layers) {
        const bool paired =
            withFeedback && layer.weightFa.defined() && layer.weightFa.sizes() == layer.weight.sizes();
        s.forward << (paired || layer.isConv() ? layer.weight.clone() : at::Tensor());
        s.feedback << (paired ? layer.weightFa.clone() : at::Tensor());
    }
    return s;
}

QStringList titlesOf(const RunConfig& config) {
    QStringList titles;
    for (const std::string& t : layerTitles(config))
        titles << QString::fromStdString(t);
    return titles;
}

RunConfig imagenetConfig(const std::string& rule = "burstprop") {
    RunConfig c = defaultConfig(DatasetKind::ImageNet, rule);
    c.convChannels = {8, 8, 8, 8, 8, 8, 8};
    return c;
}

bool isGrey(const QImage& image) {
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb p = image.pixel(x, y);
            if (qRed(p) != qGreen(p) || qGreen(p) != qBlue(p))
                return false;
        }
    return true;
}

// Both ends of the kernel's own range are drawn: its minimum black (0), its maximum white (255).
bool spansFullRange(const QImage& image) {
    int lo = 255, hi = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb p = image.pixel(x, y);
            lo = std::min({lo, qRed(p), qGreen(p), qBlue(p)});
            hi = std::max({hi, qRed(p), qGreen(p), qBlue(p)});
        }
    return lo == 0 && hi == 255;
}

// Every kernel of Y lies right of every kernel of W, kernel k in the same place of its grid.
void checkSideBySide(const ui::FilterPanel& panel) {
    const QRect lastW = panel.kernelRect(panel.kernelCount() - 1, false);
    for (int k = 0; k < panel.kernelCount(); ++k) {
        const QRect w = panel.kernelRect(k, false), y = panel.kernelRect(k, true);
        QVERIFY(!w.isEmpty());
        QCOMPARE(y.size(), w.size());
        QCOMPARE(y.top(), w.top());
        QVERIFY2(y.left() > lastW.right(), qPrintable(QStringLiteral("kernel %1").arg(k)));
        QVERIFY(panel.rect().contains(y));
    }
}

} // namespace

class TestExplorerImagenet : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString goodFolder_;

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        goodFolder_ = tmp_.filePath(QStringLiteral("good"));
        QVERIFY(writeFolder(goodFolder_, {"ant", "bee"}, {"ant", "bee"}, 3, 1));
        qInfo("JPEG writer: %s",
              QImageWriter::supportedImageFormats().contains("jpeg") ? "yes" : "no (PNG only)");
    }

    // The preset is train_imagenet.py's defaults, valid from any starting point, and its description says
    // what float32 resolves there.
    void imagenetPresetAppliesAndValidates() {
        const ui::Preset preset = imagenetPreset();
        QCOMPARE(preset.name, kImagenetPreset);
        QVERIFY(preset.builtIn);
        for (const QString& needle : {QStringLiteral("float32"), QStringLiteral("rounding noise"),
                                      QStringLiteral("--dtype float64"), QStringLiteral("top layers")})
            QVERIFY2(preset.description.contains(needle), qPrintable(needle));
        for (const RunConfig& base : {defaultConfig(DatasetKind::FashionMnist, "feedback-alignment"),
                                      defaultConfig(DatasetKind::Cifar10, "backprop")}) {
            const ui::AppliedPreset applied = ui::PresetLibrary::apply(preset, base);
            QVERIFY2(applied, qPrintable(applied.errorMessage));
            QVERIFY(validate(applied.config).empty());
            const RunConfig& c = applied.config;
            RunConfig expected = defaultConfig(DatasetKind::ImageNet);
            QCOMPARE(toString(c.dataset), toString(expected.dataset));
            QCOMPARE(toString(c.architecture), std::string("imagenet-conv"));
            QCOMPARE(c.rule, std::string("burstprop"));
            QCOMPARE(c.kappa, 1e-5);
            QCOMPARE(c.weightFaStd, 0.01);
            QCOMPARE(c.weightFaLearning, true);
            QCOMPARE(c.batchSize, 128);
            QCOMPARE(c.epochs, 50);
            QCOMPARE(c.lrStep, 30);
            QCOMPARE(c.lrFactor, 0.1);
            QCOMPARE(toString(c.optimizer), toString(expected.optimizer));
            QCOMPARE(toString(c.activation), toString(expected.activation));
            QCOMPARE(toString(c.output), toString(expected.output));
            QCOMPARE(c.recurrentInput, false);
        }

        // In the form: the network, the channels the rule gives, no download, and a request for the folder.
        ui::RunForm form;
        form.show();
        const ui::AppliedPreset applied = ui::PresetLibrary::apply(preset, form.config());
        QVERIFY2(applied, qPrintable(applied.errorMessage));
        form.setConfig(applied.config);
        QCOMPARE(form.architectureBox()->currentText(), QStringLiteral("imagenet-conv"));
        QVERIFY(form.convChannelsField()->isVisible());
        QVERIFY(!form.hiddenWidthsField()->isVisible());
        QCOMPARE(form.convChannelsField()->text(), QStringLiteral("48,48,96,96,192,192,384"));
        QCOMPARE(form.config().convChannels, (std::vector<int>{48, 48, 96, 96, 192, 192, 384}));
        QVERIFY(form.numberField(QStringLiteral("image_size"))->isVisible());
        QVERIFY(form.numberField(QStringLiteral("kappa"))->isVisible());
        QVERIFY(!form.downloadButton()->isVisible());
        QVERIFY(!form.isValid());
        QVERIFY2(form.dataStatusLabel()->text().contains(QStringLiteral("train/")),
                 qPrintable(form.dataStatusLabel()->text()));
        // With a folder it validates.
        form.dataDirField()->setText(goodFolder_);
        QTRY_VERIFY2(form.isValid(), qPrintable(form.errors().join(QLatin1Char('\n'))));
        QTRY_COMPARE(form.dataStatusLabel()->text(),
                     QStringLiteral("2 classes, 6 training images, 2 test images"));
        QVERIFY(!form.downloadButton()->isVisible());

        // Fixed feedback weights: the reference's other widths, until the user types their own.
        form.flagField(QStringLiteral("weight_fa_learning"))->setChecked(false);
        QCOMPARE(form.convChannelsField()->text(), QStringLiteral("48,96,96,192,192,384,470"));
        QTest::keyClicks(form.convChannelsField(), QStringLiteral(",8"));
        QVERIFY(!form.isValid());
        QVERIFY(form.errors().join(QLatin1Char('\n')).contains(QStringLiteral("7 channel counts")));
        form.convChannelsField()->selectAll();
        QTest::keyClicks(form.convChannelsField(), QStringLiteral("8,8,16,16,32,32,x"));
        QVERIFY(form.errors().join(QLatin1Char('\n')).contains(QStringLiteral("'x' is not a whole number")));
        form.convChannelsField()->selectAll();
        QTest::keyClicks(form.convChannelsField(), QStringLiteral("8,8,16,16,32,32,64"));
        QTRY_VERIFY2(form.isValid(), qPrintable(form.errors().join(QLatin1Char('\n'))));
        QCOMPARE(form.config().convChannels, (std::vector<int>{8, 8, 16, 16, 32, 32, 64}));
        form.flagField(QStringLiteral("weight_fa_learning"))->setChecked(true); // typed widths stay
        QCOMPARE(form.convChannelsField()->text(), QStringLiteral("8,8,16,16,32,32,64"));
        // The ImageNet net needs 193 pixels.
        form.numberField(QStringLiteral("image_size"))->setText(QStringLiteral("128"));
        QVERIFY(!form.isValid());
        QVERIFY(form.errors().join(QLatin1Char('\n')).contains(QStringLiteral("193")));
    }

    // Explicit channel widths survive a preset saved and loaded (the form's last settings are kept so too).
    void convChannelsRoundTripThroughPresets() {
        RunConfig c = imagenetConfig();
        c.dataDir = goodFolder_.toStdString();
        const QJsonObject values = ui::presetValues(c);
        QCOMPARE(values.value("conv_channels").toArray().size(), 7);
        RunConfig back = defaultConfig(DatasetKind::FashionMnist);
        QCOMPARE(ui::applyPresetValues(values, back), QStringList());
        QCOMPARE(back.convChannels, c.convChannels);
        QCOMPARE(toString(back.architecture), std::string("imagenet-conv"));
        // Without the key the rule's own widths apply.
        QVERIFY(!ui::presetValues(defaultConfig(DatasetKind::ImageNet)).contains("conv_channels"));
        // A dataset named alone gets the network that reads it.
        RunConfig onlyDataset = defaultConfig(DatasetKind::Mnist);
        QCOMPARE(ui::applyPresetValues(QJsonObject{{"dataset", "image-folder"}}, onlyDataset), QStringList());
        QCOMPARE(toString(onlyDataset.architecture), std::string("imagenet-conv"));
    }

    // Choosing an image-folder dataset chooses the network that reads it, and back.
    void datasetChoosesTheNetwork() {
        ui::RunForm form;
        QComboBox* dataset = form.datasetBox();
        dataset->setCurrentIndex(dataset->findText(QStringLiteral("image-folder")));
        QCOMPARE(form.architectureBox()->currentText(), QStringLiteral("imagenet-conv"));
        QCOMPARE(form.config().convChannels.size(), size_t(7));
        dataset->setCurrentIndex(dataset->findText(QStringLiteral("cifar10")));
        QCOMPARE(form.architectureBox()->currentText(), QStringLiteral("cifar10-conv"));
        dataset->setCurrentIndex(dataset->findText(QStringLiteral("imagenet")));
        QCOMPARE(form.architectureBox()->currentText(), QStringLiteral("imagenet-conv"));
        dataset->setCurrentIndex(dataset->findText(QStringLiteral("mnist")));
        QCOMPARE(form.architectureBox()->currentText(), QStringLiteral("fc"));
        QVERIFY(form.config().convChannels.empty());
        // The image folders' own settings are not offered for the MNIST-format sets.
        form.show();
        QVERIFY(!form.numberField(QStringLiteral("image_size"))->isVisible());
        QVERIFY(!form.flagField(QStringLiteral("test_augment"))->isVisible());
    }

    // The folder is read off the GUI thread; its classes and images are counted, and -validation counts the
    // held-out images as the trainer does.
    void folderSummaryShowsTheCounts() {
        ui::RunForm form;
        form.show();
        QComboBox* dataset = form.datasetBox();
        dataset->setCurrentIndex(dataset->findText(QStringLiteral("image-folder")));
        QVERIFY(!form.isValid()); // no folder yet
        form.dataDirField()->setText(goodFolder_);
        QVERIFY(form.isReadingFolder());
        QVERIFY2(form.dataStatusLabel()->text().startsWith(QStringLiteral("reading")),
                 qPrintable(form.dataStatusLabel()->text()));
        QTRY_VERIFY(!form.isReadingFolder());
        QCOMPARE(form.dataStatusLabel()->text(),
                 QStringLiteral("2 classes, 6 training images, 2 test images"));
        QVERIFY2(form.isValid(), qPrintable(form.errors().join(QLatin1Char('\n'))));

        // 30 training images, validation: a tenth held out (3), val/ not needed.
        const QString big = tmp_.filePath(QStringLiteral("trainonly"));
        QVERIFY(writeFolder(big, {"a", "b", "c"}, {}, 10, 0));
        QDir(big).rmdir(QStringLiteral("val"));
        form.flagField(QStringLiteral("validation"))->setChecked(true);
        form.dataDirField()->setText(big);
        QTRY_VERIFY(!form.isReadingFolder());
        QCOMPARE(
            form.dataStatusLabel()->text(),
            QStringLiteral("3 classes, 27 training images, 3 test images held out of train/ for validation"));
        QVERIFY2(form.isValid(), qPrintable(form.errors().join(QLatin1Char('\n'))));
        // Without validation the same folder lacks val/.
        form.flagField(QStringLiteral("validation"))->setChecked(false);
        QTRY_VERIFY(!form.isReadingFolder());
        QCOMPARE(form.dataStatusLabel()->text(), scanError(big));
        QVERIFY(!form.isValid());
        // The summary's numbers in the form people read them.
        ui::ImageFolderScan scan;
        scan.ok = true;
        scan.classes = 1000;
        scan.trainImages = 1281167;
        scan.valImages = 50000;
        const QString text = ui::summarizeImageFolder(scan, false, 50000).text;
        QVERIFY2(text.contains(QStringLiteral("1000 classes")) ||
                     text.contains(QStringLiteral("1,000 classes")),
                 qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("1281167")), qPrintable(text)); // grouped digits
    }

    void folderSummaryShowsWhatIsWrong_data() {
        QTest::addColumn<QStringList>("train");
        QTest::addColumn<QStringList>("val");
        QTest::addColumn<QString>("emptyClass");
        QTest::addColumn<QString>("expected");
        QTest::addRow("empty class") << QStringList{"ant", "bee"} << QStringList{"ant", "bee", "cat"}
                                     << QStringLiteral("train/cat") << QStringLiteral("no images");
        QTest::addRow("train/val mismatch")
            << QStringList{"ant", "bee"} << QStringList{"ant", "wasp"} << QString() << QStringLiteral("val");
        QTest::addRow("missing folder") << QStringList{} << QStringList{} << QString() << QString();
    }
    void folderSummaryShowsWhatIsWrong() {
        QFETCH(QStringList, train);
        QFETCH(QStringList, val);
        QFETCH(QString, emptyClass);
        QFETCH(QString, expected);
        const QString root = tmp_.filePath(QString::fromLatin1(QTest::currentDataTag()).replace(' ', '-'));
        if (!train.isEmpty())
            QVERIFY(writeFolder(root, train, val, 2, 1));
        if (!emptyClass.isEmpty())
            QVERIFY(QDir(root).mkpath(emptyClass));
        const QString error = scanError(root);
        QVERIFY2(!error.isEmpty(), "the core accepts the folder");
        QVERIFY2(error.contains(expected), qPrintable(error));

        ui::RunForm form;
        form.show();
        form.datasetBox()->setCurrentIndex(form.datasetBox()->findText(QStringLiteral("imagenet")));
        form.dataDirField()->setText(root);
        QTRY_VERIFY(!form.isReadingFolder());
        QCOMPARE(form.dataStatusLabel()->text(), error);
        QVERIFY(!form.isValid());
        QVERIFY(form.errors().contains(error));
        QVERIFY(!form.downloadButton()->isVisible());
        // Another folder is read in its turn.
        form.dataDirField()->setText(goodFolder_);
        QTRY_COMPARE(form.dataStatusLabel()->text(),
                     QStringLiteral("2 classes, 6 training images, 2 test images"));
        QVERIFY(form.isValid());
    }

    // Kernels drawn as images, each stretched to its own min–max.
    void kernelImagesAreNormalisedPerKernel() {
        const at::Tensor grey = at::tensor({-1.0, 0.0, 1.0, 0.5}, at::kFloat).view({1, 2, 2});
        const QImage g = ui::kernelImage(grey);
        QCOMPARE(g.size(), QSize(2, 2));
        QCOMPARE(qRed(g.pixel(0, 0)), 0);
        QCOMPARE(qRed(g.pixel(1, 0)), 128);
        QCOMPARE(qRed(g.pixel(0, 1)), 255);
        QVERIFY(isGrey(g));
        // The same pattern at a thousandth of the scale draws the same image.
        QCOMPARE(ui::kernelImage(grey * 1e-3), g);
        // RGB: channel c drawn in colour c, on the kernel's shared range.
        at::Tensor rgb = at::zeros({3, 1, 2});
        rgb[0][0][0] = 1.0; // red at (0, 0)
        rgb[2][0][1] = 1.0; // blue at (1, 0)
        const QImage c = ui::kernelImage(rgb);
        QCOMPARE(c.pixel(0, 0), qRgb(255, 0, 0));
        QCOMPARE(c.pixel(1, 0), qRgb(0, 0, 255));
    }

    // The MNIST conv net's first layer: 8 grey kernels of 4 × 4, W beside Y; without Y (backprop) W alone.
    void filterPanelShowsMnistConvKernels() {
        RunConfig config = defaultConfig(DatasetKind::Mnist);
        config.architecture = Architecture::MnistConv;
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(7);
        const Network net = buildNetwork(config, 1, 28, g);
        QVERIFY(net.layers[0].weight.sizes() == (at::IntArrayRef{8, 1, 4, 4}));

        ui::RunPlots plots;
        plots.resize(1000, 700);
        plots.show();
        plots.setLayerTitles(titlesOf(config));
        plots.setRule(config.rule);
        QVERIFY(!plots.filtersAvailable());
        const ui::WeightSnapshot weights = snapshotOf(net, true);
        plots.setInitialWeights(weights);
        plots.setCurrentWeights(weights);
        QVERIFY(plots.filtersAvailable());
        plots.tabs()->setCurrentIndex(plots.tabs()->indexOf(plots.filterPanel()->parentWidget()));
        ui::FilterPanel* panel = plots.filterPanel();
        QTRY_VERIFY(panel->isVisible() && panel->width() > 400);
        QVERIFY(plots.weightsVisible());
        QCOMPARE(panel->kernelCount(), 8);
        QCOMPARE(panel->kernelSize(), QSize(4, 4));
        QVERIFY(!panel->isColour());
        QVERIFY(panel->hasFeedback());
        QCOMPARE(panel->kernelImages(true).size(), 8);
        QCOMPARE(panel->title(), QStringLiteral("conv1"));
        for (int k = 0; k < 8; ++k) {
            QVERIFY(isGrey(panel->kernelImages(false)[k]));
            QVERIFY(spansFullRange(panel->kernelImages(false)[k]));
            QVERIFY(spansFullRange(panel->kernelImages(true)[k]));
            QVERIFY(std::isfinite(panel->kernelAngle(k)));
        }
        checkSideBySide(*panel);
        // What is on screen is the kernels, pixel for pixel (each kernel pixel a block of screen pixels).
        const QImage shown = panel->grab().toImage();
        const qreal dpr = shown.devicePixelRatio();
        for (const bool feedback : {false, true}) {
            const QRect r = panel->kernelRect(3, feedback);
            const int scale = r.width() / 4;
            QVERIFY(scale >= 2);
            const QImage& kernel = panel->kernelImages(feedback)[3];
            for (int y = 0; y < 4; ++y)
                for (int x = 0; x < 4; ++x) {
                    const QPoint centre(r.left() + x * scale + scale / 2, r.top() + y * scale + scale / 2);
                    QCOMPARE(shown.pixel(centre * dpr) & 0xffffff, kernel.pixel(x, y) & 0xffffff);
                }
        }

        // Backprop: W only, with a note.
        plots.reset(0.0);
        plots.setRule("backprop");
        QVERIFY(!plots.filtersAvailable());
        plots.setInitialWeights(snapshotOf(net, false));
        QVERIFY(plots.filtersAvailable());
        QCOMPARE(panel->kernelCount(), 8);
        QVERIFY(!panel->hasFeedback());
        QVERIFY2(panel->note().contains(QStringLiteral("no feedback weights")), qPrintable(panel->note()));
        QVERIFY(panel->rect().contains(panel->kernelRect(7, false)));
    }

    // An ImageNet-shaped first layer (the real net, 8 channels): RGB 9 × 9 kernels, W beside Y.
    void filterPanelShowsImagenetKernels() {
        const RunConfig config = imagenetConfig();
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(11);
        const Network net = buildNetwork(config, 3, config.imageSize, g);
        QVERIFY(net.layers[0].weight.sizes() == (at::IntArrayRef{8, 3, 9, 9}));
        QCOMPARE(int(net.layers.size()), 8);

        ui::RunPlots plots;
        plots.resize(1000, 700);
        plots.show();
        plots.setLayerTitles(titlesOf(config));
        plots.setRule(config.rule);
        plots.setInitialWeights(snapshotOf(net, true));
        QVERIFY(plots.filtersAvailable());
        plots.tabs()->setCurrentIndex(plots.tabs()->indexOf(plots.filterPanel()->parentWidget()));
        ui::FilterPanel* panel = plots.filterPanel();
        QCOMPARE(panel->kernelCount(), 8);
        QCOMPARE(panel->kernelSize(), QSize(9, 9));
        QVERIFY(panel->isColour());
        QVERIFY(panel->hasFeedback());
        QVERIFY(!isGrey(panel->kernelImages(false)[0]));
        QVERIFY(!isGrey(panel->kernelImages(true)[0]));
        checkSideBySide(*panel);
        // The W–Y scatter lists every layer with Y (all eight).
        QCOMPARE(plots.scatterLayerBox()->count(), 8);
        QCOMPARE(plots.scatterLayerBox()->itemText(0), QStringLiteral("conv1"));
        QCOMPARE(plots.scatterLayerBox()->itemText(7), QStringLiteral("output"));
        // A current snapshot replaces the drawing: Y = W gives angle 0 for every kernel.
        ui::WeightSnapshot same = snapshotOf(net, true);
        same.feedback[0] = same.forward[0].to(at::kDouble) * 0.01; // exactly W's pattern
        plots.setCurrentWeights(same);
        for (int k = 0; k < 8; ++k)
            QVERIFY(panel->kernelAngle(k) < 0.01);
        QCOMPARE(panel->kernelImages(true)[5], panel->kernelImages(false)[5]);
        // Not a convolution (the fully connected net): no filters tab.
        plots.reset(0.0);
        RunConfig fc = defaultConfig(DatasetKind::Mnist);
        const Network fcNet = buildNetwork(fc, 1, 28, g);
        plots.setInitialWeights(snapshotOf(fcNet, true));
        QVERIFY(!plots.filtersAvailable());
    }

    // The top-5 panel appears for a softmax run and not for a sigmoid one; eight weight angles from conv1 and
    // seven delta angles fill the angle panels and heatmaps with the layers' names.
    void top5PanelAndEightLayerAngles() {
        const RunConfig config = imagenetConfig();
        const QStringList titles = titlesOf(config);
        QCOMPARE(titles,
                 (QStringList{"conv1", "conv2", "conv3", "conv4", "conv5", "conv6", "conv7", "output"}));
        ui::RunPlots plots;
        plots.resize(1200, 800);
        plots.show();
        plots.setLayerTitles(titles);
        plots.reset(0.0);
        plots.setOutputKind(config.output);
        QCOMPARE(plots.lossPlot()->plot()->yAxis->label(), QStringLiteral("cross-entropy"));
        QVERIFY(!plots.top5Shown());
        QVERIFY(!plots.top5Plot()->isVisible());
        for (int epoch = 0; epoch <= 2; ++epoch) {
            EpochReport e;
            e.epoch = epoch;
            e.step = epoch * 10;
            e.trainLoss = 6.9 - epoch;
            e.testLoss = 6.9 - epoch;
            e.trainError = 99.9 - epoch;
            e.testError = 99.9 - epoch;
            e.trainTop5Error = 99.5 - 2 * epoch;
            e.testTop5Error = 99.5 - 3 * epoch;
            e.firstWeightAngleLayer = 0;
            e.weightAngles = std::vector<double>(8, 80.0 - epoch);
            e.deltaAngles = std::vector<double>(7, 89.0 - epoch);
            plots.addEpoch(e);
        }
        plots.replot();
        QVERIFY(plots.top5Shown());
        QVERIFY(plots.top5Plot()->isVisible());
        QVERIFY(plots.panels().contains(plots.top5Plot()));
        QCOMPARE(plots.top5Plot()->pointCount(0), 3);
        QCOMPARE(plots.top5Plot()->pointCount(1), 3);
        QCOMPARE(plots.top5Plot()->seriesData(1)->values().back(), 93.5);
        QCOMPARE(plots.weightHeatmap()->layerCount(), 8);
        QCOMPARE(plots.deltaHeatmap()->layerCount(), 7);
        auto tickLabels = [](ui::AngleHeatmap* map) {
            const auto ticker = qSharedPointerCast<QCPAxisTickerText>(map->plot()->yAxis->ticker());
            return ticker ? QStringList(ticker->ticks().values()) : QStringList();
        };
        QCOMPARE(tickLabels(plots.weightHeatmap()), titles);
        QCOMPARE(tickLabels(plots.deltaHeatmap()), titles.mid(0, 7));
        QStringList weightSeries;
        for (int s = 0; s < plots.weightAnglePlot()->seriesCount(); ++s)
            weightSeries << plots.weightAnglePlot()->seriesName(s);
        for (const QString& t : titles)
            QVERIFY2(weightSeries.contains(t), qPrintable(weightSeries.join(QLatin1Char(','))));

        // The MNIST sigmoid run: top-5 not measured (NaN), no panel.
        plots.reset(0.0);
        plots.setOutputKind(OutputKind::Sigmoid);
        QCOMPARE(plots.lossPlot()->plot()->yAxis->label(), QStringLiteral("MSE"));
        EpochReport mnist;
        mnist.epoch = 1;
        mnist.step = 20;
        mnist.trainError = 12.0;
        mnist.testError = 13.0;
        mnist.weightAngles = {40.0, 30.0};
        plots.addEpoch(mnist);
        plots.replot();
        QVERIFY(!plots.top5Shown());
        QVERIFY(!plots.top5Plot()->isVisible());
        QVERIFY(!plots.panels().contains(plots.top5Plot()));
    }

    // A recorded run's top-5 error, read from the store as the explorer reads resumed runs.
    void top5PanelFromTheStore() {
        RunStore store(tmp_.filePath(QStringLiteral("top5.sqlite")).toStdString());
        const int64_t softmax = store.createRun(imagenetConfig(), "imagenet");
        std::vector<MetricSample> samples;
        for (int epoch = 0; epoch <= 3; ++epoch)
            for (const char* name : {"train_error", "test_error", "train_loss", "test_loss",
                                     "train_top5_error", "test_top5_error"})
                samples.push_back({name, epoch, epoch * 5, 1000.0 + epoch, 90.0 - epoch});
        samples.push_back({"weight_angle/0", 0, 0, 1000.0, 70.0});
        samples.push_back({"weight_angle/7", 0, 0, 1000.0, 60.0});
        store.appendMetrics(softmax, samples);
        const int64_t sigmoid = store.createRun(defaultConfig(DatasetKind::Mnist), "mnist");
        samples.clear();
        for (int epoch = 0; epoch <= 3; ++epoch)
            for (const char* name : {"train_error", "test_error"})
                samples.push_back({name, epoch, epoch * 5, 1000.0 + epoch, 20.0 - epoch});
        store.appendMetrics(sigmoid, samples);

        ui::RunPlots plots;
        plots.setLayerTitles(titlesOf(imagenetConfig()));
        plots.loadFromStore(store, softmax);
        QVERIFY(plots.top5Shown());
        QCOMPARE(plots.top5Plot()->pointCount(0), 4);
        QCOMPARE(plots.top5Plot()->pointCount(1), 4);
        QCOMPARE(plots.weightHeatmap()->layerCount(), 8);
        plots.loadFromStore(store, sigmoid);
        QVERIFY(!plots.top5Shown());
        QCOMPARE(plots.top5Plot()->pointCount(0), 0);
    }

    // Live: a real MNIST conv run's first layer in the filters tab, W beside Y (burstprop) and W alone
    // (backprop).
    void liveFiltersOfAnMnistConvRun_data() {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<bool>("feedback");
        QTest::addRow("burstprop") << QStringLiteral("burstprop") << true;
        QTest::addRow("backprop") << QStringLiteral("backprop") << false;
    }
    void liveFiltersOfAnMnistConvRun() {
        QFETCH(QString, rule);
        QFETCH(bool, feedback);
        const QString data = tmp_.filePath(QStringLiteral("mnist"));
        if (!QFileInfo::exists(data))
            QVERIFY(test::writeSmallDataset(data));
        auto w = test::smallRunWindow(tmp_.filePath(QStringLiteral("live-%1.sqlite").arg(rule)), data, 1);
        ui::RunForm* form = w->form();
        form->ruleBox()->setCurrentIndex(form->ruleBox()->findData(rule));
        form->architectureBox()->setCurrentIndex(
            form->architectureBox()->findText(QStringLiteral("mnist-conv")));
        form->numberField(QStringLiteral("train_limit"))->setText(QStringLiteral("256"));
        QVERIFY2(form->isValid(), qPrintable(form->errors().join(QLatin1Char('\n'))));
        w->show();
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 120000);
        ui::RunPlots* plots = w->trainPage()->plots();
        QVERIFY(plots->filtersAvailable());
        plots->tabs()->setCurrentIndex(plots->tabs()->indexOf(plots->filterPanel()->parentWidget()));
        ui::FilterPanel* panel = plots->filterPanel();
        QCOMPARE(panel->kernelCount(), 8);
        QCOMPARE(panel->kernelSize(), QSize(4, 4));
        QCOMPARE(panel->hasFeedback(), feedback);
        if (feedback)
            checkSideBySide(*panel);
        else
            QVERIFY2(panel->note().contains(QStringLiteral("Backprop")) ||
                         panel->note().contains(QStringLiteral("backprop")),
                     qPrintable(panel->note()));
        // The sigmoid MNIST run measures no top-5 error.
        QVERIFY(!plots->top5Shown());
    }
};

QTEST_MAIN(TestExplorerImagenet)
#include "tst_explorer_imagenet.moc"
