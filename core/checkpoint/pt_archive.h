#pragma once
#include <string>
#include <vector>

namespace bp::pickle {

// Checks a .pt file's bytes (a zip archive: <name>/data.pkl and <name>/data/<key> records) before
// LibTorch 1.13's reader sees them, which trusts them: it allocates what a length field claims, takes
// values off an empty stack, builds tensors beyond their storage. Accepted: stored (uncompressed)
// records inside the file, and a pickle of the opcodes and globals that torch.save and
// torch::pickle_save write for a dict of tensors, numbers and strings (Python's semantics: nothing
// taken from below a mark, memo ids in order, nesting at most 100 deep), whose storages fit their
// records and whose tensors fit their storages. Throws bp::Error "<path>: not a readable .pt file
// (truncated or corrupt): <what, where>".
void checkPtArchive(const std::vector<char>& bytes, const std::string& path);

} // namespace bp::pickle
