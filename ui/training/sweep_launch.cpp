#include "ui/training/sweep_launch.h"
#include "core/config/hyperparameters.h"
#include "core/setup/command_line.h"
#include "core/store/run_store.h"
#include "core/study/sweep_spec.h"
#include "core/util/error.h"
#include <QDateTime>
#include <QRegularExpression>
#include <QThread>
#include <algorithm>
#include <cmath>

namespace bp::ui {

namespace {

constexpr int kEstimateRuns = 50; // the newest completed runs looked at

QString durationText(double seconds) {
    const qint64 s = static_cast<qint64>(std::llround(std::max(0.0, seconds)));
    if (s >= 3600)
        return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    if (s >= 60)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 s").arg(s);
}

QString widthsText(const std::vector<int>& widths) {
    QStringList parts;
    for (int w : widths)
        parts << QString::number(w);
    return parts.join(QLatin1Char(','));
}

} // namespace

QStringList sweepLaunchArguments(const SweepRequest& request, const QString& database) {
    QStringList args{QStringLiteral("sweep")};
    for (const QString& g : request.grid)
        args << QStringLiteral("--grid") << g;
    args << QStringLiteral("--seeds") << QString::number(std::max(1, request.seeds));
    if (request.random > 0)
        args << QStringLiteral("--random") << QString::number(request.random);
    args << QStringLiteral("--parallel") << QString::number(std::max(1, request.parallel));
    for (const std::string& a : commandLineArguments(request.config))
        args << QString::fromStdString(a);
    args << QStringLiteral("--db") << database;
    if (!request.name.isEmpty())
        args << QStringLiteral("--name") << request.name;
    if (!request.tags.isEmpty())
        args << QStringLiteral("--tags") << request.tags.join(QLatin1Char(','));
    if (!request.notes.isEmpty())
        args << QStringLiteral("--notes") << request.notes;
    return args;
}

SweepCount countSweep(const SweepRequest& request) {
    SweepCount count;
    try {
        std::vector<std::string> texts;
        for (const QString& g : request.grid)
            texts.push_back(g.toStdString());
        std::vector<study::SweepDimension> dimensions;
        try {
            dimensions = study::parseSweep(texts);
        } catch (const Error& e) {
            throw Error("--grid " + std::string(e.what()));
        }
        study::SweepPlan plan;
        plan.seeds = std::max(1, request.seeds);
        if (request.random > 0) {
            plan.mode = study::SweepMode::Random;
            plan.randomCount = request.random;
        }
        const study::SweepExpansion expansion =
            study::expandSweep(dimensions, plan, study::configOptionItems(request.config));
        count.runs = expansion.runs.size();
        count.points = expansion.points;
        count.duplicates = expansion.duplicates;
    } catch (const std::exception& e) {
        count.error = QString::fromUtf8(e.what());
    }
    return count;
}

int defaultSweepParallel(int threadsPerRun) {
    const int cores = std::max(1, QThread::idealThreadCount());
    return std::max(1, cores / (threadsPerRun > 0 ? threadsPerRun : cores));
}

QString sweepEstimateText(RunStore& store, const RunConfig& config, size_t runs, int parallel) {
    const std::string architecture = toString(config.architecture);
    std::vector<double> perEpoch;
    try {
        RunFilter filter;
        filter.dataset = toString(config.dataset);
        filter.status = RunStatus::Completed;
        filter.limit = kEstimateRuns;
        const double now = static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        for (const RunRecord& run : store.listRuns(filter)) {
            if (run.architecture != architecture || run.epochsDone <= 0)
                continue;
            if (config.architecture == Architecture::FullyConnected) {
                try {
                    if (configFromJson(run.configJson).hiddenWidths != config.hiddenWidths)
                        continue;
                } catch (const std::exception&) {
                    continue;
                }
            }
            const std::optional<double> seconds = run.duration(now);
            if (seconds && *seconds > 0)
                perEpoch.push_back(*seconds / run.epochsDone);
        }
    } catch (const std::exception& e) {
        return QObject::tr("no estimate: %1").arg(QString::fromUtf8(e.what()));
    }
    if (perEpoch.empty())
        return QObject::tr("no earlier run to estimate from");
    std::sort(perEpoch.begin(), perEpoch.end());
    const double median = perEpoch[perEpoch.size() / 2];
    const double waves = std::ceil(static_cast<double>(runs) / std::max(1, parallel));
    const double total = waves * config.epochs * median;
    QString network = QString::fromStdString(architecture);
    if (config.architecture == Architecture::FullyConnected)
        network += QLatin1Char(' ') + widthsText(config.hiddenWidths);
    const int n = static_cast<int>(perEpoch.size());
    return QObject::tr("about %1 (%2 s per epoch, the median of %3 of %4 on %5)")
        .arg(durationText(total))
        .arg(median, 0, 'g', 3)
        .arg(n == 1 ? QObject::tr("1 earlier completed run")
                    : QObject::tr("%1 earlier completed runs").arg(n))
        .arg(network, QString::fromStdString(toString(config.dataset)));
}

void ExternalSweep::outputLine(const QString& line) {
    // "sweep 3 ("name") in FILE: 4 runs, ..." when it starts; "sweep 3: 2 runs to run, ..." on resume.
    static const QRegularExpression sweepLine(QStringLiteral("^sweep (\\d+)[ :]"));
    const QRegularExpressionMatch m = sweepLine.match(line);
    if (sweepId_ == 0 && m.hasMatch()) {
        sweepId_ = m.captured(1).toLongLong();
        Q_EMIT sweepIdKnown(sweepId_);
    }
}

} // namespace bp::ui
