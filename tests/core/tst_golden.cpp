// Every *.pt in BURSTPROP_GOLDEN_DIR (default ../shared/golden) replays reference training steps
// through this project's rules (core/golden) and compares outputs, signals, angles and final weights,
// on the CPU and, when LibTorch has one, on the first CUDA device.
#include "core/checkpoint/pickle_io.h"
#include "core/golden/golden_replay.h"
#include "support/test_support.h"
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <QDir>
#include <QtTest>

using namespace bp;

class TestGolden : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    // Every case of the folder and its imagenet/ subfolder, in float32 on the CPU and CUDA, and in float64
    // on the CPU (against the files' own float32 rounding: the float64 tolerances).
    void replay_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("device");
        QTest::addColumn<bool>("float64");
        const QDir dir(test::goldenDir());
        const std::vector<std::string> files = golden::goldenFiles(dir.absolutePath().toStdString());
        if (files.empty())
            QFAIL(qPrintable("no golden *.pt files in " + dir.absolutePath() +
                             " (set BURSTPROP_GOLDEN_DIR to the folder holding them)"));
        QStringList names;
        for (const std::string& file : files)
            names << dir.relativeFilePath(QString::fromStdString(file));
        if (!names.contains("imagenet/imagenet_fa_learning.pt"))
            QFAIL("the golden folder has no imagenet/ cases");
        for (const QString device : {QStringLiteral("cpu"), QStringLiteral("cuda")})
            for (const QString& name : names)
                QTest::newRow(qPrintable(name + " " + device)) << dir.filePath(name) << device << false;
        for (const QString& name : names)
            QTest::newRow(qPrintable(name + " cpu float64"))
                << dir.filePath(name) << QStringLiteral("cpu") << true;
    }

    void replay() {
        QFETCH(QString, path);
        QFETCH(QString, device);
        QFETCH(bool, float64);
        if (device == "cuda" && !at::hasCUDA())
            QSKIP("this LibTorch has no CUDA device");
        const golden::GoldenReplay r = golden::replayGolden(
            path.toStdString(), at::Device(device.toStdString()), float64 ? at::kDouble : at::kFloat);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QVERIFY2(!r.checks.empty(), "nothing was compared");
        for (const golden::GoldenCheck& c : r.checks)
            QVERIFY2(c.passed(),
                     qPrintable(QString("%1: %2 %3 (tolerance %4)")
                                    .arg(QString::fromStdString(c.what))
                                    .arg(c.kind == golden::CheckKind::Angle ? "differs by" : "relative error")
                                    .arg(c.value)
                                    .arg(c.tolerance)));
    }

    // A case this project cannot build, or a broken file, fails with a message naming the file and the
    // problem, never an exception out of replayGolden.
    void badFilesFailLoudly() {
        QTemporaryDir tmp;
        const QString source = QDir(test::goldenDir()).filePath("fc2_no_recurrent.pt");
        if (!QFile::exists(source))
            QSKIP("fc2_no_recurrent.pt is not in the golden folder");
        const auto failure = [](const std::string& path) {
            const golden::GoldenReplay r = golden::replayGolden(path, at::kCPU);
            return std::make_pair(r.passed(), r.error);
        };
        // Truncated.
        const QString truncated = tmp.filePath("truncated.pt");
        QFile in(source);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QFile out(truncated);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(in.read(in.size() / 2));
        out.close();
        auto [passed, error] = failure(truncated.toStdString());
        QVERIFY(!passed);
        QVERIFY2(error.find("truncated.pt") != std::string::npos, error.c_str());
        // Missing.
        std::tie(passed, error) = failure(tmp.filePath("absent.pt").toStdString());
        QVERIFY(!passed);
        QVERIFY2(error.find("absent.pt: cannot open") != std::string::npos, error.c_str());
        // A rule this project does not build, and a changed recording.
        pickle::Dict dict = pickle::load(source.toStdString());
        dict.insert_or_assign(std::string("meta/rule"), std::string("equilibrium_prop"));
        QVERIFY(test::writePickledDict(tmp.filePath("rule.pt"), dict));
        std::tie(passed, error) = failure(tmp.filePath("rule.pt").toStdString());
        QVERIFY(!passed);
        QVERIFY2(error.find("rule 'equilibrium_prop' is not one this project builds") != std::string::npos,
                 error.c_str());

        dict = pickle::load(source.toStdString());
        dict.insert_or_assign(std::string("final/layer1/weight"),
                              dict.at("final/layer1/weight").toTensor() * 1.01);
        QVERIFY(test::writePickledDict(tmp.filePath("changed.pt"), dict));
        const golden::GoldenReplay changed =
            golden::replayGolden(tmp.filePath("changed.pt").toStdString(), at::kCPU);
        QVERIFY2(changed.error.empty(), changed.error.c_str());
        QVERIFY(!changed.passed());
        const golden::GoldenCheck* worst = changed.worst(golden::CheckKind::Output);
        QVERIFY(worst);
        QCOMPARE(QString::fromStdString(worst->what), QStringLiteral("final layer1 weight"));
        QVERIFY2(worst->value > 0.009 && worst->value < 0.011, qPrintable(QString::number(worst->value)));
    }
};

QTEST_GUILESS_MAIN(TestGolden)
#include "tst_golden.moc"
