#pragma once
#include "core/events/observer.h"
#include <vector>

namespace bp {

// Forwards every report to several observers, in the order they were added.
class ObserverList : public TrainingObserver {
  public:
    void add(TrainingObserver* observer) {
        if (observer)
            observers_.push_back(observer);
    }
    void onStatus(RunStatus status, const std::string& message) override {
        for (TrainingObserver* o : observers_)
            o->onStatus(status, message);
    }
    void onBatch(const BatchReport& report) override {
        for (TrainingObserver* o : observers_)
            o->onBatch(report);
    }
    void onEpoch(const EpochReport& report) override {
        for (TrainingObserver* o : observers_)
            o->onEpoch(report);
    }
    void onCheckpoint(const CheckpointReport& report) override {
        for (TrainingObserver* o : observers_)
            o->onCheckpoint(report);
    }
    void onSkippedFile(const SkippedFileReport& report) override {
        for (TrainingObserver* o : observers_)
            o->onSkippedFile(report);
    }
    void onDataSource(const DataSourceReport& report) override {
        for (TrainingObserver* o : observers_)
            o->onDataSource(report);
    }

  private:
    std::vector<TrainingObserver*> observers_;
};

} // namespace bp
