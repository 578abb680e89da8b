// What a data-parallel run checks before it trains: that every rank was given the same configuration (only
// the per-process keys may differ) and that the run database is not on a network file system.
#include "core/cli/group_join.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "core/util/system_info.h"
#include <QTemporaryDir>
#include <QtTest>

using namespace bp;

class TestGroupJoin : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    // Threads, device, data folder and loader threads are each process's own: they leave the text equal.
    void perProcessKeysDoNotCount() {
        RunConfig a = defaultConfig(DatasetKind::FashionMnist);
        RunConfig b = a;
        b.threads = 3;
        b.dataDir = "/elsewhere";
        b.loaderThreads = 2;
        QCOMPARE(QString::fromStdString(sharedConfiguration(b)),
                 QString::fromStdString(sharedConfiguration(a)));
        QVERIFY(configurationMismatch({sharedConfiguration(a), sharedConfiguration(b)}).empty());
    }

    // Any other difference is named with both values and the rank.
    void differencesAreNamed_data() {
        QTest::addColumn<QString>("expected");
        QTest::newRow("seed") << "rank 2 was given seed 9 (rank 0: 1)";
        QTest::newRow("lr") << "rank 2 was given hidden_lr";
    }
    void differencesAreNamed() {
        QFETCH(QString, expected);
        RunConfig a = defaultConfig(DatasetKind::FashionMnist);
        RunConfig c = a;
        if (QString(QTest::currentDataTag()) == "seed")
            c.seed = 9;
        else
            c.hiddenLr = 0.5;
        const std::string message =
            configurationMismatch({sharedConfiguration(a), sharedConfiguration(a), sharedConfiguration(c)});
        QVERIFY2(QString::fromStdString(message).contains(expected), message.c_str());
        QVERIFY(message.find("rank 1") == std::string::npos); // rank 1 agrees with rank 0
        QVERIFY(message.find("Give every rank the same options") != std::string::npos);
    }

    // statfs(2) magic numbers of network file systems, and local ones that are not.
    void networkFileSystems_data() {
        QTest::addColumn<qint64>("magic");
        QTest::addColumn<QString>("name");
        QTest::newRow("nfs") << qint64(0x6969) << "NFS";
        QTest::newRow("cifs") << qint64(0xFF534D42) << "SMB/CIFS";
        QTest::newRow("smb2") << qint64(0xFE534D42) << "SMB/CIFS";
        QTest::newRow("lustre") << qint64(0x0BD00BD0) << "Lustre";
        QTest::newRow("gpfs") << qint64(0x47504653) << "GPFS";
        QTest::newRow("ceph") << qint64(0x00C36400) << "CephFS";
        QTest::newRow("ext4") << qint64(0xEF53) << "";
        QTest::newRow("tmpfs") << qint64(0x01021994) << "";
        QTest::newRow("xfs") << qint64(0x58465342) << "";
        QTest::newRow("btrfs") << qint64(0x9123683E) << "";
    }
    void networkFileSystems() {
        QFETCH(qint64, magic);
        QFETCH(QString, name);
        QCOMPARE(QString::fromStdString(sys::networkFileSystemName(magic)), name);
    }

    // This machine's temporary folder is local: a database there opens (also one whose folder does not exist
    // yet: the nearest existing folder is asked).
    void localFolderIsAccepted() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("not/yet/runs.sqlite").toStdString();
        QCOMPARE(QString::fromStdString(sys::networkFileSystemOf(path)), QString());
        RunStore store(path);
        QVERIFY(store.listRuns().empty());
    }
};

QTEST_GUILESS_MAIN(TestGroupJoin)
#include "tst_group_join.moc"
