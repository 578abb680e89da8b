#pragma once
#include "core/config/run_config.h"
#include <QObject>
#include <QString>
#include <QThread>
#include <atomic>

namespace bp::ui {

// Downloads a data set on its own thread (core/data/downloader: MD5-checked, as torchvision), reporting
// progress as text. One download at a time; cancel() stops it between two chunks.
class DatasetDownload : public QObject {
    Q_OBJECT
  public:
    explicit DatasetDownload(QObject* parent = nullptr);
    ~DatasetDownload() override; // cancels and waits

    // destDir empty: the user's data folder for kind. mirror empty: the data set's default mirror.
    bool start(DatasetKind kind, const QString& destDir, const QString& mirror = {});
    void cancel() { cancelled_ = true; }
    bool isRunning() const { return thread_ && thread_->isRunning(); }

  Q_SIGNALS:
    void progress(const QString& text);
    // ok: every file is there and checked; folder: where they are; message: why not.
    void finished(bool ok, const QString& folder, const QString& message);

  private:
    QThread* thread_ = nullptr;
    std::atomic<bool> cancelled_{false};
};

} // namespace bp::ui
