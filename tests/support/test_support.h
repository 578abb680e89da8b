#pragma once
#include "core/checkpoint/pickle_io.h"
#include "core/data/dataset.h"
#include "core/events/observer.h"
#include "core/util/error.h"
#include <ATen/ATen.h>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <cstdint>
#include <string>

namespace bp::test {

// The bp::Error message f throws, or "" when it throws none (other exceptions fail the test).
template <class F> QString errorOf(F&& f) {
    try {
        f();
    } catch (const bp::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// ‖a − b‖ / ‖b‖ in float64 (0 when both are zero).
double relativeError(const at::Tensor& a, const at::Tensor& b);

// The environment variable's value, or fallback when unset or empty.
std::string envOr(const char* name, const std::string& fallback);

// tests/fixtures: files the tests read (checkpoints written by earlier versions).
std::string fixturesDir();

// Folder with the real Fashion-MNIST files (from the Debian package), or "" when absent.
std::string fashionMnistDir();

// Debian's Python, the interpreter python3-torch installs for (a python3 earlier on PATH may lack torch).
inline const QString kSystemPython = QStringLiteral("/usr/bin/python3");

// A TCP port on 127.0.0.1 that nobody listens on now (the kernel's pick for a socket bound to port 0), for a
// data-parallel group's rendezvous; 29517 when none can be had.
int freeLoopbackPort();

// Path of the built burstprop-train executable (set by CTest), or "".
QString trainerBinary();
// The start of a test that runs burstprop-train: the built binary into *binary, and MNIST-format bar data of
// `train` and `test` images (writeBarDatasets) in <dir>/data, its path into *dataDir. Returns what is missing
// or could not be written, or "" — QVERIFY2(missing.isEmpty(), ...) in initTestCase.
QString prepareTrainerTest(const QTemporaryDir& dir, QString* binary, QString* dataDir, int train = 600,
                           int test = 100);

// Writes <dir>/<prefix>-images-idx3-ubyte and -labels-idx1-ubyte (raw MNIST format) of count 28×28
// images in which class c is a bright 10×4 bar at its own place on a dim noisy background: learnable
// in an epoch. False when a file cannot be written.
bool writeBarDataset(const QString& dir, const QString& prefix, int count, uint32_t seed);
// Ten classes of 28 × 28 grey images in memory, each a noisy copy of its own random prototype (from seed):
// learnable in a few epochs, no files.
data::DatasetPair prototypeData(int64_t trainSize, int64_t testSize, uint64_t seed);
// A whole MNIST-format data set of such images in dir (created): `train` training and `test` test images.
bool writeBarDatasets(const QString& dir, int train, int test);

// What a finished child process printed; stdout lines that are JSON objects are parsed into events.
struct ProcessResult {
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QString out;
    QString err;
    QList<QJsonObject> events;
    QStringList nonJsonLines;
};
// Runs program with args to its end (killed after timeoutMs) and collects its output. environment: the
// child's whole environment (QProcessEnvironment::systemEnvironment() with changes); an empty one, the
// default, leaves it this process's.
ProcessResult runProcess(const QString& program, const QStringList& args, int timeoutMs,
                         const QProcessEnvironment& environment = QProcessEnvironment());
// The output of a process that has finished.
ProcessResult collect(QProcess& process);
// The events whose "event" field is kind.
QList<QJsonObject> eventsOf(const ProcessResult& r, const QString& kind);
// Exit status, stdout (first 4,000 characters) and stderr, for failure messages.
QString describe(const ProcessResult& r);

// A run status as QString, for QCOMPARE (QTest cannot print bp enums).
QString statusName(RunStatus status);

// An observer that keeps every epoch report (epoch 0 first).
class EpochLog : public TrainingObserver {
  public:
    void onEpoch(const EpochReport& report) override { epochs.push_back(report); }
    std::vector<EpochReport> epochs;
};

// The golden folder: BURSTPROP_GOLDEN_DIR, else the one CTest names, else ../shared/golden.
QString goldenDir();

// Writes dict as a .pt file (torch.save's format); false when the file cannot be written.
bool writePickledDict(const QString& path, const pickle::Dict& dict);

} // namespace bp::test
