#include "core/golden/golden_replay.h"
#include "core/data/sampler.h"
#include "core/golden/golden_file.h"
#include "core/metrics/angles.h"
#include "core/nn/denormals.h"
#include "core/optim/data_parallel.h"
#include "core/setup/learner.h"
#include "core/util/error.h"
#include <algorithm>
#include <cmath>
#include <filesystem>

namespace bp::golden {

namespace {

struct Tolerances {
    double output, signal, angle;
};

// ‖a − b‖ / ‖b‖ in float64 on the CPU (0 when both are zero, infinite when only b is).
double relativeError(const at::Tensor& actual, const at::Tensor& expected, const std::string& what) {
    if (!actual.defined())
        throw Error("this project computes no " + what);
    if (actual.sizes() != expected.sizes())
        throw Error(what + " has shape " + c10::str(actual.sizes()) + ", the recording " +
                    c10::str(expected.sizes()));
    const at::Tensor a = actual.detach().to(at::kCPU).to(at::kDouble);
    const at::Tensor b = expected.to(at::kDouble);
    const double diff = (a - b).norm().item<double>();
    const double norm = b.norm().item<double>();
    if (norm == 0.0)
        return diff == 0.0 ? 0.0 : INFINITY;
    return diff / norm;
}

std::vector<double> values(const at::Tensor& t) {
    const at::Tensor d = t.detach().to(at::kCPU).to(at::kDouble).contiguous().reshape({-1});
    return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

void compareAngles(GoldenReplay& r, const std::string& what, const std::vector<double>& actual,
                   const std::vector<double>& expected, double tolerance) {
    if (actual.size() != expected.size())
        throw Error(what + "s: " + std::to_string(actual.size()) + " computed, " +
                    std::to_string(expected.size()) + " recorded");
    for (size_t i = 0; i < expected.size(); ++i)
        r.checks.push_back(
            {what + " " + std::to_string(i), CheckKind::Angle, std::abs(actual[i] - expected[i]), tolerance});
}

// Keeps what the optimizer receives: each layer's gradients, formed (the hook sees them as tensors).
class RecordGradients : public GradientHook {
  public:
    std::map<size_t, LayerGradients> layers;
    std::unique_ptr<PendingGradients> submit(size_t index, LayerGradients& g) override {
        LayerGradients copy;
        copy.weight = Gradient::of(g.weight.dense.defined() ? g.weight.dense.clone() : at::Tensor());
        copy.bias = g.bias.defined() ? g.bias.clone() : at::Tensor();
        copy.feedback = Gradient::of(g.feedback.dense.defined() ? g.feedback.dense.clone() : at::Tensor());
        copy.feedbackFollowsWeight = g.feedbackFollowsWeight;
        layers[index] = std::move(copy);
        return nullptr;
    }
};

// This rank's rows of a recorded per-example tensor (all of them without a group).
at::Tensor rowsOf(const at::Tensor& t, const std::pair<int64_t, int64_t>& shard) {
    return t.narrow(0, shard.first, shard.second);
}

void replaySteps(const GoldenFile& g, const at::Device& device, at::ScalarType dtype, GoldenReplay& r,
                 DataParallel* group) {
    const Tolerances tol = dtype == at::kDouble
                               ? Tolerances{kOutputTolerance64, kSignalTolerance64, kAngleTolerance64}
                               : Tolerances{kOutputTolerance, kSignalTolerance, kAngleTolerance};
    const RunConfig config = configOf(g);
    const bool imagenet = isImagenet(g);
    Network net = networkOf(g);
    net.to(dtype);
    net.to(device);
    // The numerics training uses: the trainer flushes subnormals, and only then do the CPU's skinny
    // forward kernels run (core/nn/skinny_gemm.h).
    const FlushDenormals flush;
    auto learner = makeLearner(config, net, 0);
    RecordGradients gradients;
    // In a group the gradients are summed across it before they are applied: the summed ones are not kept
    // (the final weights, which they make, are compared).
    const bool recordsGradients = !group && g.has(layerKey("step0", 0, "grad_weight"));
    if (group)
        learner->setHook(&group->hook());
    else if (recordsGradients)
        learner->setHook(&gradients);
    const bool burstprop = config.rule == "burstprop";
    const size_t firstAngleLayer = imagenet ? 0 : 1; // the ImageNet script measures conv1 too
    for (int64_t s = 0; s < r.steps; ++s) {
        const std::string step = "step" + std::to_string(s);
        if (g.has(step + "/weight_angles"))
            compareAngles(r, step + " weight angle", weightAngles(net, learner->rule(), firstAngleLayer),
                          values(g.tensor(step + "/weight_angles")), tol.angle);
        StepTrace trace;
        at::Tensor input = g.tensor(step + "/input").to(device).to(dtype);
        at::Tensor labels = g.tensor(step + "/label").to(device);
        const int64_t global = input.size(0);
        std::pair<int64_t, int64_t> shard{0, global};
        if (group) { // this rank's share of the recorded batch; a rank without any trains a stand-in,
                     // weighted 0
            shard = data::Sampler::shardRange(global, group->rank(), group->worldSize());
            group->beginStep(shard.second, global, learner->info().meanGradients);
            const std::pair<int64_t, int64_t> rows =
                shard.second > 0 ? shard : std::pair<int64_t, int64_t>{0, 1};
            input = rowsOf(input, rows);
            labels = rowsOf(labels, rows);
        }
        gradients.layers.clear();
        // Delta angles are angles over the whole batch: a rank's share has its own.
        const bool measure = !group && burstprop && g.has(step + "/delta_angles");
        StepResult result = learner->step(net, input, labels, measure, &trace);
        if (group) { // the batch's mean loss, as one process has it
            std::vector<double> sum{shard.second > 0 ? result.loss * static_cast<double>(shard.second) : 0.0};
            group->sum(sum);
            result.loss = sum[0] / static_cast<double>(global);
        }
        if (shard.second == 0)
            continue; // nothing of this step's examples to compare here
        r.checks.push_back(
            {step + " output", CheckKind::Output,
             relativeError(trace.output, rowsOf(g.tensor(step + "/output"), shard), step + " output"),
             tol.output});
        const double refLoss = g.real(step + "/loss");
        r.checks.push_back(
            {step + " loss", CheckKind::Output,
             refLoss == 0.0 ? std::abs(result.loss) : std::abs(result.loss - refLoss) / refLoss, tol.output});
        if (g.has(step + "/top5")) { // the indices of the five largest outputs, in order
            const at::Tensor expected = rowsOf(g.tensor(step + "/top5"), shard);
            const at::Tensor actual =
                std::get<1>(trace.output.to(at::kCPU).topk(expected.size(1), 1, true, true));
            const double mismatched =
                actual.ne(expected).sum().item<double>() / static_cast<double>(expected.numel());
            r.checks.push_back(
                {step + " top-5 predictions (share differing)", CheckKind::Output, mismatched, 0.0});
        }
        if (measure)
            compareAngles(r, step + " delta angle", result.deltaAngles,
                          values(g.tensor(step + "/delta_angles")), tol.angle);
        for (size_t i = 0; burstprop && i < net.layers.size(); ++i) {
            const LayerTrace& layer = trace.layers.at(i);
            const std::pair<const char*, at::Tensor> signals[] = {
                {"e", layer.e}, {"delta", layer.delta}, {"delta_bp", layer.deltaBp}};
            for (const auto& [name, actual] : signals) {
                const std::string key = layerKey(step, int64_t(i), name);
                if (!g.has(key))
                    continue;
                const std::string what = step + " layer" + std::to_string(i) + " " + name;
                r.checks.push_back({what, CheckKind::Signal,
                                    relativeError(actual, rowsOf(g.tensor(key), shard), what), tol.signal});
            }
        }
        for (size_t i = 0; recordsGradients && i < net.layers.size(); ++i) {
            const auto it = gradients.layers.find(i);
            if (it == gradients.layers.end())
                throw Error(step + ": the rule handed no gradients for layer " + std::to_string(i));
            const LayerGradients& lg = it->second;
            const at::Tensor feedback = lg.feedback.dense.defined() ? lg.feedback.dense
                                        : lg.feedbackFollowsWeight  ? lg.weight.dense
                                                                    : at::Tensor();
            const std::pair<const char*, at::Tensor> grads[] = {
                {"grad_weight", lg.weight.dense}, {"grad_bias", lg.bias}, {"grad_weight_fa", feedback}};
            for (const auto& [name, actual] : grads) {
                const std::string key = layerKey(step, int64_t(i), name);
                const std::string what = step + " layer" + std::to_string(i) + " " + name;
                if (actual.defined() != g.has(key))
                    throw Error(what + (actual.defined() ? " exists here but is not recorded"
                                                         : " is recorded but not computed here"));
                if (actual.defined())
                    r.checks.push_back(
                        {what, CheckKind::Output, relativeError(actual, g.tensor(key), what), tol.output});
            }
        }
    }
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& layer = net.layers[i];
        const std::pair<const char*, at::Tensor> finals[] = {{"weight", layer.weight},
                                                             {"bias", layer.bias},
                                                             {"weight_fa", layer.weightFa},
                                                             {"weight_r", layer.weightR}};
        for (const auto& [name, actual] : finals) {
            const std::string key = layerKey("final", int64_t(i), name);
            const std::string what = "final layer" + std::to_string(i) + " " + name;
            if (actual.defined() != g.has(key))
                throw Error(what + (actual.defined() ? " exists here but is not recorded"
                                                     : " is recorded but not built here"));
            if (actual.defined())
                r.checks.push_back(
                    {what, CheckKind::Output, relativeError(actual, g.tensor(key), what), tol.output});
        }
    }
}

} // namespace

bool GoldenReplay::passed() const {
    return error.empty() && !checks.empty() &&
           std::all_of(checks.begin(), checks.end(), [](const GoldenCheck& c) { return c.passed(); });
}

const GoldenCheck* GoldenReplay::worst(CheckKind kind) const {
    const auto score = [](const GoldenCheck& c) {
        if (std::isnan(c.value))
            return HUGE_VAL;
        return c.tolerance > 0 ? c.value / c.tolerance : (c.value > 0 ? HUGE_VAL : 0.0);
    };
    const GoldenCheck* worst = nullptr;
    for (const GoldenCheck& c : checks)
        if (c.kind == kind && (!worst || score(c) > score(*worst)))
            worst = &c;
    return worst;
}

GoldenReplay replayGolden(const std::string& path, const at::Device& device, at::ScalarType dtype,
                          DataParallel* group) {
    GoldenReplay r;
    r.path = path;
    try {
        const GoldenFile g(path);
        r.rule = g.text("meta/rule");
        r.arch = g.text("meta/arch");
        r.steps = g.integer("meta/steps");
        replaySteps(g, device, dtype, r, group);
    } catch (const std::exception& e) {
        const std::string what = e.what();
        r.error = what.substr(0, what.find('\n')); // c10::Error appends a backtrace
        if (r.error.rfind(path, 0) != 0)
            r.error = path + ": " + r.error;
    }
    return r;
}

std::vector<std::string> goldenFiles(const std::string& dir) {
    std::error_code ec;
    std::filesystem::recursive_directory_iterator it(dir, ec);
    if (ec)
        throw Error(dir + ": cannot read the folder (" + ec.message() + ")");
    std::vector<std::string> files;
    for (const auto& entry : it)
        if (entry.is_regular_file(ec) && entry.path().extension() == ".pt")
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace bp::golden
