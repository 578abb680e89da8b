// Sweep specifications (key=list, key=lo..hi:N[:log], booleans, choices) and their expansion into runs:
// grid and random, seeds, and the runs a rule makes identical by not using a hyperparameter.
#include "core/cli/options.h"
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/study/sweep_spec.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include "support/test_support.h"
#include <QtTest>
#include <cmath>
#include <map>
#include <set>

using namespace bp;
using namespace bp::study;

namespace {

QStringList qt(const std::vector<std::string>& values) {
    QStringList list;
    for (const std::string& v : values)
        list << QString::fromStdString(v);
    return list;
}

// The message of the bp::Error that f throws; empty when it throws none.
std::vector<OptionItem> items(const std::vector<std::string>& args) {
    return configOptionItems(args);
}

std::string value(const SweepRun& run, const std::string& key) {
    for (const auto& [k, v] : run.assignments)
        if (k == key)
            return v;
    return {};
}

} // namespace

class TestSweepSpec : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void parsesEverySyntax_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QStringList>("values");
        QTest::addRow("list") << "hidden_lr=0.01,0.03,0.1"
                              << "hidden_lr" << QStringList{"0.01", "0.03", "0.1"};
        QTest::addRow("list, spaces and duplicates") << "hidden_lr= 0.1, 0.10 ,1e-2"
                                                     << "hidden_lr" << QStringList{"0.1", "0.01"};
        QTest::addRow("log range") << "hidden-lr=0.01..1:5:log"
                                   << "hidden_lr"
                                   << QStringList{"0.01", "0.0316227766017", "0.1", "0.316227766017", "1"};
        QTest::addRow("linear range") << "p_baseline=0.1..0.4:4"
                                      << "p_baseline" << QStringList{"0.1", "0.2", "0.3", "0.4"};
        QTest::addRow("integer log range") << "batch_size=16..128:4:log"
                                           << "batch_size" << QStringList{"16", "32", "64", "128"};
        QTest::addRow("integer range, rounded") << "batch_size=1..3:5"
                                                << "batch_size" << QStringList{"1", "2", "3"};
        QTest::addRow("integer option") << "n_hidden_layers=1..3:3"
                                        << "n_hidden_layers" << QStringList{"1", "2", "3"};
        QTest::addRow("boolean of the table") << "weight_fa_learning=true,false"
                                              << "weight_fa_learning" << QStringList{"true", "false"};
        QTest::addRow("boolean option") << "-conv_net=1,0"
                                        << "conv_net" << QStringList{"true", "false"};
        QTest::addRow("rules, aliases")
            << "rule=burstprop,bp,FA"
            << "rule" << QStringList{"burstprop", "backprop", "feedback-alignment"};
        QTest::addRow("datasets") << "dataset=mnist,fashionmnist"
                                  << "dataset" << QStringList{"mnist", "fashion-mnist"};
        QTest::addRow("optimizers") << "optimizer=adam,sgd,default"
                                    << "optimizer" << QStringList{"adam", "sgd", "default"};
        QTest::addRow("network shapes") << "hidden_widths=500;500, 300;none"
                                        << "hidden_widths" << QStringList{"500", "500,300", "none"};
        QTest::addRow("reference alias") << "weight_r_std=0.01,0.1"
                                         << "weight_r_range" << QStringList{"0.01", "0.1"};
    }
    void parsesEverySyntax() {
        QFETCH(QString, text);
        QFETCH(QString, key);
        QFETCH(QStringList, values);
        const SweepDimension d = parseSweepDimension(text.toStdString());
        QCOMPARE(QString::fromStdString(d.key), key);
        QCOMPARE(qt(d.values), values);
    }

    void rangeWithoutCountIsForDraws() {
        const SweepDimension d = parseSweepDimension("hidden_lr=0.001..1:log");
        QVERIFY(d.values.empty());
        QVERIFY(d.range && d.range->log && d.range->count == 0);
        QCOMPARE(d.range->low, 0.001);
        const QString message = test::errorOf([&] { gridPoints({d}); });
        QVERIFY2(message.startsWith("hidden_lr: a range without a count"), qPrintable(message));
        QVERIFY2(message.contains("--random N"), qPrintable(message));
    }

    void rejectsBadSpecifications_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::addRow("bound out of range") << "hidden_lr=0.01..200:3"
                                            << "hidden_lr: 200 is out of range [0, 100]";
        QTest::addRow("value out of range") << "momentum=0.5,1.5"
                                            << "momentum: 1.5 is out of range [0, 0.999]";
        QTest::addRow("p_baseline below its range") << "p_baseline=0,0.2"
                                                    << "p_baseline: 0 is out of range [1e-06, 1]";
        QTest::addRow("reversed range")
            << "hidden_lr=0.5..0.1:3"
            << "hidden_lr: the range's low end 0.5 must be below its high end 0.1";
        QTest::addRow("count 1") << "hidden_lr=0.1..0.4:1"
                                 << "hidden_lr: a range needs a count in [2, 10000], not 1";
        QTest::addRow("count not a number") << "hidden_lr=0.1..0.4:x"
                                            << "hidden_lr: 'x' in '0.1..0.4:x' is not a count";
        QTest::addRow("log from zero") << "hidden_lr=0..1:5:log"
                                       << "hidden_lr: a log range needs both ends above 0, not 0..1";
        QTest::addRow("log from below zero") << "xi_mean=-0.5..0.5:3:log"
                                             << "xi_mean: a log range needs both ends";
        QTest::addRow("not a range") << "hidden_lr=..1:3"
                                     << "hidden_lr: '..1:3' is not a range";
        QTest::addRow("unknown key") << "frobnicate=1,2"
                                     << "frobnicate: unknown option";
        QTest::addRow("unknown rule") << "rule=burstprop,magic"
                                      << "rule: unknown learning rule 'magic' (allowed: burstprop, backprop";
        QTest::addRow("unknown dataset") << "dataset=mnist,svhn"
                                         << "dataset: unknown dataset 'svhn' (allowed:";
        QTest::addRow("integer expected") << "batch_size=16,3.5"
                                          << "batch_size: '3.5' is not an integer (allowed range [1, 65536])";
        QTest::addRow("number expected") << "hidden_lr=abc"
                                         << "hidden_lr: 'abc' is not a number (allowed range [0, 100])";
        QTest::addRow("boolean expected") << "weight_fa_learning=true,maybe"
                                          << "weight_fa_learning: 'maybe' is not a boolean";
        QTest::addRow("range of a choice") << "rule=a..b:2"
                                           << "rule: takes a list of values";
        QTest::addRow("range of a boolean") << "recurrent_input=0..1:2"
                                            << "recurrent_input: takes a list of values";
        QTest::addRow("seed") << "seed=1,2"
                              << "seed: give the number of seeds per point with --seeds K";
        QTest::addRow("execution text") << "device=cpu,cuda"
                                        << "device: cannot be swept";
        QTest::addRow("no equals sign") << "hidden_lr"
                                        << "'hidden_lr': expected KEY=VALUES";
        QTest::addRow("no values") << "hidden_lr="
                                   << "hidden_lr: no values";
        QTest::addRow("empty value") << "hidden_lr=0.1,,0.2"
                                     << "hidden_lr: an empty value in '0.1,,0.2'";
        QTest::addRow("bad shape") << "hidden_widths=500;0"
                                   << "hidden_widths: '0' is not a comma-separated list";
        QTest::addRow("too many layers") << "n_hidden_layers=1,21"
                                         << "n_hidden_layers: 21 is out of range [0, 20]";
    }
    void rejectsBadSpecifications() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const QString error = test::errorOf([&] { parseSweepDimension(text.toStdString()); });
        QVERIFY2(error.startsWith(message), qPrintable(error));
    }

    void keyTwiceIsRejected() {
        const QString error = test::errorOf([] { parseSweep({"hidden_lr=0.1", "hidden-lr=0.2"}); });
        QVERIFY2(error.startsWith("hidden_lr: given twice"), qPrintable(error));
    }

    // 3 × 4 points × 5 seeds, the last key turning fastest, each point's seeds together; the base's options
    // stand in every run, and each run is what the CLI makes of the same flags.
    void gridTimesSeeds() {
        const auto dims = parseSweep({"hidden_lr=0.01,0.03,0.1", "p_baseline=0.1..0.4:4"});
        QCOMPARE(gridPoints(dims), size_t(12));
        SweepPlan plan;
        plan.seeds = 5;
        const SweepExpansion e = expandSweep(dims, plan, items({"-momentum", "0.5", "--seed", "10"}));
        QCOMPARE(e.points, size_t(12));
        QCOMPARE(e.duplicates, size_t(0));
        QCOMPARE(e.runs.size(), size_t(60));
        QCOMPARE(value(e.runs[0], "hidden_lr"), std::string("0.01"));
        QCOMPARE(value(e.runs[0], "p_baseline"), std::string("0.1"));
        QCOMPARE(value(e.runs[5], "p_baseline"), std::string("0.2"));
        QCOMPARE(value(e.runs[59], "hidden_lr"), std::string("0.1"));
        QCOMPARE(value(e.runs[59], "p_baseline"), std::string("0.4"));
        for (size_t i = 0; i < e.runs.size(); ++i) {
            QCOMPARE(e.runs[i].config.seed, uint64_t(10 + i % 5));
            QCOMPARE(e.runs[i].point, i / 5);
            QCOMPARE(e.runs[i].config.momentum, 0.5);
        }
        QCOMPARE(e.runs[7].config.hiddenLr, 0.01);
        QCOMPARE(e.runs[7].config.pBaseline, 0.2);

        const RunConfig cli =
            parseCommandLine({"-momentum", "0.5", "--seed", "11", "-hidden_lr", "0.03", "-p_baseline", "0.3"})
                .config;
        QCOMPARE(toJson(e.runs[4 * 5 + 2 * 5 + 1].config), toJson(cli));
    }

    void noDimensionsIsTheBaseTimesSeeds() {
        SweepPlan plan;
        plan.seeds = 3;
        const SweepExpansion e = expandSweep({}, plan, {});
        QCOMPARE(e.runs.size(), size_t(3));
        QCOMPARE(e.runs[2].config.seed, uint64_t(3));
        QVERIFY(e.runs[0].assignments.empty());
    }

    // Backprop does not use hidden_lr: a grid over rules × hidden_lr gives one backprop run per seed, with
    // backprop's own hidden_lr, and no hidden_lr among its assignments.
    void unusedHyperparametersAreDropped() {
        const auto dims = parseSweep({"rule=burstprop,backprop", "hidden_lr=0.01,0.1"});
        SweepPlan plan;
        plan.seeds = 2;
        const SweepExpansion e = expandSweep(dims, plan, {});
        QCOMPARE(e.points, size_t(4));
        QCOMPARE(e.runs.size(), size_t(6));
        QCOMPARE(e.duplicates, size_t(2));
        int backprop = 0;
        for (const SweepRun& run : e.runs) {
            if (run.config.rule != "backprop")
                continue;
            ++backprop;
            QCOMPARE(run.assignments.size(), size_t(1));
            QCOMPARE(run.config.hiddenLr, defaultConfig(DatasetKind::FashionMnist, "backprop").hiddenLr);
        }
        QCOMPARE(backprop, 2);
        QCOMPARE(e.runs[4].config.seed, uint64_t(1));
        QCOMPARE(e.runs[5].config.seed, uint64_t(2));
    }

    // A switch that normalized() resets for a rule (backprop learns no feedback weights) is dropped too.
    void switchesARuleIgnoresAreDropped() {
        const auto dims = parseSweep({"rule=backprop,burstprop", "weight_fa_learning=true,false"});
        const SweepExpansion e = expandSweep(dims, {}, {});
        QCOMPARE(e.runs.size(), size_t(3));
        QCOMPARE(e.runs[0].config.rule, std::string("backprop"));
        QCOMPARE(e.runs[0].assignments.size(), size_t(1));
    }

    void randomDrawsStayInRange() {
        const auto dims = parseSweep({"hidden_lr=0.001..1:log", "batch_size=16..256", "p_baseline=0.1..0.4:4",
                                      "rule=burstprop,feedback-alignment"});
        SweepPlan plan;
        plan.mode = SweepMode::Random;
        plan.randomCount = 400;
        plan.drawSeed = 7;
        const SweepExpansion e = expandSweep(dims, plan, {});
        QCOMPARE(e.points, size_t(400));
        QCOMPARE(e.runs.size(), size_t(400));
        int below = 0; // log-uniform: half the draws below the geometric middle, 10^-1.5
        std::set<std::string> baselines, rules;
        for (const SweepRun& run : e.runs) {
            const double lr = run.config.hiddenLr;
            QVERIFY(lr >= 0.001 && lr <= 1.0);
            below += lr < std::pow(10.0, -1.5);
            QVERIFY(run.config.batchSize >= 16 && run.config.batchSize <= 256);
            QCOMPARE(value(run, "batch_size"), std::to_string(run.config.batchSize));
            if (run.config.rule == "burstprop")
                baselines.insert(value(run, "p_baseline"));
            else // feedback alignment has no burst probabilities
                QVERIFY(value(run, "p_baseline").empty());
            rules.insert(run.config.rule);
        }
        QVERIFY2(below > 160 && below < 240, QByteArray::number(below));
        QCOMPARE(baselines, (std::set<std::string>{"0.1", "0.2", "0.3", "0.4"}));
        QCOMPARE(rules, (std::set<std::string>{"burstprop", "feedback-alignment"}));

        const SweepExpansion again = expandSweep(dims, plan, {});
        for (size_t i = 0; i < e.runs.size(); ++i)
            QCOMPARE(toJson(again.runs[i].config), toJson(e.runs[i].config));
        plan.drawSeed = 8;
        const SweepExpansion other = expandSweep(dims, plan, {});
        QVERIFY(toJson(other.runs[0].config) != toJson(e.runs[0].config));
    }

    void randomTimesSeeds() {
        SweepPlan plan;
        plan.mode = SweepMode::Random;
        plan.randomCount = 3;
        plan.seeds = 4;
        const SweepExpansion e = expandSweep(parseSweep({"hidden_lr=0.01..0.1"}), plan, {});
        QCOMPARE(e.runs.size(), size_t(12));
        QCOMPARE(e.runs[3].config.seed, uint64_t(4));
        QCOMPARE(e.runs[4].config.seed, uint64_t(1));
        QCOMPARE(e.runs[4].point, size_t(1));
    }

    void badPlansAndPointsAreNamed() {
        SweepPlan plan;
        plan.seeds = 0;
        QString error = test::errorOf([&] { expandSweep({}, plan, {}); });
        QVERIFY2(error.startsWith("--seeds: 0 is out of range [1, 10000]"), qPrintable(error));

        plan = {};
        plan.mode = SweepMode::Random;
        error = test::errorOf([&] { expandSweep({}, plan, {}); });
        QVERIFY2(error.startsWith("--random: 0 draws"), qPrintable(error));

        error = test::errorOf([] {
            expandSweep(parseSweep({"hidden_lr=0..1:1000", "p_baseline=0.1..1:1000"}), {}, {});
        });
        QVERIFY2(error.startsWith("the grid has more than 100000 points"), qPrintable(error));

        // A point that is no valid run: the message names the point and the CLI's complaint.
        error = test::errorOf([] {
            expandSweep(parseSweep({"rule=burstprop"}), {}, items({"-use_backprop", "true"}));
        });
        QVERIFY2(error.startsWith(
                     "sweep point rule=burstprop: --rule: burstprop conflicts with -use_backprop true"),
                 qPrintable(error));

        // A bad base is reported as the CLI reports it.
        error = test::errorOf([] { expandSweep({}, {}, items({"-hidden_lr", "200"})); });
        QVERIFY2(error.startsWith("-hidden_lr: 200 is out of range [0, 100]"), qPrintable(error));
    }

    void optionItemsOfArguments() {
        const auto list =
            items({"-hidden_lr", "0.2", "--batch-size=64", "--no-download", "-xi_mean", "-0.5"});
        QCOMPARE(list.size(), size_t(4));
        QCOMPARE(list[1].key, std::string("batch_size"));
        QCOMPARE(list[1].value, std::string("64"));
        QCOMPARE(list[3].value, std::string("-0.5"));
        QVERIFY(test::errorOf([] { items({"--json"}); }).startsWith("unknown option '--json'"));
        QVERIFY(test::errorOf([] { items({"results"}); }).startsWith("unexpected argument 'results'"));
        QVERIFY(test::errorOf([] { items({"-hidden_lr"}); }).startsWith("-hidden_lr: missing value"));

        // The form's base: a configuration, spelled as the command line spells it.
        RunConfig base = defaultConfig(DatasetKind::Mnist, "feedback-alignment");
        base.momentum = 0.25;
        const SweepExpansion e =
            expandSweep(parseSweep({"hidden_lr=0.01,0.02"}), {}, configOptionItems(base));
        QCOMPARE(e.runs.size(), size_t(2));
        QVERIFY(e.runs[1].config.dataset == DatasetKind::Mnist);
        QCOMPARE(e.runs[1].config.rule, std::string("feedback-alignment"));
        QCOMPARE(e.runs[1].config.momentum, 0.25);
        QCOMPARE(e.runs[1].config.hiddenLr, 0.02);
    }
};

QTEST_GUILESS_MAIN(TestSweepSpec)
#include "tst_sweep_spec.moc"
