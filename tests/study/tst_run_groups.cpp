// Run groups: runs that differ only in the seed and the execution settings share a group.
#include "core/setup/defaults.h"
#include "core/study/run_groups.h"
#include <QtTest>

using namespace bp;
using namespace bp::study;

class TestRunGroups : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void seedAndExecutionSettingsDoNotSplitAGroup() {
        const RunConfig a = defaultConfig(DatasetKind::FashionMnist);
        RunConfig b = a;
        b.seed = 7;
        b.threads = 2;
        b.device = "cuda";
        b.testBatchSize = 500;
        b.angleInterval = 0;
        b.epochs = 3;
        b.loaderThreads = 4;
        b.info = "second try";
        b.dataDir = "/elsewhere";
        QCOMPARE(groupKey(b), groupKey(a));
        QVERIFY(groupKey(a).find("\"seed\"") == std::string::npos);
        QVERIFY(groupKey(a).find("\"hidden_lr\"") != std::string::npos);
    }

    void hyperparametersSplitGroups() {
        const RunConfig a = defaultConfig(DatasetKind::FashionMnist);
        RunConfig b = a;
        b.hiddenLr = 0.05;
        QVERIFY(groupKey(b) != groupKey(a));
        RunConfig c = a;
        c.rule = "feedback-alignment";
        QVERIFY(groupKey(c) != groupKey(a));
        RunConfig d = a;
        d.hiddenWidths = {500};
        QVERIFY(groupKey(d) != groupKey(a));
    }

    // What a rule does not use does not split its runs: backprop ignores hidden_lr and feedback learning.
    void unusedHyperparametersDoNotSplitGroups() {
        const RunConfig a = defaultConfig(DatasetKind::FashionMnist, "backprop");
        RunConfig b = a;
        b.hiddenLr = 0.05;
        b.weightFaLearning = !a.weightFaLearning;
        QCOMPARE(groupKey(b), groupKey(a));
        RunConfig c = a;
        c.outputLr = 0.05;
        QVERIFY(groupKey(c) != groupKey(a));
    }

    void groupsInOrderOfTheirFirstRun() {
        std::vector<RunConfig> runs;
        for (double lr : {0.1, 0.03, 0.1, 0.03, 0.1})
            for (uint64_t seed : {1, 2}) {
                RunConfig c = defaultConfig(DatasetKind::FashionMnist);
                c.hiddenLr = lr;
                c.seed = seed;
                runs.push_back(c);
            }
        const auto groups = groupRuns(runs);
        QCOMPARE(groups.size(), size_t(2));
        QCOMPARE(groups[0].members, (std::vector<size_t>{0, 1, 4, 5, 8, 9}));
        QCOMPARE(groups[1].members, (std::vector<size_t>{2, 3, 6, 7}));
        QVERIFY(groupRuns({}).empty());
    }
};

QTEST_GUILESS_MAIN(TestRunGroups)
#include "tst_run_groups.moc"
