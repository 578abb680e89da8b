#include "core/config/run_config.h"
#include "core/config/enum_names.h"

namespace bp {

namespace {
const EnumNames<DatasetKind> kDatasets{"dataset",
                                       {{"fashion-mnist", DatasetKind::FashionMnist},
                                        {"mnist", DatasetKind::Mnist},
                                        {"cifar10", DatasetKind::Cifar10},
                                        {"imagenet", DatasetKind::ImageNet},
                                        {"image-folder", DatasetKind::ImageFolder},
                                        {"fashionmnist", DatasetKind::FashionMnist},
                                        {"imagefolder", DatasetKind::ImageFolder},
                                        {"cifar-10", DatasetKind::Cifar10}}};
const EnumNames<Architecture> kArchitectures{"architecture",
                                             {{"fc", Architecture::FullyConnected},
                                              {"mnist-conv", Architecture::MnistConv},
                                              {"cifar10-conv", Architecture::Cifar10Conv},
                                              {"imagenet-conv", Architecture::ImagenetConv}}};
const EnumNames<PerturbationMode> kPerturbations{"perturbation mode",
                                                 {{"all", PerturbationMode::AllLayers},
                                                  {"layer", PerturbationMode::LayerByLayer},
                                                  {"unit", PerturbationMode::UnitByUnit}}};
const EnumNames<Dtype> kDtypes{"dtype",
                               {{"float32", Dtype::Float32},
                                {"float64", Dtype::Float64},
                                {"float", Dtype::Float32},
                                {"double", Dtype::Float64}}};
const EnumNames<OptimizerKind> kOptimizers{"optimizer",
                                           {{"default", OptimizerKind::RuleDefault},
                                            {"reference", OptimizerKind::Reference},
                                            {"sgd", OptimizerKind::Sgd},
                                            {"adam", OptimizerKind::Adam}}};
} // namespace

RunConfig datasetDefaults(DatasetKind dataset) {
    RunConfig c; // train_mnist.py defaults (also used for Fashion-MNIST)
    c.dataset = dataset;
    if (dataset == DatasetKind::Cifar10) { // train_cifar10.py defaults
        c.architecture = Architecture::Cifar10Conv;
        c.hiddenLr = 0.01;
        c.outputLr = 0.01;
        c.weightFaStd = 1.0;
        c.momentum = 0.9;
        c.weightDecay = 1e-5;
        c.weightFaLearning = true;
    }
    if (isImageFolder(dataset)) { // train_imagenet.py defaults
        c.architecture = Architecture::ImagenetConv;
        c.activation = Activation::Relu;
        c.output = OutputKind::Softmax;
        c.kappa = 1e-5;
        c.epochs = 50;
        c.batchSize = 128;
        c.hiddenLr = 0.01;
        c.outputLr = 0.01;
        c.weightFaStd = 0.01;
        c.momentum = 0.9;
        c.weightDecay = 1e-4;
        c.pBaseline = 0.2;
        c.weightFaLearning = true;
        c.recurrentInput = false;
        c.optimizer = OptimizerKind::Sgd;
        c.lrStep = 30;
        c.lrFactor = 0.1;
        c.testBatchSize = 128;
    }
    return c;
}

std::string toString(DatasetKind k) {
    return kDatasets.name(k);
}
std::string toString(Architecture a) {
    return kArchitectures.name(a);
}
std::string toString(PerturbationMode m) {
    return kPerturbations.name(m);
}
std::string toString(Dtype d) {
    return kDtypes.name(d);
}
std::string toString(OptimizerKind k) {
    return kOptimizers.name(k);
}

DatasetKind parseDatasetKind(const std::string& s) {
    return kDatasets.parse(s);
}
Architecture parseArchitecture(const std::string& s) {
    return kArchitectures.parse(s);
}
PerturbationMode parsePerturbationMode(const std::string& s) {
    return kPerturbations.parse(s);
}
Dtype parseDtype(const std::string& s) {
    return kDtypes.parse(s);
}
OptimizerKind parseOptimizerKind(const std::string& s) {
    return kOptimizers.parse(s);
}

} // namespace bp
