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

void ExternalRun::outputLine(const QString& line) {
    static const QRegularExpression runLine(QStringLiteral("^run (\\d+) in "));
    const QRegularExpressionMatch m = runLine.match(line);
    if (runId_ == 0 && m.hasMatch()) {
        runId_ = m.captured(1).toLongLong();
        Q_EMIT runIdKnown(runId_);
    }
}

} // namespace bp::ui
