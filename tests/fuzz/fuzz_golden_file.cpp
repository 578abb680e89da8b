// Fuzzes the golden-file reader (core/golden: a dict saved by torch.save) and what a replay reads from it
// first, the configuration and the network: any bytes give them or a bp::Error.
#include "core/golden/golden_file.h"
#include "core/util/error.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const bp::golden::GoldenFile file(bp::fuzz::writeTempFile(data, size, "golden.pt"));
        bp::golden::configOf(file);
        bp::golden::networkOf(file);
    } catch (const bp::Error&) {
    }
    return 0;
}
