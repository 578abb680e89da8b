// How many numbers a data-parallel step sums across processes, per network: core/dist/allreduce_hook.cpp
// allreduces, for every layer, the defined tensors of its LayerGradients (weight.dense, bias, feedback.dense,
// recurrent.dense). A hook that counts them sees one training step of each network; the counts are checked
// against constants derived from the layer shapes, the figures docs/distributed-scaling.md builds on.
#include "core/setup/defaults.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>

using namespace bp;

namespace {

// What AllreduceHook::submit would put into its buffers, summed over one step.
struct CountingHook : GradientHook {
    int submits = 0;
    int64_t numbers = 0, bytes = 0;
    int64_t feedbackNumbers = 0;  // of grad_Y tensors (a learned Y with a gradient of its own)
    int64_t recurrentNumbers = 0; // of grad_Z tensors
    int layersYFollowW = 0;       // layers whose Y learns with grad_W (nothing of Y travels)
    std::unique_ptr<PendingGradients> submit(size_t, LayerGradients& g) override {
        ++submits;
        for (const at::Tensor* t : {&g.weight.dense, &g.bias, &g.feedback.dense, &g.recurrent.dense})
            if (t->defined()) {
                numbers += t->numel();
                bytes += t->numel() * static_cast<int64_t>(t->element_size());
            }
        if (g.feedback.dense.defined())
            feedbackNumbers += g.feedback.dense.numel();
        if (g.recurrent.dense.defined())
            recurrentNumbers += g.recurrent.dense.numel();
        if (g.feedbackFollowsWeight)
            ++layersYFollowW;
        return nullptr;
    }
};

data::Dataset randomImages(int64_t n, int64_t channels, int64_t size, int64_t classes, uint64_t seed) {
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    return {at::randn({n, channels, size, size}, g), at::randint(classes, {n}, g, at::kLong)};
}

// One step of the named network with the counting hook.
CountingHook countOneStep(const QString& name) {
    RunConfig c;
    if (name.startsWith("mnist"))
        c = defaultConfig(DatasetKind::Mnist, name == "mnist-backprop" ? "backprop" : "burstprop");
    else if (name == "cifar10-conv")
        c = defaultConfig(DatasetKind::Cifar10);
    else
        c = defaultConfig(DatasetKind::ImageNet);
    if (name == "mnist-conv")
        c.architecture = Architecture::MnistConv; // -conv_net
    if (name == "mnist-burstprop-f64")
        c.dtype = Dtype::Float64;
    c.threads = 1;
    c.seed = 5;
    // What travels does not depend on the batch: a small one keeps the ImageNet step short.
    c.batchSize = 4;
    Trainer trainer(c);
    if (name.startsWith("mnist")) {
        trainer.setData(test::prototypeData(8, 8, 3));
    } else if (name == "cifar10-conv") {
        data::DatasetPair pair{randomImages(8, 3, 32, 10, 1), randomImages(8, 3, 32, 10, 2), 3, 32};
        trainer.setData(std::move(pair));
    } else { // as Trainer::benchmark feeds an image-folder net without a folder: random images in memory
        const data::DataShape shape{3, c.imageSize, 1000};
        data::DataSources sources;
        sources.train =
            std::make_shared<data::InMemorySource>(randomImages(8, 3, c.imageSize, 1000, 1), shape);
        sources.test =
            std::make_shared<data::InMemorySource>(randomImages(8, 3, c.imageSize, 1000, 2), shape);
        trainer.setData(std::move(sources));
    }
    CountingHook hook;
    trainer.setGradientHook(&hook);
    trainer.benchmark(1, 0); // exactly one training step
    return hook;
}

} // namespace

class TestAllreduceVolume : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void numbersPerStep_data() {
        QTest::addColumn<QString>("network");
        QTest::addColumn<int>("layers");
        QTest::addColumn<qint64>("numbers");          // summed per step: W, b, learned Z (and grad_Y if any)
        QTest::addColumn<qint64>("recurrentNumbers"); // of which grad_Z
        QTest::addColumn<int>("bytesPerNumber");

        // Default MNIST-format net, burstprop: 784-500-500-500-10, recurrent input with learned Z on the
        // three hidden layers (recurrent_input and weight_r_learning default true), fixed Y
        // (weight_fa_learning false):
        //   W: 784·500 + 500·500 + 500·500 + 500·10 = 392,000 + 250,000 + 250,000 + 5,000 = 897,000
        //   b: 500 + 500 + 500 + 10 = 1,510
        //   Z: 3 · 500·500 = 750,000
        //   total 1,648,510 (6,594,040 bytes of float32, 13,188,080 of float64)
        QTest::newRow("mnist-burstprop") << "mnist-burstprop" << 4 << qint64(1648510) << qint64(750000) << 4;
        QTest::newRow("mnist-burstprop-f64")
            << "mnist-burstprop-f64" << 4 << qint64(1648510) << qint64(750000) << 8;
        // Backprop on the same net: W and b only, 897,000 + 1,510 = 898,510.
        QTest::newRow("mnist-backprop") << "mnist-backprop" << 4 << qint64(898510) << qint64(0) << 4;
        // MNIST conv net (-conv_net), burstprop: 1×28² → conv 8@4×4/2 (13²) → conv 16@3×3/2 (6²) → 500 → 500
        // → 10, Z learned on the two hidden layers:
        //   W: 8·1·4·4 + 16·8·3·3 + 500·(16·6·6) + 500·500 + 10·500 = 128 + 1,152 + 288,000 + 250,000 + 5,000
        //      = 544,280
        //   b: 8 + 16 + 500 + 500 + 10 = 1,034
        //   Z: 2 · 500·500 = 500,000
        //   total 1,045,314
        QTest::newRow("mnist-conv") << "mnist-conv" << 5 << qint64(1045314) << qint64(500000) << 4;
        // CIFAR-10 conv net at its defaults, burstprop with learned Y (the narrow widths 128 / 1024):
        // 3×32² → conv 64@5×5/2 (14²) → conv 128@5×5/2 (5²) → conv 256@3×3/1 (3²) → 1024 → 10, Z on the
        // hidden layer; Y learns with grad_W (shares it), so no grad_Y travels:
        //   W: 64·3·5·5 + 128·64·5·5 + 256·128·3·3 + 1024·(256·3·3) + 10·1024
        //      = 4,800 + 204,800 + 294,912 + 2,359,296 + 10,240 = 2,874,048
        //   b: 64 + 128 + 256 + 1024 + 10 = 1,482
        //   Z: 1024·1024 = 1,048,576
        //   total 3,924,106
        QTest::newRow("cifar10-conv") << "cifar10-conv" << 5 << qint64(3924106) << qint64(1048576) << 4;
        // ImageNet conv net at its defaults (burstprop, ReLU, learned Y, no recurrent input, 224² crops):
        // 3×224² → 48@9×9/4 (54²) → 48@3×3/2 (26²) → 96@5×5/1 (22²) → 96@3×3/2 (10²) → 192@3×3/1 (8²)
        // → 192@3×3/2 (3²) → 384@3×3/1 (1²) → 1000:
        //   W: 48·3·81 + 48·48·9 + 96·48·25 + 96·96·9 + 192·96·9 + 192·192·9 + 384·192·9 + 1000·384
        //      = 11,664 + 20,736 + 115,200 + 82,944 + 165,888 + 331,776 + 663,552 + 384,000 = 1,775,760
        //   b: 48 + 48 + 96 + 96 + 192 + 192 + 384 + 1000 = 2,056
        //   total 1,777,816 (Y, as many numbers as W, does not travel: its gradient is grad_W)
        QTest::newRow("imagenet-conv") << "imagenet-conv" << 8 << qint64(1777816) << qint64(0) << 4;
    }

    void numbersPerStep() {
        QFETCH(QString, network);
        QFETCH(int, layers);
        QFETCH(qint64, numbers);
        QFETCH(qint64, recurrentNumbers);
        QFETCH(int, bytesPerNumber);
        const CountingHook hook = countOneStep(network);
        QCOMPARE(hook.submits, layers); // one allreduce per layer
        QCOMPARE(qint64(hook.numbers), numbers);
        QCOMPARE(qint64(hook.recurrentNumbers), recurrentNumbers);
        QCOMPARE(qint64(hook.bytes), numbers * bytesPerNumber);
        // No rule here gives Y a gradient of its own; where Y learns it follows W on every layer.
        QCOMPARE(qint64(hook.feedbackNumbers), qint64(0));
        const bool learnedY = network == "cifar10-conv" || network == "imagenet-conv";
        QCOMPARE(hook.layersYFollowW, learnedY ? layers : 0);
    }
};

QTEST_GUILESS_MAIN(TestAllreduceVolume)
#include "tst_allreduce_volume.moc"
