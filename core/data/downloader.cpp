#include "core/data/downloader.h"
#include "core/data/dataset.h"
#include "core/data/tar_reader.h"
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

constexpr const char* kCifarArchive = "cifar-10-binary.tar.gz";

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

// Fetches url into path; leaves nothing at path on failure.
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

std::string joinUrl(const std::string& base, const std::string& name) {
    return base.empty() || base.back() == '/' ? base + name : base + "/" + name;
}

} // namespace

std::string defaultMirror(DatasetKind kind) {
    switch (kind) {
    case DatasetKind::Mnist:
        return "https://ossci-datasets.s3.amazonaws.com/mnist/";
    case DatasetKind::FashionMnist:
        return "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    case DatasetKind::Cifar10:
        return "https://www.cs.toronto.edu/~kriz/";
    }
    return {};
}

std::vector<RemoteFile> remoteFiles(DatasetKind kind) {
    switch (kind) {
    case DatasetKind::Mnist:
        return {{"train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"},
                {"train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"},
                {"t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"},
                {"t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"}};
    case DatasetKind::FashionMnist:
        return {{"train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"},
                {"train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"},
                {"t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"},
                {"t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"}};
    case DatasetKind::Cifar10:
        return {{kCifarArchive, "c32a1d4ab5d03f1284b67883e8d87530"}};
    }
    return {};
}

void downloadFiles(const std::string& baseUrl, const std::vector<RemoteFile>& files,
                   const std::string& destDir, const DownloadProgress& progress) {
    std::error_code ec;
    fs::create_directories(destDir, ec);
    if (ec)
        throw Error(destDir + ": cannot create folder: " + ec.message());
    for (const RemoteFile& file : files) {
        const std::string target = (fs::path(destDir) / file.name).string();
        if (fs::is_regular_file(target, ec) && md5File(target) == file.md5)
            continue;
        const std::string url = joinUrl(baseUrl, file.name);
        const std::string part = target + ".part";
        fetch(url, part, file.name, progress);
        const std::string actual = md5File(part);
        if (actual != file.md5) {
            fs::remove(part, ec);
            throw Error(target + ": MD5 checksum mismatch: expected " + file.md5 + ", got " + actual +
                        " (downloaded from " + url + "; the file was deleted)");
        }
        fs::rename(part, target, ec);
        if (ec)
            throw Error(target + ": cannot rename from " + part + ": " + ec.message());
    }
}

void downloadDataset(DatasetKind kind, const DownloadOptions& options) {
    const std::string base = options.baseUrl.empty() ? defaultMirror(kind) : options.baseUrl;
    const std::string dest = options.destDir.empty() ? userDataDir(kind) : options.destDir;
    const std::vector<RemoteFile> files = options.files.empty() ? remoteFiles(kind) : options.files;
    if (kind != DatasetKind::Cifar10) {
        // A user who unpacked the .gz files has what loadDataset needs: don't fetch them again.
        std::vector<RemoteFile> missing;
        for (const RemoteFile& file : files) {
            const bool gz = file.name.size() > 3 && file.name.compare(file.name.size() - 3, 3, ".gz") == 0;
            std::error_code ec;
            if (!gz || !fs::is_regular_file(fs::path(dest) / file.name.substr(0, file.name.size() - 3), ec))
                missing.push_back(file);
        }
        downloadFiles(base, missing, dest, options.progress);
        return;
    }
    if (datasetAvailable(kind, dest))
        return;
    downloadFiles(base, files, dest, options.progress);
    const std::string archive = (fs::path(dest) / files.front().name).string();
    extractTarGz(archive, dest);
    if (!datasetAvailable(kind, dest))
        throw Error(archive + ": unpacked, but the CIFAR-10 batch files are not in it");
    // The batches are what loadDataset reads; the 163 MB archive would only duplicate them.
    std::error_code ec;
    fs::remove(archive, ec);
}

} // namespace bp::data
