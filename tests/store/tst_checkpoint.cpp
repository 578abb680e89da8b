// Checkpoints: bit-exact round trips, atomic replacement, damaged files, other architectures, and the
// .pt export read back by LibTorch and by Python's torch.load; metrics as CSV.
#include "core/checkpoint/checkpoint.h"
#include "core/config/hyperparameters.h"
#include "core/runs/export.h"
#include "core/setup/defaults.h"
#include "core/setup/network_for_config.h"
#include "core/store/run_store.h"
#include "core/util/error.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>
#include <functional>
#include <torch/csrc/jit/serialization/pickle.h>

using namespace bp;

namespace {

RunConfig smallConfig(std::vector<int> widths, std::string rule = "burstprop") {
    RunConfig c = defaultConfig(DatasetKind::Mnist, rule);
    c.hiddenWidths = std::move(widths);
    c.info = "réseau \"petit\"";
    return c;
}

Network makeNetwork(const RunConfig& c, uint64_t seed) {
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    return buildNetwork(c, 1, 28, g);
}

// Momentum buffers as the reference optimizer keeps them (layer<i>.delta_weight, .delta_bias), random.
std::map<std::string, at::Tensor> momentumOf(const Network& net, uint64_t seed) {
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    std::map<std::string, at::Tensor> state;
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const std::string layer = "layer" + std::to_string(i);
        state[layer + ".delta_weight"] = at::empty_like(net.layers[i].weight).normal_(0, 1, g);
        state[layer + ".delta_bias"] = at::empty_like(net.layers[i].bias).normal_(0, 1, g);
    }
    return state;
}

QString errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

QString sha256(const at::Tensor& t) {
    const at::Tensor c = t.contiguous();
    return QCryptographicHash::hash(
               QByteArrayView(static_cast<const char*>(c.data_ptr()), qsizetype(c.nbytes())),
               QCryptographicHash::Sha256)
        .toHex();
}

Checkpoint fullCheckpoint(const Network& net, const RunConfig& c) {
    Checkpoint cp;
    cp.captureNetwork(net);
    cp.networkJson = toJson(networkSpec(c, {1, 28, 10}));
    cp.optimizer = "reference";
    cp.optimizerState = momentumOf(net, 5);
    cp.rule = "node-perturbation";
    cp.epoch = 3;
    cp.step = 5627;
    cp.batchInEpoch = 17;
    at::Generator order = at::make_generator<at::CPUGeneratorImpl>(99);
    cp.dataOrder = at::randperm(1000, order, at::kLong);
    cp.captureGenerator("order", order);
    cp.ruleState["generator"] = generatorState(at::make_generator<at::CPUGeneratorImpl>(7));
    cp.ruleState["position"] = at::tensor({int64_t(2), int64_t(311)}, at::kLong);
    cp.configJson = toJson(c);
    return cp;
}

} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString file(const char* name) const { return dir_.filePath(name); }

  private Q_SLOTS:
    void roundTripIsBitExact() {
        const RunConfig c = smallConfig({12, 9});
        const Network net = makeNetwork(c, 1);
        const Checkpoint saved = fullCheckpoint(net, c);
        const std::string path = file("round/trip.ckpt").toStdString();
        saveCheckpoint(path, saved);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path + ".tmp")));
        const Checkpoint loaded = loadCheckpoint(path, net);
        QCOMPARE(loaded.tensors.size(), net.namedTensors().size());
        QCOMPARE(loaded.formatVersion, Checkpoint::kFormatVersion);
        QCOMPARE(loaded.networkJson, saved.networkJson);
        QCOMPARE(loaded.optimizer, std::string("reference"));
        QCOMPARE(loaded.rule, std::string("node-perturbation"));
        QCOMPARE(loaded.optimizerState.size(), saved.optimizerState.size());
        for (const auto& [name, t] : saved.optimizerState)
            QVERIFY2(loaded.optimizerState.count(name) && at::equal(loaded.optimizerState.at(name), t),
                     name.c_str());
        QVERIFY(at::equal(loaded.ruleState.at("generator"), saved.ruleState.at("generator")));
        for (const auto& [name, t] : saved.tensors) {
            const at::Tensor* back = loaded.tensor(name);
            QVERIFY2(back && back->scalar_type() == t.scalar_type() && at::equal(*back, t), name.c_str());
        }
        QCOMPARE(loaded.epoch, 3);
        QCOMPARE(loaded.step, int64_t(5627));
        QCOMPARE(loaded.batchInEpoch, 17);
        QCOMPARE(loaded.ruleState.at("position")[0].item<int64_t>(), int64_t(2));
        QCOMPARE(loaded.ruleState.at("position")[1].item<int64_t>(), int64_t(311));
        QCOMPARE(loaded.configJson, saved.configJson);
        QVERIFY(at::equal(loaded.dataOrder, saved.dataOrder));
        // The restored generator continues the same stream as the one captured.
        at::Generator original = at::make_generator<at::CPUGeneratorImpl>(99);
        at::randperm(1000, original, at::kLong);
        at::Generator restored = at::make_generator<at::CPUGeneratorImpl>(12345);
        loaded.restoreGenerator("order", restored, path);
        QVERIFY(at::equal(at::randn({64}, original), at::randn({64}, restored)));
        // And the network: a differently initialised one becomes the saved one (the momentum is the
        // optimizer's, compared above).
        Network other = makeNetwork(c, 2);
        loaded.restoreNetwork(other, path);
        const auto a = net.namedTensors(), b = other.namedTensors();
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY2(a[i].first == b[i].first && at::equal(a[i].second, b[i].second), a[i].first.c_str());
        QVERIFY(!errorOf([&] { loaded.restoreGenerator("augment", restored, path); }).isEmpty());
    }

    void failedWriteKeepsTheOldCheckpoint() {
        const RunConfig c = smallConfig({8});
        const std::string path = file("keep.ckpt").toStdString();
        saveCheckpoint(path, fullCheckpoint(makeNetwork(c, 1), c));
        const QByteArray before = fileBytes(QString::fromStdString(path));
        QVERIFY(QDir().mkpath(QString::fromStdString(path + ".tmp"))); // the temporary name cannot be a file
        Checkpoint next = fullCheckpoint(makeNetwork(c, 2), c);
        const QString message = errorOf([&] { saveCheckpoint(path, next); });
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QCOMPARE(fileBytes(QString::fromStdString(path)), before);
        QVERIFY(QDir().rmdir(QString::fromStdString(path + ".tmp")));
        next.tensors.emplace_back("layer0.weight_fa", at::Tensor()); // undefined: refused before any write
        QVERIFY(!errorOf([&] { saveCheckpoint(path, next); }).isEmpty());
        QCOMPARE(fileBytes(QString::fromStdString(path)), before);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path + ".tmp")));
    }

    void damagedFilesAreErrors_data() {
        QTest::addColumn<QString>("damage");
        for (const char* d :
             {"1%", "10%", "50%", "90%", "last byte", "flipped byte", "empty", "random", "text", "export"})
            QTest::newRow(d) << QString(d);
    }
    void damagedFilesAreErrors() {
        QFETCH(QString, damage);
        const RunConfig c = smallConfig({8});
        const Network net = makeNetwork(c, 1);
        const QString path = file("damaged.ckpt");
        saveCheckpoint(path.toStdString(), fullCheckpoint(net, c));
        QByteArray bytes = fileBytes(path);
        if (damage.endsWith('%'))
            bytes.truncate(bytes.size() * damage.chopped(1).toInt() / 100);
        else if (damage == "last byte")
            bytes.chop(1);
        else if (damage == "flipped byte") // inside the weights: the archive's CRC catches it
            bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x40);
        else if (damage == "empty")
            bytes.clear();
        else if (damage == "random")
            for (auto& b : bytes)
                b = char(QRandomGenerator::global()->bounded(256));
        else if (damage == "text")
            bytes = "layer0.weight,1,2,3\n";
        else if (damage == "export") {
            exportPythonCheckpoint(path.toStdString(), net, toJson(c));
            bytes = fileBytes(path);
        }
        writeBytes(path, bytes);
        const QString message = errorOf([&] { loadCheckpoint(path.toStdString()); });
        qInfo("%s", qPrintable(message));
        QVERIFY2(message.startsWith(path + ":"), qPrintable(damage + " → " + message));
    }

    // Bytes flipped anywhere: a bp::Error, or (a flip in the archive's padding) the very same checkpoint.
    void flippedBytesNeverPassUnnoticed() {
        const RunConfig c = smallConfig({8});
        const Checkpoint saved = fullCheckpoint(makeNetwork(c, 1), c);
        const QString path = file("flips.ckpt");
        saveCheckpoint(path.toStdString(), saved);
        const QByteArray good = fileBytes(path);
        QRandomGenerator random(2024);
        int errors = 0;
        for (int round = 0; round < 300; ++round) {
            QByteArray bytes = good;
            for (int k = 0, n = 1 + int(random.bounded(3)); k < n; ++k)
                bytes[random.bounded(int(bytes.size()))] ^= char(1 << random.bounded(8));
            writeBytes(path, bytes);
            try {
                const Checkpoint back = loadCheckpoint(path.toStdString());
                QCOMPARE(back.tensors.size(), saved.tensors.size());
                for (const auto& [name, t] : saved.tensors)
                    QVERIFY2(at::equal(*back.tensor(name), t), name.c_str());
                QCOMPARE(back.step, saved.step);
            } catch (const Error&) {
                ++errors;
            }
        }
        qInfo("%d of 300 damaged copies refused; the rest differed only in unused bytes", errors);
        QVERIFY(errors > 200);
    }

    void otherArchitectureNamesTheLayer_data() {
        QTest::addColumn<QString>("layer"); // what the message must name
        QTest::addColumn<QString>("other");
        QTest::newRow("narrower hidden layer") << "layer1: layer1.weight is 9×12 in the checkpoint but 7×12"
                                               << "12,7";
        QTest::newRow("extra layer") << "layer2"
                                     << "12,9,5";
        QTest::newRow("fewer layers") << "layer1"
                                      << "12";
        QTest::newRow("no feedback weights") << "the network's layer has none"
                                             << "backprop";
    }
    void otherArchitectureNamesTheLayer() {
        QFETCH(QString, layer);
        QFETCH(QString, other);
        const RunConfig c = smallConfig({12, 9});
        const std::string path = file("arch.ckpt").toStdString();
        saveCheckpoint(path, fullCheckpoint(makeNetwork(c, 1), c));
        RunConfig o = c;
        if (other == "backprop")
            o = smallConfig({12, 9}, "backprop");
        else {
            o.hiddenWidths.clear();
            for (const QString& w : other.split(','))
                o.hiddenWidths.push_back(w.toInt());
        }
        Network net = makeNetwork(o, 1);
        const QString message = errorOf([&] { loadCheckpoint(path, net); });
        QVERIFY2(message.contains(QString::fromStdString(path)) && message.contains(layer),
                 qPrintable(message));
        const Checkpoint loaded = loadCheckpoint(path);
        QCOMPARE(errorOf([&] { loaded.restoreNetwork(net, path); }), message);
    }

    void exportLoadsInLibTorch() {
        const RunConfig c = smallConfig({12, 9});
        const Network net = makeNetwork(c, 3);
        const std::string path = file("export.pt").toStdString();
        exportPythonCheckpoint(path, net, toJson(c));
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const c10::IValue value = torch::jit::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
        QVERIFY(value.isGenericDict());
        const auto dict = value.toGenericDict();
        QCOMPARE(dict.size(), net.namedTensors().size() + 1);
        for (const auto& [name, t] : net.namedTensors())
            QVERIFY2(at::equal(dict.at(name).toTensor(), t), name.c_str());
        QCOMPARE(dict.at("config").toStringRef(), toJson(c));
    }

    void exportLoadsInPython() {
        const QString python = "/usr/bin/python3";
        if (!QFileInfo(python).isExecutable())
            QSKIP("/usr/bin/python3 is not installed");
        const RunConfig c = smallConfig({12, 9});
        const Network net = makeNetwork(c, 4);
        const QString exported = file("python.pt"), checkpoint = file("python.ckpt");
        exportPythonCheckpoint(exported.toStdString(), net, toJson(c));
        saveCheckpoint(checkpoint.toStdString(), fullCheckpoint(net, c));
        const char* script = R"(
import hashlib, json, sys
try:
    import torch
except ImportError:
    print("NO_TORCH"); sys.exit(0)
def describe(d):
    return {k: ([list(v.shape), str(v.dtype), hashlib.sha256(bytes(v.contiguous().flatten().view(torch.uint8).tolist())).hexdigest()]
                if isinstance(v, torch.Tensor) else v) for k, v in d.items()}
print(json.dumps([describe(torch.load(sys.argv[1])), describe(torch.load(sys.argv[2]))]))
)";
        QProcess p;
        p.start(python, {"-c", script, exported, checkpoint});
        QVERIFY(p.waitForFinished(120000));
        const QByteArray out = p.readAllStandardOutput();
        if (out.trimmed() == "NO_TORCH")
            QSKIP("python3's torch module is not installed (Debian: python3-torch)");
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonArray both = QJsonDocument::fromJson(out).array();
        const QJsonObject d = both.at(0).toObject();
        QCOMPARE(d.size(), int(net.namedTensors().size()) + 1);
        for (const auto& [name, t] : net.namedTensors()) {
            const QJsonArray entry = d.value(QString::fromStdString(name)).toArray();
            QVERIFY2(entry.size() == 3, name.c_str());
            QJsonArray shape;
            for (int64_t s : t.sizes())
                shape.append(qint64(s));
            QCOMPARE(entry.at(0).toArray(), shape);
            QCOMPARE(entry.at(1).toString(), QString("torch.float32"));
            QCOMPARE(entry.at(2).toString(), sha256(t));
        }
        QCOMPARE(d.value("config").toString(), QString::fromStdString(toJson(c)));
        const QJsonObject ck = both.at(1).toObject(); // the resume checkpoint opens in Python too
        QCOMPARE(ck.value("format").toString(), QString("burstprop-checkpoint"));
        QCOMPARE(ck.value("step").toInt(), 5627);
        QCOMPARE(ck.value("optimizer.layer1.delta_weight").toArray().at(2).toString(),
                 sha256(momentumOf(net, 5).at("layer1.delta_weight")));
    }

    void metricsCsv() {
        RunStore store(file("csv.sqlite").toStdString());
        const RunConfig c = smallConfig({8});
        const int64_t a = store.createRun(c, "lr \"0.1\", momentum");
        const int64_t b = store.createRun(c, "twin");
        const int64_t d = store.createRun(c, "twin");
        store.appendMetrics(a, {{"test_error", 1, 100, 1700000000.25, 12.5},
                                {"train_loss", 0, 0, 1700000000.0, std::nan("")}});
        store.appendMetrics(b, {{"test_error", 1, 100, 1700000001.5, 0.1}});
        store.appendMetrics(d, {{"weight_angle/0", 2, 7, 1.0, 1.0 / 3.0}});
        const std::string path = file("metrics.csv").toStdString();
        exportMetricsCsv(store, {a, b, d}, path);
        const QStringList lines = QString::fromUtf8(fileBytes(QString::fromStdString(path))).split('\n');
        const QString twin1 = QString("twin #%1").arg(b), twin2 = QString("twin #%1").arg(d);
        QCOMPARE(lines, (QStringList{"run,metric,epoch,step,wall_time,value",
                                     R"("lr ""0.1"", momentum",test_error,1,100,1700000000.25,12.5)",
                                     R"("lr ""0.1"", momentum",train_loss,0,0,1700000000,)",
                                     twin1 + ",test_error,1,100,1700000001.5,0.1",
                                     twin2 + ",weight_angle/0,2,7,1,0.3333333333333333", ""}));
        QVERIFY(!errorOf([&] { exportMetricsCsv(store, {999}, path); }).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
