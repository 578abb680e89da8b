// The explorer window driven through its real widgets (QT_QPA_PLATFORM=offscreen).
#include "support/test_support.h"
#include "ui/form/run_form.h"
#include "ui/plots/metric_plot.h"
#include "ui/window/main_window.h"
#include <ATen/CPUGeneratorImpl.h>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

using namespace bp;

namespace {

data::DatasetPair syntheticData(int64_t trainSize) {
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(3);
    const at::Tensor prototypes = at::randn({10, 1, 28, 28}, g);
    auto make = [&](int64_t n) {
        data::Dataset d;
        d.labels = at::randint(10, {n}, g, at::kLong);
        d.images = prototypes.index_select(0, d.labels) + 0.5 * at::randn({n, 1, 28, 28}, g);
        return d;
    };
    return {make(trainSize), make(100)};
}

void setText(QLineEdit* edit, const QString& text) {
    QVERIFY(edit);
    edit->selectAll();
    QTest::keyClicks(edit, text); // typed as a user would
    QCOMPARE(edit->text(), text);
}

// A window whose form points at a folder with no data but trains on in-memory data.
std::unique_ptr<ui::MainWindow> makeWindow(int epochs, int trainSize) {
    auto w = std::make_unique<ui::MainWindow>();
    w->setDataOverride(syntheticData(trainSize));
    ui::RunForm* f = w->form();
    f->dataDirField()->setText(QString::fromStdString(test::fashionMnistDir()));
    f->hiddenWidthsField()->setText(QStringLiteral("32,16"));
    f->numberField(QStringLiteral("n_epochs"))->setText(QString::number(epochs));
    f->numberField(QStringLiteral("threads"))->setText(QStringLiteral("1"));
    f->numberField(QStringLiteral("angle_interval"))->setText(QStringLiteral("5"));
    return w;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (test::fashionMnistDir().empty())
            QSKIP("the form requires the dataset on disk: install dataset-fashion-mnist");
    }

    void launchShowsLivePlots() {
        auto w = makeWindow(2, 640);
        w->show();
        QVERIFY(w->launchButton()->isEnabled());
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QVERIFY(!w->launchButton()->isEnabled());
        QVERIFY(w->stopButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Completed, 60000);
        QCOMPARE(w->lossPlot()->pointCount(1), 3);  // test loss at epochs 0, 1, 2
        QCOMPARE(w->errorPlot()->pointCount(0), 2); // train error at epochs 1, 2
        QVERIFY(w->weightAnglePlot()->pointCount(0) > 0);
        QVERIFY(w->deltaAnglePlot()->pointCount(0) > 0);
        QVERIFY(w->statusText().contains(QStringLiteral("completed")));
        QVERIFY(w->launchButton()->isEnabled());
    }

    void invalidValuesBlockLaunch_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("lr out of range") << "hidden_lr" << "250" << "out of range";
        QTest::newRow("not a number") << "momentum" << "abc" << "not a number";
        QTest::newRow("zero batch") << "batch_size" << "0" << "batch_size";
    }
    void invalidValuesBlockLaunch() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, message);
        auto w = makeWindow(1, 64);
        w->show();
        QVERIFY(w->launchButton()->isEnabled());
        setText(w->form()->numberField(key), value);
        QVERIFY(!w->launchButton()->isEnabled());
        QVERIFY(!w->form()->isValid());
        auto* note = w->form()->findChild<QLabel*>(key + QStringLiteral("_error"));
        QVERIFY(note);
        QVERIFY2(note->isVisible() && note->text().contains(message), qPrintable(note->text()));
        setText(w->form()->numberField(key), QStringLiteral("0.05"));
        if (key == QStringLiteral("batch_size"))
            setText(w->form()->numberField(key), QStringLiteral("32"));
        QVERIFY(w->launchButton()->isEnabled());
        QVERIFY(!note->isVisible());
    }

    void onlyTheRulesHyperparametersAreShown() {
        auto w = makeWindow(1, 64);
        w->show();
        QComboBox* rule = w->form()->ruleBox();
        rule->setCurrentIndex(rule->findText(QStringLiteral("backprop")));
        QVERIFY(!w->form()->numberField(QStringLiteral("p_baseline"))->isVisible());
        QVERIFY(!w->form()->flagField(QStringLiteral("recurrent_input"))->isVisible());
        QVERIFY(w->form()->numberField(QStringLiteral("output_lr"))->isVisible());
        rule->setCurrentIndex(rule->findText(QStringLiteral("burstprop")));
        QVERIFY(w->form()->numberField(QStringLiteral("p_baseline"))->isVisible());
        QVERIFY(!w->form()->numberField(QStringLiteral("xi_std"))->isVisible());
        QVERIFY(w->form()->config().rule == Rule::Burstprop);
    }

    void pauseResumeStop() {
        auto w = makeWindow(1000, 640);
        w->show();
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lossPlot()->pointCount(1) >= 2, 30000);
        QTest::mouseClick(w->pauseButton(), Qt::LeftButton);
        QCOMPARE(w->pauseButton()->text(), QStringLiteral("Resume"));
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Paused, 10000);
        const int points = w->lossPlot()->pointCount(1);
        QTest::qWait(300);
        QCOMPARE(w->lossPlot()->pointCount(1), points);
        QTest::mouseClick(w->pauseButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lossPlot()->pointCount(1) > points, 30000);
        QTest::mouseClick(w->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lastStatus() == RunStatus::Stopped, 30000);
        QVERIFY(w->launchButton()->isEnabled());
        QVERIFY(!w->stopButton()->isEnabled());
    }

    void closingWhileTrainingStopsTheRun() {
        auto w = makeWindow(1000, 640);
        w->show();
        QTest::mouseClick(w->launchButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w->lossPlot()->pointCount(1) >= 1, 30000);
        QVERIFY(w->close()); // returns only once the training thread has ended
        QCOMPARE(test::statusName(*w->lastStatus()), QStringLiteral("stopped"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
