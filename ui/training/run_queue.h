#pragma once
#include "core/config/run_config.h"
#include <QAbstractListModel>
#include <QString>
#include <QStringList>
#include <QVector>
#include <cstdint>
#include <optional>

namespace bp::ui {

// A run waiting for its turn: what to call it, what to train, and the run store's id once it has one.
struct QueuedRun {
    QString name;
    RunConfig config;
    QStringList tags; // recorded with the run when it starts
    QString notes;
    std::optional<int64_t> storeRunId;
    int processes = 1; // more than 1: trained by burstprop-train --nproc N (ExternalRun)
};

// What a configuration sets apart from its dataset's and rule's defaults, as "key value · key value"
// ("dataset mnist · hidden-widths 100,50 · n_epochs 20"), or "the defaults".
QString differencesText(const RunConfig& config);

// The runs queued to train one after another, first row first. The display text is the name and, on a
// second line, what differs from the defaults (differencesText()); the tooltip is the burstprop-train
// command line that reproduces it.
class RunQueueModel : public QAbstractListModel {
    Q_OBJECT
  public:
    enum Role {
        NameRole = Qt::UserRole + 1, // QString
        SummaryRole,                 // QString: configurationLine()
        CommandLineRole,             // QString: commandLine()
        StoreRunIdRole,              // qlonglong, or an invalid QVariant before the run is stored
    };

    explicit RunQueueModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int enqueue(const QueuedRun& run); // returns the new row (the last)
    bool remove(int row);
    bool moveUp(int row);
    bool moveDown(int row);
    // Removes and returns the first run; nothing when the queue is empty.
    std::optional<QueuedRun> takeNext();
    void clear();
    // Records the store's id of a queued run (when it was created in the store before it started).
    bool setStoreRunId(int row, int64_t runId);

    bool isEmpty() const { return runs_.isEmpty(); }
    int count() const { return static_cast<int>(runs_.size()); }
    const QueuedRun& at(int row) const { return runs_.at(row); }

  Q_SIGNALS:
    // After every change of the number of queued runs (enqueue, remove, takeNext, clear).
    void countChanged(int count);

  private:
    bool move(int from, int to);
    bool isRow(int row) const { return row >= 0 && row < count(); }

    QVector<QueuedRun> runs_;
};

} // namespace bp::ui
