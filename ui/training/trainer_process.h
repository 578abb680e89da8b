#pragma once
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace bp::ui {

// burstprop-train as a child process of the explorer: a run (ExternalRun) or a sweep (ExternalSweep). Reads
// its standard output line by line (outputLine(), for the subclass to find the id it prints) and keeps the
// last 40 lines of its standard error. stop() sends SIGTERM: burstprop-train checkpoints what trains and
// records it stopped (exit code 130). finished() comes once: the exit code, or -1 when the process crashed or
// could not start (message says why); 130 also for a SIGTERM that came before its handler was set up.
class TrainerProcess : public QObject {
    Q_OBJECT
  public:
    // what: the command's name in messages ("burstprop-train", "burstprop-train sweep").
    TrainerProcess(QString what, QObject* parent);
    ~TrainerProcess() override; // stops a running process (SIGTERM) and waits for it (2 min at most)

    void start(const QString& program, const QStringList& arguments);
    void stop();
    bool isRunning() const;
    // Blocks until the process has ended, at most msecs (then kills it). False when it had to be killed.
    bool wait(int msecs);
    int exitCode() const { return process_->exitCode(); }
    QStringList errorLines() const { return errorLines_; } // stderr, the last 40 lines
    QString lastOutputLine() const { return lastOutput_; } // stdout's last non-empty line

  Q_SIGNALS:
    void finished(int exitCode, const QString& message);

  protected:
    virtual void outputLine(const QString& line) = 0;

  private:
    void readOutput();
    void readErrors();

    QString what_;
    QProcess* process_;
    QByteArray outBuffer_, errBuffer_;
    QStringList errorLines_;
    QString lastOutput_;
    bool reported_ = false;
    bool stopRequested_ = false;
};

} // namespace bp::ui
