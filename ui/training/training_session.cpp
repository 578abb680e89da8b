#include "ui/training/training_session.h"
#include "core/train/trainer.h"
#include <QMetaObject>

namespace bp::ui {

TrainingSession::TrainingSession(RunConfig config, QObject* parent)
    : QObject(parent), config_(std::move(config)), trainer_(std::make_unique<Trainer>(config_, static_cast<TrainingObserver*>(this))) {}

TrainingSession::~TrainingSession() {
    stop();
    wait();
}

void TrainingSession::setData(data::DatasetPair data) { trainer_->setData(std::move(data)); }

void TrainingSession::start() {
    if (thread_)
        return;
    thread_ = QThread::create([this] {
        const RunStatus status = trainer_->run();
        const QString message = QString::fromStdString(trainer_->message());
        QMetaObject::invokeMethod(this, [this, status, message] { Q_EMIT finished(status, message); },
                                  Qt::QueuedConnection);
    });
    thread_->setObjectName(QStringLiteral("trainer"));
    thread_->start();
}

void TrainingSession::pause() { trainer_->requestPause(); }
void TrainingSession::resume() { trainer_->requestResume(); }
void TrainingSession::stop() { trainer_->requestStop(); }
bool TrainingSession::isRunning() const { return thread_ && thread_->isRunning(); }

void TrainingSession::wait() {
    if (thread_) {
        thread_->wait();
        delete thread_;
        thread_ = nullptr;
    }
}

SessionUpdate TrainingSession::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    SessionUpdate out = std::move(pending_);
    pending_ = SessionUpdate();
    notified_ = false;
    return out;
}

void TrainingSession::notify() {
    // Called with mutex_ held: one signal until the GUI takes the data.
    if (notified_)
        return;
    notified_ = true;
    QMetaObject::invokeMethod(this, [this] { Q_EMIT dataAvailable(); }, Qt::QueuedConnection);
}

void TrainingSession::onStatus(RunStatus status, const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.status = status;
    pending_.message = QString::fromStdString(message);
    notify();
}

void TrainingSession::onBatch(const BatchReport& report) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.batches.push_back(report);
    notify();
}

void TrainingSession::onEpoch(const EpochReport& report) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.epochs.push_back(report);
    notify();
}

} // namespace bp::ui
