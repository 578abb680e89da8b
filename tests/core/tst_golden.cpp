// Every *.pt in BURSTPROP_GOLDEN_DIR (default ../shared/golden) replays reference training steps
// through this project's rules and compares outputs, signals, angles and final weights.
#include "core/config/run_config.h"
#include "core/metrics/angles.h"
#include "core/nn/network.h"
#include "core/rules/learning_rule.h"
#include "support/test_support.h"
#include <ATen/Parallel.h>
#include <QDir>
#include <QtTest>
#include <fstream>
#include <iterator>
#include <torch/serialize.h>

using namespace bp;

namespace {

constexpr double kOutputTolerance = 2e-3; // relative, outputs and weights
constexpr double kDeltaTolerance = 5e-3;  // relative, event rates and deltas
constexpr double kAngleTolerance = 0.01;  // degrees

QString goldenDir() {
    return QString::fromStdString(
        test::envOr("BURSTPROP_GOLDEN_DIR", test::envOr("BURSTPROP_GOLDEN_DIR_DEFAULT", "../shared/golden")));
}

class GoldenCase {
public:
    explicit GoldenCase(const QString& path) {
        std::ifstream in(path.toStdString(), std::ios::binary);
        if (!in)
            throw std::runtime_error("cannot open " + path.toStdString());
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        dict_ = torch::pickle_load(bytes).toGenericDict();
    }
    bool has(const std::string& key) const { return dict_.contains(key); }
    c10::IValue value(const std::string& key) const {
        if (!has(key))
            throw std::runtime_error("golden file has no key '" + key + "'");
        return dict_.at(key);
    }
    at::Tensor tensor(const std::string& key) const { return value(key).toTensor(); }
    std::string text(const std::string& key) const { return value(key).toStringRef(); }
    int64_t integer(const std::string& key) const { return static_cast<int64_t>(std::llround(real(key))); }
    double real(const std::string& key) const {
        const c10::IValue v = value(key);
        if (v.isDouble())
            return v.toDouble();
        if (v.isInt())
            return static_cast<double>(v.toInt());
        if (v.isBool())
            return v.toBool() ? 1.0 : 0.0;
        if (v.isTensor())
            return v.toTensor().item<double>();
        throw std::runtime_error("golden key '" + key + "' holds a " + v.tagKind() + ", not a number");
    }
    bool flag(const std::string& key) const { return real(key) != 0.0; }

private:
    c10::impl::GenericDict dict_{c10::StringType::get(), c10::AnyType::get()};
};

std::string layerKey(const char* prefix, int64_t i, const char* name) {
    return std::string(prefix) + "/layer" + std::to_string(i) + "/" + name;
}

RunConfig configOf(const GoldenCase& g) {
    RunConfig c;
    const std::string rule = g.text("meta/rule");
    if (rule == "burstprop")
        c.rule = Rule::Burstprop;
    else if (rule == "backprop")
        c.rule = Rule::Backprop;
    else
        throw std::runtime_error("golden rule '" + rule + "' is not one this project builds");
    const std::string arch = g.text("meta/arch");
    if (arch != "fc" && arch != "mnist_conv" && arch != "cifar_conv")
        throw std::runtime_error("golden architecture '" + arch + "' is not one this project builds");
    c.outputLr = g.real("hp/output_lr");
    c.momentum = g.real("hp/momentum");
    c.weightDecay = g.real("hp/weight_decay");
    if (c.rule == Rule::Burstprop) {
        c.hiddenLr = g.real("hp/hidden_lr");
        c.pBaseline = g.real("hp/p_baseline");
        c.weightFaLearning = g.flag("hp/weight_fa_learning");
        c.recurrentInput = g.flag("hp/recurrent_input");
        c.weightRLearning = g.flag("hp/weight_r_learning");
        c.recurrentLr = g.real("hp/recurrent_lr");
    }
    return normalized(c);
}

Network networkOf(const GoldenCase& g) {
    Network net;
    net.inputChannels = g.integer("meta/input_channels");
    net.inputSize = g.integer("meta/input_size");
    const int64_t n = g.integer("meta/n_layers");
    for (int64_t i = 0; i < n; ++i) {
        Layer layer;
        const std::string kind = g.text("arch/layer" + std::to_string(i) + "/kind");
        if (kind == "conv") {
            layer.kind = LayerKind::Conv;
            layer.stride = g.integer("arch/layer" + std::to_string(i) + "/stride");
            layer.padding = g.integer("arch/layer" + std::to_string(i) + "/padding");
        } else if (kind == "hidden") {
            layer.kind = LayerKind::Hidden;
        } else if (kind == "output") {
            layer.kind = LayerKind::Output;
        } else {
            throw std::runtime_error("golden layer kind '" + kind + "' is not one this project builds");
        }
        layer.weight = g.tensor(layerKey("init", i, "weight")).clone();
        layer.bias = g.tensor(layerKey("init", i, "bias")).clone();
        if (g.has(layerKey("init", i, "weight_fa")))
            layer.weightFa = g.tensor(layerKey("init", i, "weight_fa")).clone();
        if (g.has(layerKey("init", i, "weight_r")))
            layer.weightR = g.tensor(layerKey("init", i, "weight_r")).clone();
        net.layers.push_back(std::move(layer));
    }
    net.classes = net.layers.back().weight.size(0);
    return net;
}

std::vector<double> toVector(const at::Tensor& t) {
    const at::Tensor d = t.to(at::kDouble).contiguous();
    return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

} // namespace

class TestGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    void replay_data() {
        QTest::addColumn<QString>("path");
        const QDir dir(goldenDir());
        const QStringList files = dir.entryList({"*.pt"}, QDir::Files, QDir::Name);
        if (files.isEmpty())
            QFAIL(qPrintable("no golden *.pt files in " + dir.absolutePath() +
                             " (set BURSTPROP_GOLDEN_DIR to the folder holding them)"));
        for (const QString& file : files)
            QTest::newRow(qPrintable(file)) << dir.filePath(file);
    }

    void replay() {
        QFETCH(QString, path);
        try {
            const GoldenCase g(path);
            const RunConfig config = configOf(g);
            Network net = networkOf(g);
            auto rule = makeLearningRule(config, 0);
            const int64_t steps = g.integer("meta/steps");
            const bool burstprop = config.rule == Rule::Burstprop;
            for (int64_t s = 0; s < steps; ++s) {
                const std::string step = "step" + std::to_string(s);
                if (burstprop) {
                    const std::vector<double> expected = toVector(g.tensor(step + "/weight_angles"));
                    const std::vector<double> actual = weightAngles(net);
                    QCOMPARE(actual.size(), expected.size());
                    for (size_t i = 0; i < expected.size(); ++i)
                        QVERIFY2(std::abs(actual[i] - expected[i]) < kAngleTolerance,
                                 qPrintable(QString("%1 weight angle %2: %3 vs reference %4")
                                                .arg(step.c_str()).arg(i).arg(actual[i]).arg(expected[i])));
                }
                StepTrace trace;
                const StepResult r =
                    rule->step(net, g.tensor(step + "/input"), g.tensor(step + "/label"), burstprop, &trace);
                const double outErr = test::relativeError(trace.output, g.tensor(step + "/output"));
                QVERIFY2(outErr < kOutputTolerance, qPrintable(QString("%1 output: relative error %2")
                                                                   .arg(step.c_str()).arg(outErr)));
                const double refLoss = g.real(step + "/loss");
                QVERIFY2(std::abs(r.loss - refLoss) <= kOutputTolerance * refLoss,
                         qPrintable(QString("%1 loss %2 vs reference %3").arg(step.c_str()).arg(r.loss).arg(refLoss)));
                if (!burstprop)
                    continue;
                const std::vector<double> expected = toVector(g.tensor(step + "/delta_angles"));
                QCOMPARE(r.deltaAngles.size(), expected.size());
                for (size_t i = 0; i < expected.size(); ++i)
                    QVERIFY2(std::abs(r.deltaAngles[i] - expected[i]) < kAngleTolerance,
                             qPrintable(QString("%1 delta angle %2: %3 vs reference %4")
                                            .arg(step.c_str()).arg(i).arg(r.deltaAngles[i]).arg(expected[i])));
                for (size_t i = 0; i < net.layers.size(); ++i) {
                    const auto& layer = trace.layers[i];
                    const std::pair<const char*, at::Tensor> signals[] = {
                        {"e", layer.e}, {"delta", layer.delta}, {"delta_bp", layer.deltaBp}};
                    for (const auto& [name, actual] : signals) {
                        const double err =
                            test::relativeError(actual, g.tensor(layerKey(step.c_str(), i, name)));
                        QVERIFY2(err < kDeltaTolerance, qPrintable(QString("%1 layer %2 %3: relative error %4")
                                                                       .arg(step.c_str()).arg(i).arg(name).arg(err)));
                    }
                }
            }
            for (size_t i = 0; i < net.layers.size(); ++i) {
                const Layer& layer = net.layers[i];
                const std::pair<const char*, at::Tensor> finals[] = {
                    {"weight", layer.weight}, {"bias", layer.bias}, {"weight_fa", layer.weightFa},
                    {"weight_r", layer.weightR}};
                for (const auto& [name, actual] : finals) {
                    const std::string key = layerKey("final", i, name);
                    QCOMPARE(actual.defined(), g.has(key));
                    if (!actual.defined())
                        continue;
                    const double err = test::relativeError(actual, g.tensor(key));
                    QVERIFY2(err < kOutputTolerance,
                             qPrintable(QString("final %1: relative error %2").arg(key.c_str()).arg(err)));
                }
            }
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("%1: %2").arg(path, e.what())));
        }
    }
};

QTEST_GUILESS_MAIN(TestGolden)
#include "tst_golden.moc"
