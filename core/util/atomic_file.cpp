#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "core/util/fault_point.h"
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace bp {

void writeFileAtomically(const std::string& path, const std::vector<char>& bytes,
                         const char* faultPointName) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(path + ": cannot write (" + tmp + ": " + std::strerror(errno) + ")");
    auto fail = [&](const char* what) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Error(path + ": cannot write (" + what + ": " + reason + "); any previous file is unchanged");
    };
    // In two halves, so that a fault point can stop the process with half a file written.
    const size_t half = bytes.size() / 2;
    for (size_t done = 0; done < bytes.size();) {
        const size_t end = done < half ? half : bytes.size();
        const ssize_t n = ::write(fd, bytes.data() + done, end - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail("write");
        done += static_cast<size_t>(n);
        if (done == half && faultPointName)
            faultPoint(faultPointName);
    }
    if (::fsync(fd) != 0) // the data must be on disk before the rename makes it the file
        fail("fsync");
    if (::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw Error(path + ": cannot write (close: " + std::strerror(errno) +
                    "); any previous file is unchanged");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw Error(path + ": cannot replace the file (rename: " + reason +
                    "); any previous file is unchanged");
    }
    const int dir = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) { // make the rename itself durable
        ::fsync(dir);
        ::close(dir);
    }
}

void writeFileAtomically(const std::string& path, const std::string& text) {
    writeFileAtomically(path, std::vector<char>(text.begin(), text.end()));
}

} // namespace bp
