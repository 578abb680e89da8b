// The preset bar driven through its real widgets (offscreen): the combo lists the presets, Apply emits
// the preset on the current configuration, Save as… and Delete go through their dialogs to a real file,
// and every problem shows in the bar's status line.
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "support/test_support.h"
#include "ui/form/preset_bar.h"
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <functional>
#include <optional>

using namespace bp;
using bp::ui::PresetBar;

namespace {

QStringList comboNames(const QComboBox* box) {
    QStringList names;
    for (int i = 0; i < box->count(); ++i)
        if (!box->itemData(i).toString().isEmpty())
            names << box->itemData(i).toString();
    return names;
}

// Runs answer on the next modal dialog as soon as it is open (the button click blocks until it closes).
void answerNextDialog(std::function<void(QWidget*)> answer) {
    auto poll = std::make_shared<std::function<void()>>();
    *poll = [answer, poll] {
        if (QWidget* dialog = QApplication::activeModalWidget())
            answer(dialog);
        else
            QTimer::singleShot(10, *poll);
    };
    QTimer::singleShot(0, *poll);
}

void clickYes(QWidget* dialog) {
    auto* box = qobject_cast<QMessageBox*>(dialog);
    QVERIFY(box);
    box->button(QMessageBox::Yes)->click();
}

// Records presetChosen() and errorOccurred().
struct Recorder {
    std::optional<RunConfig> chosen;
    QStringList errors;
    explicit Recorder(PresetBar& bar) {
        QObject::connect(&bar, &PresetBar::presetChosen, [this](const RunConfig& c) { chosen = c; });
        QObject::connect(&bar, &PresetBar::errorOccurred, [this](const QString& e) { errors << e; });
    }
};

} // namespace

class TestPresetBar : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void listsBuiltInPresets();
    void choosingLoadsThePresetOnTheCurrentConfig();
    void saveAndDeleteThroughTheDialogs();
    void builtInNamesAreRefused();
    void badUserPresetIsReportedNotEmitted();
    void unreadableFileIsShownAtStart();
};

void TestPresetBar::listsBuiltInPresets() {
    QTemporaryDir dir;
    PresetBar bar(dir.filePath("presets.json"));
    bar.show();
    QCOMPARE(comboNames(bar.presetBox()),
             (QStringList{"Paper: MNIST (fully connected)", "Paper: MNIST conv",
                          "CIFAR-10: train_cifar10.py defaults (stays at chance)", "Paper: ImageNet",
                          "Demo notebook", "Direct feedback alignment: Fashion-MNIST",
                          "Sign symmetry: Fashion-MNIST", "Smoke test (a few seconds)"}));
    QCOMPARE(bar.currentPresetName(), QStringLiteral("Paper: MNIST (fully connected)"));
    QVERIFY(!bar.undoButton()->isEnabled()); // nothing loaded yet
    QVERIFY(bar.saveButton()->isEnabled());
    QVERIFY(!bar.deleteButton()->isEnabled()); // built-in
    QVERIFY(bar.presetBox()->toolTip().contains("train_mnist.py"));
    QVERIFY(!bar.statusLabel()->isVisible());
}

void TestPresetBar::choosingLoadsThePresetOnTheCurrentConfig() {
    QTemporaryDir dir;
    PresetBar bar(dir.filePath("presets.json"));
    RunConfig current = defaultConfig(DatasetKind::Mnist, "node-perturbation");
    current.device = "cuda:1";
    current.threads = 4;
    bar.setConfigProvider([&current] { return current; });
    Recorder recorder(bar);
    bar.show();

    // Choosing a preset in the combo (as a user does, with the keyboard here) loads it at once.
    QVERIFY(bar.selectPreset("Sign symmetry: Fashion-MNIST"));
    QVERIFY(!recorder.chosen); // selected by the program: not loaded
    bar.presetBox()->setFocus();
    QTest::keyClick(bar.presetBox(), Qt::Key_Down);
    QCOMPARE(bar.currentPresetName(), QStringLiteral("Smoke test (a few seconds)"));
    QVERIFY(recorder.chosen);
    QCOMPARE(recorder.chosen->epochs, 2);
    QCOMPARE(recorder.chosen->trainLimit, 10000);
    QCOMPARE(recorder.chosen->hiddenWidths, std::vector<int>{100});
    QCOMPARE(toString(recorder.chosen->dataset), std::string("fashion-mnist"));
    QCOMPARE(recorder.chosen->rule, std::string("node-perturbation"));
    QCOMPARE(recorder.chosen->device, std::string("cuda:1"));
    QCOMPARE(recorder.chosen->threads, 4);
    QVERIFY(recorder.errors.isEmpty());
    QVERIFY(bar.statusLabel()->isVisible());
    QCOMPARE(
        bar.statusLabel()->text(),
        QStringLiteral("Loaded \"Smoke test (a few seconds)\" (Undo brings back the settings from before)."));
    // Undo gives the configuration from before back.
    recorder.chosen.reset();
    QVERIFY(bar.undoButton()->isEnabled());
    QTest::mouseClick(bar.undoButton(), Qt::LeftButton);
    QVERIFY(recorder.chosen);
    QCOMPARE(toJson(*recorder.chosen), toJson(current));
    QVERIFY(!bar.undoButton()->isEnabled());
}

void TestPresetBar::saveAndDeleteThroughTheDialogs() {
    QTemporaryDir dir;
    const QString path = dir.filePath("presets.json");
    PresetBar bar(path);
    RunConfig current = defaultConfig(DatasetKind::FashionMnist);
    current.hiddenLr = 0.05;
    current.seed = 7;
    bar.setConfigProvider([&current] { return current; });
    Recorder recorder(bar);
    bar.show();

    answerNextDialog([](QWidget* dialog) {
        auto* input = qobject_cast<QInputDialog*>(dialog);
        QVERIFY(input);
        input->setTextValue(QStringLiteral("Slow hidden layers ✓"));
        input->accept();
    });
    QTest::mouseClick(bar.saveButton(), Qt::LeftButton);
    QCOMPARE(bar.currentPresetName(), QStringLiteral("Slow hidden layers ✓"));
    QVERIFY(bar.deleteButton()->isEnabled());
    QVERIFY(QFile::exists(path));
    QCOMPARE(bar.statusLabel()->text(), QStringLiteral("Saved \"Slow hidden layers ✓\"."));

    // Another bar over the same file sees it; applying it to anything gives the saved config back.
    PresetBar other(path);
    QVERIFY(other.selectPreset(QStringLiteral("Slow hidden layers ✓")));
    Recorder otherRecorder(other);
    QVERIFY(other.loadSelected());
    QVERIFY(otherRecorder.chosen);
    QCOMPARE(toJson(*otherRecorder.chosen), toJson(current));

    answerNextDialog(clickYes);
    QTest::mouseClick(bar.deleteButton(), Qt::LeftButton);
    QCOMPARE(comboNames(bar.presetBox()).size(), 8); // the built-in presets
    QVERIFY(!bar.deleteButton()->isEnabled());
    QCOMPARE(bar.statusLabel()->text(), QStringLiteral("Deleted \"Slow hidden layers ✓\"."));
    QVERIFY(recorder.errors.isEmpty());
}

void TestPresetBar::builtInNamesAreRefused() {
    QTemporaryDir dir;
    PresetBar bar(dir.filePath("presets.json"));
    Recorder recorder(bar);
    bar.show();
    QVERIFY(!bar.saveCurrentAs("Demo notebook"));
    QCOMPARE(recorder.errors.size(), 1);
    QVERIFY(recorder.errors[0].contains("built-in preset"));
    QVERIFY(bar.statusLabel()->isVisible());
    QCOMPARE(bar.statusLabel()->text(), recorder.errors[0]);
    QVERIFY(!bar.removePreset("CIFAR-10: train_cifar10.py defaults (stays at chance)"));
    QCOMPARE(recorder.errors.size(), 2);
    QCOMPARE(comboNames(bar.presetBox()).size(), 8); // the built-in presets
}

void TestPresetBar::badUserPresetIsReportedNotEmitted() {
    QTemporaryDir dir;
    const QString path = dir.filePath("presets.json");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        R"({"version": 1, "presets": [{"name": "Typo", "config": {"hiden_lr": 0.5, "momentum": 2}}]})");
    file.close();
    PresetBar bar(path);
    Recorder recorder(bar);
    bar.show();
    QVERIFY(!bar.statusLabel()->isVisible()); // the file is readable; its values are checked on loading
    QVERIFY(bar.selectPreset("Typo"));
    QVERIFY(!bar.loadSelected());
    QVERIFY(!recorder.chosen);
    QCOMPARE(recorder.errors.size(), 1);
    QVERIFY(recorder.errors[0].contains("hiden_lr: unknown setting"));
    QVERIFY(recorder.errors[0].contains("momentum: 2 is out of range"));
}

void TestPresetBar::unreadableFileIsShownAtStart() {
    QTemporaryDir dir;
    const QString path = dir.filePath("presets.json");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{ not json");
    file.close();
    PresetBar bar(path);
    bar.show();
    QVERIFY(bar.statusLabel()->isVisible());
    QVERIFY(bar.statusLabel()->text().contains("could not be read"));
    QCOMPARE(comboNames(bar.presetBox()).size(), 8); // the built-in presets
}

QTEST_MAIN(TestPresetBar)
#include "tst_preset_bar.moc"
