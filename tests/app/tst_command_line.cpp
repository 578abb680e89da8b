// "Copy as command line": commandLineArguments() gives the shortest burstprop-train invocation of a
// config, parseCommandLine() reads it back to the same (normalized) config field by field, and
// commandLine() quotes it so that a real POSIX shell hands the program exactly those words.
#include "core/cli/options.h"
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/command_line.h"
#include "core/setup/defaults.h"
#include "core/util/error.h"
#include "support/test_support.h"
#include <QProcess>
#include <QtTest>
#include <cstdint>
#include <limits>

using namespace bp;

Q_DECLARE_METATYPE(bp::RunConfig)

namespace {

QStringList toQt(const std::vector<std::string>& args) {
    QStringList list;
    for (const std::string& arg : args)
        list << QString::fromStdString(arg);
    return list;
}

QString widths(const std::vector<int>& w) {
    QStringList parts;
    for (int v : w)
        parts << QString::number(v);
    return parts.join(',');
}

// Every field of RunConfig that differs between a and b, as "name: a != b". The table's doubles are
// compared exactly (%.17g shows the last bit).
QStringList differences(const RunConfig& a, const RunConfig& b) {
    QStringList out;
    auto check = [&out](const char* name, const QString& x, const QString& y) {
        if (x != y)
            out << QStringLiteral("%1: %2 != %3").arg(name, x, y);
    };
    auto text = [](const std::string& s) { return QString::fromStdString(s); };
    check("dataset", text(toString(a.dataset)), text(toString(b.dataset)));
    check("data_dir", text(a.dataDir), text(b.dataDir));
    check("download", QString::number(a.download), QString::number(b.download));
    check("mirror", text(a.mirror), text(b.mirror));
    check("architecture", text(toString(a.architecture)), text(toString(b.architecture)));
    check("hidden_widths", widths(a.hiddenWidths), widths(b.hiddenWidths));
    check("rule", text(a.rule), text(b.rule));
    check("perturbation", text(toString(a.perturbation)), text(toString(b.perturbation)));
    check("activation", text(toString(a.activation)), text(toString(b.activation)));
    check("output", text(toString(a.output)), text(toString(b.output)));
    check("optimizer", text(toString(a.optimizer)), text(toString(b.optimizer)));
    check("dtype", text(toString(a.dtype)), text(toString(b.dtype)));
    check("seed", QString::number(a.seed), QString::number(b.seed));
    check("device", text(a.device), text(b.device));
    check("info", text(a.info), text(b.info));
    for (const ParamSpec& spec : hyperparameters())
        check(spec.key, QString::asprintf("%.17g", spec.get(a)), QString::asprintf("%.17g", spec.get(b)));
    return out;
}

const DatasetKind kDatasets[] = {DatasetKind::FashionMnist, DatasetKind::Mnist, DatasetKind::Cifar10};
// Every rule of the registry.
std::vector<const char*> rules() {
    std::vector<const char*> out;
    for (const RuleInfo* rule : ruleRegistry())
        out.push_back(rule->name.c_str());
    return out;
}

QString name(DatasetKind d, const std::string& r, const char* variant) {
    return QStringLiteral("%1/%2/%3")
        .arg(QString::fromStdString(toString(d)), QString::fromStdString(r), variant);
}

} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void minimalArguments_data();
    void minimalArguments();
    void numbersAreShortestExact_data();
    void numbersAreShortestExact();
    void quoting_data();
    void quoting();
    void shellReadsBackTheSameWords();
};

void TestCommandLine::roundTrip_data() {
    QTest::addColumn<RunConfig>("config");
    for (DatasetKind d : kDatasets) {
        for (const char* r : rules()) {
            const RunConfig base = defaultConfig(d, r);
            const bool cifar = d == DatasetKind::Cifar10;
            QTest::addRow("%s", qPrintable(name(d, r, "defaults"))) << base;

            RunConfig c = base;
            if (!cifar) {
                c.architecture = Architecture::MnistConv;
                QTest::addRow("%s", qPrintable(name(d, r, "conv"))) << c;
            }
            c = base;
            c.hiddenWidths = {7, 13, 1, 999};
            QTest::addRow("%s", qPrintable(name(d, r, "odd widths"))) << c;
            c.hiddenWidths = {};
            QTest::addRow("%s", qPrintable(name(d, r, "no hidden layer"))) << c;
            c.hiddenWidths = {500, 500};
            QTest::addRow("%s", qPrintable(name(d, r, "two reference layers"))) << c;

            // Every boolean of the table flipped, one at a time and all together.
            RunConfig allFlipped = base;
            for (const ParamSpec& spec : hyperparameters()) {
                if (spec.type != ParamType::Bool)
                    continue;
                c = base;
                spec.set(c, spec.get(base) != 0.0 ? 0.0 : 1.0);
                spec.set(allFlipped, spec.get(c));
                QTest::addRow("%s", qPrintable(name(d, r, spec.key))) << c;
            }
            QTest::addRow("%s", qPrintable(name(d, r, "all booleans flipped"))) << allFlipped;

            c = base;
            c.dataDir = "/tmp/my data/it's \"quoted\" $HOME `x` \\ *";
            c.mirror = "https://example.org/a b?x=1&y=2";
            c.download = false;
            c.info = "--help";
            QTest::addRow("%s", qPrintable(name(d, r, "awkward text"))) << c;

            c = base;
            c.seed = (uint64_t{1} << 32) + 7;
            c.threads = 3;
            c.device = "cuda:1";
            c.angleInterval = 37;
            c.trainLimit = 12345;
            c.testBatchSize = 250;
            c.info = "-";
            QTest::addRow("%s", qPrintable(name(d, r, "execution"))) << c;

            c = base;
            c.seed = std::numeric_limits<uint64_t>::max();
            c.angleInterval = 0;
            c.device = "cuda";
            c.dataDir = "-starts-with-a-dash";
            QTest::addRow("%s", qPrintable(name(d, r, "largest seed"))) << c;

            c = base;
            c.seed = 0;
            c.epochs = 3;
            c.batchSize = 1;
            c.hiddenLr = 0.1 + 0.2; // 0.30000000000000004: needs all 17 digits
            c.outputLr = 1.0 / 3.0;
            c.weightFaStd = 0.0;
            c.momentum = 0.999;
            c.weightDecay = 1e-7;
            c.pBaseline = 1e-6;
            c.weightRRange = 10;
            c.recurrentLr = 2.5e-5;
            c.xiMean = -0.25;
            c.xiStd = 1e-9;
            QTest::addRow("%s", qPrintable(name(d, r, "numbers"))) << c;

            // The network's units, the optimizer, the schedule and the number type.
            c = base;
            c.activation = Activation::Relu;
            c.recurrentInput = false;
            c.output = OutputKind::Softmax;
            c.kappa = 1e-3;
            QTest::addRow("%s", qPrintable(name(d, r, "relu softmax"))) << c;
            c = base;
            c.optimizer = OptimizerKind::Adam;
            c.lrStep = 30;
            c.lrFactor = 0.5;
            c.dtype = Dtype::Float64;
            QTest::addRow("%s", qPrintable(name(d, r, "adam, schedule, float64"))) << c;
            c.optimizer = OptimizerKind::Sgd;
            QTest::addRow("%s", qPrintable(name(d, r, "sgd"))) << c;

            for (PerturbationMode m : {PerturbationMode::LayerByLayer, PerturbationMode::UnitByUnit}) {
                c = base;
                c.perturbation = m;
                QTest::addRow("%s",
                              qPrintable(name(d, r, m == PerturbationMode::UnitByUnit ? "unit" : "layer")))
                    << c;
            }
        }
    }
}

void TestCommandLine::roundTrip() {
    QFETCH(RunConfig, config);
    QVERIFY2(validate(config).empty(), "the test's config must be valid");
    const std::vector<std::string> args = commandLineArguments(config);
    QCOMPARE(QString::fromStdString(args.at(0)), QStringLiteral("--dataset"));
    CliOptions parsed;
    try {
        parsed = parseCommandLine(args);
    } catch (const Error& e) {
        QFAIL(qPrintable(QStringLiteral("%1\n%2").arg(e.what(), toQt(args).join(' '))));
    }
    QVERIFY(!parsed.help);
    QVERIFY(parsed.resultsDir.empty());
    const QStringList diff = differences(normalized(parsed.config), normalized(config));
    QVERIFY2(diff.isEmpty(), qPrintable(diff.join('\n') + "\nfrom: " + toQt(args).join(' ')));
}

void TestCommandLine::minimalArguments_data() {
    QTest::addColumn<RunConfig>("config");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("fashion-mnist defaults")
        << defaultConfig(DatasetKind::FashionMnist) << QStringList{"--dataset", "fashion-mnist"};
    QTest::addRow("cifar10 defaults: no architecture flag")
        << defaultConfig(DatasetKind::Cifar10) << QStringList{"--dataset", "cifar10"};
    QTest::addRow("feedback alignment: its own learning rates are its defaults")
        << defaultConfig(DatasetKind::Mnist, "feedback-alignment")
        << QStringList{"--dataset", "mnist", "--rule", "feedback-alignment"};

    RunConfig c = defaultConfig(DatasetKind::Mnist);
    c.architecture = Architecture::MnistConv;
    c.hiddenLr = 0.05;
    c.epochs = 20;
    c.seed = 42;
    QTest::addRow("conv net, two values and a seed")
        << c << QStringList{"--dataset", "mnist",      "-conv_net", "true",   "-n_epochs",
                            "20",        "-hidden_lr", "0.05",      "--seed", "42"};

    // Backprop ignores feedback and recurrent settings: normalized() drops them, so they are not written.
    c = defaultConfig(DatasetKind::FashionMnist, "backprop");
    c.weightFaLearning = true;
    c.recurrentInput = false;
    c.weightDecay = 1e-4;
    QTest::addRow("backprop leaves out what it ignores")
        << c << QStringList{"--dataset", "fashion-mnist", "--rule", "backprop", "-weight_decay", "0.0001"};

    c = defaultConfig(DatasetKind::FashionMnist);
    c.hiddenWidths = {100};
    c.trainLimit = 10000;
    c.angleInterval = 50;
    c.xiMean = -0.5;
    c.download = false;
    c.info = "-x";
    QTest::addRow("program's own options, a negative number, dashed text")
        << c << QStringList{"--dataset",
                            "fashion-mnist",
                            "--hidden-widths",
                            "100",
                            "-xi_mean=-0.5",
                            "--angle-interval",
                            "50",
                            "--train-limit",
                            "10000",
                            "--no-download",
                            "-info=-x"};

    c = defaultConfig(DatasetKind::FashionMnist, "node-perturbation");
    c.hiddenWidths = {};
    c.perturbation = PerturbationMode::UnitByUnit;
    QTest::addRow("node perturbation without hidden layers")
        << c << QStringList{"--dataset",       "fashion-mnist", "--rule",         "node-perturbation",
                            "--hidden-widths", "none",          "--perturbation", "unit"};
}

void TestCommandLine::minimalArguments() {
    QFETCH(RunConfig, config);
    QFETCH(QStringList, expected);
    QCOMPARE(toQt(commandLineArguments(config)), expected);
}

void TestCommandLine::numbersAreShortestExact_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");
    QTest::addRow("0.05") << 0.05 << "0.05";
    QTest::addRow("1e-7") << 1e-7 << "1e-7";
    QTest::addRow("2.5e-5") << 2.5e-5 << "2.5e-5";
    QTest::addRow("0.1 + 0.2") << 0.1 + 0.2 << "0.30000000000000004";
    QTest::addRow("one third") << 1.0 / 3.0 << "0.3333333333333333";
    QTest::addRow("100") << 100.0 << "100";
    QTest::addRow("-0.25") << -0.25 << "-0.25";
}

void TestCommandLine::numbersAreShortestExact() {
    QFETCH(double, value);
    QFETCH(QString, expected);
    RunConfig c = defaultConfig(DatasetKind::FashionMnist, "node-perturbation");
    c.xiMean = value; // written whatever its range: commandLineArguments() does not validate
    const QStringList args = toQt(commandLineArguments(c));
    const qsizetype flag = args.indexOf("-xi_mean");
    const QString written = flag >= 0 ? args.value(flag + 1) : args.filter("-xi_mean=").value(0).mid(9);
    QCOMPARE(written, expected);
}

void TestCommandLine::quoting_data() {
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("expected");
    QTest::addRow("plain") << "mnist"
                           << "mnist";
    QTest::addRow("path") << "/data/mnist-1.0_x"
                          << "/data/mnist-1.0_x";
    QTest::addRow("url") << "https://host:8080/a,b@c%20+="
                         << "https://host:8080/a,b@c%20+=";
    QTest::addRow("empty") << ""
                           << "''";
    QTest::addRow("space") << "my data"
                           << "'my data'";
    QTest::addRow("single quote") << "it's"
                                  << "'it'\\''s'";
    QTest::addRow("dollar and backtick") << "$HOME`id`"
                                         << "'$HOME`id`'";
    QTest::addRow("glob") << "*.idx"
                          << "'*.idx'";
    QTest::addRow("newline") << "a\nb"
                             << "'a\nb'";
}

void TestCommandLine::quoting() {
    QFETCH(QString, word);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(shellQuoted(word.toStdString())), expected);
}

void TestCommandLine::shellReadsBackTheSameWords() {
    RunConfig c = defaultConfig(DatasetKind::Mnist);
    c.dataDir = "/tmp/my data/it's \"quoted\" $HOME `id` \\ *";
    c.info = "line one\nline 'two' — ünïcödé";
    c.seed = (uint64_t{1} << 40) + 1;
    const std::string line = commandLine(c, "my trainer");
    QVERIFY(line.rfind("'my trainer' --dataset mnist ", 0) == 0);
    QCOMPARE(QString::fromStdString(commandLine(defaultConfig(DatasetKind::Mnist), "bin/a=b")),
             QStringLiteral("'bin/a=b' --dataset mnist"));

    // The shell splits the line into words; a function prints each NUL-terminated.
    QProcess shell;
    const QString script = QStringLiteral("f() { for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }; f ") +
                           QString::fromStdString(line);
    shell.start("/bin/sh", {"-c", script});
    QVERIFY(shell.waitForFinished(10000));
    QCOMPARE(shell.exitCode(), 0);
    QList<QByteArray> words = shell.readAllStandardOutput().split('\0');
    QCOMPARE(words.takeLast(), QByteArray()); // after the last NUL
    QStringList expected{"my trainer"};
    expected << toQt(commandLineArguments(c));
    QStringList got;
    for (const QByteArray& w : words)
        got << QString::fromUtf8(w);
    QCOMPARE(got, expected);
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_command_line.moc"
