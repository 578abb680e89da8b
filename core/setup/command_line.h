#pragma once
#include "core/config/run_config.h"
#include <string>
#include <vector>

namespace bp {

// The shortest burstprop-train argument list that reproduces config: --dataset first, then only what
// differs from defaultConfig(dataset, rule) once both are normalized(), so options a rule ignores are
// left out. normalized(parseConfigOptions(args).config) equals normalized(config) for every valid config.
// A combination the command line cannot express (a CIFAR-10 config without the CIFAR-10 net) fails
// validate() and is not reproduced.
std::vector<std::string> commandLineArguments(const RunConfig& config);

// One line that identifies a run's setup, as key=value pairs, e.g.
// "dataset=mnist architecture=fc hidden=500,500 rule=burstprop batch_size=32 epochs=500 device=cpu
// threads=all seed=1".
std::string configurationLine(const RunConfig& config);

// program and the arguments as one line for a POSIX shell, each word single-quoted where it needs it.
std::string commandLine(const RunConfig& config, const std::string& program = "burstprop-train");

// word as a POSIX shell reads it back: unchanged when it has only safe characters, else in single
// quotes with each ' written as '\''.
std::string shellQuoted(const std::string& word);

} // namespace bp
