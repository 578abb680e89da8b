#include "ui/training/training_session.h"
#include "core/store/run_recorder.h"
#include "core/store/run_store.h"
#include <QMetaObject>

namespace bp::ui {

TrainingSession::TrainingSession(RunConfig config, QObject* parent)
    : QObject(parent), config_(std::move(config)),
      trainer_(std::make_unique<Trainer>(config_, static_cast<TrainingObserver*>(this))) {}

TrainingSession::~TrainingSession() {
    stop();
    wait();
}

void TrainingSession::setData(data::DatasetPair data) {
    trainer_->setData(std::move(data));
}

void TrainingSession::setRecording(const std::string& databasePath, int64_t runId,
                                   CheckpointOptions checkpoints) {
    runId_ = runId;
    databasePath_ = databasePath;
    trainer_->setCheckpointing(std::move(checkpoints));
}

bool TrainingSession::openRecording() {
    if (databasePath_.empty())
        return true;
    try {
        store_ = std::make_unique<RunStore>(databasePath_);
        recorder_ = std::make_unique<RunRecorder>(*store_, runId_);
        return true;
    } catch (const std::exception& e) {
        const QString message = QString::fromUtf8(e.what());
        QMetaObject::invokeMethod(
            this, [this, message] { Q_EMIT finished(RunStatus::Failed, message); }, Qt::QueuedConnection);
        return false;
    }
}

void TrainingSession::resumeFrom(Checkpoint checkpoint) {
    trainer_->resumeFrom(std::move(checkpoint));
}

void TrainingSession::start() {
    if (thread_)
        return;
    thread_ = QThread::create([this] {
        if (!openRecording())
            return;
        const RunStatus status = trainer_->run();
        if (recorder_)
            recorder_->flush();
        // The weights as training left them, whether or not a view asked: a view shown after the run's end
        // (the W-Y scatter on a hidden tab) must draw the final state, not the last one it requested.
        if (!trainer_->network().layers.empty()) {
            WeightSnapshot last = snapshot(trainer_->network());
            std::lock_guard<std::mutex> lock(mutex_);
            if (initial_) {
                last.epoch = lastEpoch_;
                last.step = lastStep_;
                pending_.weights = std::move(last);
                notify();
            }
        }
        const QString message = QString::fromStdString(trainer_->message());
        QMetaObject::invokeMethod(
            this, [this, status, message] { Q_EMIT finished(status, message); }, Qt::QueuedConnection);
    });
    thread_->setObjectName(QStringLiteral("trainer"));
    thread_->start();
}

void TrainingSession::pause() {
    trainer_->requestPause();
}
void TrainingSession::resume() {
    trainer_->requestResume();
}
void TrainingSession::stop() {
    trainer_->requestStop();
}
bool TrainingSession::isRunning() const {
    return thread_ && thread_->isRunning();
}

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

WeightSnapshot TrainingSession::initialWeights() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return initial_.value_or(WeightSnapshot());
}

WeightSnapshot TrainingSession::snapshot(const Network& net) const {
    WeightSnapshot s;
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const at::Tensor feedback = trainer_->feedbackWeights(net, i); // Y, or sign(W) for sign symmetry
        const bool paired = feedback.defined() && feedback.sizes() == net.layers[i].weight.sizes();
        // W of a convolution is kept without Y too: the first layer's filters are drawn for every rule.
        const bool keepW = paired || net.layers[i].isConv();
        s.forward.push_back(keepW ? net.layers[i].weight.detach().to(at::kCPU).clone() : at::Tensor());
        s.feedback.push_back(paired ? feedback.detach().to(at::kCPU).clone() : at::Tensor());
    }
    return s;
}

void TrainingSession::notify() {
    // Called with mutex_ held: one signal until the GUI takes the data.
    if (notified_)
        return;
    notified_ = true;
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT dataAvailable(); }, Qt::QueuedConnection);
}

void TrainingSession::onStatus(RunStatus status, const std::string& message) {
    if (recorder_)
        recorder_->onStatus(status, message);
    std::lock_guard<std::mutex> lock(mutex_);
    const QString text = QString::fromStdString(message);
    if (text.startsWith(QLatin1String("warning:")))
        pending_.warnings.push_back(text);
    else {
        pending_.status = status;
        pending_.message = text;
    }
    notify();
}

void TrainingSession::onBatch(const BatchReport& report) {
    if (recorder_)
        recorder_->onBatch(report);
    // On the training thread, between two steps: the network is consistent here.
    std::optional<WeightSnapshot> weights;
    if (weightsRequested_.exchange(false)) {
        weights = snapshot(trainer_->network());
        weights->epoch = report.epoch;
        weights->step = report.step;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (!initial_)
        initial_ = snapshot(trainer_->initialNetwork());
    lastEpoch_ = report.epoch;
    lastStep_ = report.step;
    pending_.batches.push_back(report);
    if (weights)
        pending_.weights = std::move(weights);
    notify();
}

void TrainingSession::onEpoch(const EpochReport& report) {
    if (recorder_)
        recorder_->onEpoch(report);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!initial_)
        initial_ = snapshot(trainer_->initialNetwork());
    lastEpoch_ = report.epoch;
    lastStep_ = report.step;
    pending_.epochs.push_back(report);
    notify();
}

void TrainingSession::onCheckpoint(const CheckpointReport& report) {
    if (recorder_)
        recorder_->onCheckpoint(report);
}

void TrainingSession::onSkippedFile(const SkippedFileReport& report) {
    if (recorder_)
        recorder_->onSkippedFile(report);
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.warnings.push_back(
        tr("warning: skipped %1: %2")
            .arg(QString::fromStdString(report.path), QString::fromStdString(report.reason)));
    notify();
}

void TrainingSession::onDataSource(const DataSourceReport& report) {
    if (recorder_)
        recorder_->onDataSource(report);
}

} // namespace bp::ui
