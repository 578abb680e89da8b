// A reference results folder (params.txt and the tensorboardX event file of train_mnist.py or
// train_cifar10.py) recorded as a run: its hyperparameters, its metrics under this program's names, the tag
// "imported"; a bad folder or file is refused with a named error and the store left as it was.
#include "core/cli/results_writer.h"
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/tensorboard/event_file.h"
#include "core/tensorboard/reference_import.h"
#include "core/tensorboard/reference_params.h"
#include "core/util/error.h"
#include "support/test_support.h"
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>

using namespace bp;
using namespace bp::tensorboard;

namespace {

// As train_mnist.py writes it (python's str() of its values).
const char* const kMnistParams = "Simulation run @ 07:22AM on November 28, 2025\n"
                                 "Number of epochs: 2\n"
                                 "Batch size: 50\n"
                                 "Using validation set: False\n"
                                 "Convolutional network: False\n"
                                 "Number of hidden layers: 2\n"
                                 "Feedforward learning rates: [0.2, 0.2, 0.03]\n"
                                 "Feedback weight initialization standard deviation: 0.5\n"
                                 "Momentum: 0.7\n"
                                 "Weight decay: 1e-05\n"
                                 "Output layer baseline burst probability: 0.3\n"
                                 "Using backprop: False\n"
                                 "Feedback weight learning: False\n"
                                 "Recurrent input: True\n"
                                 "Recurrent weight initialization standard deviation: 0.02\n"
                                 "Recurrent weight learning: True\n"
                                 "Recurrent weight learning rate: 0.0002\n"
                                 "Using node pertubation: False\n"
                                 "Sequential node pertubation: False\n"
                                 "Perturb only single units: False\n"
                                 "Mean of node pertubation noise: 0.0\n"
                                 "Standrd deviation of node pertubation noise: 0.001\n"
                                 "Other info: a note\n";

// The scalars train_mnist.py adds for two epochs (weight and delta angles of its two measured layers).
std::vector<ScalarEvent> referenceScalars() {
    std::vector<ScalarEvent> events;
    const double start = 1700000000.0;
    events.push_back({"weight_angle/0", 0, start, 89.0f});
    events.push_back({"delta_angle/0", 0, start, 88.0f});
    events.push_back({"weight_angle/1", 0, start, 87.0f});
    events.push_back({"delta_angle/1", 0, start, 86.0f});
    events.push_back({"Test Error", 0, start + 1, 90.0f});
    events.push_back({"Test Loss", 0, start + 1, 0.25f});
    for (int e = 1; e <= 2; ++e) {
        const double t = start + 10.0 * e;
        events.push_back({"Train Error", e, t, 20.0f / e});
        events.push_back({"Train Loss", e, t, 0.1f / e});
        events.push_back({"Test Error", e, t, 15.0f / e});
        events.push_back({"Test Loss", e, t, 0.05f / e});
        events.push_back({"weight_angle/0", e, t, 80.0f - e});
        events.push_back({"delta_angle/0", e, t, 70.0f - e});
        events.push_back({"weight_angle/1", e, t, 60.0f - e});
        events.push_back({"delta_angle/1", e, t, 50.0f - e});
    }
    events.push_back({"Custom thing", 1, start + 12, 1.0f});
    return events;
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string writeReferenceFolder(const QString& dir, const std::string& params, const char* script) {
    const std::string d = dir.toStdString();
    std::filesystem::create_directories(d);
    writeText(d + "/params.txt", params);
    if (script)
        writeText(d + "/" + script, "# the script the reference copies beside its results\n");
    writeEventFile(d + "/" + eventFileName(1700000000.0, "gpu-node"), referenceScalars(), 1700000000.0);
    return d;
}

double hyperparameter(RunStore& store, int64_t id, const std::string& key) {
    for (const Hyperparameter& h : store.hyperparameters(id))
        if (h.key == key)
            return h.type == Hyperparameter::Type::Real ? h.real : double(h.integer);
    return std::nan("");
}

std::string textHyperparameter(RunStore& store, int64_t id, const std::string& key) {
    for (const Hyperparameter& h : store.hyperparameters(id))
        if (h.key == key)
            return h.display();
    return "(missing)";
}

} // namespace

class TestReferenceImport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string db_ = dir_.filePath("runs.sqlite").toStdString();

  private Q_SLOTS:
    void importsAnMnistRun() {
        const std::string folder =
            writeReferenceFolder(dir_.filePath("mnist_run"), kMnistParams, "train_mnist.py");
        RunStore store(db_);
        const ImportedRun imported = importReferenceRun(store, folder);
        const RunRecord run = *store.getRun(imported.runId);
        QCOMPARE(QString::fromStdString(run.name), QString("mnist_run"));
        QCOMPARE(run.tags, std::vector<std::string>{"imported"});
        QVERIFY(QString::fromStdString(run.notes).contains("imported from"));
        QCOMPARE(toString(run.status), toString(RunStatus::Completed));
        QCOMPARE(run.dataset, toString(DatasetKind::Mnist));
        QCOMPARE(run.rule, std::string("burstprop"));
        QCOMPARE(run.epochsDone, 2);
        QCOMPARE(run.epochsTotal, 2);
        QCOMPARE(*run.bestTestError, 7.5);
        QCOMPARE(*run.activeSeconds, 20.0);

        QCOMPARE(hyperparameter(store, run.id, "n_epochs"), 2.0);
        QCOMPARE(hyperparameter(store, run.id, "batch_size"), 50.0);
        QCOMPARE(hyperparameter(store, run.id, "hidden_lr"), 0.2);
        QCOMPARE(hyperparameter(store, run.id, "output_lr"), 0.03);
        QCOMPARE(hyperparameter(store, run.id, "weight_fa_std"), 0.5);
        QCOMPARE(hyperparameter(store, run.id, "momentum"), 0.7);
        QCOMPARE(hyperparameter(store, run.id, "weight_decay"), 1e-5);
        QCOMPARE(hyperparameter(store, run.id, "p_baseline"), 0.3);
        QCOMPARE(hyperparameter(store, run.id, "weight_r_range"), 0.02);
        QCOMPARE(hyperparameter(store, run.id, "recurrent_lr"), 0.0002);
        QCOMPARE(hyperparameter(store, run.id, "recurrent_input"), 1.0);
        QCOMPARE(hyperparameter(store, run.id, "validation"), 0.0);
        QCOMPARE(textHyperparameter(store, run.id, "hidden_widths"), std::string("500,500"));
        const RunConfig config = configFromJson(run.configJson);
        QCOMPARE(config.info, std::string("a note"));
        QCOMPARE(int(config.architecture), int(Architecture::FullyConnected));

        // Epoch e at step e × 1,200 (60,000 images in batches of 50); the reference's weight_angle/0 is
        // layer 1.
        const std::vector<MetricPoint> test = store.readMetrics(run.id, "test_error");
        QCOMPARE(test.size(), size_t(3));
        QCOMPARE(test[2].epoch, 2);
        QCOMPARE(test[2].step, int64_t(2400));
        QCOMPARE(test[2].value, 7.5);
        QCOMPARE(test[2].wallTime, 1700000020.0);
        QCOMPARE(store.readMetrics(run.id, "train_loss").size(), size_t(2));
        QCOMPARE(store.readMetrics(run.id, "test_loss")[0].value, 0.25);
        const std::vector<MetricPoint> weight1 = store.readMetrics(run.id, "weight_angle/1");
        QCOMPARE(weight1.size(), size_t(3));
        QCOMPARE(weight1[0].value, 89.0);
        QCOMPARE(weight1[1].value, 79.0);
        QCOMPARE(store.readMetrics(run.id, "weight_angle/2")[2].value, 58.0);
        QCOMPARE(store.readMetrics(run.id, "delta_angle/0")[1].value, 69.0);
        QCOMPARE(store.readMetrics(run.id, "delta_angle/1")[2].value, 48.0);
        QVERIFY(store.readMetrics(run.id, "weight_angle/0").empty());
        QCOMPARE(imported.skippedTags, std::vector<std::string>{"Custom thing"});
        QString messages;
        for (const RunMessage& m : store.messages(run.id))
            messages += QString::fromStdString(m.level + ": " + m.text + "\n");
        QVERIFY2(messages.contains("warning: not imported") && messages.contains("Custom thing"),
                 qPrintable(messages));
        QVERIFY2(!messages.contains("Simulation run"), qPrintable(messages));
    }

    void importsBackpropAndCifar() {
        std::string params = "Number of epochs: 5\nBatch size: 32\nUsing validation set: True\n"
                             "Feedforward learning rates: [0.05, 0.05, 0.05, 0.05, 0.05]\n"
                             "Momentum: 0.9\nUsing backprop: True\n";
        const std::string folder =
            writeReferenceFolder(dir_.filePath("cifar_bp"), params, "train_cifar10.py");
        RunStore store(db_);
        const ImportedRun imported = importReferenceRun(store, folder, "named");
        const RunRecord run = *store.getRun(imported.runId);
        QCOMPARE(run.name, std::string("named"));
        QCOMPARE(run.dataset, toString(DatasetKind::Cifar10));
        QCOMPARE(run.rule, std::string("backprop"));
        QCOMPARE(toString(run.status), toString(RunStatus::Stopped)); // 2 of 5 epochs
        QCOMPARE(hyperparameter(store, run.id, "output_lr"), 0.05);
        QCOMPARE(hyperparameter(store, run.id, "momentum"), 0.9);
        QCOMPARE(store.readMetrics(run.id, "test_error")[1].step, int64_t(1250)); // 40,000 / 32
    }

    // burstprop-train's own params.txt (its results folder, or an export) reads back to the same settings.
    void readsTheResultsFoldersParams() {
        RunConfig config = defaultConfig(DatasetKind::FashionMnist, "feedback-alignment");
        config.hiddenWidths = {40, 30};
        config.hiddenLr = 0.3;
        config.seed = 7;
        config.angleInterval = 5;
        config.epochs = 3;
        config.info = "from the CLI";
        const RunConfig expected = normalized(config);
        const ReferenceParams read = parseReferenceParams(
            ResultsWriter::paramsText(config, "now", "burstprop-train ..."), "params.txt");
        QCOMPARE(int(read.config.dataset), int(expected.dataset));
        QCOMPARE(read.config.rule, expected.rule);
        QCOMPARE(read.config.hiddenWidths, expected.hiddenWidths);
        QCOMPARE(read.config.seed, expected.seed);
        QCOMPARE(read.config.info, expected.info);
        QVERIFY2(read.unread.empty(),
                 read.unread.empty() ? "" : read.unread.front().c_str()); // every line is understood
        for (const ParamSpec& spec : hyperparameters())
            QVERIFY2(spec.get(read.config) == spec.get(expected), spec.key);
    }

    void refusesBadFolders() {
        RunStore store(db_);
        const int64_t before = store.countRuns();
        const QString none =
            test::errorOf([&] { importReferenceRun(store, dir_.filePath("absent").toStdString()); });
        QVERIFY2(none.contains("not a folder"), qPrintable(none));

        const std::string noParams = dir_.filePath("no_params").toStdString();
        std::filesystem::create_directories(noParams);
        QVERIFY(test::errorOf([&] { importReferenceRun(store, noParams); }).contains("no params.txt"));

        writeText(noParams + "/params.txt", kMnistParams);
        QVERIFY(test::errorOf([&] {
                    importReferenceRun(store, noParams);
                }).contains("no TensorBoard event file"));

        const std::string bad = writeReferenceFolder(dir_.filePath("bad_value"), kMnistParams, nullptr);
        writeText(bad + "/params.txt", std::string(kMnistParams) + "Momentum: 7\n");
        const QString value = test::errorOf([&] { importReferenceRun(store, bad); });
        QVERIFY2(value.contains("params.txt:24 'Momentum'") && value.contains("out of range"),
                 qPrintable(value));

        const std::string imagenet =
            writeReferenceFolder(dir_.filePath("imagenet"), "Using Adam optimizer: False\n", nullptr);
        QVERIFY(test::errorOf([&] { importReferenceRun(store, imagenet); }).contains("train_imagenet.py"));
        QCOMPARE(store.countRuns(), before);
    }

    // A truncated or corrupt event file: an error naming the file and the offset, and no run recorded.
    void refusesDamagedEventFiles() {
        const std::string folder =
            writeReferenceFolder(dir_.filePath("damaged"), kMnistParams, "train_mnist.py");
        const std::string file = folder + "/" + eventFileName(1700000000.0, "gpu-node");
        const auto size = std::filesystem::file_size(file);
        RunStore store(db_);
        const int64_t before = store.countRuns();
        std::filesystem::resize_file(file, size - 3);
        const QString truncated = test::errorOf([&] { importReferenceRun(store, folder); });
        QVERIFY2(truncated.startsWith(QString::fromStdString(file) + ": truncated record at offset "),
                 qPrintable(truncated));

        writeEventFile(file, referenceScalars(), 1700000000.0);
        {
            std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(100);
            f.put('\x7f');
        }
        const QString corrupt = test::errorOf([&] { importReferenceRun(store, folder); });
        QVERIFY2(corrupt.startsWith(QString::fromStdString(file) + ": corrupt record at offset "),
                 qPrintable(corrupt));
        QCOMPARE(store.countRuns(), before);
    }
};

QTEST_GUILESS_MAIN(TestReferenceImport)
#include "tst_reference_import.moc"
