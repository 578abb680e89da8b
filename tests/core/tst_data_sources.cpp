// Data sources behind one interface (in memory, subsets, and a streaming one made here), and the sampler
// that owns the shuffle and shards each global batch over the ranks of a data-parallel group.
#include "core/data/data_source.h"
#include "core/data/sampler.h"
#include "core/setup/defaults.h"
#include "core/train/trainer.h"
#include "support/test_support.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest>

using namespace bp;
using namespace bp::data;

namespace {

// Examples computed from their index on demand, never held: what a source that decodes files does.
class ComputedSource : public DataSource {
  public:
    explicit ComputedSource(int64_t size, int64_t classes = 10) : size_(size), classes_(classes) {}
    int64_t size() const override { return size_; }
    DataShape shape() const override { return {1, 28, classes_}; }
    Batch batch(const at::Tensor& indices, const at::Device& device) override {
        ++calls;
        largest = std::max(largest, indices.size(0));
        std::vector<at::Tensor> images;
        std::vector<int64_t> labels;
        const at::Tensor idx = indices.contiguous();
        for (int64_t k = 0; k < idx.size(0); ++k) {
            const int64_t i = idx.data_ptr<int64_t>()[k];
            if (i < 0 || i >= size_)
                throw std::out_of_range("index " + std::to_string(i));
            images.push_back(example(i));
            labels.push_back(i % classes_);
        }
        return {at::stack(images).to(device), at::tensor(labels, at::kLong).to(device)};
    }
    static at::Tensor example(int64_t i) {
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(1000 + i);
        at::Tensor x = at::randn({1, 28, 28}, g) * 0.3;
        x.select(1, 2 + (i % 10) * 2).add_(2.0); // a bright row per class
        return x;
    }
    int calls = 0;
    int64_t largest = 0;

  private:
    int64_t size_, classes_;
};

DatasetPair materialised(int64_t train, int64_t test) {
    auto collect = [](int64_t n, int64_t offset) {
        std::vector<at::Tensor> images;
        std::vector<int64_t> labels;
        for (int64_t i = 0; i < n; ++i) {
            images.push_back(ComputedSource::example(offset + i));
            labels.push_back((offset + i) % 10);
        }
        return Dataset{at::stack(images), at::tensor(labels, at::kLong)};
    };
    DatasetPair pair;
    pair.train = collect(train, 0);
    pair.test = collect(test, 0);
    return pair;
}

} // namespace

class TestDataSources : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void inMemoryAndSubsets() {
        DatasetPair pair = materialised(30, 10);
        DataSources s = inMemorySources(pair);
        QCOMPARE(s.train->size(), int64_t(30));
        QCOMPARE(s.train->shape().classes, int64_t(10));
        const Batch b = s.train->batch(at::tensor({int64_t(4), int64_t(0), int64_t(17)}), at::kCPU);
        QVERIFY(at::equal(b.labels, at::tensor({int64_t(4), int64_t(0), int64_t(7)})));
        QVERIFY(at::equal(b.images[0], pair.train.images[4]));
        const auto first = firstExamples(s.train, 12);
        QCOMPARE(first->size(), int64_t(12));
        QVERIFY(at::equal(first->range(0, 12, at::kCPU).images, pair.train.images.narrow(0, 0, 12)));
        QCOMPARE(firstExamples(s.train, 0)->size(), int64_t(30));
        const SubsetSource odd(s.train, at::arange(1, 30, 2, at::kLong));
        QCOMPARE(odd.size(), int64_t(15));
        QVERIFY(at::equal(const_cast<SubsetSource&>(odd).batch(at::tensor({int64_t(2)}), at::kCPU).images[0],
                          pair.train.images[5]));
        QVERIFY(at::equal(s.train->labels(), pair.train.labels));
    }

    void samplerOwnsTheOrder() {
        Sampler a(100, 32, 5), b(100, 32, 5), c(100, 32, 6);
        QCOMPARE(a.batchesPerEpoch(), 4);
        const at::Tensor order = a.drawOrder();
        QVERIFY(at::equal(order, b.drawOrder()));
        QVERIFY(!at::equal(order, c.drawOrder()));
        QVERIFY(at::equal(std::get<0>(order.sort()), at::arange(100, at::kLong)));
        QCOMPARE(a.batchIndices(order, 3).size(0), int64_t(4)); // the short last batch
        QVERIFY(!at::equal(a.drawOrder(), order));              // the next epoch's
    }

    // A global batch of B over N ranks: contiguous parts, the first B mod N ranks one example more; a rank
    // may get none; together exactly the batch.
    void shards_data() {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("world");
        QTest::addColumn<QList<int>>("sizes");
        QTest::newRow("32 over 2") << 32 << 2 << QList<int>{16, 16};
        QTest::newRow("32 over 3") << 32 << 3 << QList<int>{11, 11, 10};
        QTest::newRow("3 over 2") << 3 << 2 << QList<int>{2, 1};
        QTest::newRow("1 over 2") << 1 << 2 << QList<int>{1, 0};
        QTest::newRow("5 over 8") << 5 << 8 << QList<int>{1, 1, 1, 1, 1, 0, 0, 0};
    }
    void shards() {
        QFETCH(int, batch);
        QFETCH(int, world);
        QFETCH(QList<int>, sizes);
        const at::Tensor indices = at::randperm(batch, at::kLong);
        std::vector<at::Tensor> parts;
        for (int r = 0; r < world; ++r) {
            parts.push_back(Sampler::shard(indices, r, world));
            QCOMPARE(int(parts.back().size(0)), sizes[r]);
        }
        QVERIFY(at::equal(at::cat(parts), indices));
        QVERIFY_THROWS_EXCEPTION(std::exception, Sampler::shard(indices, world, world));
    }

    // The network's output has as many units as the data has classes.
    void classesComeFromTheData() {
        RunConfig c = defaultConfig(DatasetKind::Mnist);
        c.hiddenWidths = {16};
        c.epochs = 1;
        c.threads = 1;
        for (const char* rule : {"burstprop", "backprop", "dfa"}) {
            c.rule = rule;
            Trainer trainer(c);
            trainer.setData(DataSources{std::make_shared<ComputedSource>(40, 7),
                                        std::make_shared<ComputedSource>(14, 7)});
            QCOMPARE(test::statusName(trainer.run()), test::statusName(RunStatus::Completed));
            QCOMPARE(trainer.network().classes, int64_t(7));
            QCOMPARE(trainer.network().layers.back().weight.size(0), int64_t(7));
        }
    }

    // The trainer reads any source through the interface: a streaming one trains as the same examples held
    // in memory do, bit for bit, asking for one batch at a time.
    void trainerTrainsFromAStreamingSource() {
        RunConfig c = defaultConfig(DatasetKind::Mnist);
        c.hiddenWidths = {20};
        c.epochs = 2;
        c.batchSize = 8;
        c.threads = 1;
        c.testBatchSize = 16;
        auto train = std::make_shared<ComputedSource>(60);
        auto test = std::make_shared<ComputedSource>(20);
        Trainer streamed(c);
        streamed.setData(DataSources{train, test});
        QCOMPARE(test::statusName(streamed.run()), test::statusName(RunStatus::Completed));
        Trainer held(c);
        held.setData(materialised(60, 20));
        QCOMPARE(test::statusName(held.run()), test::statusName(RunStatus::Completed));
        for (size_t i = 0; i < held.network().layers.size(); ++i)
            QVERIFY(at::equal(streamed.network().layers[i].weight, held.network().layers[i].weight));
        QCOMPARE(train->largest, int64_t(8));
        QVERIFY(train->calls >= 2 * 8); // 8 batches per epoch (and the epoch-0 probe)
    }
};

QTEST_GUILESS_MAIN(TestDataSources)
#include "tst_data_sources.moc"
