#pragma once
#include "core/config/run_config.h"
#include "ui/training/trainer_process.h"
#include <QString>
#include <QStringList>
#include <cstddef>
#include <cstdint>
#include <vector>

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
    std::vector<RunConfig> configs; // each run's configuration, in the sweep's order
    QString error;                  // the core's message (as the CLI words it, after "--grid ")
    explicit operator bool() const { return error.isEmpty(); }
};
SweepCount countSweep(const SweepRequest& request);

// The default of "run up to K at a time": cores / threads per run (0 threads: all cores, so 1), at least 1.
int defaultSweepParallel(int threadsPerRun);

// The sweep's estimated duration from this machine's recorded speed. Each run of the sweep is timed by the
// newest completed runs in store like it: the same dataset, network (and fully connected widths, conv
// channels) and training set (all images, or a train_limit: then scaled by the ratio of the limits); among
// those, the ones that also share its rule, threads per run and batch size where any do (in that order of
// weight). Its time is its epochs times their median time per epoch; the sweep's is the runs' sum spread
// over `parallel` at a time (never less than its longest run). Says how many runs it went by and how many
// of the sweep's runs had none like them; "no earlier run to estimate from" when none had.
QString sweepEstimateText(RunStore& store, const std::vector<RunConfig>& runs, int parallel);

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
