#include "core/images/image_folder.h"
#include "core/util/error.h"
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace bp::images {

namespace {

struct DirCloser {
    DIR* dir;
    ~DirCloser() {
        if (dir)
            closedir(dir);
    }
};

struct Listing {
    std::vector<std::string> folders; // names, following symbolic links
    std::vector<std::pair<std::string, struct stat>> files;
};

// The entries of a folder, hidden ones left out; a name that stat cannot follow (a broken link) is skipped.
Listing list(const std::string& path) {
    Listing listing;
    DirCloser d{opendir(path.c_str())};
    if (!d.dir)
        throw Error(path + ": cannot read the folder: " + std::strerror(errno));
    const int fd = dirfd(d.dir);
    errno = 0;
    while (const dirent* e = readdir(d.dir)) {
        if (e->d_name[0] == '.')
            continue;
        struct stat st {};
        if (fstatat(fd, e->d_name, &st, 0) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            listing.folders.emplace_back(e->d_name);
        else
            listing.files.emplace_back(e->d_name, st);
    }
    return listing;
}

bool hasImageExtension(const std::string& name) {
    for (const std::string& ext : imageExtensions()) {
        if (name.size() < ext.size())
            continue;
        bool same = true;
        for (size_t i = 0; i < ext.size() && same; ++i) {
            const char c = name[name.size() - ext.size() + i];
            same = (c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c) == ext[i];
        }
        if (same)
            return true;
    }
    return false;
}

std::string extensionList() {
    std::string text;
    for (const std::string& ext : imageExtensions())
        text += (text.empty() ? "" : ", ") + ext;
    return text;
}

// Every folder under root/rel (itself included) with its listing, as paths relative to root, each folder
// once even when links lead back to it.
void collectFolders(const std::string& root, const std::string& rel, std::set<std::pair<dev_t, ino_t>>& seen,
                    std::vector<std::pair<std::string, Listing>>& out) {
    struct stat st {};
    if (stat((root + "/" + rel).c_str(), &st) != 0 || !seen.insert({st.st_dev, st.st_ino}).second)
        return; // a link back to a folder already walked: os.walk(followlinks=True) would loop
    out.emplace_back(rel, list(root + "/" + rel));
    const std::vector<std::string> subfolders = out.back().second.folders;
    for (const std::string& name : subfolders)
        collectFolders(root, rel + "/" + name, seen, out);
}

std::string stripTrailingSlashes(std::string dir) {
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir;
}

} // namespace

const std::vector<std::string>& imageExtensions() {
    static const std::vector<std::string> extensions{".jpg", ".jpeg", ".png",  ".ppm", ".bmp",
                                                     ".pgm", ".tif",  ".tiff", ".webp"};
    return extensions;
}

ImageFolder scanImageFolder(const std::string& dir) {
    ImageFolder folder;
    folder.root = stripTrailingSlashes(dir);
    struct stat st {};
    if (stat(folder.root.c_str(), &st) != 0)
        throw Error(folder.root + ": no such folder (" + std::strerror(errno) + ")");
    if (!S_ISDIR(st.st_mode))
        throw Error(folder.root + ": not a folder");
    folder.classes = list(folder.root).folders;
    std::sort(folder.classes.begin(), folder.classes.end());
    if (folder.classes.empty())
        throw Error(folder.root + ": no class sub-folders (expected " + folder.root +
                    "/<class>/<images>, the layout of torchvision's ImageFolder)");
    for (size_t label = 0; label < folder.classes.size(); ++label) {
        const std::string& name = folder.classes[label];
        std::set<std::pair<dev_t, ino_t>> seen;
        std::vector<std::pair<std::string, Listing>> folders;
        collectFolders(folder.root, name, seen, folders);
        std::sort(folders.begin(), folders.end(), // sorted(os.walk(...)): by the folder's path
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        const size_t before = folder.entries.size();
        for (auto& [rel, listing] : folders) {
            std::sort(listing.files.begin(), listing.files.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
            for (const auto& [file, fst] : listing.files)
                if (hasImageExtension(file))
                    folder.entries.push_back(
                        {folder.root + "/" + rel + "/" + file, int64_t(label), int64_t(fst.st_size),
                         int64_t(fst.st_mtim.tv_sec) * 1'000'000'000 + fst.st_mtim.tv_nsec});
        }
        if (folder.entries.size() == before)
            throw Error("class '" + name + "' in " + folder.root + " has no images (" + extensionList() +
                        ")");
    }
    return folder;
}

ImageFolderPair scanTrainVal(const std::string& dir) {
    const std::string root = stripTrailingSlashes(dir);
    for (const char* part : {"train", "val"}) {
        struct stat st {};
        if (stat((root + "/" + part).c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            throw Error(root + ": no '" + part + "' folder (expected " + root +
                        "/train/<class>/<images> and " + root + "/val/<class>/<images>)");
    }
    ImageFolderPair pair{scanImageFolder(root + "/train"), scanImageFolder(root + "/val")};
    if (pair.train.classes != pair.val.classes) {
        const auto missing = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
            for (const std::string& name : a)
                if (!std::binary_search(b.begin(), b.end(), name))
                    return name;
            return std::string();
        };
        const std::string notInVal = missing(pair.train.classes, pair.val.classes);
        const std::string notInTrain = missing(pair.val.classes, pair.train.classes);
        throw Error(root + ": the classes of train and val differ: " +
                    (!notInVal.empty() ? "'" + notInVal + "' is in train but not in val"
                                       : "'" + notInTrain + "' is in val but not in train"));
    }
    return pair;
}

std::string fingerprint(const ImageFolder& folder) {
    uint64_t hash = 0xCBF29CE484222325ull;
    const auto add = [&hash](const void* data, size_t size) {
        const auto* p = static_cast<const uint8_t*>(data);
        for (size_t i = 0; i < size; ++i)
            hash = (hash ^ p[i]) * 0x100000001B3ull;
    };
    const auto addNumber = [&add](int64_t value) {
        uint8_t bytes[8];
        for (int i = 0; i < 8; ++i)
            bytes[i] = uint8_t(uint64_t(value) >> (8 * i));
        add(bytes, 8);
    };
    addNumber(int64_t(folder.classes.size()));
    for (const std::string& name : folder.classes)
        add(name.c_str(), name.size() + 1);
    addNumber(int64_t(folder.entries.size()));
    for (const FolderEntry& e : folder.entries) {
        // The path inside the root, so that a copy of the folder elsewhere with the same times matches.
        const size_t skip = e.path.compare(0, folder.root.size(), folder.root) == 0 ? folder.root.size() : 0;
        add(e.path.c_str() + skip, e.path.size() - skip + 1);
        addNumber(e.label);
        addNumber(e.bytes);
        addNumber(e.mtimeNs);
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

} // namespace bp::images
