#include "core/data/http_fetch.h"
#include "core/util/error.h"
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <curl/curl.h>
#include <filesystem>
#include <memory>
#include <mutex>

namespace bp::data {
namespace fs = std::filesystem;
namespace {

// State shared with libcurl's C callbacks, which must not throw: failures are recorded and turned
// into bp::Error after curl_easy_perform returns.
struct Transfer {
    FILE* out = nullptr;
    std::string name;
    const DownloadProgress* progress = nullptr;
    bool cancelled = false;
    bool writeFailed = false;
    int writeErrno = 0;
};

size_t onWrite(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t bytes = size * count;
    if (std::fwrite(data, 1, bytes, t->out) != bytes) {
        t->writeFailed = true;
        t->writeErrno = errno;
        return 0; // makes curl stop with CURLE_WRITE_ERROR
    }
    return bytes;
}

int onProgress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    if (!t->progress || !*t->progress)
        return 0;
    try {
        t->cancelled = !(*t->progress)(t->name, static_cast<int64_t>(now), total > 0 ? int64_t(total) : -1);
    } catch (...) {
        t->cancelled = true;
    }
    return t->cancelled ? 1 : 0;
}

void initCurlOnce() {
    static std::once_flag once; // curl_global_init is not thread-safe
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

void fetch(const std::string& url, const std::string& path, const std::string& name,
           const DownloadProgress& progress) {
    initCurlOnce();
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        throw Error(url + ": download failed: cannot initialise libcurl");
    std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(path.c_str(), "wb"), &std::fclose);
    if (!out)
        throw Error(path + ": cannot write: " + std::strerror(errno));

    Transfer transfer{out.get(), name, &progress};
    char curlError[CURL_ERROR_SIZE] = "";
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L); // HTTP >= 400 is an error, not a body to save
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);    // timeouts without SIGALRM: we may run off the GUI thread
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    // No total timeout (CIFAR-10 is 163 MB on slow links); a stalled transfer is one under 1 kB/s for 60 s.
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "burstprop-explorer/" BURSTPROP_VERSION);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curlError);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &onWrite);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &onProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);

    const CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    const bool closed = std::fclose(out.release()) == 0;
    const int closeErrno = errno;

    std::string problem;
    if (rc == CURLE_HTTP_RETURNED_ERROR || (rc == CURLE_OK && status >= 400))
        problem = url + ": download failed: HTTP " + std::to_string(status);
    else if (rc == CURLE_ABORTED_BY_CALLBACK || transfer.cancelled)
        problem = url + ": download cancelled";
    else if (transfer.writeFailed)
        problem = path + ": cannot write: " + std::strerror(transfer.writeErrno);
    else if (rc != CURLE_OK)
        problem = url + ": download failed: " + (*curlError ? curlError : curl_easy_strerror(rc));
    else if (!closed)
        problem = path + ": cannot write: " + std::strerror(closeErrno);
    if (!problem.empty()) {
        std::error_code ec;
        fs::remove(path, ec);
        throw Error(problem);
    }
}

} // namespace bp::data
