#pragma once
#include <string>
#include <vector>

namespace bp {

// Writes bytes to path through "<path>.tmp", an fsync and a rename (then an fsync of the folder): a
// crash or a failed write never leaves a half-written file in place, and an existing file survives a
// failed write. Creates missing folders. Throws bp::Error naming the file and the failing call.
// faultPointName: a fault point (core/util/fault_point.h) reached when half the bytes are written.
void writeFileAtomically(const std::string& path, const std::vector<char>& bytes,
                         const char* faultPointName = nullptr);
void writeFileAtomically(const std::string& path, const std::string& text);

} // namespace bp
