// Fuzzes the image decoders (JPEG through libjpeg-turbo, PNG through libpng, the format sniffing): any bytes
// give a size and an image or a bp::Error, at each DCT scale.
#include "core/images/image_decode.h"
#include "core/util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const int scales[4] = {1, 2, 4, 8};
    try {
        bp::images::readSize(data, size, "fuzz.img");
    } catch (const bp::Error&) {
    }
    try {
        const bp::images::Image image = bp::images::decode(data, size, "fuzz.img", scales[size % 4]);
        if (image.rgb.size() != size_t(image.width) * size_t(image.height) * 3)
            __builtin_trap(); // the decoder's promise: width x height RGB pixels
    } catch (const bp::Error&) {
    }
    return 0;
}
