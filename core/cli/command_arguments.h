#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bp {

// The arguments of one of burstprop-train's subcommands (list, show, ..., golden): options given as
// "--key value" or "--key=value" (one or two dashes, '-' and '_' alike in the name), switches, and at most
// one positional argument.
struct CommandArguments {
    std::string command;                       // args[0]
    std::optional<std::string> positional;     // the one argument that is not an option
    std::map<std::string, std::string> values; // by normalised key ("no_progress"); "" for a switch

    bool has(const std::string& key) const { return values.count(key) > 0; }
    std::string get(const std::string& key, const std::string& fallback = {}) const;
};

// Parses args (args[0] is the command) against the keys it accepts, normalised: valued options take a
// value, switches none. Throws bp::Error "<command>: unknown option '<as given>' (burstprop-train
// <command> --help)", "<command>: <key> needs a value" or "<command>: unexpected argument '<arg>'" (a
// second positional argument).
CommandArguments parseCommandArguments(const std::vector<std::string>& args,
                                       const std::vector<std::string>& valued,
                                       const std::vector<std::string>& switches);

// Throws bp::Error "<command>: --<key> '<value>' is not an integer in [0, max]<note>" unless the option is
// absent or such an integer.
void requireIntegerOption(const CommandArguments& a, const std::string& key, long max,
                          const std::string& note = {});

} // namespace bp
