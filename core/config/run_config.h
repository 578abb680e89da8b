#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace bp {

enum class DatasetKind { FashionMnist, Mnist, Cifar10 };
enum class Rule { Burstprop, Backprop, FeedbackAlignment, NodePerturbation };
enum class Architecture { FullyConnected, MnistConv, Cifar10Conv };
// Node perturbation: noise on every layer at once, one layer per sub-step, or one unit per batch.
enum class PerturbationMode { AllLayers, LayerByLayer, UnitByUnit };

// Everything that defines a run. Field defaults are the reference train_mnist.py defaults;
// defaultConfig() gives the per-dataset ones.
struct RunConfig {
    // Data
    DatasetKind dataset = DatasetKind::FashionMnist;
    std::string dataDir;          // empty: the dataset's default folder
    bool validation = false;      // hold out 10,000 training images as the test set
    bool download = true;         // fetch a missing data set (MD5-checked) before training
    std::string mirror;           // download base URL; empty: the data set's default mirror
    int trainLimit = 0;           // use only the first N training images (0: all); for smoke runs

    // Network
    Architecture architecture = Architecture::FullyConnected;
    std::vector<int> hiddenWidths{500, 500, 500};

    // Learning rule and its hyperparameters (names as the reference scripts' flags)
    Rule rule = Rule::Burstprop;
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

    // Execution
    uint64_t seed = 1;
    std::string device = "cpu"; // "cpu", "cuda", "cuda:N"
    int threads = 0;            // 0: all cores
    int angleInterval = 100;    // measure angles every N batches (0: once per epoch)
    int testBatchSize = 1000;
    std::string info;           // free text, as the reference's -info
};

// Per-dataset defaults of the reference scripts (train_mnist.py, train_cifar10.py), then per-rule ones:
// feedback alignment's summed-gradient update without burst probabilities saturates the network at
// burstprop's learning rates (90 % error after one epoch), so it starts from hidden_lr 0.001, output_lr 0.002.
RunConfig defaultConfig(DatasetKind dataset, Rule rule = Rule::Burstprop);

// The paper's CIFAR-10 net narrows to 128 channels / 1024 units when feedback weights learn.
bool usesLearnedFeedbackWidths(const RunConfig& config);

// Which options apply: the reference ignores feedback/recurrent settings for backprop and node
// perturbation, and recurrent learning without recurrent input. normalized() applies that.
RunConfig normalized(RunConfig config);

std::string toString(DatasetKind);
std::string toString(Rule);
std::string toString(Architecture);
std::string toString(PerturbationMode);
// Parse the names toString() gives (plus common aliases); throw bp::Error naming the allowed values.
DatasetKind parseDatasetKind(const std::string&);
Rule parseRule(const std::string&);
Architecture parseArchitecture(const std::string&);
PerturbationMode parsePerturbationMode(const std::string&);

} // namespace bp
