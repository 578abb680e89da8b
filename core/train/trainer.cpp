#include "core/train/trainer.h"
#include "core/data/augment.h"
#include "core/data/downloader.h"
#include "core/data/image_folder_source.h"
#include "core/nn/denormals.h"
#include "core/setup/defaults.h"
#include "core/setup/network_for_config.h"
#include "core/train/execution.h"
#include "core/train/stream_seeds.h"
#include "core/util/error.h"
#include "core/util/fault_point.h"
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <chrono>
#include <thread>

namespace bp {

Trainer::Trainer(RunConfig config, TrainingObserver* observer)
    : config_(normalized(std::move(config))), observer_(observer) {}

Trainer::~Trainer() = default;

void Trainer::setData(data::DatasetPair data) {
    pairs_ = std::move(data);
    data_.reset();
}

void Trainer::setData(data::DataSources sources) {
    data_ = std::move(sources);
    pairs_.reset();
}

void Trainer::setStatus(RunStatus status, const std::string& message) {
    status_ = status;
    if (!message.empty() || isFinal(status))
        message_ = message;
    if (observer_)
        observer_->onStatus(status, message);
}

void Trainer::setDataParallel(DataParallel* group) {
    group_ = group;
    if (!group)
        return;
    hook_ = &group->hook();
    shard_.sum = [group](std::vector<double>& values) { group->sum(values); };
    if (group->rank() != 0)
        observer_ = nullptr; // rank 0 reports for the group
}

at::Tensor Trainer::feedbackWeights(const Network& net, size_t layer) const {
    return learner_ ? learner_->rule().feedbackWeights(net, layer) : at::Tensor();
}

void Trainer::prepare() {
    requireValid(config_);
    applyThreadCount(config_.threads);
    device_ = resolveDevice(config_.device);
    const bool images = isImageFolder(config_.dataset);
    if (!data_ && images) {
        data_ = data::imageFolderSources(imageFolderDir(), config_.imageSize,
                                         streamSeed(config_.seed, Stream::Augment), loaderThreads(),
                                         config_.validation, config_.validationSize, config_.testAugment,
                                         streamSeed(config_.seed, Stream::Order));
    } else if (!data_) {
        if (!pairs_)
            pairs_ = data::loadDataset(config_.dataset, locateData());
        data_ = data::inMemorySources(std::move(*pairs_));
        pairs_.reset();
    }
    faultPoint("startup.data");
    if (config_.validation && !images)
        data_ = data::holdOutValidation(data_->train, streamSeed(config_.seed, Stream::Order));
    data_->train = data::firstExamples(data_->train, config_.trainLimit);
    if (data_->train->size() == 0)
        throw Error("the training set is empty");
    data_->train->prepare(device_);
    data_->test->prepare(device_);
    if (config_.dataset == DatasetKind::Cifar10) // zero in pixel space, normalised per channel
        padValue_ = data::normalisedZero(config_.dataset).to(device_).to(scalarType(config_));

    if (observer_ && !data_->folder.empty())
        observer_->onDataSource({data_->folder, data_->fingerprint, data_->train->size(), data_->test->size(),
                                 data_->train->shape().classes});
    spec_ = bp::networkSpec(config_, data_->train->shape());
    firstAngleLayer_ = config_.architecture == Architecture::ImagenetConv ? 0 : 1; // as each reference script
    at::Generator init = at::make_generator<at::CPUGeneratorImpl>(streamSeed(config_.seed, Stream::Init));
    network_ = buildNetwork(spec_, scalarType(config_), init);
    network_.to(device_);
    learner_ = makeLearner(config_, network_, streamSeed(config_.seed, Stream::Rule));
    learner_->rule().initialize(network_, init);
    learner_->setHook(hook_);
    if (group_)
        learner_->setShard(&shard_);
    initialNetwork_ = network_.clone();
    sampler_ = std::make_unique<data::Sampler>(data_->train->size(), config_.batchSize,
                                               streamSeed(config_.seed, Stream::Order) + 1);
    augmentGenerator_ = at::make_generator<at::CPUGeneratorImpl>(streamSeed(config_.seed, Stream::Augment));
    if (resume_)
        restoreResumeState();
}

std::string Trainer::imageFolderDir() const {
    if (config_.dataDir.empty())
        throw Error(
            "--dataset " + toString(config_.dataset) +
            " needs the folder that holds train/ and val/ (torchvision's ImageFolder layout): give it as "
            "the second argument or with --data-dir");
    return config_.dataDir;
}

int Trainer::loaderThreads() const {
    if (config_.loaderThreads > 0)
        return config_.loaderThreads;
    const int cores = static_cast<int>(std::thread::hardware_concurrency());
    return std::max(1, cores - (device_.is_cpu() ? at::get_num_threads() : 0));
}

void Trainer::reportSkippedFiles() {
    for (const auto& source : {data_->train, data_->test})
        for (data::SkippedFile& f : source->takeSkipped()) {
            ++skippedFiles_;
            if (observer_)
                observer_->onSkippedFile({std::move(f.path), std::move(f.reason)});
        }
}

data::Batch Trainer::trainingBatch(const at::Tensor& indices) {
    return trainingBatch(data_->train->batch(indices, device_));
}

data::Batch Trainer::trainingBatch(data::Batch b) {
    if (b.images.scalar_type() != network_.dtype())
        b.images = b.images.to(network_.dtype());
    if (padValue_.defined())
        b.images = data::augmentBatch(b.images, padValue_, augmentGenerator_);
    return b;
}

std::string Trainer::locateData() {
    std::string dir = config_.dataDir.empty() ? data::defaultDataDir(config_.dataset) : config_.dataDir;
    if (data::datasetAvailable(config_.dataset, dir) || !config_.download)
        return dir; // loading reports what is missing
    // As torchvision's download=True: fetch what is missing, MD5-checked, then load it.
    data::DownloadOptions options;
    options.baseUrl = config_.mirror;
    options.destDir = config_.dataDir.empty() ? data::userDataDir(config_.dataset) : config_.dataDir;
    std::string current;
    options.progress = [this, &current](const std::string& file, int64_t, int64_t) {
        if (file != current) {
            current = file;
            setStatus(RunStatus::Running, "downloading " + file);
        }
        return !stopRequested_.load();
    };
    try {
        data::downloadDataset(config_.dataset, options);
    } catch (const Error& e) {
        if (stopRequested_)
            throw;
        const std::string into = options.destDir == dir ? std::string() : " into " + options.destDir;
        throw Error(toString(config_.dataset) + " is not in " + dir + " and downloading it" + into +
                    " failed: " + e.what() + " (put the files there, or pass --data-dir)");
    }
    return options.destDir;
}

RunStatus Trainer::run() {
    stopRequested_ = false;
    groupStopAgreed_ = false;
    try {
        setStatus(RunStatus::Running);
        prepare();
        const RunStatus end = train();
        setStatus(end, end == RunStatus::Diverged ? message_ : std::string());
    } catch (const Interruption& e) {
        setStatus(RunStatus::Interrupted, e.what()); // resumable from the last checkpoint
    } catch (const std::exception& e) {
        // c10::Error messages carry a C++ backtrace after the first line: keep the first line only.
        std::string what = e.what();
        if (dynamic_cast<const Error*>(&e) == nullptr)
            what = what.substr(0, what.find('\n'));
        setStatus(RunStatus::Failed, what);
    }
    return status_;
}

bool Trainer::waitWhilePaused() {
    if (!pauseRequested_)
        return !stopRequested_;
    setStatus(RunStatus::Paused);
    std::unique_lock<std::mutex> lock(pauseMutex_);
    pauseChanged_.wait(lock, [this] { return !pauseRequested_ || stopRequested_; });
    lock.unlock();
    if (stopRequested_)
        return false;
    setStatus(RunStatus::Running);
    return true;
}

void Trainer::requestPause() {
    std::lock_guard<std::mutex> lock(pauseMutex_);
    pauseRequested_ = true;
}

void Trainer::requestResume() {
    {
        std::lock_guard<std::mutex> lock(pauseMutex_);
        pauseRequested_ = false;
    }
    pauseChanged_.notify_all();
}

void Trainer::requestStop() {
    {
        std::lock_guard<std::mutex> lock(pauseMutex_);
        stopRequested_ = true;
    }
    pauseChanged_.notify_all();
}

double Trainer::benchmark(int steps, int warmup) {
    if (steps < 1)
        throw Error("--benchmark: the number of steps must be at least 1");
    if (!data_ && !pairs_ && isImageFolder(config_.dataset) && config_.dataDir.empty()) {
        // The training step alone, without a folder: 256 random normalised images, 1000 classes (ImageNet's).
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(streamSeed(config_.seed, Stream::Augment));
        const int64_t n = 256, size = config_.imageSize;
        data::Dataset set{at::randn({n, 3, size, size}, g), at::randint(1000, {n}, g, at::kLong)};
        const data::DataShape shape{3, size, 1000};
        data::DataSources sources;
        sources.train = std::make_shared<data::InMemorySource>(set, shape);
        sources.test = std::make_shared<data::InMemorySource>(set, shape);
        data_ = std::move(sources);
    }
    prepare();
    FlushDenormals flushDenormals; // as train()
    const int64_t n = sampler_->size();
    const int64_t batchSize = std::min<int64_t>(config_.batchSize, n);
    at::Tensor order = sampler_->drawOrder();
    int64_t cursor = 0;
    int64_t step = 0;
    const bool angles = learner_->info().deltaAngles || learner_->info().weightAngles;
    auto oneStep = [&] {
        if (cursor + batchSize > n) {
            order = sampler_->drawOrder();
            cursor = 0;
        }
        const data::Batch b = trainingBatch(order.narrow(0, cursor, batchSize));
        cursor += batchSize;
        ++step;
        const bool measure = angles && config_.angleInterval > 0 && step % config_.angleInterval == 0;
        learner_->step(network_, b.images, b.labels, measure);
    };
    for (int i = 0; i < warmup; ++i)
        oneStep();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < steps; ++i)
        oneStep();
    if (device_.is_cuda())
        network_.layers.back().weight.sum().item<double>(); // wait for queued kernels
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return static_cast<double>(steps * batchSize) / seconds;
}

} // namespace bp
