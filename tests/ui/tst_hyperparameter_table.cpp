// The hyperparameter comparison table and the figures table over a real run database: rows, differences
// only, the bold marking, hyperparameters a run's rule does not use (n/a), and the CSV, Markdown and LaTeX
// exports with awkward names.
#include "core/config/run_config.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "ui/compare/hyperparameter_export.h"
#include "ui/compare/hyperparameter_table_model.h"
#include "ui/compare/run_figures_model.h"
#include <QAbstractItemModelTester>
#include <QStandardItemModel>
#include <QtTest>
#include <functional>

using namespace bp;
using namespace bp::ui;

namespace {

RunConfig baseConfig() {
    RunConfig c = defaultConfig(DatasetKind::Mnist, "burstprop");
    c.hiddenLr = 0.1;
    c.seed = 1;
    return c;
}

// Two runs differing only in hidden_lr (0.1, 0.2) and seed (1, 7), named with characters every format
// must escape.
QVector<int64_t> addTwoRuns(RunStore& store) {
    RunConfig b = baseConfig();
    b.hiddenLr = 0.2;
    b.seed = 7;
    return {store.createRun(baseConfig(), "a,b \"c\""), store.createRun(b, "x|y_z 5%")};
}

QStringList visibleRowNames(const HyperparameterTableModel& model) {
    QStringList names;
    for (int r = 0; r < model.rowCount(); ++r)
        names << model.headerData(r, Qt::Vertical).toString();
    return names;
}

QStringList lines(const QString& text, const QString& separator) {
    QStringList out = text.split(separator);
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast(); // the final line ends with the separator too
    return out;
}

} // namespace

class TestHyperparameterTable : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    int databases_ = 0;
    // A fresh database per test, so that run ids start at 1.
    std::string newPath() {
        return dir_.filePath(QStringLiteral("runs%1.sqlite").arg(++databases_)).toStdString();
    }

  private Q_SLOTS:
    void modelsPassTheModelTester() {
        RunStore store(newPath());
        const QVector<int64_t> ids = addTwoRuns(store);
        store.appendMetrics(ids[0],
                            {{"test_error", 0, 0, 1.7e9, 90.0}, {"test_error", 1, 10, 1.7e9 + 1, 20.0}});

        HyperparameterTableModel table;
        QAbstractItemModelTester tableTester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
        table.setRuns(store, ids);
        QVERIFY(table.rowCount() > 20);
        QCOMPARE(table.columnCount(), 2);
        table.setDifferencesOnly(true);
        table.setDifferencesOnly(false);
        table.setRuns(store, {});
        QCOMPARE(table.rowCount(), 0);
        QCOMPARE(table.columnCount(), 0);

        RunFiguresModel figures;
        QAbstractItemModelTester figuresTester(&figures,
                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
        figures.setRuns(store, ids);
        QCOMPARE(figures.rowCount(), 2);
        QCOMPARE(figures.columnCount(), int(RunFiguresModel::ColumnCount));
        figures.setMode(RunFiguresModel::Mode::Best);
        figures.setMode(RunFiguresModel::Mode::AtEpoch);
        figures.setEpoch(1);
        QCOMPARE(
            figures.data(figures.index(0, RunFiguresModel::TestError), RunFiguresModel::ValueRole).toDouble(),
            20.0);
        QVERIFY(!figures.data(figures.index(1, RunFiguresModel::TestError)).isValid()); // no metrics at all
        figures.clear();
        QCOMPARE(figures.rowCount(), 0);
    }

    void headersNameTheRuns() {
        RunStore store(newPath());
        HyperparameterTableModel table;
        table.setRuns(store, addTwoRuns(store) << 99); // 99 does not exist and is left out
        QCOMPARE(table.columnCount(), 2);
        QCOMPARE(table.headerData(0, Qt::Horizontal).toString(), QStringLiteral("#1 a,b \"c\""));
        QCOMPARE(table.headerData(1, Qt::Horizontal).toString(), QStringLiteral("#2 x|y_z 5%"));
        QVERIFY(table.lastError().isEmpty());
        // Hyperparameters sorted by key, then the facts
        const QStringList names = visibleRowNames(table);
        QCOMPARE(names.mid(names.size() - HyperparameterTableModel::factNames().size()),
                 HyperparameterTableModel::factNames());
        QCOMPARE(names.front(), QStringLiteral("activation")); // the first key in alphabetical order
        QCOMPARE(names.count(QStringLiteral("seed")), 1); // the seed fact is the seed hyperparameter's row
        const int lr = table.rowOfName(QStringLiteral("hidden_lr"));
        QCOMPARE(table.data(table.index(lr, 0)).toString(), QStringLiteral("0.1"));
        QCOMPARE(table.data(table.index(lr, 1)).toString(), QStringLiteral("0.2"));
        const int epochs = table.rowOfName(QStringLiteral("epochs"));
        QCOMPARE(table.data(table.index(epochs, 0)).toString(),
                 QStringLiteral("0 / %1").arg(baseConfig().epochs));
        const int status = table.rowOfName(QStringLiteral("status"));
        QCOMPARE(table.data(table.index(status, 1)).toString(), QStringLiteral("queued"));
    }

    void differencesOnly_data() {
        QTest::addColumn<bool>("completeSecond");
        QTest::addColumn<QStringList>("differing");
        QTest::addRow("same status") << false << QStringList{"hidden_lr", "seed"};
        // Of the facts only the status differs: both runs share host, versions, device, threads and epochs.
        QTest::addRow("one completed") << true << QStringList{"hidden_lr", "seed", "status"};
    }
    void differencesOnly() {
        QFETCH(bool, completeSecond);
        QFETCH(QStringList, differing);
        RunStore store(newPath());
        const QVector<int64_t> ids = addTwoRuns(store);
        if (completeSecond)
            store.setStatus(ids[1], RunStatus::Completed);
        HyperparameterTableModel table;
        QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
        table.setRuns(store, ids);
        const int all = table.rowCount();

        // Every row shown: the differing ones bold and coloured, the others plain (n/a cells are grey).
        for (int r = 0; r < all; ++r) {
            const QString name = table.rowName(r);
            const bool differs = differing.contains(name);
            QCOMPARE(table.data(table.index(r, 0), HyperparameterTableModel::DiffersRole).toBool(), differs);
            const QVariant font = table.data(table.index(r, 1), Qt::FontRole);
            QCOMPARE(font.isValid() && font.value<QFont>().bold(), differs);
            if (table.data(table.index(r, 1)).toString() != QLatin1String("n/a"))
                QCOMPARE(table.data(table.index(r, 1), Qt::ForegroundRole).isValid(), differs);
        }

        table.setDifferencesOnly(true);
        QCOMPARE(visibleRowNames(table), differing);
        QVERIFY(!table.data(table.index(0, 0), Qt::FontRole).isValid()); // nothing to single out
        table.setDifferencesOnly(false);
        QCOMPARE(table.rowCount(), all);
    }

    // A backprop run beside a burstprop one: burstprop's hyperparameters show as n/a for it, greyed, with the
    // reason as tooltip, whether the store recorded that (schema 3, as the CLI and the Train page record) or
    // not (a run recorded without it: the rule registry decides). Differences only shows the rule row, not
    // the rows where n/a stands beside a value.
    void notApplicableForTheRule_data() {
        QTest::addColumn<bool>("recorded");
        QTest::addRow("recorded in the store") << true;
        QTest::addRow("from the rule registry") << false;
    }
    void notApplicableForTheRule() {
        QFETCH(bool, recorded);
        RunStore store(newPath());
        RunConfig burst = baseConfig();
        RunConfig back = baseConfig();
        back.rule = "backprop";
        auto applies = [&](const RunConfig& c) {
            return recorded ? std::function<bool(const std::string&)>(
                                  [c](const std::string& key) { return hyperparameterApplies(c, key); })
                            : std::function<bool(const std::string&)>();
        };
        const QVector<int64_t> ids{store.createRun(burst, "burst", "", {}, applies(burst)),
                                   store.createRun(back, "back", "", {}, applies(back))};
        HyperparameterTableModel table;
        QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
        table.setRuns(store, ids);
        const QColor differing(196, 78, 0);
        for (const char* key : {"hidden_lr", "p_baseline", "recurrent_input", "weight_fa_std"}) {
            const int row = table.rowOfName(QString::fromLatin1(key));
            QVERIFY2(row >= 0, key);
            QVERIFY2(table.data(table.index(row, 0)).toString() != QLatin1String("n/a"), key);
            QCOMPARE(table.data(table.index(row, 1)).toString(), QStringLiteral("n/a"));
            const QColor colour = table.data(table.index(row, 1), Qt::ForegroundRole).value<QColor>();
            QVERIFY2(colour.isValid() && colour != differing, key);
            QCOMPARE(colour.red(), colour.green()); // grey
            const QString tip = table.data(table.index(row, 1), Qt::ToolTipRole).toString();
            QVERIFY2(tip.contains(QStringLiteral("backprop")) && tip.contains(QString::fromLatin1(key)),
                     qPrintable(tip));
            QVERIFY(!table.data(table.index(row, 0), HyperparameterTableModel::DiffersRole).toBool());
        }
        // Neither rule uses node perturbation's noise: n/a for both.
        const int xi = table.rowOfName(QStringLiteral("xi_std"));
        QCOMPARE(table.data(table.index(xi, 0)).toString(), QStringLiteral("n/a"));
        QCOMPARE(table.data(table.index(xi, 1)).toString(), QStringLiteral("n/a"));
        const int lr = table.rowOfName(QStringLiteral("output_lr")); // every rule's
        QCOMPARE(table.data(table.index(lr, 1)).toString(), QString::number(burst.outputLr));

        table.setDifferencesOnly(true);
        QCOMPARE(visibleRowNames(table), QStringList{"rule"});
    }

    void exportsEscapeEveryFormat() {
        RunStore store(newPath());
        HyperparameterTableModel table;
        table.setRuns(store, addTwoRuns(store));
        table.setDifferencesOnly(true);

        QCOMPARE(
            lines(toCsv(table, QStringLiteral("parameter")), QStringLiteral("\r\n")),
            (QStringList{"parameter,\"#1 a,b \"\"c\"\"\",#2 x|y_z 5%", "hidden_lr,0.1,0.2", "seed,1,7"}));
        QCOMPARE(lines(toMarkdown(table, QStringLiteral("parameter")), QStringLiteral("\n")),
                 (QStringList{"| parameter | #1 a,b \"c\" | #2 x\\|y_z 5% |", "| --- | --- | --- |",
                              "| hidden_lr | 0.1 | 0.2 |", "| seed | 1 | 7 |"}));
        QCOMPARE(lines(toLatex(table, QStringLiteral("parameter")), QStringLiteral("\n")),
                 (QStringList{"\\begin{tabular}{lll}", "\\toprule",
                              "parameter & \\#1 a,b \"c\" & \\#2 x|y\\_z 5\\% \\\\", "\\midrule",
                              "hidden\\_lr & 0.1 & 0.2 \\\\", "seed & 1 & 7 \\\\", "\\bottomrule",
                              "\\end{tabular}"}));
    }

    // One cell holding the text: the body line of each format.
    void cellEscapes_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("csv");
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("latex");
        QTest::addRow("plain") << "abc"
                               << "r,abc"
                               << "| r | abc |"
                               << "r & abc \\\\";
        QTest::addRow("comma") << "a,b"
                               << "r,\"a,b\""
                               << "| r | a,b |"
                               << "r & a,b \\\\";
        QTest::addRow("quote") << "say \"hi\""
                               << "r,\"say \"\"hi\"\"\""
                               << "| r | say \"hi\" |"
                               << "r & say \"hi\" \\\\";
        QTest::addRow("pipe") << "a|b"
                              << "r,a|b"
                              << "| r | a\\|b |"
                              << "r & a|b \\\\";
        QTest::addRow("newline") << "one\ntwo"
                                 << "r,\"one\ntwo\""
                                 << "| r | one<br>two |"
                                 << "r & one two \\\\";
        QTest::addRow("latex specials")
            << "&%$#_{}~^\\"
            << "r,&%$#_{}~^\\"
            << "| r | &%$#_{}~^\\ |"
            << "r & \\&\\%\\$\\#\\_\\{\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{} \\\\";
    }
    void cellEscapes() {
        QFETCH(QString, text);
        QFETCH(QString, csv);
        QFETCH(QString, markdown);
        QFETCH(QString, latex);
        QStandardItemModel model(1, 1);
        model.setHorizontalHeaderLabels({QStringLiteral("c")});
        model.setVerticalHeaderLabels({QStringLiteral("r")});
        model.setItem(0, 0, new QStandardItem(text));
        QCOMPARE(toCsv(model), QStringLiteral(",c\r\n") + csv + QStringLiteral("\r\n"));
        QCOMPARE(lines(toMarkdown(model), QStringLiteral("\n")).at(2), markdown);
        QCOMPARE(lines(toLatex(model), QStringLiteral("\n")).at(4), latex);
    }

    void writeTextFileWritesAndNamesBadPaths() {
        const QString good = dir_.filePath(QStringLiteral("table.md"));
        QString error;
        QVERIFY(writeTextFile(good, QStringLiteral("| a |\n"), &error));
        QFile file(good);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("| a |\n"));

        const QString bad = dir_.filePath(QStringLiteral("no/such/folder/table.csv"));
        QVERIFY(!writeTextFile(bad, QStringLiteral("x"), &error));
        QVERIFY2(error.contains(bad), qPrintable(error));
        QVERIFY(!QFile::exists(bad));
        QVERIFY(!writeTextFile(bad, QStringLiteral("x"), nullptr)); // no message wanted
    }

    // By group: one column per seed group. Seeds that are not consecutive are listed; a group whose rule
    // does not use a hyperparameter shows n/a; a fact the group's runs do not share lists their values.
    void groupColumns() {
        RunStore store(newPath());
        QVector<int64_t> ids;
        for (uint64_t seed : {1, 4, 9}) {
            RunConfig c = baseConfig();
            c.seed = seed;
            ids << store.createRun(c, "burst " + std::to_string(seed));
        }
        for (uint64_t seed : {2, 3}) {
            RunConfig c = defaultConfig(DatasetKind::Mnist, "backprop");
            c.seed = seed;
            ids << store.createRun(c, "back " + std::to_string(seed));
        }
        store.setStatus(ids[0], RunStatus::Running);
        HyperparameterTableModel table;
        QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::QtTest);
        table.setRuns(store, ids);
        QCOMPARE(table.columnCount(), 5);
        table.setGrouped(true);
        QCOMPARE(table.columnCount(), 2);
        QVERIFY(table.headerData(0, Qt::Horizontal).toString().startsWith(QStringLiteral("G1")));
        QVERIFY(table.headerData(1, Qt::Horizontal).toString().startsWith(QStringLiteral("G2")));
        const int seed = table.rowOfName(QStringLiteral("seed"));
        QCOMPARE(table.data(table.index(seed, 0)).toString(), QStringLiteral("1, 4, 9"));
        QCOMPARE(table.data(table.index(seed, 1)).toString(), QStringLiteral("2, 3"));
        const int rule = table.rowOfName(QStringLiteral("rule"));
        QCOMPARE(table.data(table.index(rule, 0)).toString(), QStringLiteral("burstprop"));
        QCOMPARE(table.data(table.index(rule, 1)).toString(), QStringLiteral("backprop"));
        const int pBaseline = table.rowOfName(QStringLiteral("p_baseline")); // burstprop's, not backprop's
        QVERIFY(pBaseline >= 0);
        QCOMPARE(table.data(table.index(pBaseline, 1)).toString(), QStringLiteral("n/a"));
        QVERIFY(table.data(table.index(pBaseline, 1), Qt::ToolTipRole).toString().contains("backprop"));
        const int status = table.rowOfName(QStringLiteral("status"));
        QCOMPARE(table.data(table.index(status, 0)).toString(), QStringLiteral("running, queued"));
        table.setDifferencesOnly(true);
        QVERIFY(visibleRowNames(table).contains(QStringLiteral("rule")));
        table.setGrouped(false);
        QCOMPARE(table.columnCount(), 5);
        QVERIFY(visibleRowNames(table).contains(QStringLiteral("seed")));
    }
};

QTEST_MAIN(TestHyperparameterTable)
#include "tst_hyperparameter_table.moc"
