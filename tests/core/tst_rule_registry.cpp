// The rule registry: every rule declares its name, hyperparameters, state and networks once, and the
// command line, --help, the defaults and the network builder read it from there.
#include "core/cli/options.h"
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/config_options.h"
#include "core/setup/defaults.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>
#include <set>

using namespace bp;

class TestRuleRegistry : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void everyRuleIsComplete() {
        std::set<std::string> names;
        for (const RuleInfo* rule : ruleRegistry()) {
            QVERIFY2(names.insert(rule->name).second, rule->name.c_str());
            for (const std::string& alias : rule->aliases)
                QVERIFY2(names.insert(alias).second, alias.c_str());
            QVERIFY(!rule->title.empty() && !rule->description.empty());
            QVERIFY(rule->make && rule->initGain);
            for (const std::string& key : rule->hyperparameters) {
                const ParamSpec* spec = findHyperparameter(key);
                QVERIFY2(spec && !spec->everyRule, key.c_str());
            }
            QCOMPARE(findRule(rule->name), rule);
        }
        for (const char* expected :
             {"burstprop", "backprop", "feedback-alignment", "node-perturbation", "dfa", "sign-symmetry"})
            QVERIFY2(findRule(expected), expected);
        QCOMPARE(findRule("FA"), findRule("feedback-alignment"));
        QCOMPARE(findRule("sign_symmetry"), findRule("sign-symmetry"));
    }

    // Each rule trains every network of the paper it supports, one step, with its own optimizer.
    void everyRuleSteps_data() {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("architecture");
        for (const RuleInfo* rule : ruleRegistry())
            for (Architecture a : {Architecture::FullyConnected, Architecture::MnistConv})
                QTest::addRow("%s %s", rule->name.c_str(), toString(a).c_str())
                    << QString::fromStdString(rule->name) << int(a);
    }
    void everyRuleSteps() {
        QFETCH(QString, rule);
        QFETCH(int, architecture);
        RunConfig c = defaultConfig(DatasetKind::Mnist, rule.toStdString());
        c.architecture = Architecture(architecture);
        c.hiddenWidths = {16, 12};
        QVERIFY(validate(c).empty());
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(1);
        Network net = buildNetwork(c, 1, 28, g);
        const Network before = net.clone();
        auto learner = makeLearner(c, net, 2);
        const StepResult r =
            learner->step(net, at::randn({4, 1, 28, 28}, g), at::randint(10, {4}, g, at::kLong), true);
        QVERIFY(std::isfinite(r.loss));
        QVERIFY(!at::equal(net.layers.back().weight, before.layers.back().weight));
        QCOMPARE(r.deltaAngles.empty(), !learner->info().deltaAngles);
        const RuleInfo& info = *findRule(rule.toStdString());
        QCOMPARE(net.layers[0].weightFa.defined(), info.layerFeedback);
    }

    // --rule accepts every registered name and alias, and nothing else; the message lists the rules.
    void commandLineReadsTheRegistry() {
        for (const RuleInfo* rule : ruleRegistry()) {
            const CliOptions o = parseCommandLine({"--rule", rule->name});
            QCOMPARE(o.config.rule, rule->name);
            for (const std::string& alias : rule->aliases)
                QCOMPARE(parseCommandLine({"--rule", alias}).config.rule, rule->name);
        }
        QString message;
        try {
            parseCommandLine({"--rule", "hebbian"});
        } catch (const std::exception& e) {
            message = e.what();
        }
        for (const RuleInfo* rule : ruleRegistry())
            QVERIFY2(message.contains(QString::fromStdString(rule->name)), qPrintable(message));
        const QString help = QString::fromStdString(helpText()).simplified(); // lines unwrapped
        for (const RuleInfo* rule : ruleRegistry())
            QVERIFY2(help.contains(QString::fromStdString(rule->name)) &&
                         help.contains(QString::fromStdString(rule->description).left(40)),
                     rule->name.c_str());
    }

    // Which hyperparameters a rule uses decides what normalized() keeps and what --help says.
    void rulesDeclareTheirHyperparameters() {
        QVERIFY(ruleUsesHyperparameter("burstprop", "p_baseline"));
        QVERIFY(!ruleUsesHyperparameter("backprop", "p_baseline"));
        QVERIFY(!ruleUsesHyperparameter("backprop", "hidden_lr"));
        QVERIFY(ruleUsesHyperparameter("backprop", "output_lr"));
        QVERIFY(ruleUsesHyperparameter("dfa", "weight_fa_std"));
        QVERIFY(!ruleUsesHyperparameter("dfa", "weight_fa_learning"));
        QVERIFY(!ruleUsesHyperparameter("sign-symmetry", "weight_fa_std"));
        RunConfig c = defaultConfig(DatasetKind::Mnist, "feedback-alignment");
        c.recurrentInput = true;
        c.weightFaLearning = true;
        const RunConfig n = normalized(c);
        QVERIFY(!n.recurrentInput && n.weightFaLearning);
        c.rule = "dfa";
        QVERIFY(!normalized(c).weightFaLearning);
        // Per-rule defaults come from the rule (feedback alignment's smaller learning rates).
        QCOMPARE(defaultConfig(DatasetKind::Mnist, "fa").hiddenLr, 0.001);
        QCOMPARE(defaultConfig(DatasetKind::Mnist, "burstprop").hiddenLr, 0.1);
        QCOMPARE(optimizerName(defaultConfig(DatasetKind::Mnist, "backprop")), std::string("sgd"));
        QCOMPARE(optimizerName(defaultConfig(DatasetKind::Mnist, "dfa")), std::string("reference"));
    }

    // A rule states what it cannot train, and validation names it.
    void unsupportedNetworksAreNamed() {
        RunConfig c = defaultConfig(DatasetKind::Mnist, "burstprop");
        c.activation = Activation::Relu;
        c.recurrentInput = true;
        const auto issues = validate(c);
        QCOMPARE(issues.size(), size_t(1));
        QCOMPARE(issues[0].field, std::string("rule"));
        QVERIFY(QString::fromStdString(issues[0].message).contains("recurrent"));
        c.recurrentInput = false;
        QVERIFY(validate(c).empty());
        c.rule = "no-such-rule";
        QVERIFY(QString::fromStdString(validate(c).at(0).message)
                    .contains("unknown learning rule 'no-such-rule'"));
    }
};

QTEST_GUILESS_MAIN(TestRuleRegistry)
#include "tst_rule_registry.moc"
