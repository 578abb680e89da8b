#include "core/util/fault_point.h"
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace bp::detail {

namespace {

// BURSTPROP_FAULT="<name>[:<n>]"; a missing or bad n means the first time.
struct FaultSpec {
    std::string name;
    long occurrence = 1;
    std::atomic<long> reached{0};
    FaultSpec() {
        const char* value = std::getenv("BURSTPROP_FAULT");
        name = value ? value : "";
        const size_t colon = name.rfind(':');
        if (colon == std::string::npos)
            return;
        char* end = nullptr;
        const long n = std::strtol(name.c_str() + colon + 1, &end, 10);
        if (end && *end == '\0' && n > 0)
            occurrence = n;
        name.resize(colon);
    }
};

FaultSpec& spec() {
    static FaultSpec s;
    return s;
}

void writeAll(const std::string& text) {
    for (size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
        if (n <= 0)
            return;
        done += static_cast<size_t>(n);
    }
}

} // namespace

const bool kFaultArmed = [] {
    const char* value = std::getenv("BURSTPROP_FAULT");
    return value && *value;
}();

void reachFault(const char* name) {
    FaultSpec& s = spec();
    if (s.name != name || ++s.reached != s.occurrence)
        return;
    writeAll("fault point " + s.name + " reached (" + std::to_string(s.occurrence) + "): SIGKILL\n");
    ::kill(::getpid(), SIGKILL);
    ::_exit(137); // not reached
}

} // namespace bp::detail
