#include "core/cli/subcommand.h"
#include <algorithm>

namespace bp {

namespace {

// Options of burstprop-train and its subcommands that take no value (normalised: no dashes, '_').
bool isSwitch(std::string key) {
    std::replace(key.begin(), key.end(), '-', '_');
    static const char* const switches[] = {"json",     "no_progress", "help",        "h",       "yes",
                                           "momentum", "no_db",       "no_download", "dry_run", "commands"};
    return std::any_of(std::begin(switches), std::end(switches), [&](const char* s) { return key == s; });
}

bool isOption(const std::string& arg) {
    // "-5" or "-.5" is a value (-xi_mean -0.5), not an option.
    return arg.size() >= 2 && arg[0] == '-' &&
           !(std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.');
}

} // namespace

bool isSubcommand(const std::string& word) {
    for (const char* c : {"list", "show", "export", "import", "resume", "delete", "evaluate", "golden",
                          "sweep", "stop", "pause", "continue"})
        if (word == c)
            return true;
    return false;
}

std::vector<std::string> subcommandFirst(const std::vector<std::string>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--")
            break; // what follows is positional: a results directory, whatever its name
        if (isOption(arg)) {
            const std::string name = arg.substr(arg.compare(0, 2, "--") == 0 ? 2 : 1);
            if (name.find('=') == std::string::npos && !isSwitch(name))
                ++i; // its value
            continue;
        }
        if (!isSubcommand(arg))
            return args;
        std::vector<std::string> reordered{arg};
        for (size_t j = 0; j < args.size(); ++j)
            if (j != i)
                reordered.push_back(args[j]);
        return reordered;
    }
    return args;
}

} // namespace bp
