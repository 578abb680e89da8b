#pragma once
#include <string>
#include <vector>

namespace bp {

// burstprop-train's subcommands: list, show, export, import, resume, delete, golden and sweep.
bool isSubcommand(const std::string& word);

// The arguments with the subcommand first, wherever the options stood: in `burstprop-train --db runs.sqlite
// list` the first word that is neither an option nor an option's value is "list", so the result is
// {"list", "--db", "runs.sqlite"}. A results directory of a subcommand's name needs a path (./list), or to
// follow "--". Without a subcommand the arguments come back as they were.
std::vector<std::string> subcommandFirst(const std::vector<std::string>& args);

} // namespace bp
