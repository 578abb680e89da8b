#include "core/data/downloader.h"
#include "core/data/dataset.h"
#include "core/data/http_fetch.h"
#include "core/data/tar_reader.h"
#include "core/util/error.h"
#include <filesystem>

namespace bp::data {
namespace fs = std::filesystem;
namespace {

constexpr const char* kCifarArchive = "cifar-10-binary.tar.gz";

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
