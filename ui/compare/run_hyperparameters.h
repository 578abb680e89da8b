#pragma once
#include "core/store/run_store.h"
#include <QString>
#include <vector>

namespace bp::ui {

// A run's hyperparameters with `applies` as the store records it (schema 3 on). A run whose record marks
// none as not applying was recorded without knowing (RunStore::createRun without its applies function):
// for it the rule registry decides over the run's configuration (hyperparameterApplies), as the CLI and
// the Train page do when they record. Every real configuration has keys its rule does not use (only node
// perturbation uses xi_std, only burstprop p_baseline), so "none marked" means "not recorded".
// Throws bp::Error on store failure.
std::vector<Hyperparameter> readHyperparameters(RunStore& store, const RunRecord& run);

// Why a hyperparameter shows as n/a for this run, for a tooltip.
QString notApplicableReason(const RunRecord& run, const Hyperparameter& h);

} // namespace bp::ui
