#pragma once
#include "core/config/network_spec.h"
#include <cstdint>
#include <string>
#include <vector>

namespace bp {

// The MNIST-format sets and CIFAR-10 are read into memory; ImageNet and any other folder of torchvision's
// ImageFolder layout (DIR/train/<class>/*.JPEG, DIR/val/<class>/...) stream from disk.
enum class DatasetKind { FashionMnist, Mnist, Cifar10, ImageNet, ImageFolder };
enum class Architecture { FullyConnected, MnistConv, Cifar10Conv, ImagenetConv };

// ImageNet and image folders: the data sets whose images are decoded from files while training.
inline bool isImageFolder(DatasetKind kind) {
    return kind == DatasetKind::ImageNet || kind == DatasetKind::ImageFolder;
}
// The ImageNet net takes images of at least this many pixels a side (seven convolutions, no padding).
constexpr int kImagenetMinInputSize = 193;
// Node perturbation: noise on every layer at once, one layer per sub-step, or one unit per batch.
enum class PerturbationMode { AllLayers, LayerByLayer, UnitByUnit };
// The number type of the network's tensors. float64 runs on the CPU's plain ATen path (no fused kernels):
// for settings where float32 cannot resolve the burst signals (../shared/golden/imagenet/README.md).
enum class Dtype { Float32, Float64 };
// What applies a rule's gradients: the rule's own choice (the reference's form for the local rules,
// torch.optim.SGD for backprop), or one named: the reference's burstprop form, torch.optim.SGD, Adam.
enum class OptimizerKind { RuleDefault, Reference, Sgd, Adam };

// Everything that defines a run. Field defaults are the reference train_mnist.py defaults;
// defaultConfig() (core/setup) gives the per-dataset and per-rule ones.
struct RunConfig {
    // Data
    DatasetKind dataset = DatasetKind::FashionMnist;
    std::string dataDir; // empty: the dataset's default folder
    bool validation =
        false;            // hold out 10,000 training images (image folders: validationSize) as the test set
    bool download = true; // fetch a missing data set (MD5-checked) before training
    std::string mirror;   // download base URL; empty: the data set's default mirror
    int trainLimit = 0;   // use only the first N training images (0: all); for smoke runs
    // Image folders: the side of the square crops the network reads, the held-out images of -validation,
    // the decoding threads (0: the cores training leaves free, at least one), and whether the test set
    // gets the training transform (random crop and flip) as the reference's train_imagenet.py did, instead of
    // Resize(256 / 224 · size) + CenterCrop(size).
    int imageSize = 224;
    int validationSize = 50000;
    int loaderThreads = 0;
    bool testAugment = false;

    // Network
    Architecture architecture = Architecture::FullyConnected;
    std::vector<int> hiddenWidths{500, 500, 500};
    // The ImageNet net's seven convolutions' channels; empty: the reference's (48, 48, 96, 96, 192, 192, 384
    // with learned feedback weights and for backprop, 48, 96, 96, 192, 192, 384, 470 without).
    std::vector<int> convChannels;
    Activation activation = Activation::Sigmoid; // of the hidden (and conv) layers
    OutputKind output = OutputKind::Sigmoid;
    double kappa = 1e-5; // softmax output: the reference's κ

    // Learning rule (a name of the rule registry, core/rules/rule_registry.h) and its hyperparameters
    // (names as the reference scripts' flags)
    std::string rule = "burstprop";
    int epochs = 500;
    int batchSize = 32;
    double hiddenLr = 0.1;
    double outputLr = 0.01;
    double weightFaStd = 1.0;
    double momentum = 0.8;
    double weightDecay = 1e-6;
    double pBaseline = 0.2;
    bool weightFaLearning = false;
    bool recurrentInput = true;
    double weightRRange = 0.01;
    bool weightRLearning = true;
    double recurrentLr = 1e-4;
    PerturbationMode perturbation = PerturbationMode::AllLayers;
    double xiMean = 0.0;
    double xiStd = 0.001;

    // Optimizer and learning-rate schedule: every learning rate × lrFactor^⌊(epoch − 1) / lrStep⌋
    // (lrStep 0: constant; the ImageNet script's is 30 epochs × 0.1).
    OptimizerKind optimizer = OptimizerKind::RuleDefault;
    int lrStep = 0;
    double lrFactor = 0.1;

    // Execution
    uint64_t seed = 1;
    std::string device = "cpu"; // "cpu", "cuda", "cuda:N"
    Dtype dtype = Dtype::Float32;
    int threads = 0;         // 0: all cores
    int angleInterval = 100; // measure angles every N batches (0: once per epoch)
    int testBatchSize = 1000;
    std::string info; // free text, as the reference's -info
};

// The reference scripts' per-dataset defaults (train_mnist.py, train_cifar10.py), before any rule's own.
RunConfig datasetDefaults(DatasetKind dataset);

std::string toString(DatasetKind);
std::string toString(Architecture);
std::string toString(PerturbationMode);
std::string toString(Dtype);
std::string toString(OptimizerKind);
// Parse the names toString() gives (plus common aliases); throw bp::Error naming the allowed values.
DatasetKind parseDatasetKind(const std::string&);
Architecture parseArchitecture(const std::string&);
PerturbationMode parsePerturbationMode(const std::string&);
Dtype parseDtype(const std::string&);
OptimizerKind parseOptimizerKind(const std::string&);

} // namespace bp
