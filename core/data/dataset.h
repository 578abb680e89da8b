#pragma once
#include "core/config/run_config.h"
#include <ATen/ATen.h>
#include <string>

namespace bp::data {

// A dataset held in memory as two tensors, loaded once: no per-sample work while training.
struct Dataset {
    at::Tensor images; // float32, N x C x H x W, already normalised
    at::Tensor labels; // int64, N
    int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
};

struct DatasetPair {
    Dataset train;
    Dataset test;
    int channels = 1;
    int imageSize = 28;
};

// Normalisation as the reference: MNIST-format data (x/255 - 0.131) / 0.308; CIFAR-10 per channel
// with mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
constexpr double kMnistMean = 0.131;
constexpr double kMnistStd = 0.308;
constexpr double kCifarMean[3] = {0.485, 0.456, 0.406};
constexpr double kCifarStd[3] = {0.229, 0.224, 0.225};

// The value a zero pixel has after normalisation, one per channel (float32, C values): the padding
// augmentBatch() needs.
at::Tensor normalisedZero(DatasetKind kind);

// $XDG_DATA_HOME/burstprop-explorer/data/<mnist|fashion-mnist|cifar10> (fallback ~/.local/share/...):
// where downloads go when no folder is named.
std::string userDataDir(DatasetKind kind);

// The folder a dataset is read from when the run names none: Fashion-MNIST from Debian's
// dataset-fashion-mnist package (/usr/share/datasets/fashion-mnist), MNIST and CIFAR-10 under
// $XDG_DATA_HOME/burstprop-explorer/data/<name> (fallback ~/.local/share/...). Fashion-MNIST comes
// from userDataDir() instead when only that folder has it (downloaded, no Debian package).
std::string defaultDataDir(DatasetKind kind);

// True when every file the dataset needs is present in dir (raw or .gz for idx files).
bool datasetAvailable(DatasetKind kind, const std::string& dir);

// Load train and test sets of kind from dir. Throws bp::Error naming the file and the problem
// (missing, wrong magic number, truncated, label/image count mismatch).
DatasetPair loadDataset(DatasetKind kind, const std::string& dir);

} // namespace bp::data
