// Fuzzes reading a run configuration (the JSON the run store and checkpoints keep) and its validation
// (core/setup): any text gives a configuration or a bp::Error, and a configuration that validation
// accepts writes the same JSON back after a round trip.
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/util/error.h"
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const bp::RunConfig config =
            bp::configFromJson(std::string(reinterpret_cast<const char*>(data), size));
        for (const bp::ParamSpec& spec : bp::hyperparameters())
            bp::hyperparameterApplies(config, spec.key);
        bp::requireValid(config);
        const std::string json = bp::toJson(bp::normalized(config));
        if (bp::toJson(bp::configFromJson(json)) != json)
            std::abort();
    } catch (const bp::Error&) {
    }
    return 0;
}
