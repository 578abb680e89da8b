#include "ui/training/external_run.h"
#include "core/setup/command_line.h"
#include "ui/training/run_queue.h"
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace bp::ui {

namespace {

constexpr int kKeptErrorLines = 40;

bool isProgram(const QString& path) {
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

} // namespace

QString findTrainerProgram(QStringList* searched) {
    const QString fromEnv = qEnvironmentVariable("BURSTPROP_TRAIN_BIN");
    if (!fromEnv.isEmpty()) {
        searched->append(QStringLiteral("%1 (BURSTPROP_TRAIN_BIN)").arg(fromEnv));
        return isProgram(fromEnv) ? fromEnv : QString();
    }
    const QString beside =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("burstprop-train"));
    searched->append(beside);
    if (isProgram(beside))
        return beside;
    searched->append(QStringLiteral("PATH"));
    return QStandardPaths::findExecutable(QStringLiteral("burstprop-train"));
}

QStringList externalRunArguments(const QueuedRun& run, int processes, const QString& database) {
    QStringList args;
    for (const std::string& a : commandLineArguments(run.config))
        args << QString::fromStdString(a);
    args << QStringLiteral("--nproc") << QString::number(processes) << QStringLiteral("--db") << database
         << QStringLiteral("--no-progress") << QStringLiteral("--name") << run.name;
    if (!run.tags.isEmpty())
        args << QStringLiteral("--tags") << run.tags.join(QLatin1Char(','));
    if (!run.notes.isEmpty())
        args << QStringLiteral("--notes") << run.notes;
    return args;
}

ExternalRun::ExternalRun(QObject* parent) : QObject(parent), process_(new QProcess(this)) {
    connect(process_, &QProcess::readyReadStandardOutput, this, &ExternalRun::readOutput);
    connect(process_, &QProcess::readyReadStandardError, this, &ExternalRun::readErrors);
    connect(process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        readOutput();
        readErrors();
        if (reported_)
            return;
        reported_ = true;
        if (status == QProcess::CrashExit && stopRequested_) // SIGTERM before its handler was set up
            Q_EMIT finished(130, QString());
        else if (status == QProcess::CrashExit)
            Q_EMIT finished(-1, tr("burstprop-train crashed"));
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

ExternalRun::~ExternalRun() {
    blockSignals(true); // the owner is going away: nobody to tell
    if (isRunning()) {
        stop();
        wait(60000);
    }
}

void ExternalRun::start(const QString& program, const QStringList& arguments) {
    process_->start(program, arguments);
}

void ExternalRun::stop() {
    if (!isRunning())
        return;
    stopRequested_ = true;
    process_->terminate(); // SIGTERM
}

bool ExternalRun::isRunning() const {
    return process_->state() != QProcess::NotRunning;
}

bool ExternalRun::wait(int msecs) {
    if (!isRunning())
        return true;
    if (process_->waitForFinished(msecs))
        return true;
    process_->kill();
    process_->waitForFinished(5000);
    return false;
}

void ExternalRun::readOutput() {
    outBuffer_ += process_->readAllStandardOutput();
    int end;
    while ((end = outBuffer_.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(outBuffer_.left(end));
        outBuffer_.remove(0, end + 1);
        static const QRegularExpression runLine(QStringLiteral("^run (\\d+) in "));
        const QRegularExpressionMatch m = runLine.match(line);
        if (runId_ == 0 && m.hasMatch()) {
            runId_ = m.captured(1).toLongLong();
            Q_EMIT runIdKnown(runId_);
        }
    }
}

void ExternalRun::readErrors() {
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
