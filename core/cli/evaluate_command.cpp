#include "core/cli/evaluate_command.h"
#include "core/cli/command_arguments.h"
#include "core/cli/options.h"
#include "core/cli/train_command.h"
#include "core/runs/evaluate_run.h"
#include "core/train/execution.h"
#include "core/util/error.h"
#include "core/util/json_writer.h"
#include "core/util/number_text.h"
#include <algorithm>
#include <filesystem>
#include <fstream>

namespace bp {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

std::string percent(double value) {
    return formatFixed(value, 2) + "%";
}

std::string padLeft(const std::string& text, size_t width) {
    return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string evaluationJson(const RunEvaluation& e) {
    const TestEvaluation& r = e.result;
    const ConfusionMatrix& m = r.confusion;
    JsonWriter j;
    j.field("run", static_cast<long long>(e.run.id))
        .field("name", e.run.name)
        .field("dataset", e.run.dataset);
    j.field("checkpoint", e.label).field("path", e.checkpointPath).field("epoch", e.epoch);
    j.field("step", static_cast<long long>(e.step))
        .field("examples", static_cast<long long>(r.test.examples));
    j.field("test_loss", r.test.loss).field("test_error", r.test.error);
    if (r.hasTop5)
        j.field("test_top5_error", r.test.top5Error);
    j.field("silent_classes", r.test.silentClasses).field("classes", m.classes());
    Json perClass = Json::array(), confusion = Json::array();
    for (int t = 0; t < m.classes(); ++t) {
        Json c = {{"class", t}, {"examples", m.present(t)}, {"errors", m.present(t) - m.count(t, t)}};
        if (r.classNames.size() == static_cast<size_t>(m.classes()))
            c["name"] = r.classNames[static_cast<size_t>(t)];
        const std::optional<double> error = m.classError(t);
        c["error"] = error ? Json(*error) : Json(nullptr);
        perClass.push_back(c);
        Json row = Json::array();
        for (int p = 0; p < m.classes(); ++p)
            row.push_back(m.count(t, p));
        confusion.push_back(row);
    }
    j.field("per_class", perClass).field("confusion", confusion);
    return j.str();
}

void printText(const RunEvaluation& e, std::ostream& out) {
    const TestEvaluation& r = e.result;
    const ConfusionMatrix& m = r.confusion;
    out << "run " << e.run.id << ": " << e.run.name << '\n';
    out << "checkpoint    " << e.label << " (epoch " << e.epoch << ", step " << e.step
        << "): " << e.checkpointPath << '\n';
    out << "test set      " << r.test.examples << " examples, " << m.classes() << " classes ("
        << e.run.dataset << (e.dataDir.empty() ? "" : ", " + e.dataDir) << ")\n";
    out << "test loss     " << formatNumber(r.test.loss, 6) << '\n';
    out << "test error    " << percent(r.test.error) << '\n';
    if (r.hasTop5)
        out << "top-5 error   " << percent(r.test.top5Error) << '\n';
    if (r.test.silentClasses > 0)
        out << "silent        " << r.test.silentClasses << " classes predicted for no example\n";
    // An image folder names its classes: the name follows each class's row.
    const bool named = r.classNames.size() == static_cast<size_t>(m.classes());
    out << "\nper-class error:\n   class  examples    errors     error" << (named ? "  name" : "") << '\n';
    for (int t = 0; t < m.classes(); ++t) {
        const std::optional<double> error = m.classError(t);
        out << padLeft(std::to_string(t), 8) << padLeft(std::to_string(m.present(t)), 10)
            << padLeft(std::to_string(m.present(t) - m.count(t, t)), 10)
            << padLeft(error ? percent(*error) : "-", 10);
        if (named)
            out << "  " << r.classNames[static_cast<size_t>(t)];
        out << '\n';
    }
    size_t width = 4;
    for (int t = 0; t < m.classes(); ++t)
        for (int p = 0; p < m.classes(); ++p)
            width = std::max(width, std::to_string(m.count(t, p)).size() + 1);
    out << "\nconfusion matrix (rows: true class, columns: predicted class):\n" << padLeft("", 8);
    for (int p = 0; p < m.classes(); ++p)
        out << padLeft(std::to_string(p), width);
    out << '\n';
    for (int t = 0; t < m.classes(); ++t) {
        out << padLeft(std::to_string(t), 8);
        for (int p = 0; p < m.classes(); ++p)
            out << padLeft(std::to_string(m.count(t, p)), width);
        out << '\n';
    }
}

void writeConfusionCsv(const ConfusionMatrix& m, const std::string& path) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file)
        throw Error("evaluate: cannot write " + path);
    file << m.csv();
    file.close();
    if (!file)
        throw Error("evaluate: writing " + path + " failed");
}

} // namespace

bool isEvaluateCommand(const std::vector<std::string>& args) {
    return !args.empty() && args[0] == "evaluate";
}

std::string evaluateCommandHelp() {
    return "Usage: burstprop-train evaluate ID [--which latest|best|initial|epoch-N] [--data-dir DIR] [--db "
           "FILE]\n"
           "                                [--json] [--confusion FILE.csv] [--device NAME] [--threads N]\n\n"
           "Evaluates a recorded run's checkpoint (latest unless --which says otherwise) on the run's test "
           "set,\n"
           "without training: test loss, test error, top-5 error (softmax outputs), per-class error and the\n"
           "confusion matrix (rows: true class, columns: predicted class). --data-dir replaces the run's "
           "data\n"
           "folder (nothing is downloaded); --confusion writes the matrix as CSV; --json prints one JSON "
           "object.\n"
           "--device (cpu, cuda, cuda:N) and --threads (0: every core) replace the run's own, as for "
           "training.\n"
           "The run database is " +
           defaultDatabasePath() + " unless --db says otherwise.\n";
}

int runEvaluateCommand(const std::vector<std::string>& args, std::ostream& out) {
    CommandArguments a;
    int64_t runId = 0;
    std::optional<int> threads;
    std::string device;
    try {
        a = parseCommandArguments(args, {"db", "which", "data_dir", "confusion", "device", "threads"},
                                  {"json", "help", "h"});
        if (a.has("help") || a.has("h")) {
            out << evaluateCommandHelp();
            return 0;
        }
        if (!a.positional)
            throw Error("evaluate: which run? Give its id (burstprop-train list shows them)");
        runId = parseInteger(*a.positional).value_or(0);
        if (runId <= 0)
            throw Error("evaluate: '" + *a.positional +
                        "' is not a run id (a positive integer; see burstprop-train list)");
        for (const char* key : {"which", "data_dir", "confusion", "db"})
            if (a.has(key) && a.get(key).empty())
                throw Error(std::string("evaluate: --") + key + " needs a value");
        // As train reads them (and with its words); the run's own when absent.
        if (a.has("threads"))
            threads = parseThreadsOption("evaluate: --threads", a.get("threads"));
        if (a.has("device"))
            device = parseDeviceOption("evaluate: --device", a.get("device"));
    } catch (const Error& e) {
        printCliError(e.what());
        return kExitUsage;
    }
    try {
        const std::string database = a.get("db", defaultDatabasePath());
        std::error_code ec;
        if (!std::filesystem::is_regular_file(database, ec))
            throw Error("evaluate: there is no run database at " + database + " (give it with --db FILE)");
        if (!device.empty())
            resolveDevice(device); // a CUDA device in a build without CUDA: train's message, before any work
        RunStore store(database);
        RunEvaluation e;
        try {
            e = evaluateRun(store, runId, a.get("which"), a.get("data_dir"), device, threads);
        } catch (const Error& error) {
            throw Error(std::string("evaluate: ") + error.what());
        }
        if (a.has("confusion"))
            writeConfusionCsv(e.result.confusion, a.get("confusion"));
        if (a.has("json"))
            out << evaluationJson(e) << '\n';
        else {
            printText(e, out);
            if (a.has("confusion"))
                out << "\nconfusion matrix written to " << a.get("confusion") << '\n';
        }
        return 0;
    } catch (const std::exception& e) {
        const std::string what = e.what();
        printCliError(what.substr(0, what.find('\n')));
        return kExitFailed;
    }
}

} // namespace bp
