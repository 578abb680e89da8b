#pragma once
#include "core/config/run_config.h"
#include "core/setup/defaults.h"
#include <QJsonObject>
#include <QStringList>

namespace bp::ui {

// A preset's values as JSON: the keys of the hyperparameter table (ParamSpec::key) plus "dataset",
// "architecture", "hidden_widths", "rule", "perturbation", "data_dir", "download", "mirror", "device",
// "seed" and "info", with the same names and spellings as toJson() and the command line.

// Every field of config. A seed above 2^53 (where a JSON number loses digits) is written as a string.
QJsonObject presetValues(const RunConfig& config);

// Sets the fields values names, leaving the others of config as they are; a dataset given without an
// architecture gets a network that fits it. Returns one message per unknown key or bad value, each
// naming the key, and then validate()'s findings; config is complete and valid only when it is empty.
QStringList applyPresetValues(const QJsonObject& values, RunConfig& config);

} // namespace bp::ui
