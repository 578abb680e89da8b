#include "core/cli/command_arguments.h"
#include "core/util/error.h"
#include "core/util/number_text.h"
#include <algorithm>
#include <cstdlib>

namespace bp {

namespace {

std::string normalised(std::string key) {
    while (!key.empty() && key.front() == '-')
        key.erase(key.begin());
    std::replace(key.begin(), key.end(), '-', '_');
    return key;
}

bool contains(const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

} // namespace

std::string CommandArguments::get(const std::string& key, const std::string& fallback) const {
    const auto it = values.find(key);
    return it == values.end() ? fallback : it->second;
}

CommandArguments parseCommandArguments(const std::vector<std::string>& args,
                                       const std::vector<std::string>& valued,
                                       const std::vector<std::string>& switches) {
    CommandArguments a;
    a.command = args.at(0);
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.empty() || arg[0] != '-') {
            if (a.positional)
                throw Error(a.command + ": unexpected argument '" + arg + "'");
            a.positional = arg;
            continue;
        }
        std::string key = arg, value;
        const size_t eq = arg.find('=');
        if (eq != std::string::npos) {
            key = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        }
        const std::string k = normalised(key);
        const bool isValued = contains(valued, k);
        if (!isValued && !contains(switches, k))
            throw Error(a.command + ": unknown option '" + key + "' (burstprop-train " + a.command +
                        " --help)");
        if (isValued && eq == std::string::npos) {
            if (i + 1 >= args.size())
                throw Error(a.command + ": " + key + " needs a value");
            value = args[++i];
        }
        a.values[k] = value;
    }
    return a;
}

void requireIntegerOption(const CommandArguments& a, const std::string& key, long max,
                          const std::string& note) {
    if (!a.has(key))
        return;
    const std::string v = a.get(key);
    const std::optional<int64_t> n = parseInteger(v);
    if (!n || *n < 0 || *n > max)
        throw Error(a.command + ": --" + key + " '" + v + "' is not an integer in [0, " +
                    std::to_string(max) + "]" + note);
}

} // namespace bp
