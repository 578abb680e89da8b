// The explorer under a German locale (CTest sets LANG and LC_ALL to de_DE.UTF-8; QApplication installs it
// into the C library): a run launched from the form records its configuration with C numbers, stops,
// resumes from the store, and "Copy as command line" writes numbers the CLI reads. Before, the run's JSON
// held "hidden_lr":0,05 and could not be resumed.
#include "core/config/hyperparameters.h"
#include "core/store/run_store.h"
#include "support/test_support.h"
#include "ui/form/run_form.h"
#include "ui/window/main_window.h"
#include "ui/window/train_page.h"
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QtTest>
#include <clocale>
#include <cstdio>

using namespace bp;

class TestExplorerLocale : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

  private Q_SLOTS:
    void initTestCase() {
        char text[16];
        std::snprintf(text, sizeof text, "%g", 0.5);
        QVERIFY2(QString(text) == "0,5",
                 "de_DE.UTF-8 is not in force (packaging/setup-debian.sh generates it; "
                 "CTest sets LC_ALL for this test)");
        QVERIFY(QDir().mkpath(tmp_.filePath("data")));
        QVERIFY(test::writeBarDataset(tmp_.filePath("data"), "train", 320, 1));
        QVERIFY(test::writeBarDataset(tmp_.filePath("data"), "t10k", 60, 2));
    }

    void launchStopResumeAndCopy() {
        const QString db = tmp_.filePath("de.sqlite");
        ui::MainWindow w(db);
        w.show();
        ui::RunForm* f = w.form();
        f->datasetBox()->setCurrentIndex(f->datasetBox()->findText("mnist"));
        f->dataDirField()->setText(tmp_.filePath("data"));
        f->hiddenWidthsField()->setText("24");
        f->numberField("n_epochs")->setText("400");
        f->numberField("threads")->setText("1");
        f->numberField("hidden_lr")->setText("0.05");
        QVERIFY2(f->isValid(), qPrintable(f->errors().join('\n')));
        QTest::mouseClick(w.launchButton(), Qt::LeftButton);
        const int64_t id = w.trainPage()->currentRunId();
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!w.reader()->readMetrics(id, "batch_loss").empty(), 30000);
        QTest::mouseClick(w.stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastStatus() == RunStatus::Stopped, 30000);

        const std::string json = w.reader()->getRun(id)->configJson;
        QVERIFY2(json.find("\"hidden_lr\":0.05") != std::string::npos, json.c_str());
        QCOMPARE(configFromJson(json).hiddenLr, 0.05);

        QString error;
        QVERIFY2(w.trainPage()->resumeRun(id, &error), qPrintable(error));
        QCOMPARE(w.trainPage()->currentRunId(), id);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastStatus() == RunStatus::Running, 30000);
        QTest::mouseClick(w.stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastStatus() == RunStatus::Stopped, 30000);

        w.copyCommandLine();
        const QString line = QApplication::clipboard()->text();
        QVERIFY2(line.contains("-hidden_lr 0.05") && !line.contains("0,05"), qPrintable(line));
    }
};

QTEST_MAIN(TestExplorerLocale)
#include "tst_explorer_locale.moc"
