#pragma once
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <cstdint>

namespace bp::ui {

struct QueuedRun;

// burstprop-train for the explorer: BURSTPROP_TRAIN_BIN when set (and only it: a wrong path is reported,
// not worked around), else burstprop-train beside the explorer's executable, else on PATH. Empty when none
// is found; *searched then lists where it looked.
QString findTrainerProgram(QStringList* searched);

// The arguments that train run in `processes` local processes and record it in database:
// commandLineArguments(config), then --nproc N --db FILE --no-progress --name NAME [--tags] [--notes].
QStringList externalRunArguments(const QueuedRun& run, int processes, const QString& database);

// A run trained by burstprop-train as a child process of the explorer (several processes: --nproc). Rank 0
// records it in the run store; its id is read from the line "run N in FILE" that the CLI prints. stop() sends
// SIGTERM, which the launcher passes to every rank: they stop at the same batch, rank 0 checkpoints and
// records the run as stopped (exit code 130).
class ExternalRun : public QObject {
    Q_OBJECT
  public:
    explicit ExternalRun(QObject* parent = nullptr);
    ~ExternalRun() override; // stops a running process (SIGTERM) and waits for it

    void start(const QString& program, const QStringList& arguments);
    void stop();
    bool isRunning() const;
    // Blocks until the process has ended, at most msecs (then kills it). False when it had to be killed.
    bool wait(int msecs);
    int64_t runId() const { return runId_; } // 0 until the CLI has named it
    int exitCode() const { return process_->exitCode(); }
    QStringList errorLines() const { return errorLines_; } // stderr, the last 40 lines

  Q_SIGNALS:
    void runIdKnown(qint64 runId);
    // exitCode: the process's, or -1 when it crashed or could not start (message says why).
    void finished(int exitCode, const QString& message);

  private:
    void readOutput();
    void readErrors();

    QProcess* process_;
    QByteArray outBuffer_, errBuffer_;
    QStringList errorLines_;
    int64_t runId_ = 0;
    bool reported_ = false;
    bool stopRequested_ = false;
};

} // namespace bp::ui
