#include "ui/training/trainer_process.h"

namespace bp::ui {

namespace {

constexpr int kKeptErrorLines = 40;

} // namespace

TrainerProcess::TrainerProcess(QString what, QObject* parent)
    : QObject(parent), what_(std::move(what)), process_(new QProcess(this)) {
    connect(process_, &QProcess::readyReadStandardOutput, this, &TrainerProcess::readOutput);
    connect(process_, &QProcess::readyReadStandardError, this, &TrainerProcess::readErrors);
    connect(process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        readOutput();
        readErrors();
        if (reported_)
            return;
        reported_ = true;
        if (status == QProcess::CrashExit && stopRequested_) // SIGTERM before its handler was set up
            Q_EMIT finished(130, QString());
        else if (status == QProcess::CrashExit)
            Q_EMIT finished(-1, tr("%1 crashed").arg(what_));
        else
            Q_EMIT finished(code, QString());
    });
    connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || reported_)
            return;
        reported_ = true;
        Q_EMIT finished(-1,
                        tr("%1 could not be started: %2").arg(process_->program(), process_->errorString()));
    });
}

TrainerProcess::~TrainerProcess() {
    blockSignals(true); // the owner is going away: nobody to tell
    if (isRunning()) {
        stop();
        wait(120000);
    }
}

void TrainerProcess::start(const QString& program, const QStringList& arguments) {
    process_->start(program, arguments);
}

void TrainerProcess::stop() {
    if (!isRunning())
        return;
    stopRequested_ = true;
    process_->terminate(); // SIGTERM
}

bool TrainerProcess::isRunning() const {
    return process_->state() != QProcess::NotRunning;
}

bool TrainerProcess::wait(int msecs) {
    if (!isRunning())
        return true;
    if (process_->waitForFinished(msecs))
        return true;
    process_->kill();
    process_->waitForFinished(5000);
    return false;
}

void TrainerProcess::readOutput() {
    outBuffer_ += process_->readAllStandardOutput();
    int end;
    while ((end = outBuffer_.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(outBuffer_.left(end));
        outBuffer_.remove(0, end + 1);
        if (!line.trimmed().isEmpty())
            lastOutput_ = line;
        outputLine(line);
    }
}

void TrainerProcess::readErrors() {
    errBuffer_ += process_->readAllStandardError();
    int end;
    while ((end = errBuffer_.indexOf('\n')) >= 0) {
        errorLines_ << QString::fromUtf8(errBuffer_.left(end));
        errBuffer_.remove(0, end + 1);
    }
    if (!isRunning() && !errBuffer_.isEmpty()) {
        errorLines_ << QString::fromUtf8(errBuffer_);
        errBuffer_.clear();
    }
    while (errorLines_.size() > kKeptErrorLines)
        errorLines_.removeFirst();
}

} // namespace bp::ui
