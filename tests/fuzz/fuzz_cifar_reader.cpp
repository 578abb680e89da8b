// Fuzzes the CIFAR-10 binary batch reader: any bytes give a batch or a bp::Error.
#include "core/data/cifar_reader.h"
#include "core/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        bp::data::readCifarBytes(std::vector<uint8_t>(data, data + size), "fuzz.bin");
    } catch (const bp::Error&) {
    }
    return 0;
}
