#pragma once
#include "core/config/run_config.h"
#include "core/events/observer.h"
#include <fstream>
#include <memory>
#include <mutex>
#include <string>

namespace bp {

// A run's results folder, as the reference's output directory:
//   params.txt   every setting, human-readable (written at the start)
//   config.json  the configuration as toJson() writes it, to rerun or compare
//   metrics.csv  epoch,train_loss,train_error,test_loss,test_error,weight_angle_<layer>..,
//                delta_angle_<layer>..,silent_classes: one row per epoch (epoch 0: before training), flushed
//                at once; NaN as an empty cell. <layer> is the layer's index in the network (0 = the first
//                weight layer), as in the run store: weight angles from layer 1 (by default), delta angles
//                from layer 0.
//   signal_histograms.csv  epoch,step,layer,quantity,low,high,bin,count,units,silent_units,silent_classes:
//                the signal histograms of every measured step (epoch 0, step 0: the untrained network), one
//                row per bin (core/store/run_store.h, kSignalCsvColumns), flushed with each measurement.
class ResultsWriter : public TrainingObserver {
  public:
    // Creates dir when missing and writes params.txt and config.json; truncates metrics.csv.
    // Throws bp::Error naming the path when a file cannot be written.
    ResultsWriter(const std::string& dir, const RunConfig& config, const std::string& commandLine = {});

    // A resumed run's results folder, when it has a metrics.csv (nullptr otherwise: the run was trained
    // without one): its rows up to afterEpoch (the checkpoint's completed epochs) are kept under their
    // header, a row cut short by a kill and the rows of epochs the run trains again are dropped, and the new
    // epochs are appended under the same columns. config.json is rewritten with config (the epochs asked
    // for); params.txt keeps the run's start. Throws bp::Error naming the file when it cannot be read or
    // written.
    static std::unique_ptr<ResultsWriter> continuing(const std::string& dir, const RunConfig& config,
                                                     int afterEpoch);

    // Appends the epoch's row and flushes it; throws bp::Error naming metrics.csv when it cannot be written
    // (the trainer then ends the run as failed with that message).
    void onEpoch(const EpochReport& report) override;
    // Measured batches: their signal histograms appended to signal_histograms.csv (epoch 0's come with
    // onEpoch), flushed at once.
    void onBatch(const BatchReport& report) override;

    // Contents of params.txt (timestamp: "07:22AM on November 28, 2025" as the reference's).
    static std::string paramsText(const RunConfig& config, const std::string& timestamp,
                                  const std::string& commandLine = {});
    // The header for that many angle columns of each kind, and one row (without '\n').
    // top5: train_top5_error and test_top5_error columns after test_error (networks with a softmax output).
    static std::string csvHeader(size_t angleColumns, int firstWeightAngleLayer = 1, bool top5 = false);
    static std::string csvRow(const EpochReport& report, size_t angleColumns, bool top5 = false);

    const std::string& dir() const { return dir_; }

  private:
    ResultsWriter() = default;
    // Appends the rows of one measurement (under mutex_); throws bp::Error naming the file.
    void writeSignals(int epoch, int64_t step, const std::vector<SignalHistogram>& histograms);

    std::string dir_;
    std::string metricsPath_;
    std::ofstream metrics_;
    std::string signalsPath_; // signal_histograms.csv: RunStore's kSignalCsvColumns, one row per bin
    std::ofstream signals_;
    std::mutex mutex_;
    bool headerWritten_ = false;
    int lastEpoch_ = -1; // rows of epochs up to this one are in the file already
    bool top5_ = false;
    size_t angleColumns_ = 0;
};

} // namespace bp
