// Presets: the built-in ones apply and validate, the paper presets are the reference defaults, the demo
// preset has exactly its values, user presets round-trip through a real file, bad values are named,
// an unreadable user file is reported and kept aside, and names may be any Unicode.
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/defaults.h"
#include "support/test_support.h"
#include "ui/app_resources.h"
#include "ui/form/preset_library.h"
#include "ui/form/preset_values.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <cstdint>

using namespace bp;
using bp::ui::AppliedPreset;
using bp::ui::Preset;
using bp::ui::PresetLibrary;

namespace {

const QString kMnist = QStringLiteral("Paper: MNIST (fully connected)");
const QString kMnistConv = QStringLiteral("Paper: MNIST conv");
const QString kCifar = QStringLiteral("CIFAR-10: train_cifar10.py defaults (stays at chance)");
const QString kImagenet = QStringLiteral("Paper: ImageNet");
const QString kDemo = QStringLiteral("Demo notebook");
const QString kSmoke = QStringLiteral("Smoke test (a few seconds)");
const QString kDfa = QStringLiteral("Direct feedback alignment: Fashion-MNIST");
const QString kSignSymmetry = QStringLiteral("Sign symmetry: Fashion-MNIST");
constexpr int kBuiltIn = 8; // the presets resources/presets.json ships

// Every field equal: toJson() shows each (doubles with 17 digits, the seed in full).
bool sameConfig(const RunConfig& a, const RunConfig& b) {
    return toJson(a) == toJson(b);
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

AppliedPreset applyNamed(const PresetLibrary& library, const QString& name, const RunConfig& base) {
    const Preset* preset = library.find(name);
    if (!preset)
        return {base, QStringLiteral("no preset %1").arg(name)};
    return PresetLibrary::apply(*preset, base);
}

// A configuration with every field away from its default.
RunConfig unusualConfig() {
    RunConfig c = defaultConfig(DatasetKind::Mnist, "node-perturbation");
    c.dataDir = "/data/my \"mnist\" it's";
    c.validation = true;
    c.download = false;
    c.mirror = "https://example.org/mirror";
    c.trainLimit = 1234;
    c.architecture = Architecture::MnistConv;
    c.hiddenWidths = {7, 3};
    c.epochs = 17;
    c.batchSize = 5;
    c.hiddenLr = 0.1 + 0.2;
    c.outputLr = 1.0 / 3.0;
    c.weightFaStd = 0.25;
    c.momentum = 0.5;
    c.weightDecay = 1e-7;
    c.pBaseline = 0.3;
    c.weightFaLearning = true;
    c.recurrentInput = false;
    c.weightRRange = 0.5;
    c.weightRLearning = false;
    c.recurrentLr = 3e-3;
    c.perturbation = PerturbationMode::UnitByUnit;
    c.xiMean = -0.125;
    c.xiStd = 0.002;
    c.seed = (uint64_t{1} << 63) + 5; // above 2^53: kept as a string
    c.device = "cuda:1";
    c.threads = 3;
    c.angleInterval = 7;
    c.testBatchSize = 99;
    c.info = "ünïcödé — 学習 \"quoted\"\nsecond line";
    return c;
}

} // namespace

class TestPresetLibrary : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void builtInPresetsAreListedFirst();
    void builtInPresetApplies_data();
    void builtInPresetApplies();
    void paperPresetsAreTheReferenceDefaults_data();
    void paperPresetsAreTheReferenceDefaults();
    void demoPresetHasExactlyItsValues();
    void smokePresetKeepsTheRule();
    void badValuesAreNamed_data();
    void badValuesAreNamed();
    void userPresetRoundTripsThroughAFile();
    void savingReplacesAndRemovingDeletes();
    void builtInPresetsAreProtected();
    void missingUserFileIsNoError();
    void unreadableUserFileIsKeptAside_data();
    void unreadableUserFileIsKeptAside();
    void anOlderBackupIsNotOverwritten();
    void unicodeNames();
    void defaultUserFileIsInAppData();
    void applicationIconIsCompiledIn();
};

void TestPresetLibrary::builtInPresetsAreListedFirst() {
    QTemporaryDir dir;
    PresetLibrary library(dir.filePath("presets.json"));
    QVERIFY2(library.loadError().isEmpty(), qPrintable(library.loadError()));
    QStringList names;
    for (const Preset& p : library.presets()) {
        QVERIFY(p.builtIn);
        QVERIFY(!p.description.isEmpty());
        names << p.name;
    }
    QCOMPARE(names, (QStringList{kMnist, kMnistConv, kCifar, kImagenet, kDemo, kDfa, kSignSymmetry, kSmoke}));
}

void TestPresetLibrary::builtInPresetApplies_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("baseDataset");
    QTest::addColumn<QString>("baseRule");
    for (const QString& name : {kMnist, kMnistConv, kCifar, kImagenet, kDemo, kDfa, kSignSymmetry, kSmoke})
        for (DatasetKind d : {DatasetKind::FashionMnist, DatasetKind::Cifar10})
            for (const RuleInfo* rule :
                 ruleRegistry()) // every rule of the registry as the form's starting point
                QTest::addRow("%s on %s/%s", qPrintable(name), toString(d).c_str(), rule->name.c_str())
                    << name << int(d) << QString::fromStdString(rule->name);
}

void TestPresetLibrary::builtInPresetApplies() {
    QFETCH(QString, name);
    QFETCH(int, baseDataset);
    QFETCH(QString, baseRule);
    QTemporaryDir dir;
    PresetLibrary library(dir.filePath("presets.json"));
    const AppliedPreset applied =
        applyNamed(library, name, defaultConfig(DatasetKind(baseDataset), baseRule.toStdString()));
    QVERIFY2(applied, qPrintable(applied.errorMessage));
    QVERIFY(validate(applied.config).empty());
    // Each value the preset names is in the result.
    const QJsonObject written = ui::presetValues(applied.config);
    const QJsonObject values = library.find(name)->values;
    for (auto it = values.begin(); it != values.end(); ++it)
        QVERIFY2(written.value(it.key()) == it.value(), qPrintable(it.key()));
}

void TestPresetLibrary::paperPresetsAreTheReferenceDefaults_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("dataset");
    QTest::addColumn<int>("architecture");
    QTest::addRow("MNIST") << kMnist << int(DatasetKind::Mnist) << int(Architecture::FullyConnected);
    QTest::addRow("MNIST conv") << kMnistConv << int(DatasetKind::Mnist) << int(Architecture::MnistConv);
    QTest::addRow("CIFAR-10") << kCifar << int(DatasetKind::Cifar10) << int(Architecture::Cifar10Conv);
    QTest::addRow("ImageNet") << kImagenet << int(DatasetKind::ImageNet) << int(Architecture::ImagenetConv);
}

void TestPresetLibrary::paperPresetsAreTheReferenceDefaults() {
    QFETCH(QString, name);
    QFETCH(int, dataset);
    QFETCH(int, architecture);
    QTemporaryDir dir;
    PresetLibrary library(dir.filePath("presets.json"));
    // From a base far from the reference: feedback alignment on Fashion-MNIST with odd values.
    RunConfig base = defaultConfig(DatasetKind::FashionMnist, "feedback-alignment");
    base.epochs = 3;
    base.momentum = 0.1;
    base.weightFaLearning = !defaultConfig(DatasetKind(dataset)).weightFaLearning;
    base.recurrentLr = 0.5;
    base.hiddenWidths = {500, 500, 500};
    const AppliedPreset applied = applyNamed(library, name, base);
    QVERIFY2(applied, qPrintable(applied.errorMessage));

    RunConfig expected = defaultConfig(DatasetKind(dataset));
    expected.architecture = Architecture(architecture);
    // What a preset does not name (execution settings, node perturbation's noise) stays as in base.
    expected.threads = base.threads;
    expected.seed = base.seed;
    expected.device = base.device;
    QVERIFY2(sameConfig(applied.config, expected),
             qPrintable(QString::fromStdString(toJson(applied.config) + "\n" + toJson(expected))));
}

void TestPresetLibrary::demoPresetHasExactlyItsValues() {
    QTemporaryDir dir;
    PresetLibrary library(dir.filePath("presets.json"));
    const Preset* demo = library.find(kDemo);
    QVERIFY(demo);
    QStringList keys = demo->values.keys();
    keys.sort();
    QCOMPARE(keys,
             (QStringList{"architecture", "dataset", "hidden_lr", "hidden_widths", "momentum", "n_epochs",
                          "output_lr", "rule", "weight_decay", "weight_fa_learning", "weight_fa_std"}));

    RunConfig base = defaultConfig(DatasetKind::Cifar10, "backprop");
    base.device = "cuda";
    const AppliedPreset applied = PresetLibrary::apply(*demo, base);
    QVERIFY2(applied, qPrintable(applied.errorMessage));
    const RunConfig& c = applied.config;
    QCOMPARE(toString(c.dataset), std::string("fashion-mnist"));
    QCOMPARE(toString(c.architecture), std::string("fc"));
    QCOMPARE(c.rule, std::string("burstprop"));
    QCOMPARE(c.hiddenWidths, std::vector<int>{500});
    QCOMPARE(c.weightFaLearning, true);
    QCOMPARE(c.hiddenLr, 1.0);
    QCOMPARE(c.outputLr, 0.01);
    QCOMPARE(c.weightFaStd, 0.1);
    QCOMPARE(c.momentum, 0.9);
    QCOMPARE(c.weightDecay, 1e-4);
    QCOMPARE(c.epochs, 10);
    QCOMPARE(c.device, std::string("cuda")); // not the preset's business
}

void TestPresetLibrary::smokePresetKeepsTheRule() {
    QTemporaryDir dir;
    PresetLibrary library(dir.filePath("presets.json"));
    RunConfig base = defaultConfig(DatasetKind::Cifar10, "backprop");
    base.seed = 99;
    const AppliedPreset applied = applyNamed(library, kSmoke, base);
    QVERIFY2(applied, qPrintable(applied.errorMessage));
    const RunConfig& c = applied.config;
    QCOMPARE(toString(c.dataset), std::string("fashion-mnist"));
    QCOMPARE(toString(c.architecture), std::string("fc"));
    QCOMPARE(c.rule, std::string("backprop"));
    QCOMPARE(c.hiddenWidths, std::vector<int>{100});
    QCOMPARE(c.epochs, 2);
    QCOMPARE(c.trainLimit, 10000);
    QCOMPARE(c.angleInterval, 50);
    QCOMPARE(c.seed, uint64_t{99});
}

void TestPresetLibrary::badValuesAreNamed_data() {
    QTest::addColumn<QByteArray>("values");
    QTest::addColumn<QStringList>("expected"); // each must appear in the message
    QTest::addRow("unknown key") << QByteArray(R"({"hiden_lr": 0.1})")
                                 << QStringList{"hiden_lr: unknown setting"};
    QTest::addRow("text for a number")
        << QByteArray(R"({"hidden_lr": "fast"})") << QStringList{"hidden_lr: \"fast\" is not a number"};
    QTest::addRow("out of range") << QByteArray(R"({"momentum": 1.5})")
                                  << QStringList{"momentum: 1.5 is out of range [0, 0.999]"};
    QTest::addRow("fraction for an integer")
        << QByteArray(R"({"n_epochs": 2.5})") << QStringList{"n_epochs: 2.5 is not an integer"};
    QTest::addRow("number for a flag") << QByteArray(R"({"weight_fa_learning": 1})")
                                       << QStringList{"weight_fa_learning: 1 is not true or false"};
    QTest::addRow("unknown dataset") << QByteArray(R"({"dataset": "places365"})")
                                     << QStringList{"dataset: unknown dataset 'places365'"};
    QTest::addRow("six conv channels")
        << QByteArray(R"({"dataset": "imagenet", "conv_channels": [48, 48, 96, 96, 192, 192]})")
        << QStringList{"conv_channels: [48,48,96,96,192,192] is not a list of 7 channel counts"};
    QTest::addRow("unknown rule") << QByteArray(R"({"rule": 3})") << QStringList{"rule: 3 is not a name"};
    QTest::addRow("zero width")
        << QByteArray(R"({"hidden_widths": [500, 0]})")
        << QStringList{"hidden_widths: [500,0] is not a list of at most 20 layer widths in [1, 100000]"};
    QTest::addRow("widths as text") << QByteArray(R"({"hidden_widths": "500"})")
                                    << QStringList{"hidden_widths: \"500\" is not a list"};
    QTest::addRow("negative seed") << QByteArray(R"({"seed": -1})")
                                   << QStringList{"seed: -1 is not an integer"};
    QTest::addRow("seed text") << QByteArray(R"({"seed": "12x"})")
                               << QStringList{"seed: \"12x\" is not an integer"};
    QTest::addRow("device") << QByteArray(R"({"device": "tpu"})")
                            << QStringList{"device 'tpu' is not one of"};
    QTest::addRow("download") << QByteArray(R"({"download": "yes"})")
                              << QStringList{"download: \"yes\" is not true or false"};
    QTest::addRow("conv net on CIFAR-10")
        << QByteArray(R"({"dataset": "cifar10", "architecture": "mnist-conv"})")
        << QStringList{"architecture: the MNIST conv net"};
    QTest::addRow("every problem at once")
        << QByteArray(R"({"colour": "red", "batch_size": 0, "info": 5})")
        << QStringList{"colour: unknown setting", "batch_size: 0 is out of range", "info: 5 is not text"};
}

void TestPresetLibrary::badValuesAreNamed() {
    QFETCH(QByteArray, values);
    QFETCH(QStringList, expected);
    const Preset preset{QStringLiteral("Broken"), {}, QJsonDocument::fromJson(values).object(), false};
    QVERIFY(!preset.values.isEmpty());
    const AppliedPreset applied = PresetLibrary::apply(preset, defaultConfig(DatasetKind::FashionMnist));
    QVERIFY(!applied);
    QVERIFY(applied.errorMessage.startsWith("Preset \"Broken\" cannot be applied:"));
    for (const QString& part : expected)
        QVERIFY2(applied.errorMessage.contains(part), qPrintable(applied.errorMessage));
}

void TestPresetLibrary::userPresetRoundTripsThroughAFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath("sub/folder/presets.json"); // folders are created
    const RunConfig config = unusualConfig();
    {
        PresetLibrary library(path);
        QCOMPARE(library.saveUserPreset("Mine", config), QString());
    }
    const QJsonObject root = QJsonDocument::fromJson(readAll(path)).object();
    QCOMPARE(root.value("version").toInt(), 1);
    const QJsonArray list = root.value("presets").toArray();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list[0]["name"].toString(), QStringLiteral("Mine"));
    QCOMPARE(list[0]["config"]["seed"].toString(), QStringLiteral("9223372036854775813"));
    QCOMPARE(list[0]["config"]["hidden_widths"].toArray(), (QJsonArray{7, 3}));
    QVERIFY(list[0]["description"].toString().startsWith("dataset=mnist architecture=mnist-conv"));

    PresetLibrary reread(path);
    QVERIFY2(reread.loadError().isEmpty(), qPrintable(reread.loadError()));
    const Preset* mine = reread.find("Mine");
    QVERIFY(mine);
    QVERIFY(!mine->builtIn);
    QCOMPARE(reread.presets().size(), kBuiltIn + 1);
    QCOMPARE(reread.presets().last().name, QStringLiteral("Mine"));
    // The whole config was stored: applied to any base, it gives the config back.
    const AppliedPreset applied = PresetLibrary::apply(*mine, defaultConfig(DatasetKind::Cifar10));
    QVERIFY2(applied, qPrintable(applied.errorMessage));
    QVERIFY2(sameConfig(applied.config, config),
             qPrintable(QString::fromStdString(toJson(applied.config) + "\n" + toJson(config))));

    // A small seed is an ordinary JSON number.
    RunConfig small = config;
    small.seed = 12345;
    QCOMPARE(reread.saveUserPreset("Small seed", small), QString());
    QCOMPARE(reread.find("Small seed")->values.value("seed"), QJsonValue(12345));
    QVERIFY(sameConfig(PresetLibrary::apply(*reread.find("Small seed"), {}).config, small));
}

void TestPresetLibrary::savingReplacesAndRemovingDeletes() {
    QTemporaryDir dir;
    const QString path = dir.filePath("presets.json");
    PresetLibrary library(path);
    RunConfig config = defaultConfig(DatasetKind::Mnist);
    QCOMPARE(library.saveUserPreset("A", config, "first"), QString());
    QCOMPARE(library.saveUserPreset("B", config), QString());
    config.hiddenLr = 0.5;
    QCOMPARE(library.saveUserPreset("  A  ", config, "second"), QString()); // same name once trimmed
    QCOMPARE(library.presets().size(), kBuiltIn + 2);
    QCOMPARE(library.find("A")->description, QStringLiteral("second"));
    QCOMPARE(library.find("A")->values.value("hidden_lr").toDouble(), 0.5);
    QCOMPARE(library.presets().at(kBuiltIn).name, QStringLiteral("A")); // kept its place

    QCOMPARE(library.removeUserPreset("A"), QString());
    QVERIFY(!library.find("A"));
    QVERIFY(library.removeUserPreset("A").contains("no preset named \"A\""));
    PresetLibrary reread(path);
    QVERIFY(!reread.find("A"));
    QVERIFY(reread.find("B"));
    QCOMPARE(reread.presets().size(), kBuiltIn + 1);
}

void TestPresetLibrary::builtInPresetsAreProtected() {
    QTemporaryDir dir;
    const QString path = dir.filePath("presets.json");
    PresetLibrary library(path);
    const RunConfig config = defaultConfig(DatasetKind::Mnist);
    QVERIFY(library.saveUserPreset(kDemo, config).contains("built-in preset and cannot be overwritten"));
    QVERIFY(library.saveUserPreset(" " + kSmoke + " ", config).contains("built-in"));
    QVERIFY(library.saveUserPreset("   ", config).contains("needs a name"));
    QVERIFY(library.removeUserPreset(kMnist).contains("built-in preset and cannot be removed"));
    QVERIFY(!QFile::exists(path));
    QCOMPARE(library.presets().size(), kBuiltIn);
}

void TestPresetLibrary::missingUserFileIsNoError() {
    QTemporaryDir dir;
    PresetLibrary library(dir.filePath("none/presets.json"));
    QCOMPARE(library.loadError(), QString());
    QCOMPARE(library.presets().size(), kBuiltIn);
    QCOMPARE(library.userFilePath(), dir.filePath("none/presets.json"));
}

void TestPresetLibrary::unreadableUserFileIsKeptAside_data() {
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<QString>("reason");
    QTest::addRow("not JSON") << QByteArray("{\"presets\": [ {\"name\": ")
                              << QStringLiteral("not valid JSON");
    QTest::addRow("binary") << QByteArray("\x00\xff\xfe garbage", 11) << QStringLiteral("not valid JSON");
    QTest::addRow("a list") << QByteArray("[1, 2]") << QStringLiteral("no \"presets\" list");
    QTest::addRow("presets not a list")
        << QByteArray(R"({"presets": 5})") << QStringLiteral("no \"presets\" list");
    QTest::addRow("nameless") << QByteArray(R"({"presets": [{"name": "", "config": {}}]})")
                              << QStringLiteral("preset 1 has no name");
    QTest::addRow("no config") << QByteArray(R"({"presets": [{"name": "x", "config": 3}]})")
                               << QStringLiteral("preset 1 has no name or no \"config\" object");
    QTest::addRow("built-in name") << QByteArray(R"({"presets": [{"name": "Demo notebook", "config": {}}]})")
                                   << QStringLiteral("\"Demo notebook\" is the name of another preset");
    QTest::addRow("twice the same name")
        << QByteArray(R"({"presets": [{"name": "x", "config": {}}, {"name": "x", "config": {}}]})")
        << QStringLiteral("\"x\" is the name of another preset");
}

void TestPresetLibrary::unreadableUserFileIsKeptAside() {
    QFETCH(QByteArray, contents);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString path = dir.filePath("presets.json");
    writeAll(path, contents);

    PresetLibrary library(path);
    QVERIFY2(library.loadError().contains(reason), qPrintable(library.loadError()));
    QVERIFY(library.loadError().contains(path));
    QCOMPARE(library.presets().size(), kBuiltIn); // the built-in ones only
    QCOMPARE(readAll(path), contents);            // reading never writes

    QCOMPARE(library.saveUserPreset("New", defaultConfig(DatasetKind::Mnist)), QString());
    QCOMPARE(library.backupPath(), path + ".bak");
    QCOMPARE(readAll(path + ".bak"), contents);
    QCOMPARE(library.loadError(), QString());
    PresetLibrary reread(path);
    QCOMPARE(reread.loadError(), QString());
    QCOMPARE(reread.presets().size(), kBuiltIn + 1);
    QVERIFY(reread.find("New"));
}

void TestPresetLibrary::anOlderBackupIsNotOverwritten() {
    QTemporaryDir dir;
    const QString path = dir.filePath("presets.json");
    writeAll(path + ".bak", "older backup");
    writeAll(path, "broken");
    PresetLibrary library(path);
    QVERIFY(!library.loadError().isEmpty());
    QCOMPARE(library.saveUserPreset("New", defaultConfig(DatasetKind::Mnist)), QString());
    QCOMPARE(library.backupPath(), path + ".bak.1");
    QCOMPARE(readAll(path + ".bak"), QByteArray("older backup"));
    QCOMPARE(readAll(path + ".bak.1"), QByteArray("broken"));
}

void TestPresetLibrary::unicodeNames() {
    QTemporaryDir dir;
    const QString path = dir.filePath("presets.json");
    const QString name = QStringLiteral("Größe — 学習率 🧠 naïve «test»");
    {
        PresetLibrary library(path);
        QCOMPARE(
            library.saveUserPreset(name, defaultConfig(DatasetKind::Cifar10), QStringLiteral("описание")),
            QString());
    }
    QVERIFY(readAll(path).contains(name.toUtf8())); // UTF-8 in the file, not \u escapes
    PresetLibrary reread(path);
    const Preset* preset = reread.find(name);
    QVERIFY(preset);
    QCOMPARE(preset->description, QStringLiteral("описание"));
    QCOMPARE(reread.removeUserPreset(name), QString());
    QVERIFY(!PresetLibrary(path).find(name));
}

void TestPresetLibrary::defaultUserFileIsInAppData() {
    const QString path = PresetLibrary::defaultUserFilePath();
    QVERIFY(path.endsWith("/presets.json"));
    QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
}

void TestPresetLibrary::applicationIconIsCompiledIn() {
    const QByteArray svg = readAll(ui::applicationIconPath());
    QVERIFY(svg.contains("<svg"));
    QVERIFY(svg.contains("<title>Burstprop Explorer</title>"));
}

QTEST_GUILESS_MAIN(TestPresetLibrary)
#include "tst_preset_library.moc"
