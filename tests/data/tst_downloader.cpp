// The downloader against a local HTTP server (127.0.0.1 only): MD5-checked downloads, skipping files
// already there, redirects, HTTP errors, cancelling, and a whole CIFAR-10-shaped dataset.
#include "core/data/dataset.h"
#include "core/data/downloader.h"
#include "core/data/md5.h"
#include "data_test_files.h"
#include "local_http_server.h"
#include <QDir>
#include <QTemporaryDir>
#include <memory>

using namespace bp::test;
using bp::DatasetKind;
using bp::data::RemoteFile;

namespace {
std::string md5Of(const QByteArray& bytes) {
    return bp::data::md5Hex(bytes.constData(), std::size_t(bytes.size()));
}
} // namespace

class TestDownloader : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString served_;
    std::unique_ptr<LocalHttpServer> server_;
    const QByteArray a_ = pixelPattern(1, 300000, 5); // several network reads
    const QByteArray b_ = "small file\n";

    QString dest(const char* name) const { return dir_.filePath(QString("dest-") + name); }
    std::string base(const char* prefix = "/files/") const { return server_->url(prefix); }
    std::vector<RemoteFile> goodFiles() const { return {{"a.bin", md5Of(a_)}, {"b.txt", md5Of(b_)}}; }
    static QStringList filesIn(const QString& dir) { return QDir(dir).entryList(QDir::Files); }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        // A proxy from the environment must not see 127.0.0.1 traffic.
        for (const char* name :
             {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
            qunsetenv(name);
        qputenv("no_proxy", "*");
        served_ = dir_.filePath("served");
        QDir().mkpath(served_);
        writeFile(served_ + "/a.bin", a_);
        writeFile(served_ + "/b.txt", b_);
        server_ = std::make_unique<LocalHttpServer>(served_.toStdString());
        QVERIFY(server_->port() > 0);
    }
    void cleanupTestCase() { server_.reset(); }

    void downloadsAndVerifies() {
        int64_t lastNow = 0, lastTotal = 0;
        QStringList names;
        const auto progress = [&](const std::string& name, int64_t now, int64_t total) {
            names << QString::fromStdString(name);
            if (name == "a.bin")
                lastNow = now, lastTotal = total;
            return true;
        };
        bp::data::downloadFiles(base(), goodFiles(), dest("ok").toStdString(), progress);
        QCOMPARE(readWholeFile(dest("ok") + "/a.bin"), a_);
        QCOMPARE(readWholeFile(dest("ok") + "/b.txt"), b_);
        QCOMPARE(filesIn(dest("ok")), (QStringList{"a.bin", "b.txt"})); // no .part left
        QVERIFY(names.contains("a.bin") && names.contains("b.txt"));
        QCOMPARE(lastNow, int64_t(a_.size()));
        QCOMPARE(lastTotal, int64_t(a_.size())); // from Content-Length
    }

    void skipsFilesAlreadyPresent() {
        bp::data::downloadFiles(base(), goodFiles(), dest("again").toStdString(), {});
        const int before = server_->requests();
        bp::data::downloadFiles(base(), goodFiles(), dest("again").toStdString(), {});
        QCOMPARE(server_->requests(), before);
        // A present file with another MD5 is fetched again and replaced.
        writeFile(dest("again") + "/b.txt", "stale");
        bp::data::downloadFiles(base(), goodFiles(), dest("again").toStdString(), {});
        QCOMPARE(server_->requests(), before + 1);
        QCOMPARE(readWholeFile(dest("again") + "/b.txt"), b_);
    }

    void followsRedirects() {
        bp::data::downloadFiles(base("/moved/"), goodFiles(), dest("moved").toStdString(), {});
        QCOMPARE(readWholeFile(dest("moved") + "/a.bin"), a_);
    }

    void errors_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("md5");
        QTest::addColumn<bool>("cancel");
        QTest::addColumn<QStringList>("mustContain");
        QTest::addRow("bad checksum")
            << "a.bin" << QString(32, '0') << false
            << QStringList{"a.bin", "MD5 checksum mismatch", "expected 00000000", "deleted"};
        QTest::addRow("not found") << "missing.gz" << QString(32, '0') << false
                                   << QStringList{"/files/missing.gz", "HTTP 404"};
        QTest::addRow("cancelled") << "a.bin" << QString::fromStdString(md5Of(a_)) << true
                                   << QStringList{"/files/a.bin", "cancelled"};
    }
    void errors() {
        QFETCH(QString, name);
        QFETCH(QString, md5);
        QFETCH(bool, cancel);
        QFETCH(QStringList, mustContain);
        const QString target = dest(QTest::currentDataTag());
        const auto progress = [&](const std::string&, int64_t, int64_t) { return !cancel; };
        const QString message = errorOf([&] {
            bp::data::downloadFiles(base(), {{name.toStdString(), md5.toStdString()}}, target.toStdString(),
                                    progress);
        });
        for (const QString& part : mustContain)
            QVERIFY2(message.contains(part), qPrintable(message));
        if (name == "missing.gz")
            QVERIFY2(message.startsWith(QString::fromStdString(server_->url("/files/missing.gz"))),
                     qPrintable(message));
        QCOMPARE(filesIn(target), QStringList()); // neither the file nor its .part
    }

    void connectionRefused() {
        std::string url;
        {
            LocalHttpServer closed(served_.toStdString()); // a port nobody listens on once it is gone
            url = closed.url("/files/");
        }
        const QString message =
            errorOf([&] { bp::data::downloadFiles(url, goodFiles(), dest("refused").toStdString(), {}); });
        QVERIFY2(message.contains(QString::fromStdString(url + "a.bin")) &&
                     message.contains("download failed"),
                 qPrintable(message));
    }

    // The CIFAR-10 path of downloadDataset: fetch the archive, unpack it, delete it, load it.
    void cifarArchive() {
        QByteArray tar = tarEntry("cifar-10-batches-bin/", {}, '5');
        for (int b = 1; b <= 5; ++b)
            tar += tarEntry(QString("cifar-10-batches-bin/data_batch_%1.bin").arg(b).toStdString(),
                            cifarBytes({uint8_t(b)}, b));
        tar += tarEntry("cifar-10-batches-bin/test_batch.bin", cifarBytes({0, 7})) + tarEnd();
        const QByteArray archive = gzipBytes(tar);
        writeFile(served_ + "/cifar-10-binary.tar.gz", archive);

        bp::data::DownloadOptions options;
        options.baseUrl = base();
        options.destDir = dest("cifar").toStdString();
        options.files = {{"cifar-10-binary.tar.gz", md5Of(archive)}};
        bp::data::downloadDataset(DatasetKind::Cifar10, options);
        QVERIFY(bp::data::datasetAvailable(DatasetKind::Cifar10, options.destDir));
        QVERIFY(!QFileInfo::exists(dest("cifar") + "/cifar-10-binary.tar.gz"));
        const bp::data::DatasetPair data = bp::data::loadDataset(DatasetKind::Cifar10, options.destDir);
        QCOMPARE(data.train.size(), int64_t(5));
        QCOMPARE(data.test.labels[1].item<int64_t>(), int64_t(7));

        const int before = server_->requests(); // present: nothing to fetch
        bp::data::downloadDataset(DatasetKind::Cifar10, options);
        QCOMPARE(server_->requests(), before);
    }

    // The MNIST-format path: .gz files that loadDataset reads directly.
    void mnistFiles() {
        const QByteArray files[4] = {gzipBytes(imagesIdx(3, 28, 28)), gzipBytes(labelsIdx({1, 2, 3})),
                                     gzipBytes(imagesIdx(2, 28, 28)), gzipBytes(labelsIdx({4, 5}))};
        const char* names[4] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
        bp::data::DownloadOptions options;
        options.baseUrl = base("/files/mnist/");
        options.destDir = dest("mnist").toStdString();
        QDir().mkpath(served_ + "/mnist");
        for (int i = 0; i < 4; ++i) {
            writeFile(served_ + "/mnist/" + names[i], files[i]);
            options.files.push_back({names[i], md5Of(files[i])});
        }
        bp::data::downloadDataset(DatasetKind::Mnist, options);
        const bp::data::DatasetPair data = bp::data::loadDataset(DatasetKind::Mnist, options.destDir);
        QCOMPARE(data.train.size(), int64_t(3));
        QCOMPARE(data.test.size(), int64_t(2));
    }

    void publishedFileLists() {
        QCOMPARE(bp::data::remoteFiles(DatasetKind::Cifar10).size(), std::size_t(1));
        QCOMPARE(bp::data::remoteFiles(DatasetKind::Cifar10)[0].md5,
                 std::string("c32a1d4ab5d03f1284b67883e8d87530"));
        for (DatasetKind kind : {DatasetKind::Mnist, DatasetKind::FashionMnist}) {
            QCOMPARE(bp::data::remoteFiles(kind).size(), std::size_t(4));
            for (const RemoteFile& file : bp::data::remoteFiles(kind))
                QVERIFY(file.md5.size() == 32 && file.name.size() > 3);
            QVERIFY(bp::data::defaultMirror(kind).back() == '/');
        }
    }
};

QTEST_GUILESS_MAIN(TestDownloader)
#include "tst_downloader.moc"
