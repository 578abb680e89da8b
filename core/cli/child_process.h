#pragma once
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace bp {

// This program's own file (/proc/self/exe), to start copies of it (a sweep's runs, a local group's ranks).
std::string programPath();

struct ChildSpec {
    std::vector<std::string> argv;               // argv[0] is the program
    std::map<std::string, std::string> extraEnv; // added to (or replacing in) this process's environment
    std::string outputFile;                      // "": inherit stdout and stderr; else both appended there
    bool ownProcessGroup = true;                 // a terminal's Ctrl+C then reaches this process only
};

// Starts a child with the default handling of SIGINT and SIGTERM, no signal blocked and stdin from /dev/null.
// Throws bp::Error naming the program when it cannot be started.
pid_t startChild(const ChildSpec& spec);

} // namespace bp
