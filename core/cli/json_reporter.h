#pragma once
#include "core/config/run_config.h"
#include "core/events/observer.h"
#include <chrono>
#include <mutex>
#include <ostream>
#include <string>

namespace bp {

// burstprop-train --json: one JSON object per line, flushed at once, for scripts to follow a run.
//   {"event":"run","run_id":7,"database":"...","checkpoints":"...","resumed_from_epoch":-1}
//                                                                     (first, when the run is recorded)
//   {"event":"status","status":"running","message":"","config":{...}}  (config on the first one only)
//   {"event":"progress","epoch":1,"batch":12,...}                      (at most every progressInterval s)
//   {"event":"epoch","epoch":N,"train_loss":…,"train_error":…,"test_loss":…,"test_error":…,
//    "weight_angles":[…],"delta_angles":[…]}                          (errors in %, angles in degrees)
//   {"event":"status","status":"completed","message":"..."}             (exactly one final status)
// NaN and infinities are written as null.
class JsonReporter : public TrainingObserver {
  public:
    JsonReporter(std::ostream& out, RunConfig config, double progressIntervalSeconds = 0.5);

    void onStatus(RunStatus status, const std::string& message) override;
    void onBatch(const BatchReport& report) override;
    void onEpoch(const EpochReport& report) override;

    // Writes the final status line unless one was written already (the trainer reports its end itself;
    // this covers a run that ended without doing so).
    void finish(RunStatus status, const std::string& message);

    static std::string statusJson(RunStatus status, const std::string& message,
                                  const std::string& configJson = {});
    static std::string progressJson(const BatchReport& report);
    static std::string epochJson(const EpochReport& report);

  private:
    void write(const std::string& line);

    std::ostream& out_;
    RunConfig config_;
    std::chrono::duration<double> progressInterval_;
    std::mutex mutex_;
    bool configWritten_ = false;
    bool finalWritten_ = false;
    bool progressWritten_ = false;
    std::chrono::steady_clock::time_point lastProgress_;
};

} // namespace bp
