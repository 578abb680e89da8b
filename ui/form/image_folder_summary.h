#pragma once
#include <QFuture>
#include <QString>
#include <cstdint>

namespace bp::ui {

// What a data folder of torchvision's ImageFolder layout (DIR/train/<class>/…, DIR/val/<class>/…) holds,
// as bp::images::scanTrainVal() finds it, or what is wrong with it (the bp::Error's text).
struct ImageFolderScan {
    QString dir;
    bool trainOnly = false; // -validation: only DIR/train is read (the test set is held out of it)
    bool ok = false;
    QString error;
    int classes = 0;
    int64_t trainImages = 0;
    int64_t valImages = 0;
};

// Reads the folder (every class folder, every file's name, size and time: seconds for ImageNet's 1.3
// million files on a cold cache): train/ and val/, or train/ alone when trainOnly (a run with -validation
// reads no more). Never throws.
ImageFolderScan scanImageFolderSummary(const QString& dir, bool trainOnly = false);

// The same, on a thread of QThreadPool::globalInstance(); the future has one result.
QFuture<ImageFolderScan> scanImageFolderLater(const QString& dir, bool trainOnly = false);

// "1000 classes, 1,281,167 training images, 50,000 test images" (numbers in the locale's form). With
// validation: the training images less the held-out ones (validationSize, at most a tenth), and those as
// the test images, as the trainer splits them. For a failed scan, or a training set too small to split: the
// error, and ok is false.
struct ImageFolderSummary {
    bool ok = false;
    QString text;
};
ImageFolderSummary summarizeImageFolder(const ImageFolderScan& scan, bool validation, int64_t validationSize);

} // namespace bp::ui
