#pragma once
#include <string>
#include <vector>

namespace bp::data {

// Unpacks a ustar archive, gzip-compressed or not, into destDir (created when missing): enough tar
// for the CIFAR-10 archive, so the core needs no libarchive. Regular files and folders are
// extracted (GNU long names and pax "path" records understood); links and devices are skipped.
// Each file is written as "<file>.part" and renamed when complete. Entries with absolute paths or
// ".." are refused. Returns the paths written. Throws bp::Error naming the archive and the problem
// (truncated, bad header checksum, unsafe path, corrupt gzip data, cannot write).
std::vector<std::string> extractTarGz(const std::string& archivePath, const std::string& destDir);

} // namespace bp::data
