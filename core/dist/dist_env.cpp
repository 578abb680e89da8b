#include "core/dist/dist_env.h"
#include "core/util/error.h"
#include <charconv>

extern char** environ;

namespace bp::dist {

namespace {

std::optional<std::string> lookup(const Environment& env, const std::string& name) {
    const auto it = env.find(name);
    if (it == env.end())
        return std::nullopt;
    return it->second;
}

int integer(const Environment& env, const std::string& name, int min, int max, std::optional<int> fallback) {
    const std::optional<std::string> text = lookup(env, name);
    if (!text) {
        if (fallback)
            return *fallback;
        throw Error("the environment variable " + name + " is not set (a data-parallel launch needs it)");
    }
    int value = 0;
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (text->empty() || ec != std::errc() || ptr != end || value < min || value > max)
        throw Error("the environment variable " + name + " is '" + *text + "', not a whole number from " +
                    std::to_string(min) + " to " + std::to_string(max));
    return value;
}

} // namespace

Environment processEnvironment() {
    Environment env;
    for (char** e = environ; e && *e; ++e) {
        const std::string entry = *e;
        const size_t eq = entry.find('=');
        if (eq != std::string::npos)
            env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    return env;
}

std::string firstSlurmHost(const std::string& nodeList) {
    // The first entry at the top level (commas inside brackets separate numbers, not hosts).
    int depth = 0;
    size_t end = 0;
    for (; end < nodeList.size(); ++end) {
        const char c = nodeList[end];
        if (c == '[')
            ++depth;
        else if (c == ']')
            --depth;
        else if (c == ',' && depth == 0)
            break;
    }
    const std::string entry = nodeList.substr(0, end);
    if (entry.empty())
        throw Error("the environment variable SLURM_JOB_NODELIST is empty or starts with a comma ('" +
                    nodeList + "')");
    const size_t open = entry.find('[');
    if (open == std::string::npos)
        return entry;
    const size_t close = entry.find(']', open);
    if (close == std::string::npos)
        throw Error("the environment variable SLURM_JOB_NODELIST has an unclosed bracket ('" + nodeList +
                    "')");
    const std::string inside = entry.substr(open + 1, close - open - 1);
    const size_t stop = inside.find_first_of(",-");
    const std::string first = inside.substr(0, stop);
    if (first.empty())
        throw Error("the environment variable SLURM_JOB_NODELIST has an empty range ('" + nodeList + "')");
    return entry.substr(0, open) + first + entry.substr(close + 1);
}

DistEnv readDistEnv(const Environment& env, std::optional<int> port) {
    DistEnv d;
    if (lookup(env, "WORLD_SIZE")) {
        d.source = "torchrun";
        d.worldSize = integer(env, "WORLD_SIZE", 1, 1 << 20, std::nullopt);
        d.rank =
            integer(env, "RANK", 0, d.worldSize - 1, d.worldSize == 1 ? std::optional<int>(0) : std::nullopt);
        d.localRank = integer(env, "LOCAL_RANK", 0, d.worldSize - 1, 0);
        if (const auto addr = lookup(env, "MASTER_ADDR"); addr && !addr->empty())
            d.masterAddr = *addr;
        else if (d.worldSize > 1)
            throw Error("the environment variable MASTER_ADDR is not set (a data-parallel launch needs it)");
        d.masterPort = port ? *port
                            : integer(env, "MASTER_PORT", 1, 65535,
                                      d.worldSize == 1 ? std::optional<int>(kDefaultPort) : std::nullopt);
    } else if (lookup(env, "SLURM_NTASKS")) {
        d.source = "slurm";
        d.worldSize = integer(env, "SLURM_NTASKS", 1, 1 << 20, std::nullopt);
        d.rank = integer(env, "SLURM_PROCID", 0, d.worldSize - 1, std::nullopt);
        d.localRank = integer(env, "SLURM_LOCALID", 0, d.worldSize - 1, 0);
        const auto nodes = lookup(env, "SLURM_JOB_NODELIST");
        if (nodes)
            d.masterAddr = firstSlurmHost(*nodes);
        else if (d.worldSize > 1)
            throw Error(
                "the environment variable SLURM_JOB_NODELIST is not set (a data-parallel launch needs it)");
        d.masterPort = port ? *port : kDefaultPort;
    } else if (port) {
        d.masterPort = *port;
    }
    if (d.masterPort < 1 || d.masterPort > 65535)
        throw Error("the rendezvous port " + std::to_string(d.masterPort) + " is not from 1 to 65535");
    return d;
}

} // namespace bp::dist
