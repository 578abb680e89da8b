// burstprop-train golden: the built binary replays the golden folder, reports a changed or broken
// recording with its file and quantity, and refuses bad arguments.
#include "core/checkpoint/pickle_io.h"
#include "core/golden/golden_replay.h"
#include "support/test_support.h"
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace bp;
using test::describe;
using Result = test::ProcessResult;

namespace {

constexpr int kTimeoutMs = 120000;

} // namespace

class TestGoldenCli : public QObject {
    Q_OBJECT
    QString binary_;
    QStringList files_;

    Result golden(const QStringList& args) {
        return test::runProcess(binary_, QStringList{"golden"} + args, kTimeoutMs);
    }

  private Q_SLOTS:
    void initTestCase() {
        binary_ = test::trainerBinary();
        QVERIFY2(!binary_.isEmpty(), "BURSTPROP_TRAIN_BIN is not set (run the test through CTest)");
        for (const std::string& file : golden::goldenFiles(test::goldenDir().toStdString())) // imagenet/ too
            files_ << QDir(test::goldenDir()).relativeFilePath(QString::fromStdString(file));
        if (files_.isEmpty())
            QSKIP(qPrintable("no golden files in " + test::goldenDir()));
    }

    void everyCaseMatches() {
        const Result r = golden({test::goldenDir(), "--threads", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        for (const QString& file : files_) {
            const QRegularExpression line("^" + QRegularExpression::escape(file) + " .* match$",
                                          QRegularExpression::MultilineOption);
            QVERIFY2(line.match(r.out).hasMatch(), qPrintable(file + " has no matching line:\n" + r.out));
        }
        QVERIFY2(r.out.contains(QString("%1 of %1 cases match the reference on cpu").arg(files_.size())),
                 qPrintable(r.out));
        QVERIFY(!r.out.contains("DIFFERS"));
    }

    // --dtype float64 replays in double precision against the float64 tolerances.
    void float64Matches() {
        const Result r = golden({test::goldenDir(), "--dtype", "float64"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains(
                     QString("%1 of %1 cases match the reference on cpu in float64").arg(files_.size())),
                 qPrintable(r.out));
        const Result bad = golden({test::goldenDir(), "--dtype", "float16"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--dtype: unknown dtype 'float16'"), qPrintable(bad.err));
    }

    void jsonHasOneObjectPerCase() {
        const Result r = golden({test::goldenDir(), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QList<QJsonObject> cases = test::eventsOf(r, "golden");
        QCOMPARE(cases.size(), files_.size());
        QVERIFY(r.nonJsonLines.isEmpty());
        for (const QJsonObject& c : cases) {
            QVERIFY(c["passed"].toBool());
            QCOMPARE(c["device"].toString(), QStringLiteral("cpu"));
            QCOMPARE(c["failed"].toInt(), 0);
            QVERIFY(c["comparisons"].toInt() > 0);
            QVERIFY(c["worst_output_error"].toDouble() < 2e-3);
        }
    }

    // A recording changed by 1 % (0.01 / 1.01 relative) and a truncated one: exit status 1, each named
    // with what differs.
    void changedAndBrokenFilesAreNamed() {
        QTemporaryDir tmp;
        const QString source = QDir(test::goldenDir()).filePath("fc3_recurrent.pt");
        if (!QFile::exists(source))
            QSKIP("fc3_recurrent.pt is not in the golden folder");
        pickle::Dict dict = pickle::load(source.toStdString());
        dict.insert_or_assign(std::string("final/layer0/weight"),
                              dict.at("final/layer0/weight").toTensor() * 1.01);
        QVERIFY(test::writePickledDict(tmp.filePath("changed.pt"), dict));
        QFile in(source);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QFile out(tmp.filePath("truncated.pt"));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(in.read(in.size() / 3));
        out.close();

        const Result r = golden({tmp.path()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QRegularExpression("^changed.pt .* DIFFERS$", QRegularExpression::MultilineOption)
                     .match(r.out)
                     .hasMatch(),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("final layer0 weight: relative error 9.9e-03, tolerance 2.0e-03"),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("truncated.pt: not a readable .pt file (truncated or corrupt)"),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("0 of 2 cases match the reference"), qPrintable(r.out));
    }

    void badArgumentsAreRefused_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("device") << QStringList{".", "--device", "tpu"} << 2
                                << "device 'tpu' is not one of cpu, cuda, cuda:N";
        QTest::newRow("threads") << QStringList{".", "--threads", "many"} << 2
                                 << "--threads 'many' is not an integer";
        QTest::newRow("option") << QStringList{".", "--fast"} << 2 << "unknown option '--fast'";
        QTest::newRow("two folders") << QStringList{".", ".."} << 2 << "unexpected argument '..'";
        QTest::newRow("missing folder")
            << QStringList{"/nonexistent/golden"} << 1 << "/nonexistent/golden: cannot read the folder";
        QTest::newRow("empty folder") << QStringList{"EMPTY"} << 1 << ": no golden *.pt files in the folder";
    }

    void badArgumentsAreRefused() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir empty;
        args.replaceInStrings("EMPTY", empty.path());
        const Result r = golden(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(describe(r)));
        QVERIFY2(r.out.isEmpty(), qPrintable(describe(r)));
    }
};

QTEST_GUILESS_MAIN(TestGoldenCli)
#include "tst_golden_cli.moc"
