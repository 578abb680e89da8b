#include "ui/compare/parallel_coordinates_data.h"
#include "ui/compare/run_figures.h"
#include "ui/compare/run_identity.h"
#include <QObject>
#include <cmath>
#include <limits>
#include <map>

namespace bp::ui {

const char* const kFinalTestErrorAxis = "final test error (%)";
const char* const kFinalWeightAngleAxis = "final weight angle (°)";

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The hyperparameter as a number, or NaN for text that is not one.
double numericValue(const Hyperparameter& h) {
    switch (h.type) {
    case Hyperparameter::Type::Real:
        return h.real;
    case Hyperparameter::Type::Int:
    case Hyperparameter::Type::Bool:
        return double(h.integer);
    case Hyperparameter::Type::Text: {
        bool ok = false;
        const double v = QString::fromStdString(h.text).toDouble(&ok);
        return ok ? v : kNaN;
    }
    }
    return kNaN;
}

ParallelAxis axisOver(const QString& name, const QVector<double>& values) {
    ParallelAxis axis{name, kNaN, kNaN};
    for (double v : values)
        if (std::isfinite(v)) {
            axis.min = std::isnan(axis.min) ? v : std::min(axis.min, v);
            axis.max = std::isnan(axis.max) ? v : std::max(axis.max, v);
        }
    if (std::isnan(axis.min))
        axis.min = axis.max = 0.0;
    return axis;
}

} // namespace

std::vector<RunOutcome> readRunOutcomes(RunStore& store, const QVector<int64_t>& runIds) {
    std::vector<RunOutcome> out;
    for (int64_t id : runIds) {
        std::optional<RunRecord> run = store.getRun(id);
        if (!run)
            continue;
        const std::vector<EpochFigures> epochs = readEpochFigures(store, id);
        const EpochFigures* last = finalEpoch(epochs);
        out.push_back({std::move(*run), store.hyperparameters(id), last ? last->testError : kNaN,
                       last ? last->weightAngle : kNaN});
    }
    return out;
}

ParallelCoordinates buildParallelCoordinates(const std::vector<RunOutcome>& runs) {
    ParallelCoordinates out;
    std::map<QString, QVector<double>> byKey; // key → value per run (NaN: missing or not numeric)
    QVector<double> testErrors, weightAngles;
    for (int index = 0; index < int(runs.size()); ++index) {
        for (const Hyperparameter& h : runs[size_t(index)].hyperparameters) {
            QVector<double>& values = byKey[QString::fromStdString(h.key)];
            values.resize(index + 1, kNaN);
            values[index] = numericValue(h);
        }
        testErrors << runs[size_t(index)].finalTestError;
        weightAngles << runs[size_t(index)].finalWeightAngle;
    }
    if (runs.empty()) {
        out.message = QObject::tr("Select runs to compare.");
        return out;
    }
    if (runs.size() == 1) {
        out.message = QObject::tr("Parallel coordinates need at least two runs.");
        return out;
    }
    QVector<QVector<double>> columns;
    for (auto& [key, values] : byKey) {
        values.resize(int(runs.size()), kNaN);
        bool numeric = true, varies = false;
        for (double v : values) {
            numeric = numeric && std::isfinite(v);
            varies = varies || v != values.front();
        }
        if (numeric && varies) {
            out.axes << axisOver(key, values);
            columns << values;
        }
    }
    if (out.axes.isEmpty()) {
        out.message = QObject::tr("The runs' numeric hyperparameters do not differ.");
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
