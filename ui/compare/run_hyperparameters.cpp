#include "ui/compare/run_hyperparameters.h"
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/defaults.h"
#include "core/util/error.h"
#include <QObject>
#include <algorithm>

namespace bp::ui {

std::vector<Hyperparameter> readHyperparameters(RunStore& store, const RunRecord& run) {
    std::vector<Hyperparameter> params = store.hyperparameters(run.id);
    if (std::any_of(params.begin(), params.end(), [](const Hyperparameter& h) { return !h.applies; }))
        return params; // recorded
    std::optional<RunConfig> config;
    try {
        config = configFromJson(run.configJson);
    } catch (const Error&) {
        // an unreadable configuration: the rule alone decides below
    }
    for (Hyperparameter& h : params)
        h.applies = config ? hyperparameterApplies(*config, h.key)
                           : !findHyperparameter(h.key) || ruleUsesHyperparameter(run.rule, h.key);
    return params;
}

QString notApplicableReason(const RunRecord& run, const Hyperparameter& h) {
    const QString value = QString::fromStdString(h.display());
    if (h.key == "hidden_widths")
        return QObject::tr("Only fully connected networks have hidden widths; this run's network is %1 (the "
                           "recorded %2 has no effect).")
            .arg(QString::fromStdString(run.architecture), value);
    if (h.key == "kappa")
        return QObject::tr("kappa applies to a softmax output only (the recorded %1 has no effect).")
            .arg(value);
    return QObject::tr("The %1 rule does not use %2: the recorded value %3 has no effect.")
        .arg(QString::fromStdString(run.rule), QString::fromStdString(h.key), value);
}

} // namespace bp::ui
