#pragma once
// Shared by the fuzz targets (libFuzzer): the fuzzer's bytes as a file, for readers that take a path.
// A target lets only bp::Error out of its reader: any other exception, a crash, a sanitizer finding, a
// hang (-timeout) or a huge allocation (-malloc_limit_mb) is a finding.
#include <algorithm>
#include <c10/util/Logging.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

// LibTorch symbolises a stack trace into every c10::Error it throws (the readers catch them and throw
// bp::Error), which costs far more than the reading: the fuzz targets skip it.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    c10::SetStackTraceFetcher([] { return std::string("(no stack trace while fuzzing)"); });
    return 0;
}

namespace bp::fuzz {

// A path of this process's own in $TMPDIR (else /tmp), removed at exit: <dir>/burstprop-fuzz-<pid>-<name>.
inline std::string tempPath(const std::string& name) {
    struct Paths {
        std::string dir;
        std::vector<std::string> made;
        ~Paths() {
            std::error_code ec;
            for (const std::string& p : made)
                std::filesystem::remove_all(p, ec);
        }
    };
    static Paths paths{[] {
        const char* t = std::getenv("TMPDIR");
        return std::string(t && *t ? t : "/tmp");
    }()};
    const std::string path = paths.dir + "/burstprop-fuzz-" + std::to_string(getpid()) + "-" + name;
    if (std::find(paths.made.begin(), paths.made.end(), path) == paths.made.end())
        paths.made.push_back(path);
    return path;
}

// Writes the bytes to tempPath(name) and returns that path; aborts when it cannot (not a finding of the
// reader, but nothing can be fuzzed then).
inline std::string writeTempFile(const uint8_t* data, std::size_t size, const std::string& name) {
    const std::string path = tempPath(name);
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (!file || (size > 0 && std::fwrite(data, 1, size, file) != size) || std::fclose(file) != 0) {
        std::perror(path.c_str());
        std::abort();
    }
    return path;
}

} // namespace bp::fuzz
