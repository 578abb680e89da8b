#include "ui/form/image_folder_summary.h"
#include "core/images/image_folder.h"
#include <QCoreApplication>
#include <QLocale>
#include <QPromise>
#include <QThreadPool>
#include <algorithm>
#include <exception>
#include <memory>

namespace bp::ui {

namespace {

QString count(int64_t n) {
    QLocale locale;
    if (locale.language() == QLocale::C) // the C locale writes no group separators: 1,281,167 reads better
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    locale.setNumberOptions(QLocale::DefaultNumberOptions);
    return locale.toString(static_cast<qlonglong>(n));
}

QString tr(const char* text) {
    return QCoreApplication::translate("bp::ui::ImageFolderSummary", text);
}

} // namespace

ImageFolderScan scanImageFolderSummary(const QString& dir, bool trainOnly) {
    ImageFolderScan scan;
    scan.dir = dir;
    scan.trainOnly = trainOnly;
    try {
        if (trainOnly) {
            const images::ImageFolder train = images::scanImageFolder(dir.toStdString() + "/train");
            scan.classes = static_cast<int>(train.classes.size());
            scan.trainImages = static_cast<int64_t>(train.entries.size());
        } else {
            const images::ImageFolderPair pair = images::scanTrainVal(dir.toStdString());
            scan.classes = static_cast<int>(pair.train.classes.size());
            scan.trainImages = static_cast<int64_t>(pair.train.entries.size());
            scan.valImages = static_cast<int64_t>(pair.val.entries.size());
        }
        scan.ok = true;
    } catch (const std::exception& e) {
        scan.error = QString::fromUtf8(e.what());
    }
    return scan;
}

QFuture<ImageFolderScan> scanImageFolderLater(const QString& dir, bool trainOnly) {
    auto promise = std::make_shared<QPromise<ImageFolderScan>>();
    QFuture<ImageFolderScan> future = promise->future();
    promise->start();
    QThreadPool::globalInstance()->start([promise, dir, trainOnly] {
        promise->addResult(scanImageFolderSummary(dir, trainOnly));
        promise->finish();
    });
    return future;
}

ImageFolderSummary summarizeImageFolder(const ImageFolderScan& scan, bool validation,
                                        int64_t validationSize) {
    if (!scan.ok)
        return {false, scan.error};
    const QString classes = tr("%1 classes").arg(count(scan.classes));
    if (!validation)
        return {true, tr("%1, %2 training images, %3 test images")
                          .arg(classes, count(scan.trainImages), count(scan.valImages))};
    const int64_t held = std::min<int64_t>(validationSize, scan.trainImages / 10);
    if (held < 1)
        return {false, tr("validation split: %1/train has %2 images; holding out a tenth needs at least 10")
                           .arg(scan.dir, count(scan.trainImages))};
    return {true, tr("%1, %2 training images, %3 test images held out of train/ for validation")
                      .arg(classes, count(scan.trainImages - held), count(held))};
}

} // namespace bp::ui
