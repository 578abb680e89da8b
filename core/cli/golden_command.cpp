#include "core/cli/golden_command.h"
#include "core/cli/command_arguments.h"
#include "core/cli/train_command.h"
#include "core/golden/golden_replay.h"
#include "core/train/execution.h"
#include "core/util/error.h"
#include "core/util/json_writer.h"
#include "core/util/number_text.h"
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace bp {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr size_t kFailuresShown = 5; // per case

struct GoldenArguments {
    std::string dir;
    std::string device = "cpu";
    at::ScalarType dtype = at::kFloat;
    int threads = 0;
    bool json = false;
    bool help = false;
};

GoldenArguments parseGoldenArguments(const std::vector<std::string>& args) {
    const CommandArguments c =
        parseCommandArguments(args, {"device", "threads", "dtype"}, {"json", "help", "h"});
    requireIntegerOption(c, "threads", 1024, " (0: every core)");
    GoldenArguments a;
    a.dir = c.positional.value_or("");
    a.device = c.get("device", a.device);
    if (c.has("dtype")) {
        try {
            a.dtype = parseDtype(c.get("dtype")) == Dtype::Float64 ? at::kDouble : at::kFloat;
        } catch (const Error& e) {
            throw Error("golden: --dtype: " + std::string(e.what()));
        }
    }
    a.threads = c.has("threads") ? static_cast<int>(*parseInteger(c.get("threads"))) : 0; // checked above
    a.json = c.has("json");
    a.help = c.has("help") || c.has("h");
    if (a.dir.empty() && !a.help) {
        const char* env = std::getenv("BURSTPROP_GOLDEN_DIR");
        if (!env || !*env)
            throw Error("golden: name the folder of golden *.pt files (or set BURSTPROP_GOLDEN_DIR)");
        a.dir = env;
    }
    return a;
}

std::string scientific(double value) {
    return formatScientific(value, 1);
}

// "3.1e-07" for a relative error, "0.0004" (degrees) for an angle, "-" when the case has none of that kind.
std::string worstText(const golden::GoldenReplay& r, golden::CheckKind kind) {
    const golden::GoldenCheck* c = r.worst(kind);
    if (!c)
        return "-";
    if (kind != golden::CheckKind::Angle)
        return scientific(c->value);
    return formatFixed(c->value, 4);
}

void printTextLine(const golden::GoldenReplay& r, const std::string& dir, std::ostream& out) {
    char line[320];
    std::snprintf(line, sizeof line, "%-40s %-10s %-13s %5lld  %-16s %-9s %-11s %s\n",
                  std::filesystem::path(r.path).lexically_relative(dir).c_str(), r.rule.c_str(),
                  r.arch.c_str(), static_cast<long long>(r.steps),
                  worstText(r, golden::CheckKind::Output).c_str(),
                  worstText(r, golden::CheckKind::Signal).c_str(),
                  worstText(r, golden::CheckKind::Angle).c_str(), r.passed() ? "match" : "DIFFERS");
    out << line;
    if (!r.error.empty()) {
        out << "    " << r.error << '\n';
        return;
    }
    size_t shown = 0;
    for (const golden::GoldenCheck& c : r.checks) {
        if (c.passed())
            continue;
        if (shown++ == kFailuresShown) {
            out << "    ...\n";
            break;
        }
        out << "    " << c.what << ": "
            << (c.kind == golden::CheckKind::Angle ? "differs by " : "relative error ") << scientific(c.value)
            << (c.kind == golden::CheckKind::Angle ? "°" : "") << ", tolerance " << scientific(c.tolerance)
            << '\n';
    }
}

void printJsonLine(const golden::GoldenReplay& r, const std::string& device, std::ostream& out) {
    JsonWriter json;
    json.field("event", "golden").field("file", r.path).field("device", device).field("passed", r.passed());
    if (!r.error.empty())
        json.field("error", r.error);
    json.field("rule", r.rule).field("arch", r.arch).field("steps", static_cast<long long>(r.steps));
    const std::pair<const char*, golden::CheckKind> kinds[] = {
        {"worst_output_error", golden::CheckKind::Output},
        {"worst_signal_error", golden::CheckKind::Signal},
        {"worst_angle_difference", golden::CheckKind::Angle}};
    for (const auto& [key, kind] : kinds) {
        const golden::GoldenCheck* c = r.worst(kind);
        if (c)
            json.field(key, c->value);
        else
            json.null(key);
    }
    int failed = 0;
    for (const golden::GoldenCheck& c : r.checks)
        failed += c.passed() ? 0 : 1;
    json.field("comparisons", static_cast<long long>(r.checks.size())).field("failed", failed);
    out << json.str() << std::endl;
}

} // namespace

bool isGoldenCommand(const std::vector<std::string>& args) {
    return !args.empty() && args[0] == "golden";
}

std::string goldenCommandHelp() {
    return "Usage: burstprop-train golden [DIR] [--device cpu|cuda|cuda:N] [--dtype float32|float64] "
           "[--threads N] [--json]\n\n"
           "Replays the reference's recorded training steps (every *.pt in DIR, default "
           "$BURSTPROP_GOLDEN_DIR;\n"
           "the format is described in the golden folder's README) with this build's learning rules on the\n"
           "device, and compares outputs, losses, gradients, weights (relative error, tolerance 2e-3), "
           "event\n"
           "rates and deltas (5e-3) and weight and delta angles (0.01 degree). --dtype float64 replays in\n"
           "double precision on the CPU against the files' own float32 rounding (6e-4, 9e-4, 0.002 degree).\n"
           "One line per case with its worst figure\n"
           "of each kind, then the comparisons that missed. Exit status 0 when every case matches, 1 when "
           "one\n"
           "does not or cannot be replayed, 2 for bad arguments.\n";
}

int runGoldenCommand(const std::vector<std::string>& args, std::ostream& out) {
    GoldenArguments a;
    at::Device device(at::kCPU);
    std::vector<std::string> files;
    try {
        a = parseGoldenArguments(args);
        if (a.help) {
            out << goldenCommandHelp();
            return 0;
        }
        device = resolveDevice(a.device);
        if (a.dtype == at::kDouble && !device.is_cpu())
            throw Error("golden: --dtype float64 replays on the CPU only");
    } catch (const Error& e) {
        printCliError(e.what());
        return kExitUsage;
    }
    try {
        files = golden::goldenFiles(a.dir);
        if (files.empty())
            throw Error(a.dir + ": no golden *.pt files in the folder");
    } catch (const Error& e) {
        printCliError(e.what());
        return kExitFailed;
    }
    const int threads = applyThreadCount(a.threads);
    if (!a.json) {
        out << "Golden steps in " << a.dir << " (" << files.size() << " files) on " << device.str()
            << (a.dtype == at::kDouble ? " in float64" : "");
        if (device.is_cpu())
            out << " with " << threads << (threads == 1 ? " thread" : " threads");
        out << "\n\n";
        char header[256];
        // "angles (°)" is one character wider in bytes than on screen.
        std::snprintf(header, sizeof header, "%-40s %-10s %-13s %5s  %-16s %-9s %-12s %s\n", "file", "rule",
                      "arch", "steps", "outputs/weights", "signals", "angles (°)", "result");
        out << header;
    }
    int passed = 0;
    for (const std::string& file : files) {
        const golden::GoldenReplay r = golden::replayGolden(file, device, a.dtype);
        passed += r.passed() ? 1 : 0;
        if (a.json)
            printJsonLine(r, device.str(), out);
        else
            printTextLine(r, a.dir, out);
    }
    if (!a.json)
        out << "\n"
            << passed << " of " << files.size() << " cases match the reference on " << device.str()
            << (a.dtype == at::kDouble
                    ? " in float64 (worst relative error of outputs and weights, tolerance 6e-4; "
                      "of signals, 9e-4; worst angle difference, 0.002°)\n"
                    : " (worst relative error of outputs and weights, tolerance 2e-3; of signals, "
                      "5e-3; worst angle difference, 0.01°)\n");
    out.flush();
    return passed == static_cast<int>(files.size()) ? 0 : kExitFailed;
}

} // namespace bp
