// Fuzzes reading a checkpoint (core/checkpoint: the .pt zip and pickle, the format's checks) and what a
// resume does with it: the configuration and network JSON, the tensors against the configuration's
// network, the optimizer's and the rule's state, the generators, then one training step. Reading must
// give a Checkpoint or a bp::Error; the resume may refuse with any exception but never crash. A second
// pass gives a readable dict its right "checksum" first, so that mutations reach the checks behind it.
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/pickle_io.h"
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include "core/util/error.h"
#include "fuzz_support.h"
#include <ATen/CPUGeneratorImpl.h>

namespace {

using namespace bp;

void resumeFrom(const Checkpoint& c) {
    const RunConfig config = configFromJson(c.configJson);
    requireValid(config);
    if (!c.networkJson.empty())
        networkSpecFromJson(c.networkJson).describe();
    int64_t units = 0; // small fully connected networks only: the file may ask for 20 × 100,000 units
    for (int w : config.hiddenWidths)
        units += w;
    if (config.architecture != Architecture::FullyConnected || units > 64)
        return;
    const bool cifar = config.dataset == DatasetKind::Cifar10;
    const int64_t channels = cifar ? 3 : 1, size = cifar ? 32 : 28;
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(1);
    Network net = buildNetwork(config, channels, size, generator);
    const std::unique_ptr<Learner> learner = makeLearner(config, net, 2);
    c.restoreNetwork(net, "fuzz");
    learner->optimizer().loadState(c.optimizerState, net, "fuzz");
    learner->rule().restoreState(c.ruleState, "fuzz");
    learner->rule().checkState(net, "fuzz");
    c.restoreGenerator("order", generator, "fuzz");
    try {
        const at::Tensor images = at::rand({2, channels, size, size}, generator).to(scalarType(config));
        learner->step(net, images, at::tensor({int64_t(0), int64_t(1)}, at::kLong), true);
    } catch (const std::exception&) { // a state that does not fit may stop the step, not the process
    }
}

void readAndResume(const std::string& path) {
    try {
        resumeFrom(loadCheckpoint(path));
    } catch (const Error&) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = fuzz::writeTempFile(data, size, "fuzz.ckpt");
    readAndResume(path);
    try {
        pickle::Dict dict = pickle::load(path);
        dict.insert_or_assign("checksum", pickle::checksum(dict));
        const std::vector<char> bytes = pickle::save(dict, path);
        readAndResume(
            fuzz::writeTempFile(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), "fixed.ckpt"));
    } catch (const Error&) {
    }
    return 0;
}
