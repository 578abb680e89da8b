#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace bp::data {

// (file name, bytes so far, total bytes or -1); return false to cancel.
using DownloadProgress = std::function<bool(const std::string&, int64_t, int64_t)>;

// Fetches url into path (following redirects), reporting progress under name; leaves nothing at path
// on failure. Throws bp::Error: "<url>: download failed: HTTP <status>" or the transfer's error,
// "<url>: download cancelled", "<path>: cannot write: ...", and, in a build without libcurl, a message
// saying so.
void fetch(const std::string& url, const std::string& path, const std::string& name,
           const DownloadProgress& progress);

} // namespace bp::data
