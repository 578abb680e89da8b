// RunStore: the signal histograms of measured steps (schema 8).
#include "core/store/run_store.h"
#include "core/util/number_text.h"
#include <charconv>
#include <cmath>
#include <string_view>

namespace bp {

namespace {

// "3,0,12": the counts low bin first; compact and readable from the sqlite3 shell.
std::string countsText(const std::vector<int64_t>& counts) {
    std::string text;
    text.reserve(counts.size() * 4);
    for (size_t i = 0; i < counts.size(); ++i) {
        if (i > 0)
            text += ',';
        text += std::to_string(counts[i]);
    }
    return text;
}

std::vector<int64_t> parseCounts(std::string_view text) {
    std::vector<int64_t> counts;
    while (!text.empty()) {
        const size_t comma = text.find(',');
        counts.push_back(parseInteger(text.substr(0, comma)).value_or(0));
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    return counts;
}

void appendShortest(std::string& out, double v) {
    if (!std::isfinite(v))
        return;
    char buffer[48];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), v);
    out.append(buffer, result.ptr);
}

} // namespace

void appendSignalCsvRows(std::string& out, const std::string& leading, const SignalHistogramRecord& r) {
    const SignalHistogram& h = r.histogram;
    std::string head = leading + std::to_string(r.epoch) + ',' + std::to_string(r.step) + ',' +
                       std::to_string(h.layer) + ',' + h.quantity + ',';
    appendShortest(head, h.low);
    head += ',';
    appendShortest(head, h.high);
    head += ',';
    std::string tail = ',' + std::to_string(h.units) + ',';
    if (h.silentUnits >= 0)
        tail += std::to_string(h.silentUnits);
    tail += ',';
    if (h.silentClasses >= 0)
        tail += std::to_string(h.silentClasses);
    tail += '\n';
    for (size_t i = 0; i < h.counts.size(); ++i)
        out += head + std::to_string(i) + ',' + std::to_string(h.counts[i]) + tail;
}

std::vector<SignalHistogramRecord> RunStore::readAllSignalHistograms(int64_t runId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    std::vector<SignalHistogramRecord> all;
    for (const auto& [layer, quantity] : signalHistogramKeys(runId))
        for (SignalHistogramRecord& r : readSignalHistograms(runId, layer, quantity))
            all.push_back(std::move(r));
    return all;
}

void RunStore::appendSignalHistograms(int64_t runId, const std::vector<SignalHistogramRecord>& records) {
    appendRecords(runId, nullptr, 0, records, std::nullopt);
}

void RunStore::insertSignalHistograms(int64_t runId, const std::vector<SignalHistogramRecord>& records) {
    if (records.empty())
        return;
    sql::Statement insert = db_.prepare(
        "INSERT OR REPLACE INTO signal_histograms (run_id, layer, quantity, step, epoch, low, high, counts, "
        "units, silent_units, silent_classes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, runId);
    for (const SignalHistogramRecord& r : records) {
        const SignalHistogram& h = r.histogram;
        const auto optional = [](int64_t v) { return v >= 0 ? std::optional<int64_t>(v) : std::nullopt; };
        insert.bind(2, h.layer).bind(3, h.quantity).bind(4, r.step).bind(5, r.epoch).bind(6, h.low);
        insert.bind(7, h.high).bind(8, countsText(h.counts)).bind(9, h.units);
        insert.bind(10, optional(h.silentUnits)).bind(11, optional(h.silentClasses));
        insert.run();
        insert.reset();
    }
}

std::vector<SignalHistogramRecord> RunStore::readSignalHistograms(int64_t runId, int layer,
                                                                  const std::string& quantity) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s =
        db_.prepare("SELECT step, epoch, low, high, counts, units, silent_units, silent_classes FROM "
                    "signal_histograms WHERE run_id = ? AND layer = ? AND quantity = ? ORDER BY step");
    s.bindAll(runId, layer, quantity);
    std::vector<SignalHistogramRecord> records;
    while (s.step()) {
        SignalHistogramRecord r;
        r.step = s.int64(0);
        r.epoch = s.integer(1);
        SignalHistogram& h = r.histogram;
        h.layer = layer;
        h.quantity = quantity;
        h.low = s.real(2);
        h.high = s.real(3);
        h.counts = parseCounts(s.text(4));
        h.units = s.int64(5);
        h.silentUnits = s.isNull(6) ? -1 : s.int64(6);
        h.silentClasses = s.isNull(7) ? -1 : s.int64(7);
        records.push_back(std::move(r));
    }
    return records;
}

std::vector<std::pair<int, std::string>> RunStore::signalHistogramKeys(int64_t runId) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    sql::Statement s = db_.prepare("SELECT DISTINCT layer, quantity FROM signal_histograms WHERE run_id = ? "
                                   "ORDER BY layer, quantity");
    s.bindAll(runId);
    std::vector<std::pair<int, std::string>> keys;
    while (s.step())
        keys.emplace_back(s.integer(0), s.text(1));
    return keys;
}

} // namespace bp
