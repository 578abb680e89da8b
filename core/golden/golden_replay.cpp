#include "core/golden/golden_replay.h"
#include "core/golden/golden_file.h"
#include "core/metrics/angles.h"
#include "core/nn/denormals.h"
#include "core/rules/learning_rule.h"
#include "core/util/error.h"
#include <algorithm>
#include <cmath>
#include <filesystem>

namespace bp::golden {

namespace {

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
                   const std::vector<double>& expected) {
    if (actual.size() != expected.size())
        throw Error(what + "s: " + std::to_string(actual.size()) + " computed, " +
                    std::to_string(expected.size()) + " recorded");
    for (size_t i = 0; i < expected.size(); ++i)
        r.checks.push_back({what + " " + std::to_string(i), CheckKind::Angle,
                            std::abs(actual[i] - expected[i]), kAngleTolerance});
}

void replaySteps(const GoldenFile& g, const at::Device& device, GoldenReplay& r) {
    const RunConfig config = configOf(g);
    Network net = networkOf(g);
    net.to(device);
    // The numerics training uses: the trainer flushes subnormals, and only then do the CPU's skinny
    // forward kernels run (core/nn/skinny_gemm.h).
    const FlushDenormals flush;
    auto rule = makeLearningRule(config, 0);
    const bool burstprop = config.rule == Rule::Burstprop;
    for (int64_t s = 0; s < r.steps; ++s) {
        const std::string step = "step" + std::to_string(s);
        if (burstprop)
            compareAngles(r, step + " weight angle", weightAngles(net),
                          values(g.tensor(step + "/weight_angles")));
        StepTrace trace;
        const at::Tensor input = g.tensor(step + "/input").to(device);
        const at::Tensor labels = g.tensor(step + "/label").to(device);
        const StepResult result = rule->step(net, input, labels, burstprop, &trace);
        r.checks.push_back({step + " output", CheckKind::Output,
                            relativeError(trace.output, g.tensor(step + "/output"), step + " output"),
                            kOutputTolerance});
        const double refLoss = g.real(step + "/loss");
        r.checks.push_back(
            {step + " loss", CheckKind::Output,
             refLoss == 0.0 ? std::abs(result.loss) : std::abs(result.loss - refLoss) / refLoss,
             kOutputTolerance});
        if (!burstprop)
            continue;
        compareAngles(r, step + " delta angle", result.deltaAngles, values(g.tensor(step + "/delta_angles")));
        for (size_t i = 0; i < net.layers.size(); ++i) {
            const LayerTrace& layer = trace.layers.at(i);
            const std::pair<const char*, at::Tensor> signals[] = {
                {"e", layer.e}, {"delta", layer.delta}, {"delta_bp", layer.deltaBp}};
            for (const auto& [name, actual] : signals) {
                const std::string what = step + " layer" + std::to_string(i) + " " + name;
                r.checks.push_back({what, CheckKind::Signal,
                                    relativeError(actual, g.tensor(layerKey(step, int64_t(i), name)), what),
                                    kSignalTolerance});
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
                    {what, CheckKind::Output, relativeError(actual, g.tensor(key), what), kOutputTolerance});
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
        return std::isnan(c.value) ? INFINITY : c.value / c.tolerance;
    };
    const GoldenCheck* worst = nullptr;
    for (const GoldenCheck& c : checks)
        if (c.kind == kind && (!worst || score(c) > score(*worst)))
            worst = &c;
    return worst;
}

GoldenReplay replayGolden(const std::string& path, const at::Device& device) {
    GoldenReplay r;
    r.path = path;
    try {
        const GoldenFile g(path);
        r.rule = g.text("meta/rule");
        r.arch = g.text("meta/arch");
        r.steps = g.integer("meta/steps");
        replaySteps(g, device, r);
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
    std::filesystem::directory_iterator it(dir, ec);
    if (ec)
        throw Error(dir + ": cannot read the folder (" + ec.message() + ")");
    std::vector<std::string> files;
    for (const auto& entry : it)
        if (entry.is_regular_file() && entry.path().extension() == ".pt")
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace bp::golden
