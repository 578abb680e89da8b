// parseCommandLine: every reference flag and every option of ours sets its field, in each spelling;
// per-dataset and per-rule defaults come first; every bad value is refused naming the flag and what
// is allowed; the help lists the whole hyperparameter table.
#include "core/cli/options.h"
#include "core/config/hyperparameters.h"
#include "core/setup/command_line.h"
#include "core/setup/config_options.h"
#include "core/setup/defaults.h"
#include "core/util/error.h"
#include "support/test_support.h"
#include <QtTest>
#include <cmath>
#include <sstream>

using namespace bp;

namespace {

std::vector<std::string> toArgs(const QStringList& list) {
    std::vector<std::string> args;
    for (const QString& s : list)
        args.push_back(s.toStdString());
    return args;
}

// The error parseCommandLine throws, or "" when it accepts the arguments.
QString parseError(const QStringList& args) {
    try {
        parseCommandLine(toArgs(args));
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// As std::ostream prints a double by default (the messages' format): 0.999, 1e-06, 100000.
QString plain(double v) {
    std::ostringstream out;
    out << v;
    return QString::fromStdString(out.str());
}

QString rangeOf(const ParamSpec& spec) {
    if (spec.type == ParamType::Int)
        return QStringLiteral("[%1, %2]").arg(qlonglong(spec.min)).arg(qlonglong(spec.max));
    return QStringLiteral("[%1, %2]").arg(plain(spec.min), plain(spec.max));
}

// Every spelling the CLI accepts for key: -key v, --key v, --key=v, and the dashed --ke-y=v.
QList<QStringList> spellings(const QString& key, const QString& value) {
    QString dashed = key;
    dashed.replace('_', '-');
    return {{"-" + key, value},
            {"--" + key, value},
            {"--" + key + "=" + value},
            {"--" + dashed + "=" + value},
            {"-" + dashed, value}};
}

// A value in spec's range that differs from its default under every dataset and rule.
double testValue(const ParamSpec& spec) {
    if (spec.type == ParamType::Bool)
        return spec.get(defaultConfig(DatasetKind::FashionMnist)) != 0.0 ? 0.0 : 1.0;
    const double v = spec.min + (spec.max - spec.min) * 0.37;
    return spec.type == ParamType::Int ? std::floor(v) : v;
}

QString valueText(const ParamSpec& spec, double v) {
    if (spec.type == ParamType::Bool)
        return v != 0.0 ? "true" : "false";
    if (spec.type == ParamType::Int)
        return QString::number(qlonglong(v));
    return QString::number(v, 'g', 17);
}

// QTest cannot print bp's enums: compare their names.
template <typename E> QString name(E value) {
    return QString::fromStdString(toString(value));
}

QString widthsText(const std::vector<int>& widths) {
    QStringList parts;
    for (int w : widths)
        parts << QString::number(w);
    return parts.join(',');
}

// The named field of the parsed options as text, for the data-driven tests.
QString field(const CliOptions& o, const QString& name) {
    const RunConfig& c = o.config;
    if (name == "rule")
        return QString::fromStdString(c.rule);
    if (name == "architecture")
        return QString::fromStdString(toString(c.architecture));
    if (name == "perturbation")
        return QString::fromStdString(toString(c.perturbation));
    if (name == "hidden_widths")
        return widthsText(c.hiddenWidths);
    if (name == "conv_channels")
        return widthsText(c.convChannels);
    if (name == "resume_path")
        return QString::fromStdString(o.resumePath);
    if (name == "dataset")
        return QString::fromStdString(toString(c.dataset));
    if (name == "data_dir")
        return QString::fromStdString(c.dataDir);
    if (name == "device")
        return QString::fromStdString(c.device);
    if (name == "seed")
        return QString::number(qulonglong(c.seed));
    if (name == "info")
        return QString::fromStdString(c.info);
    if (name == "results_dir")
        return QString::fromStdString(o.resultsDir);
    if (name == "json")
        return o.json ? "true" : "false";
    if (name == "progress")
        return o.progress ? "true" : "false";
    if (name == "help")
        return o.help ? "true" : "false";
    if (name == "benchmark")
        return QString::number(o.benchmarkSteps);
    if (const ParamSpec* spec = findHyperparameter(name.toStdString()))
        return valueText(*spec, spec->get(c));
    return "<no field " + name + ">";
}

} // namespace

class TestCliOptions : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void noArguments() {
        const CliOptions o = parseCommandLine({});
        const RunConfig d = defaultConfig(DatasetKind::FashionMnist);
        QCOMPARE(toJson(o.config), toJson(d));
        QVERIFY(o.resultsDir.empty());
        QVERIFY(!o.json);
        QVERIFY(!o.help);
        QVERIFY(o.progress);
        QCOMPARE(o.benchmarkSteps, 0);
    }

    // Every hyperparameter of the table, in every spelling, sets exactly its own field.
    void tableFlags_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("args");
        for (const ParamSpec& spec : hyperparameters()) {
            const QString key = spec.key;
            const QString value = valueText(spec, testValue(spec));
            for (const QStringList& args : spellings(key, value))
                QTest::addRow("%s", qPrintable(args.join(' '))) << key << args;
        }
    }
    void tableFlags() {
        QFETCH(QString, key);
        QFETCH(QStringList, args);
        const ParamSpec* spec = findHyperparameter(key.toStdString());
        QVERIFY(spec);
        const CliOptions o = parseCommandLine(toArgs(args));
        QCOMPARE(spec->get(o.config), testValue(*spec));
        // Nothing else moved.
        const RunConfig defaults = defaultConfig(DatasetKind::FashionMnist);
        for (const ParamSpec& other : hyperparameters())
            if (&other != spec)
                QVERIFY2(other.get(o.config) == other.get(defaults), other.key);
    }

    // The reference's other flags and this program's own options.
    void otherOptions_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        auto row = [](const char* tag, QStringList args, const char* field, const char* expected) {
            QTest::addRow("%s", tag) << args << QString(field) << QString(expected);
        };
        row("use_backprop true", {"-use_backprop", "true"}, "rule", "backprop");
        row("use_backprop True", {"-use_backprop", "True"}, "rule", "backprop");
        row("use_backprop false", {"-use_backprop", "false"}, "rule", "burstprop");
        row("use_node_pertubation", {"-use_node_pertubation", "true"}, "rule", "node-perturbation");
        row("use_node_perturbation spelled right", {"--use-node-perturbation=1"}, "rule",
            "node-perturbation");
        row("backprop wins over node perturbation",
            {"-use_node_pertubation", "true", "-use_backprop", "true"}, "rule", "backprop");
        row("rule fa", {"--rule", "feedback-alignment"}, "rule", "feedback-alignment");
        row("rule=np", {"--rule=node-perturbation"}, "rule", "node-perturbation");
        row("rule agrees with use_backprop", {"--rule", "backprop", "-use_backprop", "true"}, "rule",
            "backprop");
        row("perturbation default", {"-use_node_pertubation", "true"}, "perturbation", "all");
        row("sequential", {"-use_node_pertubation", "true", "-sequential_pertubation", "true"},
            "perturbation", "layer");
        row("sequential units",
            {"-use_node_pertubation", "true", "-sequential_pertubation", "true", "-perturb_units", "true"},
            "perturbation", "unit");
        row("units alone do nothing (reference)", {"-perturb_units", "true"}, "perturbation", "all");
        row("perturbation unit", {"--perturbation", "unit"}, "perturbation", "unit");
        row("perturbation=layer", {"--perturbation=layer"}, "perturbation", "layer");
        row("conv_net true", {"-conv_net", "true"}, "architecture", "mnist-conv");
        row("conv_net mnist", {"--dataset", "mnist", "-conv_net", "1"}, "architecture", "mnist-conv");
        row("conv_net false", {"-conv_net", "false"}, "architecture", "fc");
        row("cifar always conv", {"--dataset", "cifar10", "-conv_net", "false"}, "architecture",
            "cifar10-conv");
        row("cifar conv_net true", {"-conv_net", "true", "--dataset", "cifar10"}, "architecture",
            "cifar10-conv");
        row("n_hidden_layers 1", {"-n_hidden_layers", "1"}, "hidden_widths", "500");
        row("n_hidden_layers 2", {"--n-hidden-layers=2"}, "hidden_widths", "500,500");
        row("n_hidden_layers 0", {"-n_hidden_layers", "0"}, "hidden_widths", "");
        row("default widths", {}, "hidden_widths", "500,500,500");
        row("hidden widths", {"--hidden-widths", "500,300"}, "hidden_widths", "500,300");
        row("hidden widths =", {"--hidden-widths=64"}, "hidden_widths", "64");
        row("hidden widths none", {"--hidden-widths", "none"}, "hidden_widths", "");
        row("later widths win", {"-n_hidden_layers", "2", "--hidden-widths", "7"}, "hidden_widths", "7");
        row("later layers win", {"--hidden-widths", "7", "-n_hidden_layers", "1"}, "hidden_widths", "500");
        row("dataset mnist", {"--dataset", "mnist"}, "dataset", "mnist");
        row("dataset=cifar10", {"--dataset=cifar10"}, "dataset", "cifar10");
        row("data dir", {"--data-dir", "/some/where"}, "data_dir", "/some/where");
        row("data_dir=", {"--data_dir=/x y"}, "data_dir", "/x y");
        row("device", {"--device", "cuda:1"}, "device", "cuda:1");
        row("seed", {"--seed", "18446744073709551615"}, "seed", "18446744073709551615");
        row("info", {"-info", "two words"}, "info", "two words");
        row("info starting with a dash", {"-info", "-x"}, "info", "-x");
        row("negative value", {"-xi_mean", "-0.5"}, "xi_mean", "-0.5");
        row("weight_r_std alias", {"-weight_r_std", "0.5"}, "weight_r_range", "0.5");
        row("threads", {"--threads", "3"}, "threads", "3");
        row("angle interval", {"--angle-interval", "0"}, "angle_interval", "0");
        row("train limit", {"--train-limit", "1000"}, "train_limit", "1000");
        row("test batch size", {"--test-batch-size=50"}, "test_batch_size", "50");
        row("json", {"--json"}, "json", "true");
        row("json=false", {"--json=false"}, "json", "false");
        row("no progress", {"--no-progress"}, "progress", "false");
        row("benchmark", {"--benchmark", "5"}, "benchmark", "5");
        row("results dir", {"runs/a"}, "results_dir", "runs/a");
        row("results dir between flags", {"-n_epochs", "2", "runs/b", "--json"}, "results_dir", "runs/b");
        row("results dir after --", {"--", "-odd"}, "results_dir", "-odd");
        row("imagenet: data folder second", {"--dataset", "imagenet", "runs/in", "/data/imagenet"},
            "data_dir", "/data/imagenet");
        row("imagenet: results folder first", {"--dataset", "imagenet", "runs/in", "/data/imagenet"},
            "results_dir", "runs/in");
        row("image folder: data dir flag", {"--dataset", "image-folder", "--data-dir", "/d"}, "data_dir",
            "/d");
        row("imagenet: the same folder twice", {"--dataset", "imagenet", "--data-dir", "/d", "r", "/d"},
            "data_dir", "/d");
        row("imagenet net", {"--dataset", "imagenet"}, "architecture", "imagenet-conv");
        row("imagenet learned feedback channels", {"--dataset", "imagenet"}, "conv_channels",
            "48,48,96,96,192,192,384");
        row("imagenet fixed feedback channels", {"--dataset", "imagenet", "-weight_fa_learning", "false"},
            "conv_channels", "48,96,96,192,192,384,470");
        row("imagenet backprop channels", {"--dataset", "imagenet", "-use_backprop", "true"}, "conv_channels",
            "48,48,96,96,192,192,384");
        row("conv channels", {"--dataset", "imagenet", "--conv-channels", "8,8,16,16,32,32,64"},
            "conv_channels", "8,8,16,16,32,32,64");
        row("imagenet kappa", {"--dataset", "imagenet"}, "kappa", "1.0000000000000001e-05");
        row("imagenet epochs", {"--dataset", "imagenet"}, "n_epochs", "50");
        row("imagenet batch", {"--dataset", "imagenet"}, "batch_size", "128");
        row("imagenet lr step", {"--dataset", "imagenet"}, "lr_step", "30");
        row("imagenet image size", {"--dataset", "imagenet", "--image-size", "256"}, "image_size", "256");
        row("imagenet loader threads", {"--dataset", "imagenet", "--loader-threads", "3"}, "loader_threads",
            "3");
        row("imagenet validation size", {"--dataset", "imagenet", "--validation-size", "1000"},
            "validation_size", "1000");
        row("imagenet test augment", {"--dataset", "imagenet", "--test-augment", "true"}, "test_augment",
            "true");
        row("resume_path", {"--dataset", "imagenet", "-resume_path", "/x/latest.ckpt"}, "resume_path",
            "/x/latest.ckpt");
        row("help", {"--help"}, "help", "true");
        row("-h", {"-h"}, "help", "true");
        row("help wins over bad values", {"-hidden_lr", "1e9", "--help"}, "help", "true");
    }
    void otherOptions() {
        QFETCH(QStringList, args);
        QFETCH(QString, field);
        QFETCH(QString, expected);
        CliOptions o;
        try {
            o = parseCommandLine(toArgs(args));
        } catch (const Error& e) {
            QFAIL(e.what());
        }
        QCOMPARE(::field(o, field), expected);
    }

    // --dataset and the rule give the defaults; the other flags apply on top, wherever --dataset stands.
    void defaultsPerDatasetAndRule_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("dataset");
        QTest::addColumn<QString>("rule");
        QTest::addRow("fashion") << QStringList{} << int(DatasetKind::FashionMnist) << QString("burstprop");
        QTest::addRow("mnist") << QStringList{"--dataset", "mnist"} << int(DatasetKind::Mnist)
                               << QString("burstprop");
        QTest::addRow("cifar10") << QStringList{"--dataset", "cifar10"} << int(DatasetKind::Cifar10)
                                 << QString("burstprop");
        QTest::addRow("cifar10 backprop") << QStringList{"-use_backprop", "true", "--dataset=cifar10"}
                                          << int(DatasetKind::Cifar10) << QString("backprop");
        QTest::addRow("feedback alignment")
            << QStringList{"--rule", "feedback-alignment"} << int(DatasetKind::FashionMnist)
            << QString("feedback-alignment");
        QTest::addRow("node perturbation")
            << QStringList{"--dataset", "mnist", "-use_node_pertubation", "true"} << int(DatasetKind::Mnist)
            << QString("node-perturbation");
    }
    void defaultsPerDatasetAndRule() {
        QFETCH(QStringList, args);
        QFETCH(int, dataset);
        QFETCH(QString, rule);
        const RunConfig expected = defaultConfig(DatasetKind(dataset), rule.toStdString());
        const CliOptions o = parseCommandLine(toArgs(args));
        QCOMPARE(toJson(o.config), toJson(expected));
    }

    void datasetDefaultsComeFirst_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addRow("dataset last")
            << QStringList{"-hidden_lr", "0.5", "-momentum", "0.3", "--dataset", "cifar10"};
        QTest::addRow("dataset first")
            << QStringList{"--dataset", "cifar10", "-hidden_lr", "0.5", "-momentum", "0.3"};
        QTest::addRow("rule last") << QStringList{"-hidden_lr",        "0.5",    "-momentum", "0.3",
                                                  "--dataset=cifar10", "--rule", "fa"};
    }
    void datasetDefaultsComeFirst() {
        QFETCH(QStringList, args);
        const CliOptions o = parseCommandLine(toArgs(args));
        QCOMPARE(name(o.config.dataset), QString("cifar10"));
        QCOMPARE(o.config.hiddenLr, 0.5);
        QCOMPARE(o.config.momentum, 0.3);
        // The rest are CIFAR-10's defaults.
        const RunConfig cifar = defaultConfig(DatasetKind::Cifar10, o.config.rule);
        QCOMPARE(o.config.weightDecay, cifar.weightDecay);
        QCOMPARE(o.config.outputLr, cifar.outputLr);
        QCOMPARE(o.config.weightFaLearning, true);
    }

    void booleans_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("expected");
        for (const char* v : {"true", "True", "TRUE", "1"})
            QTest::addRow("%s", v) << QString(v) << true;
        for (const char* v : {"false", "False", "FALSE", "0"})
            QTest::addRow("%s", v) << QString(v) << false;
    }
    void booleans() {
        QFETCH(QString, value);
        QFETCH(bool, expected);
        for (const char* flag :
             {"-validation", "-weight_fa_learning", "-recurrent_input", "-weight_r_learning"}) {
            const CliOptions o = parseCommandLine(toArgs({flag, value}));
            const ParamSpec* spec = findHyperparameter(QString(flag).mid(1).toStdString());
            QCOMPARE(spec->get(o.config) != 0.0, expected);
        }
    }

    // Each bad value: the message names the flag as typed and what is allowed.
    void invalidValues_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("expected"); // substrings of the message
        for (const ParamSpec& spec : hyperparameters()) {
            const QString flag = QString::fromStdString(flagName(spec.key));
            if (spec.type == ParamType::Bool) {
                for (const char* bad : {"yes", "", "2", "t", "truee"})
                    QTest::addRow("%s %s", qPrintable(flag), bad)
                        << QStringList{flag, bad} << QStringList{flag + ": '" + bad + "'", "true", "false"};
                continue;
            }
            const QString range = rangeOf(spec);
            const double span = spec.max - spec.min;
            const QString below = valueText(spec, spec.min - 1 - span * 0.5);
            const QString above = valueText(spec, spec.max + 1 + span * 0.5);
            QTest::addRow("%s below", qPrintable(flag))
                << QStringList{flag, below} << QStringList{flag + ": " + below + " is out of range " + range};
            QTest::addRow("%s above", qPrintable(flag))
                << QStringList{flag, above} << QStringList{flag + ": " + above + " is out of range " + range};
            QTest::addRow("%s above, = form", qPrintable(flag))
                << QStringList{flag + "=" + above}
                << QStringList{flag + ": " + above + " is out of range " + range};
            QTest::addRow("%s text", qPrintable(flag))
                << QStringList{flag, "abc"} << QStringList{flag + ": 'abc'", range};
            QTest::addRow("%s empty", qPrintable(flag))
                << QStringList{flag, ""} << QStringList{flag + ": ''", range};
            QTest::addRow("%s missing", qPrintable(flag))
                << QStringList{flag} << QStringList{flag + ": missing value", range};
            if (spec.type == ParamType::Int)
                QTest::addRow("%s fraction", qPrintable(flag))
                    << QStringList{flag, "2.5"} << QStringList{flag + ": '2.5' is not an integer", range};
            else
                QTest::addRow("%s nan", qPrintable(flag))
                    << QStringList{flag, "nan"} << QStringList{flag + ": nan is out of range " + range};
        }
        auto row = [](const char* tag, QStringList args, QStringList expected) {
            QTest::addRow("%s", tag) << args << expected;
        };
        row("dashed spelling named as typed", {"--hidden-lr", "500"},
            {"--hidden-lr: 500 is out of range [0, 100]"});
        row("n_hidden_layers too many", {"-n_hidden_layers", "21"},
            {"-n_hidden_layers: 21 is out of range [0, 20]"});
        row("n_hidden_layers negative", {"-n_hidden_layers", "-1"},
            {"-n_hidden_layers: -1 is out of range [0, 20]"});
        row("n_hidden_layers text", {"-n_hidden_layers", "three"}, {"-n_hidden_layers: 'three'", "[0, 20]"});
        row("widths zero", {"--hidden-widths", "500,0"}, {"--hidden-widths: '500,0'", "[1, 100000]"});
        row("widths text", {"--hidden-widths", "wide"}, {"--hidden-widths: 'wide'", "500,300"});
        row("widths trailing comma", {"--hidden-widths", "500,"}, {"--hidden-widths: '500,'"});
        row("widths too many layers", {"--hidden-widths", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"},
            {"--hidden-widths: at most 20 hidden layers"});
        row("use_backprop", {"-use_backprop", "yes"}, {"-use_backprop: 'yes'", "true", "false"});
        row("use_node_pertubation", {"-use_node_pertubation", "2"}, {"-use_node_pertubation: '2'", "true"});
        row("sequential_pertubation", {"-sequential_pertubation", "on"},
            {"-sequential_pertubation: 'on'", "true"});
        row("perturb_units", {"-perturb_units", "no"}, {"-perturb_units: 'no'", "true"});
        row("conv_net", {"-conv_net", "maybe"}, {"-conv_net: 'maybe'", "true"});
        row("conv_net missing", {"-conv_net"}, {"-conv_net: missing value", "true or false"});
        row("dataset", {"--dataset", "svhn"},
            {"--dataset: unknown dataset 'svhn'", "fashion-mnist", "mnist", "cifar10"});
        row("rule", {"--rule", "hebb"},
            {"--rule: unknown learning rule 'hebb'", "burstprop", "backprop", "feedback-alignment",
             "node-perturbation"});
        row("perturbation", {"--perturbation", "some"},
            {"--perturbation: unknown perturbation mode 'some'", "all", "layer", "unit"});
        row("device", {"--device", "tpu"}, {"--device: device 'tpu'", "cpu", "cuda", "cuda:N"});
        row("seed negative", {"--seed", "-1"}, {"--seed: '-1'", "[0, 18446744073709551615]"});
        row("seed text", {"--seed", "x"}, {"--seed: 'x'"});
        row("seed too big", {"--seed", "18446744073709551616"}, {"--seed: '18446744073709551616'"});
        row("benchmark zero", {"--benchmark", "0"}, {"--benchmark: 0 is out of range [1, "});
        row("benchmark text", {"--benchmark", "many"}, {"--benchmark: 'many'"});
        row("rule conflicts with use_backprop", {"--rule", "burstprop", "-use_backprop", "true"},
            {"--rule: burstprop conflicts with -use_backprop true"});
        row("perturbation conflicts with sequential",
            {"--perturbation", "all", "-sequential_pertubation", "true"},
            {"--perturbation: all conflicts with -sequential_pertubation true"});
        row("two results dirs", {"a", "b"},
            {"unexpected argument 'b'", "--dataset imagenet or image-folder"});
        row("three folders for imagenet", {"--dataset", "imagenet", "a", "b", "c"},
            {"unexpected argument 'c'"});
        row("imagenet data folder twice", {"--dataset", "imagenet", "--data-dir", "/d", "r", "/e"},
            {"the data folder is given twice: '/e' and --data-dir '/d'"});
        row("conv channels six", {"--dataset", "imagenet", "--conv-channels", "8,8,16,16,32,32"},
            {"--conv-channels: the ImageNet net has 7 convolutions", "not 6"});
        row("conv channels zero", {"--dataset", "imagenet", "--conv-channels", "8,0,16,16,32,32,64"},
            {"--conv-channels: '8,0,16,16,32,32,64'"});
        row("imagenet image too small", {"--dataset", "imagenet", "--image-size", "192"},
            {"--image-size: the ImageNet net needs images of at least 193 pixels", "not 192"});
        row("resume_path empty", {"-resume_path", ""}, {"-resume_path: the checkpoint path is empty"});
        row("every bad value reported", {"-n_epochs", "0", "-momentum", "1", "--rule", "x"},
            {"-n_epochs: 0 is out of range [1, 100000]", "-momentum: 1 is out of range [0, 0.999]",
             "--rule: unknown learning rule 'x'"});
    }
    void invalidValues() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, expected);
        const QString message = parseError(args);
        QVERIFY2(!message.isEmpty(), "accepted");
        for (const QString& part : expected)
            QVERIFY2(message.contains(part), qPrintable("'" + message + "' lacks '" + part + "'"));
    }

    void unknownOption_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::addRow("-foo") << QStringList{"-foo", "1"} << "unknown option '-foo' (see --help)";
        QTest::addRow("--foo=1") << QStringList{"--foo=1"} << "unknown option '--foo' (see --help)";
        QTest::addRow("after good ones")
            << QStringList{"-n_epochs", "2", "--bogus"} << "unknown option '--bogus' (see --help)";
        QTest::addRow("reference typo")
            << QStringList{"-hiden_lr", "0.1"} << "unknown option '-hiden_lr' (see --help)";
    }
    void unknownOption() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        QCOMPARE(parseError(args), expected);
    }

    // The reference's typical command lines parse as a whole.
    void referenceCommandLines() {
        const CliOptions o = parseCommandLine(toArgs({"results/run1",
                                                      "-n_epochs",
                                                      "10",
                                                      "-batch_size",
                                                      "64",
                                                      "-hidden_lr",
                                                      "0.2",
                                                      "-output_lr",
                                                      "0.02",
                                                      "-weight_fa_std",
                                                      "0.5",
                                                      "-momentum",
                                                      "0.7",
                                                      "-weight_decay",
                                                      "0",
                                                      "-p_baseline",
                                                      "0.3",
                                                      "-use_backprop",
                                                      "false",
                                                      "-weight_fa_learning",
                                                      "true",
                                                      "-recurrent_input",
                                                      "false",
                                                      "-weight_r_std",
                                                      "0.02",
                                                      "-weight_r_learning",
                                                      "false",
                                                      "-recurrent_lr",
                                                      "0.001",
                                                      "-use_node_pertubation",
                                                      "False",
                                                      "-sequential_pertubation",
                                                      "false",
                                                      "-perturb_units",
                                                      "false",
                                                      "-xi_mean",
                                                      "0",
                                                      "-xi_std",
                                                      "0.01",
                                                      "-validation",
                                                      "true",
                                                      "-conv_net",
                                                      "false",
                                                      "-n_hidden_layers",
                                                      "2",
                                                      "-info",
                                                      "test run"}));
        const RunConfig& c = o.config;
        QCOMPARE(o.resultsDir, std::string("results/run1"));
        QCOMPARE(c.epochs, 10);
        QCOMPARE(c.batchSize, 64);
        QCOMPARE(c.hiddenLr, 0.2);
        QCOMPARE(c.outputLr, 0.02);
        QCOMPARE(c.weightFaStd, 0.5);
        QCOMPARE(c.momentum, 0.7);
        QCOMPARE(c.weightDecay, 0.0);
        QCOMPARE(c.pBaseline, 0.3);
        QCOMPARE(QString::fromStdString(c.rule), QString("burstprop"));
        QCOMPARE(c.weightFaLearning, true);
        QCOMPARE(c.recurrentInput, false);
        QCOMPARE(c.weightRRange, 0.02);
        QCOMPARE(c.weightRLearning, false);
        QCOMPARE(c.recurrentLr, 0.001);
        QCOMPARE(name(c.perturbation), QString("all"));
        QCOMPARE(c.xiMean, 0.0);
        QCOMPARE(c.xiStd, 0.01);
        QCOMPARE(c.validation, true);
        QCOMPARE(name(c.architecture), QString("fc"));
        QCOMPARE(c.hiddenWidths, (std::vector<int>{500, 500}));
        QCOMPARE(c.info, std::string("test run"));
    }

    void helpListsEveryHyperparameter() {
        const QString help = QString::fromStdString(helpText());
        QVERIFY(help.startsWith("Usage: burstprop-train"));
        for (const ParamSpec& spec : hyperparameters()) {
            const QString flag = QString::fromStdString(flagName(spec.key));
            QVERIFY2(help.contains(QRegularExpression("\\n  " + QRegularExpression::escape(flag) + " ")),
                     qPrintable(flag));
            if (spec.type != ParamType::Bool)
                QVERIFY2(help.contains("Range " + rangeOf(spec)), qPrintable(flag + " " + rangeOf(spec)));
        }
        for (const char* flag : {"--dataset",
                                 "--data-dir",
                                 "--rule",
                                 "--perturbation",
                                 "--device",
                                 "--threads",
                                 "--seed",
                                 "--angle-interval",
                                 "--hidden-widths",
                                 "--train-limit",
                                 "--test-batch-size",
                                 "--json",
                                 "--no-progress",
                                 "--benchmark",
                                 "--help",
                                 "-use_backprop",
                                 "-use_node_pertubation",
                                 "-sequential_pertubation",
                                 "-perturb_units",
                                 "-conv_net",
                                 "-n_hidden_layers",
                                 "-info",
                                 "-weight_r_std"})
            QVERIFY2(help.contains(flag), flag);
        for (const QString& line : help.split('\n'))
            QVERIFY2(line.size() <= 100, qPrintable(line));
    }

    void flagNames() {
        QCOMPARE(flagName("hidden_lr"), std::string("-hidden_lr"));
        QCOMPARE(flagName("n_epochs"), std::string("-n_epochs"));
        QCOMPARE(flagName("validation"), std::string("-validation"));
        QCOMPARE(flagName("angle_interval"), std::string("--angle-interval"));
        QCOMPARE(flagName("threads"), std::string("--threads"));
        QCOMPARE(flagName("hidden_widths"), std::string("--hidden-widths"));
    }

    // The network's units, the optimizer, its schedule and the number type (issue "Open the core…").
    void networkAndOptimizerOptions() {
        const CliOptions o = parseCommandLine(toArgs(
            {"--activation", "relu", "-recurrent_input", "false", "--output", "softmax", "-kappa", "1e-3",
             "--optimizer", "adam", "--dtype", "float64", "--lr-step", "30", "--lr-factor", "0.5"}));
        QCOMPARE(QString::fromStdString(toString(o.config.activation)), QString("relu"));
        QCOMPARE(QString::fromStdString(toString(o.config.output)), QString("softmax"));
        QCOMPARE(o.config.kappa, 1e-3);
        QCOMPARE(QString::fromStdString(toString(o.config.optimizer)), QString("adam"));
        QCOMPARE(QString::fromStdString(toString(o.config.dtype)), QString("float64"));
        QCOMPARE(o.config.lrStep, 30);
        QCOMPARE(o.config.lrFactor, 0.5);
        QCOMPARE(QString::fromStdString(
                     toString(parseCommandLine(toArgs({"-use_adam", "true"})).config.optimizer)),
                 QString("adam"));
        auto error = [](const QStringList& args) { return parseError(args); };
        QVERIFY(error({"--optimizer", "sgd", "-use_adam", "true"})
                    .contains("--optimizer: sgd conflicts with -use_adam true"));
        QVERIFY(error({"--dtype", "float64", "--device", "cuda"})
                    .contains("--dtype: float64 runs on the CPU only"));
        QVERIFY(error({"--dtype", "half"}).contains("--dtype: unknown dtype 'half'"));
        QVERIFY(error({"--activation", "tanh"}).contains("--activation: unknown activation 'tanh'"));
        // Burstprop's recurrent input is defined for sigmoid layers: named, with the way out.
        QVERIFY(error({"--activation", "relu"}).contains("-recurrent_input false"));
    }

    void configurationLineNamesTheSetup() {
        const CliOptions o = parseCommandLine(toArgs(
            {"--dataset", "mnist", "--hidden-widths", "64,32", "--threads", "2", "-batch_size", "16"}));
        const std::string line = configurationLine(o.config);
        for (const char* part : {"dataset=mnist", "architecture=fc", "hidden=64,32", "rule=burstprop",
                                 "batch_size=16", "threads=2", "device=cpu"})
            QVERIFY2(line.find(part) != std::string::npos, part);
        QVERIFY(line.find('\n') == std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCliOptions)
#include "tst_cli_options.moc"
