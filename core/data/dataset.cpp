#include "core/data/dataset.h"
#include "core/data/cifar_reader.h"
#include "core/data/idx_reader.h"
#include "core/util/error.h"
#include "core/util/system_info.h"
#include <cstdlib>
#include <filesystem>

namespace bp::data {
namespace fs = std::filesystem;
namespace {

constexpr const char* kFashionSystemDir = "/usr/share/datasets/fashion-mnist";

// MNIST-format file stems; each may be stored raw or gzip-compressed (".gz").
constexpr const char* kIdxTrainImages = "train-images-idx3-ubyte";
constexpr const char* kIdxTrainLabels = "train-labels-idx1-ubyte";
constexpr const char* kIdxTestImages = "t10k-images-idx3-ubyte";
constexpr const char* kIdxTestLabels = "t10k-labels-idx1-ubyte";

const std::vector<std::string> kCifarTrainBatches = {
    "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
constexpr const char* kCifarTestBatch = "test_batch.bin";
constexpr const char* kCifarSubdir = "cifar-10-batches-bin"; // as the official archive unpacks

bool isFile(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

// dir/stem when present, else dir/stem.gz, else "" (raw wins: it is what a user unpacked on purpose).
std::string findIdx(const std::string& dir, const std::string& stem) {
    const fs::path raw = fs::path(dir) / stem;
    if (isFile(raw))
        return raw.string();
    const fs::path gz = fs::path(dir) / (stem + ".gz");
    return isFile(gz) ? gz.string() : std::string();
}

std::string requireIdx(const std::string& dir, const std::string& stem) {
    const std::string path = findIdx(dir, stem);
    if (path.empty())
        throw Error((fs::path(dir) / stem).string() + "[.gz]: file not found (neither " + stem + " nor " +
                    stem + ".gz is in " + dir + ")");
    return path;
}

// The folder holding the CIFAR-10 .bin files: dir itself or the archive's subfolder.
std::string cifarBatchDir(const std::string& dir) {
    const fs::path sub = fs::path(dir) / kCifarSubdir;
    return isFile(fs::path(dir) / kCifarTestBatch) || !isFile(sub / kCifarTestBatch) ? dir : sub.string();
}

at::Tensor normalise(const at::Tensor& pixels, const at::Tensor& mean, const at::Tensor& std) {
    // Same order as torchvision's ToTensor + Normalize, so the floats match the reference.
    return pixels.to(at::kFloat).div_(255.0).sub_(mean).div_(std);
}

Dataset loadIdxPair(const std::string& dir, const std::string& imageStem, const std::string& labelStem) {
    const std::string imagePath = requireIdx(dir, imageStem);
    const std::string labelPath = requireIdx(dir, labelStem);
    const at::Tensor images = readIdxFile(imagePath);
    if (images.dim() != 3)
        throw Error(imagePath + ": holds labels (idx1), expected images (idx3)");
    const at::Tensor labels = readIdxFile(labelPath);
    if (labels.dim() != 1)
        throw Error(labelPath + ": holds images (idx3), expected labels (idx1)");
    if (images.size(0) != labels.size(0))
        throw Error("count mismatch: " + imagePath + " has " + std::to_string(images.size(0)) +
                    " images but " + labelPath + " has " + std::to_string(labels.size(0)) + " labels");
    if (labels.numel() > 0 && labels.max().item<int>() > 9)
        throw Error(labelPath + ": bad label " + std::to_string(labels.max().item<int>()) +
                    " (expected 0..9)");
    const at::Tensor mean = at::full({}, kMnistMean, at::kFloat), stdev = at::full({}, kMnistStd, at::kFloat);
    return {normalise(images.unsqueeze(1), mean, stdev), labels.to(at::kLong)};
}

DatasetPair loadMnistFormat(const std::string& dir) {
    DatasetPair data;
    data.train = loadIdxPair(dir, kIdxTrainImages, kIdxTrainLabels);
    data.test = loadIdxPair(dir, kIdxTestImages, kIdxTestLabels);
    if (data.train.images.sizes().slice(1) != data.test.images.sizes().slice(1))
        throw Error(dir + ": training and test images differ in size");
    if (data.train.images.size(2) != data.train.images.size(3))
        throw Error(requireIdx(dir, kIdxTrainImages) + ": images are not square");
    data.channels = 1;
    data.imageSize = static_cast<int>(data.train.images.size(2));
    return data;
}

Dataset loadCifarFiles(const std::string& dir, const std::vector<std::string>& names) {
    std::vector<at::Tensor> images, labels;
    for (const std::string& name : names) {
        const fs::path path = fs::path(dir) / name;
        if (!isFile(path))
            throw Error(path.string() + ": file not found (looked for the CIFAR-10 binary batches in " + dir +
                        " and its " + kCifarSubdir + " subfolder)");
        CifarBatch batch = readCifarBatch(path.string());
        images.push_back(batch.images);
        labels.push_back(batch.labels);
    }
    const at::Tensor mean = at::tensor(at::ArrayRef<double>(kCifarMean, 3)).to(at::kFloat).view({1, 3, 1, 1});
    const at::Tensor stdev = at::tensor(at::ArrayRef<double>(kCifarStd, 3)).to(at::kFloat).view({1, 3, 1, 1});
    return {normalise(at::cat(images), mean, stdev), at::cat(labels)};
}

DatasetPair loadCifar(const std::string& dir) {
    const std::string batchDir = cifarBatchDir(dir);
    DatasetPair data;
    data.train = loadCifarFiles(batchDir, kCifarTrainBatches);
    data.test = loadCifarFiles(batchDir, {kCifarTestBatch});
    data.channels = 3;
    data.imageSize = 32;
    return data;
}

} // namespace

at::Tensor normalisedZero(DatasetKind kind) {
    if (kind == DatasetKind::Cifar10) {
        std::vector<float> values;
        for (int c = 0; c < 3; ++c)
            values.push_back(static_cast<float>((0.0 - kCifarMean[c]) / kCifarStd[c]));
        return at::tensor(values);
    }
    return at::full({1}, static_cast<float>(-kMnistMean / kMnistStd), at::kFloat);
}

std::string userDataDir(DatasetKind kind) {
    const char* name = kind == DatasetKind::Cifar10 ? "cifar10"
                       : kind == DatasetKind::Mnist ? "mnist"
                                                    : "fashion-mnist";
    return sys::dataHome() + "/burstprop-explorer/data/" + name;
}

std::string defaultDataDir(DatasetKind kind) {
    if (kind != DatasetKind::FashionMnist)
        return userDataDir(kind);
    // The Debian package is the normal source; a download is the fallback where it is missing.
    if (!datasetAvailable(kind, kFashionSystemDir) && datasetAvailable(kind, userDataDir(kind)))
        return userDataDir(kind);
    return kFashionSystemDir;
}

bool datasetAvailable(DatasetKind kind, const std::string& dir) {
    if (kind == DatasetKind::Cifar10) {
        const std::string batchDir = cifarBatchDir(dir);
        for (const std::string& name : kCifarTrainBatches)
            if (!isFile(fs::path(batchDir) / name))
                return false;
        return isFile(fs::path(batchDir) / kCifarTestBatch);
    }
    for (const char* stem : {kIdxTrainImages, kIdxTrainLabels, kIdxTestImages, kIdxTestLabels})
        if (findIdx(dir, stem).empty())
            return false;
    return true;
}

DatasetPair loadDataset(DatasetKind kind, const std::string& dir) {
    return kind == DatasetKind::Cifar10 ? loadCifar(dir) : loadMnistFormat(dir);
}

} // namespace bp::data
