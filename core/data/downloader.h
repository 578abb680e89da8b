#pragma once
#include "core/config/run_config.h"
#include "core/data/http_fetch.h"
#include <functional>
#include <string>
#include <vector>

namespace bp::data {

// A file of a published dataset and its MD5 sum, as torchvision lists them.
struct RemoteFile {
    std::string name; // file name under the mirror's base URL
    std::string md5;  // lowercase hex
};

// The default mirror base URL and file list of MNIST / Fashion-MNIST / CIFAR-10.
std::string defaultMirror(DatasetKind kind);
std::vector<RemoteFile> remoteFiles(DatasetKind kind);

struct DownloadOptions {
    std::string baseUrl;           // empty: defaultMirror(kind)
    std::string destDir;           // created when missing; empty: userDataDir(kind)
    std::vector<RemoteFile> files; // empty: remoteFiles(kind); tests and other mirrors set their own
    // Called with (file name, bytes so far, total bytes or -1). Return false to cancel.
    std::function<bool(const std::string&, int64_t, int64_t)> progress;
};

// Downloads every missing file of kind into destDir, checking MD5 sums (a mismatching file is
// deleted and reported), and unpacks the CIFAR-10 archive so that loadDataset() finds it (the
// archive is deleted once unpacked; nothing is fetched while the batches are there). An idx file
// already unpacked (without .gz) counts as present.
// Throws bp::Error naming the URL or file and the problem.
void downloadDataset(DatasetKind kind, const DownloadOptions& options);

// MD5 of a file's content as lowercase hex. Throws bp::Error when it cannot be read.
std::string md5File(const std::string& path);

// The building block of downloadDataset(), public for tests and other mirrors: fetches
// baseUrl + name for each file missing from destDir (or present with another MD5), following
// redirects, into "<name>.part", checks its MD5 and renames it into place. Files already present
// with the right MD5 are neither fetched nor reported to progress (which may be empty).
// Throws bp::Error: "<url>: download failed: HTTP <status>", "<url>: download cancelled",
// "<file>: MD5 checksum mismatch ..." (the file is deleted), and I/O errors naming the file.
void downloadFiles(const std::string& baseUrl, const std::vector<RemoteFile>& files,
                   const std::string& destDir, const DownloadProgress& progress);

} // namespace bp::data
