#pragma once
#include "core/nn/gradients.h"
#include "core/nn/network.h"
#include "core/nn/task_group.h"
#include <ATen/ATen.h>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bp {

// The learning rate, momentum and weight decay of one layer's W, b (and learned Y).
struct ParameterGroup {
    double lr = 0.0;
    double momentum = 0.0;
    double weightDecay = 0.0;
};

struct OptimizerSettings {
    std::vector<ParameterGroup> layers; // one per layer, bottom to output
    double recurrentLr = 0.0; // Z: Z ← Z − recurrent_lr·grad_Z, no momentum, no decay (the reference)
    double adamBeta1 = 0.9, adamBeta2 = 0.99, adamEps = 0.1; // the reference's ImageNet Adam
};

// A step's updates: FC layers' updates run concurrently on the CPU (one single-threaded BLAS call per
// task, several tasks per large layer), conv layers' after them with ATen's own threading (oneDNN's
// parallel loops deadlock when entered from inside another parallel region).
struct UpdateTasks {
    TaskGroup concurrent;
    TaskGroup serial;
};

// What applies a rule's gradients to a network, with its own state per parameter (momentum buffers,
// Adam's moments), named "layer<i>.<state>_<parameter>" (e.g. layer0.delta_weight, layer2.exp_avg_bias) for
// checkpoints and exports.
class Optimizer {
  public:
    explicit Optimizer(OptimizerSettings settings) : settings_(std::move(settings)) {}
    virtual ~Optimizer() = default;
    // "reference", "sgd" or "adam".
    virtual std::string name() const = 0;

    // Adds the update of layer `index` of net, from its gradients, to tasks. Called on one thread, in the
    // order the gradients became ready; the tasks run when the step's updater flushes.
    virtual void addUpdate(UpdateTasks& tasks, Layer& layer, size_t index,
                           std::shared_ptr<LayerGradients> gradients) = 0;

    // A learning-rate schedule's factor on every group's rate (1 by default).
    void setLearningRateScale(double scale) { scale_ = scale; }
    double learningRateScale() const { return scale_; }
    const OptimizerSettings& settings() const { return settings_; }

    // The state for a checkpoint; empty before the first update.
    const std::map<std::string, at::Tensor>& state() const { return state_; }
    // State from a checkpoint, checked against net (a tensor that names no parameter of net, or has
    // another shape or type, is a bp::Error naming `source` and the tensor). Moves it to net's device.
    void loadState(const std::map<std::string, at::Tensor>& state, const Network& net,
                   const std::string& source);

  protected:
    const ParameterGroup& group(size_t index) const;
    // The state tensor `key`, zeros shaped like `like` when it does not exist yet.
    at::Tensor stateTensor(const std::string& key, const at::Tensor& like);
    static std::string key(size_t index, const char* state, const char* parameter);
    // One task updating a whole layer: conv layers' in the serial group, others' in the concurrent one.
    static void addLayerTask(UpdateTasks& tasks, const Layer& layer, std::function<void()> task);

    OptimizerSettings settings_;
    double scale_ = 1.0;
    std::map<std::string, at::Tensor> state_;
};

// The optimizer of that kind (not RuleDefault) with these settings; throws bp::Error for RuleDefault.
std::unique_ptr<Optimizer> makeOptimizer(const std::string& name, OptimizerSettings settings);

// Learning rates × factor^⌊(epoch − 1) / step⌋ for 1-based epochs (the reference's lr₀·0.1^⌊epoch/30⌋ with
// 0-based ones); step 0: constant.
double learningRateScale(int epoch, int step, double factor);

} // namespace bp
