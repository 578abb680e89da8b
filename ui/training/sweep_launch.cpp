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
        for (const study::SweepRun& run : expansion.runs)
            count.configs.push_back(run.config);
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

namespace {

// A completed run's configuration and time per epoch, as the estimate compares them.
struct TimedRun {
    RunConfig config;
    double secondsPerEpoch = 0.0;
};

// Whether an earlier run trained the same network on the same data, and the factor from its time per epoch
// to the run's (the ratio of the training images when both have a train_limit); nullopt when it is not
// like the run.
std::optional<double> likeness(const RunConfig& run, const RunConfig& earlier) {
    if (earlier.dataset != run.dataset || earlier.architecture != run.architecture ||
        earlier.validation != run.validation || (earlier.trainLimit > 0) != (run.trainLimit > 0))
        return std::nullopt;
    if (run.architecture == Architecture::FullyConnected && earlier.hiddenWidths != run.hiddenWidths)
        return std::nullopt;
    if (run.architecture == Architecture::ImagenetConv &&
        (earlier.convChannels != run.convChannels || earlier.imageSize != run.imageSize))
        return std::nullopt;
    return run.trainLimit > 0 ? double(run.trainLimit) / earlier.trainLimit : 1.0;
}

// How closely an earlier run like it matches the run's execution: rule first, then threads, then batch size.
int closeness(const RunConfig& run, const RunConfig& earlier) {
    return (earlier.rule == run.rule ? 4 : 0) + (earlier.threads == run.threads ? 2 : 0) +
           (earlier.batchSize == run.batchSize ? 1 : 0);
}

} // namespace

QString sweepEstimateText(RunStore& store, const std::vector<RunConfig>& runs, int parallel) {
    std::vector<TimedRun> earlier;
    try {
        std::vector<std::string> datasets;
        for (const RunConfig& run : runs)
            if (std::find(datasets.begin(), datasets.end(), toString(run.dataset)) == datasets.end())
                datasets.push_back(toString(run.dataset));
        const double now = static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        for (const std::string& dataset : datasets) {
            RunFilter filter;
            filter.dataset = dataset;
            filter.status = RunStatus::Completed;
            filter.limit = kEstimateRuns;
            for (const RunRecord& record : store.listRuns(filter)) {
                const std::optional<double> seconds = record.duration(now);
                if (record.epochsDone <= 0 || !seconds || *seconds <= 0)
                    continue;
                try {
                    earlier.push_back({configFromJson(record.configJson), *seconds / record.epochsDone});
                } catch (const std::exception&) {
                    continue; // a configuration this version cannot read: not compared
                }
            }
        }
    } catch (const std::exception& e) {
        return QObject::tr("no estimate: %1").arg(QString::fromUtf8(e.what()));
    }
    double total = 0.0, longest = 0.0;
    size_t estimated = 0;
    std::vector<const TimedRun*> usedRuns;
    for (const RunConfig& run : runs) {
        int best = -1;
        std::vector<double> perEpoch;
        for (const TimedRun& t : earlier) {
            const std::optional<double> factor = likeness(run, t.config);
            if (!factor)
                continue;
            const int score = closeness(run, t.config);
            if (score > best) {
                best = score;
                perEpoch.clear();
            }
            if (score == best) {
                perEpoch.push_back(t.secondsPerEpoch * *factor);
                if (std::find(usedRuns.begin(), usedRuns.end(), &t) == usedRuns.end())
                    usedRuns.push_back(&t);
            }
        }
        if (perEpoch.empty())
            continue;
        std::sort(perEpoch.begin(), perEpoch.end());
        const double seconds = run.epochs * perEpoch[perEpoch.size() / 2];
        total += seconds;
        longest = std::max(longest, seconds);
        ++estimated;
    }
    if (estimated == 0)
        return QObject::tr("no earlier run to estimate from");
    const double sweepSeconds = std::max(longest, total / std::max(1, parallel));
    const int n = static_cast<int>(usedRuns.size());
    QString text = QObject::tr("about %1 (from %2 like them)")
                       .arg(durationText(sweepSeconds))
                       .arg(n == 1 ? QObject::tr("1 earlier completed run")
                                   : QObject::tr("%1 earlier completed runs").arg(n));
    if (estimated < runs.size())
        text += QObject::tr("; %1 of the %2 runs had none like them and are not counted")
                    .arg(runs.size() - estimated)
                    .arg(runs.size());
    return text;
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
