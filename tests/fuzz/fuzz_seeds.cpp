// fuzz_seeds <dir>: writes the fuzz targets' seed corpus, <dir>/<reader>/<name>: small valid files of each
// format, made with the project's own writers where it has them (checkpoints, .pt dicts, configuration
// JSON, TensorBoard event files, the explorer's presets files), with libjpeg-turbo for JPEGs, and byte by
// byte where it only reads them (idx, CIFAR-10, tar, gzip, PNG).
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/pickle_io.h"
#include "core/config/hyperparameters.h"
#include "core/rules/rule_registry.h"
#include "core/setup/defaults.h"
#include "core/setup/learner.h"
#include "core/setup/network_for_config.h"
#include "core/tensorboard/event_file.h"
#include "ui/app_resources.h"
#include "ui/form/preset_library.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QFile>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <turbojpeg.h>
#include <vector>
#include <zlib.h>

namespace {

using namespace bp;
using Bytes = std::vector<uint8_t>;
namespace fs = std::filesystem;

fs::path root;

void write(const std::string& reader, const std::string& name, const Bytes& bytes) {
    fs::create_directories(root / reader);
    std::ofstream out(root / reader / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out)
        throw std::runtime_error((root / reader / name).string() + ": cannot write");
}

void write(const std::string& reader, const std::string& name, const std::string& text) {
    write(reader, name, Bytes(text.begin(), text.end()));
}

Bytes gzip(const Bytes& raw) {
    z_stream zs{};
    deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    Bytes out(deflateBound(&zs, uLong(raw.size())) + 32);
    zs.next_in = const_cast<Bytef*>(raw.data());
    zs.avail_in = uInt(raw.size());
    zs.next_out = out.data();
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// An idx file of the given dimensions with a byte pattern as its data.
Bytes idx(uint32_t magic, const std::vector<uint32_t>& dims) {
    Bytes out;
    auto put32 = [&](uint32_t value) { // big-endian
        for (int shift = 24; shift >= 0; shift -= 8)
            out.push_back(uint8_t(value >> shift));
    };
    put32(magic);
    std::size_t count = 1;
    for (uint32_t value : dims) {
        put32(value);
        count *= value;
    }
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(uint8_t(i * 7 % 10));
    return out;
}

// A ustar header block for an entry of `size` bytes, with its checksum.
Bytes tarHeader(const std::string& name, char type, std::size_t size, const std::string& prefix = "") {
    Bytes h(512, 0);
    std::memcpy(h.data(), name.data(), std::min<std::size_t>(name.size(), 100));
    std::snprintf(reinterpret_cast<char*>(h.data()) + 100, 8, "%07o", 0644);
    std::snprintf(reinterpret_cast<char*>(h.data()) + 124, 12, "%011zo", size);
    h[156] = uint8_t(type);
    std::memcpy(h.data() + 257,
                "ustar\0"
                "00",
                8);
    std::memcpy(h.data() + 345, prefix.data(), std::min<std::size_t>(prefix.size(), 155));
    unsigned sum = 0;
    for (std::size_t i = 0; i < 512; ++i)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    std::snprintf(reinterpret_cast<char*>(h.data()) + 148, 8, "%06o", sum);
    h[155] = ' ';
    return h;
}

// Header, data padded to 512 bytes.
void tarEntry(Bytes& tar, const std::string& name, char type, const std::string& data,
              const std::string& prefix = "") {
    const Bytes h = tarHeader(name, type, data.size(), prefix);
    tar.insert(tar.end(), h.begin(), h.end());
    tar.insert(tar.end(), data.begin(), data.end());
    tar.resize(tar.size() + (512 - data.size() % 512) % 512, 0);
}

Bytes tarEnd(Bytes tar) {
    tar.resize(tar.size() + 1024, 0);
    return tar;
}

void idxSeeds() {
    const Bytes images = idx(0x803, {3, 4, 4}), labels = idx(0x801, {5});
    write("idx_reader", "images", images);
    write("idx_reader", "labels", labels);
    write("idx_reader", "images.gz", gzip(images));
    write("idx_reader", "labels.gz", gzip(labels));
    write("idx_reader", "empty-set", idx(0x803, {0, 28, 28}));
}

void cifarSeeds() {
    Bytes batch;
    for (int record = 0; record < 2; ++record) {
        batch.push_back(uint8_t(record * 7));
        for (int i = 0; i < 3 * 32 * 32; ++i)
            batch.push_back(uint8_t((record * 31 + i * 7) % 256));
    }
    write("cifar_reader", "two-records", batch);
}

void tarSeeds() {
    Bytes plain;
    tarEntry(plain, "cifar-10-batches-bin/", '5', "");
    tarEntry(plain, "cifar-10-batches-bin/data_batch_1.bin", '0', "records\n");
    tarEntry(plain, "batches.meta.txt", '0', "airplane\nautomobile\n", "cifar-10-batches-bin");
    tarEntry(plain, "link", '2', ""); // a symbolic link: skipped
    write("tar_reader", "plain.tar", tarEnd(plain));
    write("tar_reader", "plain.tar.gz", gzip(tarEnd(plain)));
    Bytes gnu;
    const std::string longName = "folder/" + std::string(120, 'n') + ".bin";
    tarEntry(gnu, "././@LongLink", 'L', longName + '\0');
    tarEntry(gnu, "short", '0', "long name\n");
    write("tar_reader", "gnu-long-name.tar", tarEnd(gnu));
    Bytes pax;
    const std::string record = "path=pax/" + std::string(110, 'p') + "\n";
    const std::string length = std::to_string(record.size() + 4); // the length counts itself and a space
    tarEntry(pax, "PaxHeaders/x", 'x', length + " " + record);
    tarEntry(pax, "short", '0', "pax name\n");
    write("tar_reader", "pax-path.tar", tarEnd(pax));
}

// A checkpoint of a tiny network after one step of the rule, as the trainer writes it.
Bytes checkpointOf(const std::string& rule, PerturbationMode perturbation = PerturbationMode::AllLayers) {
    RunConfig config = defaultConfig(DatasetKind::Mnist, rule);
    config.hiddenWidths = {4};
    config.perturbation = perturbation;
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(1);
    Network net = buildNetwork(config, 1, 28, generator);
    const std::unique_ptr<Learner> learner = makeLearner(config, net, 2);
    learner->step(net, at::rand({2, 1, 28, 28}, generator), at::tensor({int64_t(3), int64_t(7)}), false);
    Checkpoint c;
    c.captureNetwork(net);
    c.networkJson = toJson(networkSpec(config, {1, 28, 10}));
    c.optimizer = learner->optimizer().name();
    c.optimizerState = learner->optimizer().state();
    c.rule = learner->info().name;
    c.ruleState = learner->rule().saveState();
    c.epoch = 0;
    c.step = 1;
    c.batchInEpoch = 1;
    c.dataOrder = at::randperm(4, generator, at::kLong);
    c.captureGenerator("order", generator);
    c.extras["clock"] = {1.5};
    c.configJson = toJson(config);
    const std::string path = (root / "checkpoint.tmp").string();
    saveCheckpoint(path, c);
    std::ifstream in(path, std::ios::binary);
    Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(path);
    return bytes;
}

void checkpointSeeds() {
    for (const RuleInfo* rule : ruleRegistry())
        write("checkpoint", rule->name + ".ckpt", checkpointOf(rule->name));
    write("checkpoint", "node-perturbation-units.ckpt",
          checkpointOf("node-perturbation", PerturbationMode::UnitByUnit));
}

Bytes pickled(const pickle::Dict& dict) {
    const std::vector<char> bytes = pickle::save(dict, "seed");
    return Bytes(bytes.begin(), bytes.end());
}

// A golden case as ../shared/golden/README.md describes it, with tiny tensors.
void goldenSeeds() {
    for (const std::string arch : {"fc", "mnist_conv", "imagenet_conv"}) {
        pickle::Dict d = pickle::makeDict();
        d.insert("meta/rule", std::string("burstprop"));
        d.insert("meta/arch", arch);
        d.insert("meta/input_channels", int64_t(1));
        d.insert("meta/input_size", int64_t(4));
        d.insert("meta/n_layers", int64_t(2));
        for (const char* hp :
             {"output_lr", "momentum", "weight_decay", "hidden_lr", "p_baseline", "kappa", "recurrent_lr"})
            d.insert(std::string("hp/") + hp, 0.1);
        for (const char* hp : {"weight_fa_learning", "recurrent_input", "weight_r_learning", "use_adam"})
            d.insert(std::string("hp/") + hp, false);
        const bool conv = arch != "fc";
        d.insert("arch/layer0/kind", std::string(conv ? "conv" : "hidden"));
        d.insert("arch/layer0/stride", int64_t(1));
        d.insert("arch/layer0/padding", int64_t(0));
        d.insert("arch/layer1/kind", std::string("output"));
        const at::Tensor w0 = conv ? at::rand({2, 1, 3, 3}) : at::rand({3, 16});
        const at::Tensor w1 = conv ? at::rand({10, 8}) : at::rand({10, 3});
        pickle::insertTensor(d, "init/layer0/weight", w0, "seed");
        pickle::insertTensor(d, "init/layer0/bias", at::zeros({w0.size(0)}), "seed");
        pickle::insertTensor(d, "init/layer0/weight_fa", w1.t(), "seed");
        pickle::insertTensor(d, "init/layer1/weight", w1, "seed");
        pickle::insertTensor(d, "init/layer1/bias", at::zeros({10}), "seed");
        write("golden_file", arch + ".pt", pickled(d));
    }
}

void configSeeds() {
    for (DatasetKind dataset : {DatasetKind::FashionMnist, DatasetKind::Mnist, DatasetKind::Cifar10})
        for (const RuleInfo* rule : ruleRegistry())
            write("config", toString(dataset) + "-" + rule->name + ".json",
                  toJson(defaultConfig(dataset, rule->name)));
    write("config", "partial.json", std::string(R"({"dataset": "mnist", "hidden_widths": [20, 10]})"));
}

// A JPEG of a small gradient in the pixel format (RGB, grey, or CMYK, which TurboJPEG stores as YCCK).
Bytes jpeg(int pixelFormat, int subsampling, int flags) {
    const int w = 19, h = 13, channels = tjPixelSize[pixelFormat];
    Bytes pixels(size_t(w) * h * channels);
    for (size_t i = 0; i < pixels.size(); ++i)
        pixels[i] = uint8_t(i * 13 % 251);
    tjhandle t = tjInitCompress();
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    if (tjCompress2(t, pixels.data(), w, 0, h, pixelFormat, &buffer, &size, subsampling, 85, flags) != 0)
        throw std::runtime_error(std::string("tjCompress2: ") + tjGetErrorStr2(t));
    Bytes out(buffer, buffer + size);
    tjFree(buffer);
    tjDestroy(t);
    return out;
}

// A PNG chunk: length, type, data, CRC of type and data.
void pngChunk(Bytes& png, const char* type, const Bytes& data) {
    for (int shift = 24; shift >= 0; shift -= 8)
        png.push_back(uint8_t(data.size() >> shift));
    const size_t start = png.size();
    png.insert(png.end(), type, type + 4);
    png.insert(png.end(), data.begin(), data.end());
    const uLong crc = crc32(0, png.data() + start, uInt(png.size() - start));
    for (int shift = 24; shift >= 0; shift -= 8)
        png.push_back(uint8_t(crc >> shift));
}

// A PNG of w x h pixels: rows of `rowBytes` bytes (filter 0) of a pattern, with an optional palette and tRNS.
Bytes png(int w, int h, int bitDepth, int colourType, int rowBytes, int interlace = 0,
          const Bytes& palette = {}, const Bytes& transparency = {}) {
    Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    const Bytes header = {0,
                          0,
                          0,
                          uint8_t(w),
                          0,
                          0,
                          0,
                          uint8_t(h),
                          uint8_t(bitDepth),
                          uint8_t(colourType),
                          0,
                          0,
                          uint8_t(interlace)};
    pngChunk(png, "IHDR", header);
    if (!palette.empty())
        pngChunk(png, "PLTE", palette);
    if (!transparency.empty())
        pngChunk(png, "tRNS", transparency);
    // Interlaced: zeros (filter 0, black), twice the plain layout's bytes, more than Adam7's passes need.
    Bytes raw;
    for (int y = 0; y < h * (interlace ? 2 : 1); ++y) {
        raw.push_back(0);
        for (int x = 0; x < rowBytes; ++x)
            raw.push_back(interlace ? 0 : uint8_t((x * 7 + y * 3) % (colourType == 3 ? 3 : 256)));
    }
    Bytes packed(compressBound(uLong(raw.size())));
    uLongf packedSize = uLongf(packed.size());
    compress(packed.data(), &packedSize, raw.data(), uLong(raw.size()));
    packed.resize(packedSize);
    pngChunk(png, "IDAT", packed);
    pngChunk(png, "IEND", {});
    return png;
}

void imageSeeds() {
    write("image_decode", "rgb-420.jpg", jpeg(TJPF_RGB, TJSAMP_420, 0));
    write("image_decode", "rgb-444-progressive.jpg", jpeg(TJPF_RGB, TJSAMP_444, TJFLAG_PROGRESSIVE));
    write("image_decode", "grey.jpg", jpeg(TJPF_GRAY, TJSAMP_GRAY, 0));
    write("image_decode", "ycck.jpg", jpeg(TJPF_CMYK, TJSAMP_420, 0));
    write("image_decode", "rgb.png", png(5, 4, 8, 2, 15));
    write("image_decode", "rgba-16.png", png(3, 2, 16, 6, 24));
    write("image_decode", "grey-2bit.png", png(9, 3, 2, 0, 3));
    write("image_decode", "grey-alpha.png", png(4, 4, 8, 4, 8));
    write("image_decode", "palette-transparent.png",
          png(6, 3, 8, 3, 6, 0, {255, 0, 0, 0, 255, 0, 0, 0, 255}, {0}));
    write("image_decode", "rgb-interlaced.png", png(9, 9, 8, 2, 27, 1));
    write("image_decode", "tiff-header", Bytes{'I', 'I', '*', 0, 8, 0, 0, 0});
}

// Event files as the export writes them (core/tensorboard): scalars only, scalars with histograms of a step,
// an empty one (the file_version event alone), and one with a summary value of another kind (an image).
void eventFileSeeds() {
    using namespace bp::tensorboard;
    const std::vector<ScalarEvent> scalars = {
        {"Loss/train", 0, 1.5, 0.25f}, {"Error/test", 1, 2.0, 42.5f}, {"weight_angle/1", 2, 2.5, 87.0f}};
    HistogramEvent h;
    h.tag = "p_t/1";
    h.step = 1;
    h.wallTime = 2.0;
    h.max = 1.0;
    h.num = 6.0;
    h.sum = 2.5;
    h.sumSquares = 1.375;
    h.bucketLimit = {0.5, 1.0};
    h.bucket = {2.0, 4.0};
    write("event_file", "scalars.tfevents", eventFileBytes(scalars, 1.5));
    write("event_file", "histograms.tfevents", eventFileBytes(scalars, 1.5, {h}));
    write("event_file", "empty.tfevents", eventFileBytes({}, 3.0));
    const std::string image = std::string("\x0a\x01i\x22\x00", 5); // Value {tag "i", image {}}
    const std::string summary = "\x0a" + std::string(1, char(image.size())) + image;
    const std::string event = std::string("\x10\x05\x2a", 3) + std::string(1, char(summary.size())) + summary;
    write("event_file", "image.tfevents", frameRecord(fileVersionEvent(1.0)) + frameRecord(event));
}

// The explorer's presets files: the built-in one (compiled in) and a user file as saving presets writes it.
void presetSeeds() {
    bp::ui::initResources();
    QFile builtIn(QStringLiteral(":/burstprop/presets.json"));
    if (!builtIn.open(QIODevice::ReadOnly))
        throw std::runtime_error("the built-in presets cannot be read");
    const QByteArray bytes = builtIn.readAll();
    write("presets", "built-in.json", Bytes(bytes.begin(), bytes.end()));
    const fs::path user = root / "presets" / "user.json";
    fs::remove(user);
    bp::ui::PresetLibrary library(QString::fromStdString(user.string()));
    RunConfig conv = defaultConfig(DatasetKind::Mnist, "backprop");
    conv.architecture = Architecture::MnistConv;
    for (const auto& [name, config] : {std::pair<QString, RunConfig>{"fc", defaultConfig(DatasetKind::Mnist)},
                                       {"conv", conv},
                                       {"cifar", defaultConfig(DatasetKind::Cifar10, "node-perturbation")}})
        if (const QString error = library.saveUserPreset(name, config); !error.isEmpty())
            throw std::runtime_error("saving a preset: " + error.toStdString());
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: fuzz_seeds <dir>\n";
        return 2;
    }
    root = argv[1];
    try {
        idxSeeds();
        cifarSeeds();
        tarSeeds();
        checkpointSeeds();
        goldenSeeds();
        configSeeds();
        imageSeeds();
        eventFileSeeds();
        presetSeeds();
    } catch (const std::exception& e) {
        std::cerr << "fuzz_seeds: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
