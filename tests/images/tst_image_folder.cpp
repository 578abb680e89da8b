// torchvision's ImageFolder layout on generated trees: classes sorted in byte order, images of any extension
// case found recursively in make_dataset's order, hidden and other files left out, the errors before training
// (missing folder, no classes, an empty class, train and val with different classes), and the fingerprint.
#include "core/images/image_folder.h"
#include "image_test_files.h"
#include "support/test_support.h"
#include <QTemporaryDir>
#include <functional>
#include <sys/stat.h>
#include <utime.h>

using namespace bp;
using namespace bp::images;

namespace {

void touchFile(const QString& path, const QByteArray& bytes = "x") {
    test::writeBytes(path, test::Bytes(bytes.begin(), bytes.end()));
}

// Sets a file's modification time (seconds since the epoch).
bool setMtime(const QString& path, time_t seconds) {
    struct utimbuf times {
        seconds, seconds
    };
    return utime(path.toLocal8Bit().constData(), &times) == 0;
}

// The entries' paths relative to the root, with their labels: "label:path".
QStringList listing(const ImageFolder& folder) {
    QStringList out;
    for (const FolderEntry& e : folder.entries)
        out << QString("%1:%2").arg(e.label).arg(
            QString::fromStdString(e.path.substr(folder.root.size() + 1)));
    return out;
}

} // namespace

class TestImageFolder : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    // Classes in byte order ("C" < "a" < "b", as Python's sorted()), images of every IMG_EXTENSIONS spelling,
    // nested folders walked as sorted(os.walk()) lists them, hidden and non-image files and folders left out.
    void layoutAndOrder() {
        QTemporaryDir dir;
        const QString root = dir.path();
        for (const char* file :
             {"b/2.jpg", "b/10.JPEG", "b/1.Png", "b/notes.txt", "b/.hidden.jpg", "b/x.jpg.bak", "a/z.webp",
              "a/sub/y.tif", "a/sub-dir/x.TIFF", "a/sub/deeper/w.bmp", "a/m.ppm", "a/n.pgm",
              "a/sub/.cache/v.jpg", "C/only.jpeg", ".git/objects.jpg"})
            touchFile(root + "/" + file);
        QDir().mkpath(root + "/b/empty-sub");
        touchFile(root + "/README.jpg"); // a file beside the classes is not a class
        const ImageFolder folder = scanImageFolder(root.toStdString());
        QCOMPARE(QString::fromStdString(folder.root), root);
        QCOMPARE(folder.classes, (std::vector<std::string>{"C", "a", "b"}));
        // Within a: the folders by path, "a" < "a/sub" < "a/sub-dir" < "a/sub/deeper" ('-' is 0x2D, '/'
        // 0x2F), as sorted(os.walk()) orders them; the files of each folder by name.
        const QStringList expected{"0:C/only.jpeg",
                                   "1:a/m.ppm",
                                   "1:a/n.pgm",
                                   "1:a/z.webp",
                                   "1:a/sub/y.tif",
                                   "1:a/sub-dir/x.TIFF",
                                   "1:a/sub/deeper/w.bmp",
                                   "2:b/1.Png",
                                   "2:b/10.JPEG",
                                   "2:b/2.jpg"};
        QCOMPARE(listing(folder), expected);
        for (const FolderEntry& e : folder.entries) {
            QCOMPARE(e.bytes, int64_t(1));
            QVERIFY(e.mtimeNs > 0);
        }
    }

    void symbolicLinksFollowedOnce() {
        QTemporaryDir dir;
        touchFile(dir.path() + "/cat/a.jpg");
        touchFile(dir.path() + "/elsewhere/b.jpg");
        QVERIFY(QFile::link(dir.path() + "/elsewhere", dir.path() + "/cat/linked"));
        QVERIFY(QFile::link(dir.path() + "/cat", dir.path() + "/cat/loop")); // back to the class: walked once
        QVERIFY(QFile::link(dir.path() + "/absent.jpg", dir.path() + "/cat/broken.jpg"));
        const ImageFolder folder = scanImageFolder(dir.path().toStdString() + "/");
        QCOMPARE(folder.classes, (std::vector<std::string>{"cat", "elsewhere"}));
        QCOMPARE(listing(folder), (QStringList{"0:cat/a.jpg", "0:cat/linked/b.jpg", "1:elsewhere/b.jpg"}));
    }

    void errors_data() {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("message");
        QTest::addRow("missing folder") << QStringList{} << "absent"
                                        << "@/absent: no such folder";
        QTest::addRow("a file, not a folder") << QStringList{"file.jpg"} << "file.jpg"
                                              << "@/file.jpg: not a folder";
        QTest::addRow("no class folders") << QStringList{"data/a.jpg", "data/.hidden/b.jpg"} << "data"
                                          << "@/data: no class sub-folders";
        QTest::addRow("an empty class")
            << QStringList{"data/n01/a.jpg", "data/n02/readme.txt", "data/n03/b.jpg"} << "data"
            << "class 'n02' in @/data has no images (.jpg, .jpeg, .png, .ppm, .bmp, "
               ".pgm, .tif, .tiff, .webp)";
    }
    void errors() {
        QFETCH(QStringList, files);
        QFETCH(QString, folder);
        QFETCH(QString, message);
        QTemporaryDir dir;
        for (const QString& f : files)
            touchFile(dir.path() + "/" + f);
        const QString error =
            test::errorOf([&] { scanImageFolder((dir.path() + "/" + folder).toStdString()); });
        message.replace("@", dir.path());
        QVERIFY2(error.startsWith(message), qPrintable(error));
    }

    void trainAndVal() {
        QTemporaryDir dir;
        for (const char* f :
             {"train/cat/1.jpg", "train/cat/2.jpg", "train/dog/1.jpg", "val/cat/9.jpg", "val/dog/8.png"})
            touchFile(dir.path() + "/" + f);
        const ImageFolderPair pair = scanTrainVal(dir.path().toStdString());
        QCOMPARE(pair.train.classes, (std::vector<std::string>{"cat", "dog"}));
        QCOMPARE(pair.val.classes, pair.train.classes);
        QCOMPARE(listing(pair.train), (QStringList{"0:cat/1.jpg", "0:cat/2.jpg", "1:dog/1.jpg"}));
        QCOMPARE(listing(pair.val), (QStringList{"0:cat/9.jpg", "1:dog/8.png"}));
    }

    void trainAndValErrors_data() {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("message");
        QTest::addRow("no val") << QStringList{"train/cat/1.jpg"} << "@: no 'val' folder";
        QTest::addRow("no train") << QStringList{"val/cat/1.jpg"} << "@: no 'train' folder";
        QTest::addRow("a class only in train")
            << QStringList{"train/cat/1.jpg", "train/cow/1.jpg", "train/dog/1.jpg", "val/cat/1.jpg",
                           "val/dog/1.jpg"}
            << "@: the classes of train and val differ: 'cow' is in train but not in val";
        QTest::addRow("a class only in val")
            << QStringList{"train/cat/1.jpg", "val/cat/1.jpg", "val/dog/1.jpg"}
            << "@: the classes of train and val differ: 'dog' is in val but not in train";
        QTest::addRow("an empty class in val")
            << QStringList{"train/cat/1.jpg", "val/cat/x.txt"} << "class 'cat' in @/val has no images";
    }
    void trainAndValErrors() {
        QFETCH(QStringList, files);
        QFETCH(QString, message);
        QTemporaryDir dir;
        for (const QString& f : files)
            touchFile(dir.path() + "/" + f);
        const QString error = test::errorOf([&] { scanTrainVal(dir.path().toStdString()); });
        message.replace("@", dir.path());
        QVERIFY2(error.startsWith(message), qPrintable(error));
    }

    // The fingerprint follows the files: the same tree gives the same digest; touching, resizing, adding,
    // removing or renaming a file changes it. The same tree elsewhere with the same times gives the same one.
    void fingerprintFollowsFiles() {
        QTemporaryDir dir, copy;
        for (const QTemporaryDir* d : {&dir, &copy})
            for (const char* f : {"cat/1.jpg", "cat/2.jpg", "dog/1.jpg"}) {
                touchFile(d->path() + "/" + f, "abc");
                QVERIFY(setMtime(d->path() + "/" + f, 1700000000));
            }
        const QString root = dir.path();
        auto digest = [&] { return fingerprint(scanImageFolder(root.toStdString())); };
        const std::string first = digest();
        QCOMPARE(first.size(), size_t(16));
        QCOMPARE(digest(), first);
        QCOMPARE(fingerprint(scanImageFolder(copy.path().toStdString())), first);

        QVERIFY(setMtime(root + "/cat/2.jpg", 1700000001)); // touched
        const std::string touched = digest();
        QVERIFY(touched != first);
        QVERIFY(setMtime(root + "/cat/2.jpg", 1700000000));
        QCOMPARE(digest(), first);

        touchFile(root + "/cat/2.jpg", "abcd"); // resized
        QVERIFY(setMtime(root + "/cat/2.jpg", 1700000000));
        const std::string resized = digest();
        QVERIFY(resized != first);
        touchFile(root + "/cat/2.jpg", "abc");
        QVERIFY(setMtime(root + "/cat/2.jpg", 1700000000));
        QCOMPARE(digest(), first);

        touchFile(root + "/dog/3.jpg", "abc"); // added
        QVERIFY(setMtime(root + "/dog/3.jpg", 1700000000));
        const std::string added = digest();
        QVERIFY(added != first);
        QVERIFY(QFile::rename(root + "/dog/3.jpg", root + "/dog/4.jpg")); // renamed
        const std::string renamed = digest();
        QVERIFY(renamed != added && renamed != first);
        QVERIFY(QFile::remove(root + "/dog/4.jpg")); // removed
        QCOMPARE(digest(), first);
        QVERIFY(QFile::remove(root + "/dog/1.jpg"));
        touchFile(root + "/dog/1.png", "abc");
        QVERIFY(setMtime(root + "/dog/1.png", 1700000000));
        QVERIFY(digest() != first);
    }
};

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_image_folder.moc"
