// configFromJson, the reader of the configuration JSON that runs and checkpoints keep: a round trip, and
// one clear error per kind of bad value (rows from fuzz_config's findings among them).
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/util/error.h"
#include <QtTest>

using namespace bp;

class TestConfigJson : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void roundTrip() {
        RunConfig c = defaultConfig(DatasetKind::Cifar10, "node-perturbation");
        c.hiddenWidths = {7, 3};
        c.seed = 18446744073709551615ull;
        c.info = "\"quoted\" — ünïcode";
        QCOMPARE(toJson(configFromJson(toJson(c))), toJson(c));
    }

    void errors_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::addRow("not json") << "{"
                                  << "configuration: ";
        QTest::addRow("not an object") << "[1]"
                                       << "not a JSON object";
        QTest::addRow("no dataset") << "{}"
                                    << "\"dataset\" is missing";
        QTest::addRow("unknown dataset") << R"({"dataset": "svhn"})"
                                         << "svhn";
        QTest::addRow("wrong type") << R"({"dataset": "mnist", "hidden_lr": "fast"})"
                                    << "\"hidden_lr\" is not a number";
        // Found by fuzz_config (UBSan): a width beyond int was converted, which is undefined.
        QTest::addRow("width beyond int") << R"({"dataset": "mnist", "hidden_widths": [500, 5e57]})"
                                          << "\"hidden_widths\" holds 5e57, out of the integer range";
        // An integer of the table beyond int wrapped around (4294967297 epochs became 1) and passed.
        QTest::addRow("epochs beyond int") << R"({"dataset": "mnist", "n_epochs": 4294967297})"
                                           << "\"n_epochs\" holds 4294967297, out of the integer range";
    }
    void errors() {
        QFETCH(QString, json);
        QFETCH(QString, message);
        try {
            configFromJson(json.toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestConfigJson)
#include "tst_config_json.moc"
