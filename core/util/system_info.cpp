#include "core/util/system_info.h"
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <unistd.h>

namespace bp::sys {

std::string hostName() {
    char name[256] = {};
    if (gethostname(name, sizeof(name) - 1) != 0)
        return "localhost";
    return name;
}

int64_t processId() {
    return static_cast<int64_t>(getpid());
}

bool processAlive(int64_t pid) {
    if (pid <= 0 || pid != static_cast<int64_t>(static_cast<pid_t>(pid)))
        return false;
    if (kill(static_cast<pid_t>(pid), 0) == 0)
        return true;
    return errno == EPERM; // exists, owned by someone else
}

double unixNow() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::optional<double> modificationTime(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) * 1e-9;
}

std::string dataHome() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    if (xdg && xdg[0] == '/')
        return xdg;
    const char* home = std::getenv("HOME");
    if (!home || !*home) {
        const passwd* pw = getpwuid(getuid());
        home = pw && pw->pw_dir ? pw->pw_dir : "/tmp";
    }
    return std::string(home) + "/.local/share";
}

std::string networkFileSystemName(int64_t magic) {
    switch (static_cast<uint32_t>(magic)) {
    case 0x6969u:
        return "NFS";
    case 0xFF534D42u: // CIFS
    case 0xFE534D42u: // SMB2
    case 0x517Bu:     // SMB
        return "SMB/CIFS";
    case 0x0BD00BD0u:
        return "Lustre";
    case 0x47504653u:
        return "GPFS";
    case 0x00C36400u:
        return "CephFS";
    case 0x6B414653u:
        return "AFS";
    default:
        return {};
    }
}

std::string networkFileSystemOf(const std::string& path) {
    std::filesystem::path p = std::filesystem::absolute(path).lexically_normal();
    std::error_code ec;
    while (!p.empty() && !std::filesystem::exists(p, ec) && p != p.parent_path())
        p = p.parent_path();
    struct statfs info {};
    if (::statfs(p.c_str(), &info) != 0)
        return {};
    return networkFileSystemName(static_cast<int64_t>(info.f_type));
}

int freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

} // namespace bp::sys
