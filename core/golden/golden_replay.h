#pragma once
#include <ATen/ATen.h>
#include <string>
#include <vector>

namespace bp {
class DataParallel;
}

namespace bp::golden {

// Tolerances of ../shared/golden/README.md for a float32 implementation.
constexpr double kOutputTolerance = 2e-3; // relative error of outputs, losses, gradients and weights
constexpr double kSignalTolerance = 5e-3; // relative error of event rates and deltas
constexpr double kAngleTolerance = 0.01;  // degrees, weight and delta angles
// In float64 the replay is an exact derivation of the equations, so it lands where the READMEs' float64
// derivations land: within the files' own float32 rounding (5e-4 outputs and weights, 9e-4 deltas and
// 0.002° for ../golden, 6e-4 and 1e-4° for ../golden/imagenet; the larger bound of each kind here).
constexpr double kOutputTolerance64 = 6e-4;
constexpr double kSignalTolerance64 = 9e-4;
constexpr double kAngleTolerance64 = 0.002;

enum class CheckKind { Output, Signal, Angle };

// One recorded quantity against this project's value.
struct GoldenCheck {
    std::string
        what; // e.g. "step1 output", "step0 layer2 delta", "step2 delta angle 0", "final layer1 weight_r"
    CheckKind kind = CheckKind::Output;
    double value = 0.0;     // relative error ‖a − b‖ / ‖b‖, or |a − b| in degrees for angles
    double tolerance = 0.0; // the README's bound for that kind
    bool passed() const { return value <= tolerance; } // false for NaN
};

// The replay of one golden file: every comparison, or why the case could not be replayed.
struct GoldenReplay {
    std::string path;
    std::string rule; // meta/rule
    std::string arch; // meta/arch
    int64_t steps = 0;
    std::vector<GoldenCheck> checks;
    std::string error; // non-empty: the file could not be read or replayed (a failure)

    bool passed() const;
    // The largest value of a kind relative to its tolerance; nullptr when the replay has none.
    const GoldenCheck* worst(CheckKind kind) const;
};

// Loads the case at path, builds its network on device in dtype (float32 or float64), runs the recorded
// steps with this project's learning rule and optimizer (with subnormals flushed, as the trainer runs it) and
// compares outputs, losses, top-5 predictions, event rates, deltas, backprop deltas, the gradients the
// optimizer receives, weight and delta angles and every final weight tensor with the recording, each
// quantity the file records. Never throws: a file that cannot be read, a rule, architecture or layer kind
// the project cannot build, and a missing or misshapen quantity end in `error`.
// With a data-parallel group, each rank replays its share of every recorded batch (the first B mod N ranks
// one example more) and the group sums the gradients as training does: each rank compares its rows of the
// per-example quantities (outputs, top-5, event rates, deltas), the batch's loss, the weight angles and every
// final weight tensor; delta angles (over a whole batch) and the gradients before their sum are not compared.
GoldenReplay replayGolden(const std::string& path, const at::Device& device,
                          at::ScalarType dtype = at::kFloat, DataParallel* group = nullptr);

// The *.pt files of a folder and its subfolders (imagenet/), sorted by path. Throws bp::Error when the folder
// cannot be read.
std::vector<std::string> goldenFiles(const std::string& dir);

} // namespace bp::golden
