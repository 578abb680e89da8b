#pragma once
#include <cstdint>
#include <optional>
#include <string>

// What the run store records about the machine and process that run a run.
namespace bp::sys {

std::string hostName();
int64_t processId();
// True when a process with this id exists on this host (kill(pid, 0): alive, or alive but not ours).
bool processAlive(int64_t pid);
// Seconds since the Unix epoch.
double unixNow();
// When the file was last written, in seconds since the Unix epoch; nullopt when it cannot be read.
std::optional<double> modificationTime(const std::string& path);
// $XDG_DATA_HOME when set and absolute, else $HOME/.local/share (the home folder from passwd when HOME is
// unset).
std::string dataHome();
// The network file system that holds path (its nearest existing folder): "NFS", "SMB/CIFS", "Lustre", ...,
// or "" for a local one. SQLite's WAL mode needs every process on one host and a local disk.
std::string networkFileSystemOf(const std::string& path);
// A TCP port on 127.0.0.1 that nobody listens on now (the kernel's pick for a socket bound to port 0), for a
// rendezvous; 0 when no socket can be had.
int freeLoopbackPort();
// The name of a network file system by its statfs(2) f_type, or "" for any other.
std::string networkFileSystemName(int64_t magic);

} // namespace bp::sys
