// Checkpoints written by earlier versions stay readable. tests/fixtures/checkpoints_v1 holds format-1 files
// written by the code of c8b88b4 (its program: written_by.cpp.txt): for three rules, a run stopped in the
// middle of its second epoch (…_stopped.ckpt) and the same run resumed from that file to its end by that
// code (…_resumed.ckpt). Today's code must read the old layout (momentum buffers beside the parameters,
// node perturbation's state in entries of its own), resume from it, and end where the old code ended.
#include "core/checkpoint/checkpoint.h"
#include "core/config/hyperparameters.h"
#include "core/runs/export.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include <QtTest>
#include <set>
#include <torch/csrc/jit/serialization/pickle.h>

using namespace bp;

namespace {

std::string fixture(const QString& rule, const char* which) {
    return test::fixturesDir() + "/checkpoints_v1/" + rule.toStdString() + "_" + which + ".ckpt";
}

} // namespace

class TestCheckpointVersions : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    static void rules() {
        QTest::addColumn<QString>("rule");
        QTest::newRow("burstprop") << "burstprop";                 // recurrent input, learned Y and Z
        QTest::newRow("backprop") << "backprop";                   // torch.optim.SGD's buffers
        QTest::newRow("node-perturbation") << "node_perturbation"; // unit by unit: its generator and position
    }

  private Q_SLOTS:
    void format1FilesLoad_data() { rules(); }
    void format1FilesLoad() {
        QFETCH(QString, rule);
        const Checkpoint c = loadCheckpoint(fixture(rule, "stopped"));
        QCOMPARE(c.formatVersion, int64_t(1));
        QCOMPARE(c.epoch, 1);
        QCOMPARE(c.batchInEpoch, 3);
        QCOMPARE(c.step, int64_t(9));
        QVERIFY(c.dataOrder.defined());
        QVERIFY(c.extras.count("epoch_sums"));
        QVERIFY(c.networkJson.empty() && c.optimizer.empty() && c.rule.empty());
        // The momentum buffers moved to the optimizer's state, under their old names, beside no parameter.
        for (const auto& [name, t] : c.tensors)
            QVERIFY2(name.find("delta_") == std::string::npos, name.c_str());
        for (int layer = 0; layer < 3; ++layer)
            for (const char* p : {"weight", "bias"}) {
                const std::string key = "layer" + std::to_string(layer) + ".delta_" + p;
                const std::string param = "layer" + std::to_string(layer) + "." + p;
                QVERIFY2(c.optimizerState.count(key), key.c_str());
                QCOMPARE(c.optimizerState.at(key).sizes(), c.tensor(param)->sizes());
            }
        QVERIFY(c.generators.count("order") && c.generators.count("augment"));
        QVERIFY(!c.generators.count("perturbation"));
        if (rule == "node_perturbation") {
            QVERIFY(c.ruleState.count("generator"));
            QCOMPARE(c.ruleState.at("position")[0].item<int64_t>(), int64_t(0));
            QCOMPARE(c.ruleState.at("position")[1].item<int64_t>(), int64_t(9));
        } else {
            QVERIFY(c.ruleState.empty());
        }
    }

    // Resumed by today's trainer, a format-1 run ends where the code that wrote it ended (the same
    // arithmetic in the same order: equal to float rounding, in practice bit for bit).
    void format1RunsResumeWhereTheyStopped_data() { rules(); }
    void format1RunsResumeWhereTheyStopped() {
        QFETCH(QString, rule);
        const std::string fashion = test::fashionMnistDir();
        QVERIFY2(!fashion.empty(), "Fashion-MNIST is needed (Debian: dataset-fashion-mnist)");
        const Checkpoint stopped = loadCheckpoint(fixture(rule, "stopped"));
        const Checkpoint expected = loadCheckpoint(fixture(rule, "resumed"));
        RunConfig config = configFromJson(stopped.configJson);
        config.dataDir = fashion;
        config.download = false;
        Trainer trainer(config);
        trainer.setCheckpointing({dir_.filePath(rule).toStdString(), 0});
        trainer.resumeFrom(stopped);
        QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Completed));
        const Checkpoint ended = loadCheckpoint(
            Trainer::checkpointPath(dir_.filePath(rule).toStdString(), CheckpointKind::Latest));
        QCOMPARE(ended.formatVersion, Checkpoint::kFormatVersion);
        QCOMPARE(ended.epoch, expected.epoch);
        QCOMPARE(ended.step, expected.step);
        double worst = 0.0;
        for (const auto& [name, t] : expected.tensors) {
            const at::Tensor* mine = ended.tensor(name);
            QVERIFY2(mine, name.c_str());
            worst = std::max(worst, test::relativeError(*mine, t));
        }
        for (const auto& [name, t] : expected.optimizerState) {
            QVERIFY2(ended.optimizerState.count(name), name.c_str());
            worst = std::max(worst, test::relativeError(ended.optimizerState.at(name), t));
        }
        qInfo("%s: worst relative difference from the old code's end %.3g", qPrintable(rule), worst);
#ifdef BURSTPROP_SANITIZE // clang -O1 rounds otherwise than the GCC -O3 build that wrote the files (1.5e-5)
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
#else
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
#endif
    }

    // Exported for Python, a format-1 checkpoint gives the keys exports always had.
    void format1ExportsKeepTheirKeys() {
        const Checkpoint c = loadCheckpoint(fixture("burstprop", "stopped"));
        const std::string path = dir_.filePath("v1.pt").toStdString();
        exportPythonCheckpoint(path, c, true);
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const auto dict =
            torch::jit::pickle_load(std::vector<char>(bytes.begin(), bytes.end())).toGenericDict();
        std::set<std::string> keys;
        for (const auto& entry : dict)
            keys.insert(entry.key().toStringRef());
        std::set<std::string> expected{"config", "epoch", "step"};
        for (int layer = 0; layer < 3; ++layer)
            for (const char* p : {"weight", "bias", "weight_fa", "delta_weight", "delta_bias"})
                expected.insert("layer" + std::to_string(layer) + "." + p);
        for (int layer = 0; layer < 2; ++layer) // Z on the hidden layers
            expected.insert("layer" + std::to_string(layer) + ".weight_r");
        QCOMPARE(keys, expected);
    }
};

QTEST_GUILESS_MAIN(TestCheckpointVersions)
#include "tst_checkpoint_versions.moc"
