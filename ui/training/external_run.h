#pragma once
#include "ui/training/trainer_process.h"
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
class ExternalRun : public TrainerProcess {
    Q_OBJECT
  public:
    explicit ExternalRun(QObject* parent = nullptr)
        : TrainerProcess(QStringLiteral("burstprop-train"), parent) {}
    int64_t runId() const { return runId_; } // 0 until the CLI has named it

  Q_SIGNALS:
    void runIdKnown(qint64 runId);

  protected:
    void outputLine(const QString& line) override;

  private:
    int64_t runId_ = 0;
};

} // namespace bp::ui
