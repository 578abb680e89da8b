#include "core/cli/tensorboard_commands.h"
#include "core/cli/results_writer.h"
#include "core/cli/store_commands.h"
#include "core/cli/train_command.h"
#include "core/config/hyperparameters.h"
#include "core/store/run_store.h"
#include "core/tensorboard/reference_import.h"
#include "core/tensorboard/tensorboard_export.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "core/util/json_writer.h"
#include <ctime>
#include <filesystem>

namespace bp {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// "07:22AM on November 28, 2025", as the reference's params.txt dates a run.
std::string referenceTimestamp(double unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm local{};
    localtime_r(&t, &local);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%I:%M%p on %B %d, %Y", &local);
    return buffer;
}

} // namespace

void exportTensorboardRuns(RunStore& store, const std::vector<int64_t>& runIds, const std::string& dir,
                           std::ostream& out) {
    for (int64_t id : runIds) {
        const tensorboard::RunExport e = tensorboard::exportRunEvents(store, id, dir);
        const RunRecord run = *store.getRun(id);
        const std::string params = (std::filesystem::path(e.folder) / "params.txt").string();
        try {
            const RunConfig config = configFromJson(run.configJson);
            writeFileAtomically(params, ResultsWriter::paramsText(config, referenceTimestamp(run.createdAt)));
        } catch (const Error& error) {
            out << "run " << id << ": no params.txt (its configuration does not read back: " << error.what()
                << ")\n";
        }
        out << "run " << id << ": " << e.scalars << " scalars and " << e.histograms
            << " histograms written to " << e.file << '\n';
    }
    out << "view with: tensorboard --logdir " << dir << '\n';
}

int runImportCommand(const std::vector<std::string>& args, std::ostream& out) {
    try {
        const CommandArguments a = parseCommandArguments(args, {"db", "name"}, {"json", "help", "h"});
        if (a.has("help") || a.has("h")) {
            out << storeCommandsHelp();
            return 0;
        }
        if (!a.positional)
            throw Error("import: which folder? Give the reference's results folder (params.txt and "
                        "events.out.tfevents.*)");
        try {
            RunStore store(a.get("db", defaultDatabasePath()));
            const tensorboard::ImportedRun imported =
                tensorboard::importReferenceRun(store, *a.positional, a.get("name"));
            if (a.has("json")) {
                JsonWriter j;
                j.field("event", std::string("imported"))
                    .field("run_id", static_cast<long long>(imported.runId));
                j.field("epochs", imported.epochs).field("samples", static_cast<long long>(imported.samples));
                out << j.str() << '\n';
                return 0;
            }
            out << "imported " << *a.positional << " as run " << imported.runId << " (" << imported.epochs
                << " epochs, " << imported.samples << " metric samples; tag \"imported\")\n";
            if (!imported.skippedTags.empty())
                out << "not imported: " << imported.skippedTags.size()
                    << " tags of no epoch-level metric (burstprop-train show " << imported.runId << ")\n";
            return 0;
        } catch (const std::exception& e) { // bp::Error, and a file system's or the database's own
            printCliError(e.what());
            return kExitFailed;
        }
    } catch (const Error& e) {
        printCliError(e.what());
        return kExitUsage;
    }
}

} // namespace bp
