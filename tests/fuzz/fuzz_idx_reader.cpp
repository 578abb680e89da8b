// Fuzzes the idx reader (MNIST format, raw or gzip): any bytes give a tensor or a bp::Error.
#include "core/data/idx_reader.h"
#include "core/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        bp::data::readIdxBytes(std::vector<uint8_t>(data, data + size), "fuzz.idx");
    } catch (const bp::Error&) {
    }
    return 0;
}
