// The HTTP fetch of a build made without libcurl (a GPU server without its headers): every download
// fails with a message that says why and what to do instead.
#include "core/data/http_fetch.h"
#include "core/util/error.h"

namespace bp::data {

void fetch(const std::string& url, const std::string&, const std::string&, const DownloadProgress&) {
    throw Error(url + ": this build cannot download (libcurl was not found when it was built); copy the "
                      "dataset's files into its folder, or rebuild with libcurl's development files");
}

} // namespace bp::data
