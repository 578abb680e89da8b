#include "ui/compare/parallel_coordinates_data.h"
#include "ui/compare/run_figures.h"
#include "ui/compare/run_hyperparameters.h"
#include "ui/compare/run_identity.h"
#include <QCollator>
#include <QObject>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace bp::ui {

const char* const kFinalTestErrorAxis = "final test error (%)";
const char* const kFinalWeightAngleAxis = "final weight angle, layer mean (°)";

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLogSpan = 31.6227766; // 1.5 decades: a positive axis spanning more is logarithmic

// The hyperparameter as a number, or NaN when it is drawn as a category: text (rule, hidden widths, ...)
// and switches. The seed is text in the store (64 bits) but a number.
double numericValue(const Hyperparameter& h) {
    switch (h.type) {
    case Hyperparameter::Type::Real:
        return h.real;
    case Hyperparameter::Type::Int:
        return double(h.integer);
    case Hyperparameter::Type::Bool:
        return kNaN;
    case Hyperparameter::Type::Text: {
        bool ok = false;
        const double v = QString::fromStdString(h.text).toDouble(&ok);
        return ok && h.key == "seed" ? v : kNaN;
    }
    }
    return kNaN;
}

ParallelAxis axisOver(const QString& name, const QVector<double>& values) {
    ParallelAxis axis;
    axis.name = name;
    axis.min = axis.max = kNaN;
    for (double v : values)
        if (std::isfinite(v)) {
            axis.min = std::isnan(axis.min) ? v : std::min(axis.min, v);
            axis.max = std::isnan(axis.max) ? v : std::max(axis.max, v);
        }
    if (std::isnan(axis.min))
        axis.min = axis.max = 0.0;
    return axis;
}

// An axis for one hyperparameter (cells: one per run, nullptr where the run lacks it), with its values per
// run; false when the values of the runs it applies to do not vary.
bool hyperparameterAxis(const QString& key, const std::vector<const Hyperparameter*>& cells,
                        ParallelAxis* axis, QVector<double>* values) {
    bool numeric = true, any = false;
    for (const Hyperparameter* h : cells)
        if (h && h->applies) {
            any = true;
            numeric = numeric && std::isfinite(numericValue(*h));
        }
    if (!any)
        return false;
    values->clear();
    if (numeric) {
        std::set<double> distinct;
        for (const Hyperparameter* h : cells) {
            const double v = h && h->applies ? numericValue(*h) : kNaN;
            *values << v;
            if (std::isfinite(v))
                distinct.insert(v);
        }
        if (distinct.size() < 2)
            return false;
        *axis = axisOver(key, *values);
        axis->log = axis->min > 0 && (key.endsWith(QLatin1String("_lr")) || axis->max / axis->min > kLogSpan);
        return true;
    }
    QStringList categories;
    for (const Hyperparameter* h : cells)
        if (h && h->applies && !categories.contains(QString::fromStdString(h->display())))
            categories << QString::fromStdString(h->display());
    if (categories.size() < 2)
        return false;
    QCollator collator;
    collator.setNumericMode(true); // hidden widths "300,100" before "1000"
    std::sort(categories.begin(), categories.end(), collator);
    for (const Hyperparameter* h : cells)
        *values << (h && h->applies ? double(categories.indexOf(QString::fromStdString(h->display())))
                                    : kNaN);
    *axis = ParallelAxis{key, 0.0, double(categories.size() - 1), false, categories};
    return true;
}

} // namespace

double ParallelAxis::fraction(double value) const {
    if (categorical())
        return categories.size() > 1 ? value / double(categories.size() - 1) : 0.5;
    if (!(max > min))
        return 0.5;
    if (log)
        return (std::log10(value) - std::log10(min)) / (std::log10(max) - std::log10(min));
    return (value - min) / (max - min);
}

std::vector<RunOutcome> readRunOutcomes(RunStore& store, const QVector<int64_t>& runIds) {
    std::vector<RunOutcome> out;
    for (int64_t id : runIds) {
        std::optional<RunRecord> run = store.getRun(id);
        if (!run)
            continue;
        const std::vector<EpochFigures> epochs = readEpochFigures(store, id);
        const EpochFigures* last = finalEpoch(epochs);
        std::vector<Hyperparameter> params = readHyperparameters(store, *run);
        out.push_back({std::move(*run), std::move(params), last ? last->testError : kNaN,
                       last ? last->weightAngle : kNaN});
    }
    return out;
}

ParallelCoordinates buildParallelCoordinates(const std::vector<RunOutcome>& runs) {
    ParallelCoordinates out;
    if (runs.empty()) {
        out.message = QObject::tr("Select runs to compare.");
        return out;
    }
    if (runs.size() == 1) {
        out.message = QObject::tr("Parallel coordinates need at least two runs.");
        return out;
    }
    std::map<QString, std::vector<const Hyperparameter*>> byKey; // key → the run's value (sorted by key)
    QVector<double> testErrors, weightAngles;
    for (size_t r = 0; r < runs.size(); ++r) {
        for (const Hyperparameter& h : runs[r].hyperparameters) {
            std::vector<const Hyperparameter*>& cells = byKey[QString::fromStdString(h.key)];
            cells.resize(runs.size(), nullptr);
            cells[r] = &h;
        }
        testErrors << runs[r].finalTestError;
        weightAngles << runs[r].finalWeightAngle;
    }
    QVector<QVector<double>> columns;
    for (const auto& [key, cells] : byKey) {
        ParallelAxis axis;
        QVector<double> values;
        if (hyperparameterAxis(key, cells, &axis, &values)) {
            out.axes << axis;
            columns << values;
        }
    }
    if (out.axes.isEmpty()) {
        out.message = QObject::tr("The runs' hyperparameters do not differ.");
        return out;
    }
    out.axes << axisOver(QString::fromUtf8(kFinalTestErrorAxis), testErrors)
             << axisOver(QString::fromUtf8(kFinalWeightAngleAxis), weightAngles);
    columns << testErrors << weightAngles;
    for (int r = 0; r < int(runs.size()); ++r) {
        ParallelLine line{runs[size_t(r)].run.id, runLabel(runs[size_t(r)].run), {}, testErrors[r]};
        for (const QVector<double>& column : columns)
            line.values << column[r];
        out.lines << line;
    }
    return out;
}

} // namespace bp::ui
