// Under a comma-decimal locale (de_DE.UTF-8, which Qt's application installs from the environment), every
// number the core writes or reads for machines stays in C form: configuration JSON, checkpoints' config,
// command lines, CSV. The test fails, never skips, when the locale is missing (packaging/setup-debian.sh
// generates it; .ci/run runs that).
#include "core/checkpoint/checkpoint.h"
#include "core/cli/options.h"
#include "core/cli/results_writer.h"
#include "core/config/hyperparameters.h"
#include "core/runs/export.h"
#include "core/setup/command_line.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/util/json_writer.h"
#include "core/util/number_text.h"
#include "support/test_support.h"
#include <QtTest>
#include <clocale>
#include <cstdio>

using namespace bp;

class TestLocale : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    static RunConfig awkward() {
        RunConfig c = defaultConfig(DatasetKind::FashionMnist);
        c.hiddenLr = 0.05;
        c.outputLr = 0.1 + 0.2;
        c.weightDecay = 2.5e-7;
        c.kappa = 1e-5;
        c.lrFactor = 0.5;
        c.info = "0,5 bleibt Text";
        return c;
    }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(std::setlocale(LC_ALL, "de_DE.UTF-8"),
                 "the de_DE.UTF-8 locale is not installed (packaging/setup-debian.sh generates it)");
        char text[16];
        std::snprintf(text, sizeof text, "%g", 0.5);
        QCOMPARE(QString(text), QString("0,5")); // the locale is in force: printf writes a comma
    }

    void numbersAsText() {
        QCOMPARE(formatNumber(0.05), std::string("0.05"));
        QCOMPARE(formatNumber(2.5e-7), std::string("2.5e-7"));
        QCOMPARE(parseNumber("0.05").value_or(0), 0.05);
        QVERIFY(!parseNumber("0,05"));
        QCOMPARE(JsonWriter().field("x", 0.25).str(), std::string("{\"x\":0.25}"));
        QCOMPARE(parseJson("{\"x\": 0.25}")["x"].get<double>(), 0.25);
    }

    void configurationJsonRoundTrips() {
        const RunConfig c = awkward();
        const std::string json = toJson(c);
        QVERIFY2(json.find("\"hidden_lr\":0.05") != std::string::npos, json.c_str());
        QVERIFY(json.find("0,") == std::string::npos || json.find("0,5 bleibt") != std::string::npos);
        const RunConfig back = configFromJson(json);
        QCOMPARE(toJson(back), json);
        QCOMPARE(back.outputLr, 0.1 + 0.2);
    }

    void commandLineRoundTrips() {
        const RunConfig c = awkward();
        const std::vector<std::string> args = commandLineArguments(c);
        const std::string line = commandLine(c);
        QVERIFY2(line.find("-hidden_lr 0.05") != std::string::npos, line.c_str());
        const CliOptions parsed = parseCommandLine(args);
        QCOMPARE(toJson(normalized(parsed.config)), toJson(normalized(c)));
        QString message;
        try {
            parseCommandLine({"-hidden_lr", "0,05"});
        } catch (const std::exception& e) {
            message = e.what();
        }
        QVERIFY2(message.contains("-hidden_lr: '0,05' is not a number"), qPrintable(message));
    }

    void csvAndCheckpointsStayInCForm() {
        RunStore store(dir_.filePath("locale.sqlite").toStdString());
        const int64_t id = store.createRun(awkward(), "de");
        store.appendMetrics(id, {{"test_error", 1, 10, 1700000000.5, 12.25}});
        const std::string csv = dir_.filePath("m.csv").toStdString();
        exportMetricsCsv(store, {id}, csv);
        QFile f(QString::fromStdString(csv));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("1700000000.5,12.25"));
        QCOMPARE(configFromJson(store.getRun(id)->configJson).hiddenLr, 0.05);
        EpochReport r;
        r.epoch = 3;
        r.trainLoss = 0.125;
        r.testError = 12.5;
        QVERIFY(QString::fromStdString(ResultsWriter::csvRow(r, 0)).startsWith("3,0.125,"));
        Checkpoint cp;
        cp.tensors = {{"layer0.weight", at::ones({2, 2})}};
        cp.configJson = toJson(awkward());
        const std::string path = dir_.filePath("c.ckpt").toStdString();
        saveCheckpoint(path, cp);
        QCOMPARE(configFromJson(loadCheckpoint(path).configJson).hiddenLr, 0.05);
    }
};

QTEST_GUILESS_MAIN(TestLocale)
#include "tst_locale.moc"
