#pragma once
// torchvision's ImageFolder layout: DIR/<class>/**/<file>. The classes are the sorted names of DIR's
// sub-folders; the images, the files with one of torchvision's IMG_EXTENSIONS (any case) found walking each
// class folder recursively, in the order torchvision's make_dataset lists them (folders sorted by path,
// files by name, byte order as Python's sorted()). Unlike torchvision, hidden files and folders (".name")
// are skipped: they are never images a user meant (".ipynb_checkpoints", "._x.jpg" from macOS).
#include <cstdint>
#include <string>
#include <vector>

namespace bp::images {

struct FolderEntry {
    std::string path; // root + "/" + the path inside root
    int64_t label = 0;
    int64_t bytes = 0;
    int64_t mtimeNs = 0;
};

struct ImageFolder {
    std::string root;
    std::vector<std::string> classes;
    std::vector<FolderEntry> entries;
};

// The extensions ImageFolder reads (torchvision's IMG_EXTENSIONS), lower case with the dot.
const std::vector<std::string>& imageExtensions();

// Throws bp::Error for a missing folder or not a folder, no class sub-folders, or a class folder with no
// image file ("class 'n01440764' in DIR has no images (.jpg, .jpeg, .png, ...)").
ImageFolder scanImageFolder(const std::string& dir);

// DIR/train and DIR/val read together; throws when either is missing or their classes differ (naming the
// first class found in one but not the other).
struct ImageFolderPair {
    ImageFolder train, val;
};
ImageFolderPair scanTrainVal(const std::string& dir);

// A hex digest (FNV-1a 64) of the class names and, in order, every entry's path inside the root, size and
// modification time: it changes when a file is added, removed, renamed, resized or touched.
std::string fingerprint(const ImageFolder& folder);

} // namespace bp::images
