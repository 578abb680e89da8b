#include "support/test_support.h"
#include "core/data/dataset.h"
#include "core/util/system_info.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <cstdlib>
#include <unistd.h>

namespace bp::test {

double relativeError(const at::Tensor& a, const at::Tensor& b) {
    const at::Tensor a64 = a.to(at::kDouble).cpu();
    const at::Tensor b64 = b.to(at::kDouble).cpu();
    const double denominator = b64.norm().item<double>();
    const double numerator = (a64 - b64).norm().item<double>();
    if (denominator == 0.0)
        return numerator;
    return numerator / denominator;
}

std::string envOr(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : fallback;
}

std::string fixturesDir() {
    return envOr("BURSTPROP_FIXTURES_DIR", "tests/fixtures");
}

std::string fashionMnistDir() {
    const std::string dir = envOr("BURSTPROP_FASHION_DIR", data::defaultDataDir(DatasetKind::FashionMnist));
    return data::datasetAvailable(DatasetKind::FashionMnist, dir) ? dir : std::string();
}

QString trainerBinary() {
    return QString::fromStdString(envOr("BURSTPROP_TRAIN_BIN", ""));
}

int freeLoopbackPort() {
    const int port = sys::freeLoopbackPort();
    return port > 0 ? port : 29517;
}

QString prepareTrainerTest(const QTemporaryDir& dir, QString* binary, QString* dataDir, int train, int test) {
    *binary = trainerBinary();
    if (binary->isEmpty())
        return "BURSTPROP_TRAIN_BIN is not set (run the test through CTest)";
    if (!dir.isValid())
        return "no temporary folder: " + dir.errorString();
    *dataDir = dir.filePath("data");
    if (!writeBarDatasets(*dataDir, train, test))
        return "cannot write the bar data into " + *dataDir;
    return {};
}

QString statusName(RunStatus status) {
    return QString::fromStdString(toString(status));
}

QString goldenDir() {
    return QString::fromStdString(
        envOr("BURSTPROP_GOLDEN_DIR", envOr("BURSTPROP_GOLDEN_DIR_DEFAULT", "../shared/golden")));
}

bool writePickledDict(const QString& path, const pickle::Dict& dict) {
    const std::vector<char> bytes = pickle::save(dict, path.toStdString());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) &&
           file.write(bytes.data(), qint64(bytes.size())) == qint64(bytes.size());
}

namespace {
void appendBigEndian32(QByteArray& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char((v >> shift) & 0xff));
}
} // namespace

data::DatasetPair prototypeData(int64_t trainSize, int64_t testSize, uint64_t seed) {
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    const at::Tensor prototypes = at::randn({10, 1, 28, 28}, g);
    auto make = [&](int64_t n) {
        data::Dataset d;
        d.labels = at::randint(10, {n}, g, at::kLong);
        d.images = prototypes.index_select(0, d.labels) + 0.5 * at::randn({n, 1, 28, 28}, g);
        return d;
    };
    data::DatasetPair pair;
    pair.train = make(trainSize);
    pair.test = make(testSize);
    return pair;
}

bool writeBarDatasets(const QString& dir, int train, int test) {
    return QDir().mkpath(dir) && writeBarDataset(dir, QStringLiteral("train"), train, 1) &&
           writeBarDataset(dir, QStringLiteral("t10k"), test, 2);
}

bool writeBarDataset(const QString& dir, const QString& prefix, int count, uint32_t seed) {
    QByteArray images, labels;
    appendBigEndian32(images, 0x00000803);
    appendBigEndian32(images, uint32_t(count));
    appendBigEndian32(images, 28);
    appendBigEndian32(images, 28);
    appendBigEndian32(labels, 0x00000801);
    appendBigEndian32(labels, uint32_t(count));
    uint32_t state = seed;
    auto next = [&state] { return (state = state * 1664525u + 1013904223u) >> 24; }; // 0..255
    for (int n = 0; n < count; ++n) {
        const int c = n % 10;
        QByteArray pixels(28 * 28, 0);
        for (int i = 0; i < pixels.size(); ++i)
            pixels[i] = char(next() % 31);
        const int top = (c / 5) * 14 + 2, left = (c % 5) * 5 + 1;
        for (int y = top; y < top + 10; ++y)
            for (int x = left; x < left + 4; ++x)
                pixels[y * 28 + x] = char(200 + next() % 56);
        images += pixels;
        labels.append(char(c));
    }
    for (const auto& [name, bytes] : {std::pair{QString("-images-idx3-ubyte"), images},
                                      std::pair{QString("-labels-idx1-ubyte"), labels}}) {
        QFile file(dir + "/" + prefix + name);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            return false;
    }
    return true;
}

ProcessResult collect(QProcess& process) {
    ProcessResult r;
    r.exitCode = process.exitCode();
    r.exitStatus = process.exitStatus();
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    for (const QString& line : r.out.split('\n', Qt::SkipEmptyParts)) {
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8(), &error);
        if (error.error == QJsonParseError::NoError && doc.isObject())
            r.events << doc.object();
        else
            r.nonJsonLines << line;
    }
    return r;
}

ProcessResult runProcess(const QString& program, const QStringList& args, int timeoutMs,
                         const QProcessEnvironment& environment) {
    QProcess process;
    if (!environment.isEmpty())
        process.setProcessEnvironment(environment);
    process.start(program, args);
    if (!process.waitForStarted(timeoutMs) || !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    return collect(process);
}

QList<QJsonObject> eventsOf(const ProcessResult& r, const QString& kind) {
    QList<QJsonObject> out;
    for (const QJsonObject& e : r.events)
        if (e["event"].toString() == kind)
            out << e;
    return out;
}

QString describe(const ProcessResult& r) {
    return QStringLiteral("exit %1\n--- stdout\n%2--- stderr\n%3")
        .arg(r.exitCode)
        .arg(r.out.left(4000), r.err);
}

} // namespace bp::test
