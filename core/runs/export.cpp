#include "core/runs/export.h"
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/pickle_io.h"
#include "core/store/run_store.h"
#include "core/util/atomic_file.h"
#include "core/util/cell_text.h"
#include "core/util/error.h"
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

namespace bp {

namespace {

void appendNumber(std::string& out, double v) {
    if (std::isnan(v))
        return; // an empty field reads as NaN in pandas and R
    char buffer[48];
    // The shortest text that reads back as the same double; plain digits for wall times and usual values.
    const double a = std::fabs(v);
    const bool plain = a == 0.0 || (a >= 1e-5 && a < 1e16);
    const auto result = plain ? std::to_chars(buffer, buffer + sizeof(buffer), v, std::chars_format::fixed)
                              : std::to_chars(buffer, buffer + sizeof(buffer), v);
    out.append(buffer, result.ptr);
}

} // namespace

void exportPythonCheckpoint(const std::string& path, const Network& network, const std::string& configJson) {
    pickle::Dict dict = pickle::makeDict();
    for (const auto& [name, t] : network.namedTensors())
        pickle::insertTensor(dict, name, t, path);
    dict.insert("config", configJson);
    writeFileAtomically(path, pickle::save(dict, path));
}

void exportPythonCheckpoint(const std::string& path, const Checkpoint& checkpoint, bool includeMomentum) {
    pickle::Dict dict = pickle::makeDict();
    for (const auto& [name, t] : checkpoint.tensors)
        pickle::insertTensor(dict, name, t, path);
    if (includeMomentum) // the optimizer's state under its own names (layer0.delta_weight, ...)
        for (const auto& [name, t] : checkpoint.optimizerState)
            pickle::insertTensor(dict, name, t, path);
    dict.insert("config", checkpoint.configJson);
    dict.insert("epoch", static_cast<int64_t>(checkpoint.epoch));
    dict.insert("step", checkpoint.step);
    writeFileAtomically(path, pickle::save(dict, path));
}

namespace {

// Writes a CSV through `write` into path + ".tmp", then renames it over path: a failed export leaves any
// previous file as it was.
void writeCsvAtomically(const std::string& path, const std::function<void(std::ofstream&)>& write) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(path + ": cannot write (" + tmp + " cannot be created)");
        try {
            write(out);
        } catch (...) {
            out.close();
            std::filesystem::remove(tmp);
            throw;
        }
        out.flush();
        if (!out) {
            std::filesystem::remove(tmp);
            throw Error(path + ": cannot write (disk full?); any previous file is unchanged");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp);
        throw Error(path + ": cannot replace the file: " + ec.message());
    }
}

// One row per stored sample of every metric of a run: its leading fields, then metric, epoch, step,
// (wall time,) value.
void writeMetricRows(std::ofstream& out, RunStore& store, int64_t runId, const std::string& runFields,
                     bool wallTime) {
    std::string line;
    for (const std::string& metric : store.metricNames(runId)) {
        const std::string metricField = csvField(metric);
        for (const MetricPoint& p : store.readMetrics(runId, metric)) {
            line = runFields;
            line += ',';
            line += metricField;
            line += ',' + std::to_string(p.epoch) + ',' + std::to_string(p.step) + ',';
            if (wallTime) {
                appendNumber(line, p.wallTime);
                line += ',';
            }
            appendNumber(line, p.value);
            line += '\n';
            out << line;
        }
    }
}

RunRecord requireExportedRun(RunStore& store, int64_t id, const std::string& path) {
    std::optional<RunRecord> run = store.getRun(id);
    if (!run)
        throw Error(path + ": cannot export run " + std::to_string(id) + ": it is not in " + store.path());
    return std::move(*run);
}

} // namespace

void exportMetricsCsv(RunStore& store, const std::vector<int64_t>& runIds, const std::string& path) {
    std::vector<RunRecord> runs;
    for (int64_t id : runIds)
        runs.push_back(requireExportedRun(store, id, path));
    writeCsvAtomically(path, [&](std::ofstream& out) {
        out << "run_id,run,metric,epoch,step,wall_time,value\n";
        for (const RunRecord& run : runs)
            writeMetricRows(out, store, run.id, std::to_string(run.id) + ',' + csvField(run.name), true);
    });
}

namespace {

// run_id, the run's value of each key (empty where it does not apply), seed: a sweep export's leading fields.
std::string sweepRunFields(RunStore& store, const RunRecord& run, const std::vector<std::string>& keys) {
    std::map<std::string, std::string> values;
    for (const Hyperparameter& h : store.hyperparameters(run.id))
        if (h.applies)
            values[h.key] = h.display();
    std::string fields = std::to_string(run.id);
    for (const std::string& key : keys) {
        const auto found = values.find(key);
        fields += ',' + (found == values.end() ? std::string() : csvField(found->second));
    }
    return fields + ',' + std::to_string(run.seed);
}

void writeSweepHeader(std::ofstream& out, const std::vector<std::string>& keys, const char* columns) {
    out << "run_id";
    for (const std::string& key : keys)
        out << ',' << csvField(key);
    out << ",seed," << columns << '\n';
}

void writeSignalRows(std::ofstream& out, RunStore& store, int64_t runId, const std::string& leading) {
    std::string rows;
    for (const SignalHistogramRecord& r : store.readAllSignalHistograms(runId)) {
        appendSignalCsvRows(rows, leading, r);
        if (rows.size() > (1u << 20)) {
            out << rows;
            rows.clear();
        }
    }
    out << rows;
}

} // namespace

void exportSweepMetricsCsv(RunStore& store, const std::vector<int64_t>& runIds,
                           const std::vector<std::string>& keys, const std::string& path) {
    writeCsvAtomically(path, [&](std::ofstream& out) {
        writeSweepHeader(out, keys, "metric,epoch,step,value");
        for (int64_t id : runIds) {
            const RunRecord run = requireExportedRun(store, id, path);
            writeMetricRows(out, store, id, sweepRunFields(store, run, keys), false);
        }
    });
}

void exportSignalHistogramsCsv(RunStore& store, const std::vector<int64_t>& runIds, const std::string& path) {
    std::vector<RunRecord> runs;
    for (int64_t id : runIds)
        runs.push_back(requireExportedRun(store, id, path));
    writeCsvAtomically(path, [&](std::ofstream& out) {
        out << "run_id,run," << kSignalCsvColumns << '\n';
        for (const RunRecord& run : runs)
            writeSignalRows(out, store, run.id, std::to_string(run.id) + ',' + csvField(run.name) + ',');
    });
}

void exportSweepSignalHistogramsCsv(RunStore& store, const std::vector<int64_t>& runIds,
                                    const std::vector<std::string>& keys, const std::string& path) {
    writeCsvAtomically(path, [&](std::ofstream& out) {
        writeSweepHeader(out, keys, kSignalCsvColumns);
        for (int64_t id : runIds) {
            const RunRecord run = requireExportedRun(store, id, path);
            writeSignalRows(out, store, id, sweepRunFields(store, run, keys) + ',');
        }
    });
}

} // namespace bp
