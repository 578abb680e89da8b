#pragma once
#include "core/config/run_config.h"
#include "ui/training/trainer_process.h"
#include <QString>
#include <QStringList>
#include <cstddef>
#include <cstdint>

namespace bp {
class RunStore;
}

namespace bp::ui {

// A sweep as the Train page's form asks for it: `burstprop-train sweep --grid KEY=SPEC ...` over the form's
// run (its command-line spelling is the sweep's base).
struct SweepRequest {
    RunConfig config; // the base: the form's values, a swept field at its first value
    QStringList grid; // "key=spec", as --grid takes them (core/study/sweep_spec.h)
    int seeds = 1;    // --seeds
    int random = 0;   // --random N; 0: the grid
    int parallel = 1; // --parallel K
    QString name;     // --name; empty: the CLI's "sweep of KEY, ..."
    QStringList tags; // --tags
    QString notes;    // --notes
};

// The arguments of burstprop-train that run the sweep and record it in database (`sweep --grid ... --seeds
// K [--random N] --parallel K <the base's options> --db FILE [--name] [--tags] [--notes]`).
QStringList sweepLaunchArguments(const SweepRequest& request, const QString& database);

// How many runs the sweep makes (core's expandSweep: points × seeds, the runs that repeat an earlier run's
// configuration removed), or why it makes none.
struct SweepCount {
    size_t runs = 0;
    size_t points = 0;
    size_t duplicates = 0;
    QString error; // the core's message (as the CLI words it, after "--grid ")
    explicit operator bool() const { return error.isEmpty(); }
};
SweepCount countSweep(const SweepRequest& request);

// The default of "run up to K at a time": cores / threads per run (0 threads: all cores, so 1), at least 1.
int defaultSweepParallel(int threadsPerRun);

// The sweep's estimated duration from this machine's recorded speed: the median time per epoch of the
// newest completed runs of the same dataset, network and hidden widths in store, times the sweep's epochs,
// spread over `parallel` at a time. "no earlier run to estimate from" when there is none.
QString sweepEstimateText(RunStore& store, const RunConfig& config, size_t runs, int parallel);

// `burstprop-train sweep ...` (or `sweep resume ID`) as a child process of the explorer. The sweep's id is
// read from the line "sweep N (...)" or "sweep N: ..." that the CLI prints first. stop() sends SIGTERM: the
// sweep starts no more runs, asks its running ones to stop (each checkpoints) and is recorded as stopped
// (exit code 130).
class ExternalSweep : public TrainerProcess {
    Q_OBJECT
  public:
    explicit ExternalSweep(QObject* parent = nullptr)
        : TrainerProcess(QStringLiteral("burstprop-train sweep"), parent) {}
    int64_t sweepId() const { return sweepId_; }

  Q_SIGNALS:
    void sweepIdKnown(qint64 sweepId);

  protected:
    void outputLine(const QString& line) override;

  private:
    int64_t sweepId_ = 0;
};

} // namespace bp::ui
