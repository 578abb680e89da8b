// burstprop-train on an image folder, end to end: the reference's "RESULTS_DIR DATA_PATH" command line, the
// top-5 keys of --json epoch events and metrics.csv, the skipped file and the data's provenance in `show`,
// the export for torch.load, -resume_path starting a new run from a checkpoint, and the errors a user meets.
#include "core/checkpoint/checkpoint.h"
#include "core/store/run_store.h"
#include "images/image_test_files.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace bp;
using test::describe;
using Result = test::ProcessResult;

namespace {

constexpr int kTimeoutMs = 180000;

} // namespace

class TestImageFolderCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString binary_, data_, db_;

    QStringList tinyRun() const {
        return {"--dataset",    "imagenet", "--conv-channels", "4,4,8,8,8,8,16",
                "--image-size", "193",      "-n_epochs",       "1",
                "-batch_size",  "4",        "--threads",       "1",
                "--db",         db_,        "--no-progress"};
    }
    Result run(const QStringList& args) { return test::runProcess(binary_, args, kTimeoutMs); }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        binary_ = test::trainerBinary();
        QVERIFY2(!binary_.isEmpty(), "BURSTPROP_TRAIN_BIN is not set (run the test through CTest)");
        data_ = tmp_.filePath("images");
        db_ = tmp_.filePath("runs.sqlite");
        for (int c = 0; c < 6; ++c)
            for (int i = 0; i < 3; ++i) {
                const test::Bytes jpeg = test::jpegOf(test::smoothPixels(210, 200, 3, uint32_t(10 * c + i)),
                                                      210, 200, TJPF_RGB, TJSAMP_420, 90);
                QVERIFY(test::writeBytes(
                    QString("%1/%2/n0%3/%4.JPEG").arg(data_, i < 2 ? "train" : "val").arg(c).arg(i), jpeg));
            }
        QVERIFY(test::writeBytes(data_ + "/train/n01/truncated.JPEG", test::Bytes{0xff, 0xd8, 0xff}));
    }

    void referenceCommandLineTrainsAndRecords() {
        const QString results = tmp_.filePath("results");
        const Result r = run(tinyRun() << "--json" << results << data_);
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QList<QJsonObject> epochs = test::eventsOf(r, "epoch");
        QCOMPARE(epochs.size(), 2);
        for (const QJsonObject& e : epochs) {
            QVERIFY2(e.contains("test_top5_error") && e.contains("train_top5_error"),
                     qPrintable(describe(r)));
            QCOMPARE(e.value("weight_angles").toArray().size(), 8); // conv1 … output
        }
        QCOMPARE(epochs.back().value("skipped_files").toInt(), 1);
        QFile csv(results + "/metrics.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QString header = QString::fromUtf8(csv.readLine());
        QVERIFY2(header.startsWith("epoch,train_loss,train_error,test_loss,test_error,train_top5_error,"
                                   "test_top5_error,weight_angle_0,"),
                 qPrintable(header));

        const Result show = run({"show", "1", "--db", db_});
        QVERIFY2(show.exitCode == 0, qPrintable(describe(show)));
        QVERIFY2(show.out.contains("skipped " + data_ + "/train/n01/truncated.JPEG: "), qPrintable(show.out));
        QVERIFY2(show.out.contains("data: " + data_ + " (file list fingerprint "), qPrintable(show.out));
        QVERIFY2(show.out.contains("13 training images, 6 test images, 6 classes"), qPrintable(show.out));
        QVERIFY2(show.out.contains("conv_channels = 4,4,8,8,8,8,16"), qPrintable(show.out));
        RunStore store(db_.toStdString());
        QCOMPARE(int(store.readMetrics(1, "test_top5_error").size()), 2);

        // Evaluating names the classes by their folders, in the text and in JSON.
        const Result evaluated = run({"evaluate", "1", "--db", db_});
        QVERIFY2(evaluated.exitCode == 0, qPrintable(describe(evaluated)));
        QVERIFY2(evaluated.out.contains("     error  name\n"), qPrintable(evaluated.out));
        QVERIFY2(evaluated.out.contains(QRegularExpression("\n +5 +1 +\\d +[0-9.]+% +n05\n")),
                 qPrintable(evaluated.out));
        const Result json = run({"evaluate", "1", "--db", db_, "--json"});
        QVERIFY2(json.exitCode == 0, qPrintable(describe(json)));
        const QJsonArray perClass =
            QJsonDocument::fromJson(json.out.toUtf8()).object().value("per_class").toArray();
        QCOMPARE(perClass.size(), 6);
        QCOMPARE(perClass[2].toObject().value("name").toString(), QString("n02"));

        // The export for torch.load carries the eight layers.
        const QString pt = tmp_.filePath("final.pt");
        const Result e = run({"export", "1", "--db", db_, "--checkpoint", pt});
        QVERIFY2(e.exitCode == 0, qPrintable(describe(e)));
        QVERIFY(QFileInfo(pt).size() > 0);
        QProcess python;
        python.start(test::kSystemPython, {"-c", R"(
import sys
try:
    import torch
except ImportError:
    print("NO_TORCH"); sys.exit(0)
d = torch.load(sys.argv[1])
print(sum(1 for k in d if k.endswith(".weight") and k.startswith("layer")), tuple(d["layer0.weight"].shape))
)",
                                           pt});
        QVERIFY(python.waitForFinished(120000));
        const QString out = QString::fromUtf8(python.readAllStandardOutput()).trimmed();
        if (out == "NO_TORCH")
            QSKIP("python3's torch module is not installed (Debian: python3-torch): torch.load not checked");
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QCOMPARE(out, QString("8 (4, 3, 9, 9)")); // conv1 … output; conv1's 4 RGB kernels of 9 × 9
    }

    void resumePathStartsANewRunFromACheckpoint() {
        const QString first = tmp_.filePath("first"), second = tmp_.filePath("second");
        const Result a = run(tinyRun() << first << data_);
        QVERIFY2(a.exitCode == 0, qPrintable(describe(a)));
        const Result b = run(tinyRun() << "-n_epochs"
                                       << "2"
                                       << "-resume_path" << first + "/latest.ckpt" << second << data_);
        QVERIFY2(b.exitCode == 0, qPrintable(describe(b)));
        QVERIFY2(b.out.contains("resuming after epoch 1"), qPrintable(describe(b)));
        RunStore store(db_.toStdString());
        const int64_t id = store.listRuns().front().id;
        bool noted = false;
        for (const RunMessage& m : store.messages(id))
            noted = noted || QString::fromStdString(m.text).contains("started from checkpoint " + first +
                                                                     "/latest.ckpt");
        QVERIFY(noted);
        QCOMPARE(int(store.readMetrics(id, "test_error").size()), 1); // epoch 2 only
    }

    void problemsGetAMessage_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no data folder")
            << QStringList{"--no-db", tmp_.filePath("r1")} << "needs the folder that holds train/ and val/";
        QTest::newRow("missing data folder")
            << QStringList{"--no-db", tmp_.filePath("r2"), tmp_.filePath("nowhere")} << "nowhere";
        QTest::newRow("a damaged checkpoint")
            << QStringList{"--no-db", "-resume_path", data_ + "/train/n00/0.JPEG", tmp_.filePath("r3"), data_}
            << "0.JPEG";
        QTest::newRow("image size too small")
            << QStringList{"--no-db", "--image-size", "100", tmp_.filePath("r4"), data_}
            << "at least 193 pixels";
    }
    void problemsGetAMessage() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QStringList all = tinyRun();
        all.removeAt(all.indexOf("--db") + 1);
        all.removeAll("--db");
        const Result r = run(all + args);
        QVERIFY2(r.exitCode != 0, qPrintable(describe(r)));
        QVERIFY2(r.err.contains(message), qPrintable(describe(r)));
    }
};

QTEST_GUILESS_MAIN(TestImageFolderCli)
#include "tst_image_folder_cli.moc"
