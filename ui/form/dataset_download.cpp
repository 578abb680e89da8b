#include "ui/form/dataset_download.h"
#include "core/data/dataset.h"
#include "core/data/downloader.h"
#include <QMetaObject>
#include <QPointer>

namespace bp::ui {

DatasetDownload::DatasetDownload(QObject* parent) : QObject(parent) {}

DatasetDownload::~DatasetDownload() {
    cancelled_ = true;
    if (thread_) {
        thread_->wait();
        delete thread_;
    }
}

bool DatasetDownload::start(DatasetKind kind, const QString& destDir, const QString& mirror) {
    if (isRunning())
        return false;
    if (thread_) {
        thread_->wait();
        delete thread_;
    }
    cancelled_ = false;
    data::DownloadOptions options;
    options.destDir = destDir.isEmpty() ? data::userDataDir(kind) : destDir.toStdString();
    options.baseUrl = mirror.toStdString();
    QPointer<DatasetDownload> self(this);
    auto post = [self](auto&& call) {
        QMetaObject::invokeMethod(self.data(), std::forward<decltype(call)>(call), Qt::QueuedConnection);
    };
    options.progress = [this, post, last = std::string(),
                        lastPercent = -1](const std::string& file, int64_t done, int64_t total) mutable {
        const int percent = total > 0 ? static_cast<int>(100 * done / total) : -1;
        if (file != last || percent != lastPercent) {
            last = file;
            lastPercent = percent;
            const QString text =
                percent >= 0 ? tr("downloading %1: %2 %").arg(QString::fromStdString(file)).arg(percent)
                             : tr("downloading %1: %2 MB")
                                   .arg(QString::fromStdString(file))
                                   .arg(done / 1e6, 0, 'f', 1);
            post([this, text] { Q_EMIT progress(text); });
        }
        return !cancelled_.load();
    };
    thread_ = QThread::create([this, kind, options, post] {
        QString message;
        bool ok = true;
        try {
            data::downloadDataset(kind, options);
        } catch (const std::exception& e) {
            ok = false;
            message = QString::fromStdString(e.what());
        }
        const QString folder = QString::fromStdString(options.destDir);
        post([this, ok, folder, message] { Q_EMIT finished(ok, folder, message); });
    });
    thread_->start();
    return true;
}

} // namespace bp::ui
