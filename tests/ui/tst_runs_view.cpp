// The runs page driven through its widgets: typing filters, selecting, rename/tags/notes, delete with the
// confirmation answered, export, and the signals that resume, clone and compare.
#include "core/config/hyperparameters.h"
#include "core/setup/defaults.h"
#include "core/store/run_store.h"
#include "support/test_support.h"
#include "ui/runs/runs_table_model.h"
#include "ui/runs/runs_view.h"
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

using namespace bp;

class TestRunsView : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::unique_ptr<RunStore> makeStore(const QString& name, int runs) {
        auto store = std::make_unique<RunStore>(dir_.filePath(name).toStdString());
        for (int i = 0; i < runs; ++i) {
            RunConfig c = defaultConfig(DatasetKind::FashionMnist);
            c.hiddenLr = 0.05 * (i + 1);
            const int64_t id = store->createRun(c, "run " + std::to_string(i), "", {});
            store->setStatus(id, RunStatus::Running);
            store->setStatus(id, i == 0 ? RunStatus::Stopped : RunStatus::Completed);
        }
        return store;
    }

    QPushButton* button(ui::RunsView& view, const QString& text) {
        for (QPushButton* b : view.findChildren<QPushButton*>())
            if (b->text() == text)
                return b;
        return nullptr;
    }

  private Q_SLOTS:
    void filterAndSelect() {
        auto store = makeStore(QStringLiteral("filter.sqlite"), 12);
        ui::RunsView view;
        view.setStore(store.get());
        view.show();
        QCOMPARE(view.model()->rowCount(), 12);
        QTest::keyClicks(view.filterField(), QStringLiteral("run 1"));
        QStringList names;
        for (int row = 0; row < view.model()->rowCount(); ++row)
            names << view.model()->data(view.model()->index(row, ui::RunsTableModel::Name)).toString();
        QCOMPARE(names, (QStringList{"#12 run 11", "#11 run 10", "#2 run 1"}));
        view.filterField()->clear();
        QTest::keyClicks(view.rangeField(), QStringLiteral("hidden_lr 0.3..0.45"));
        QCOMPARE(view.model()->rowCount(), 4); // 0.05·6 … 0.05·9, bounds inclusive
        view.rangeField()->clear();
        view.statusBox()->setCurrentIndex(view.statusBox()->findText(QStringLiteral("stopped")));
        QCOMPARE(view.model()->rowCount(), 1);
        view.table()->selectRow(0);
        QCOMPARE(view.selectedRuns(), QVector<int64_t>{1});
        QVERIFY(button(view, QStringLiteral("Resume"))->isEnabled()); // stopped: resumable
        QSignalSpy resume(&view, &ui::RunsView::resumeRequested), clone(&view, &ui::RunsView::cloneRequested),
            compare(&view, &ui::RunsView::compareRequested);
        QTest::mouseClick(button(view, QStringLiteral("Resume")), Qt::LeftButton);
        QTest::mouseClick(button(view, QStringLiteral("Clone into form")), Qt::LeftButton);
        QCOMPARE(resume.count(), 1);
        QCOMPARE(resume.front().front().toLongLong(), 1);
        QCOMPARE(clone.count(), 1);
        view.statusBox()->setCurrentIndex(0);
        view.table()->selectAll();
        QVERIFY(!button(view, QStringLiteral("Resume"))->isEnabled());
        QTest::mouseClick(button(view, QStringLiteral("Compare")), Qt::LeftButton);
        QCOMPARE(compare.count(), 1);
        QCOMPARE(compare.front().front().value<QVector<qint64>>().size(), 12);
    }

    void editsAndDeleteWithConfirmation() {
        auto store = makeStore(QStringLiteral("edit.sqlite"), 3);
        ui::RunsView view;
        view.setStore(store.get());
        view.show();
        QString error;
        QVERIFY(view.renameRun(2, QStringLiteral("renamed, \"quoted\" ✓"), &error));
        QVERIFY(view.setRunTags(2, {QStringLiteral(" a "), QStringLiteral("b"), QString()}, &error));
        QVERIFY(view.setRunNotes(2, QStringLiteral("line 1\nline 2"), &error));
        const RunRecord r = *store->getRun(2);
        QCOMPARE(QString::fromStdString(r.name), QStringLiteral("renamed, \"quoted\" ✓"));
        QCOMPARE(r.tags, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(QString::fromStdString(r.notes), QStringLiteral("line 1\nline 2"));
        const int row = view.model()->rowOfRun(2);
        QVERIFY(view.model()
                    ->data(view.model()->index(row, ui::RunsTableModel::Name))
                    .toString()
                    .contains("renamed"));

        // Delete asks first; "Cancel" keeps the run, "Yes" removes it with its folder.
        std::filesystem::create_directories(store->defaultRunFolder(2));
        view.selectRun(2);
        for (const auto answer : {QMessageBox::Cancel, QMessageBox::Yes}) {
            QTimer::singleShot(50, [answer] {
                auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
                QVERIFY(box);
                QVERIFY(box->text().contains(QStringLiteral("renamed")));
                box->button(answer)->click();
            });
            QTest::mouseClick(button(view, QStringLiteral("Delete…")), Qt::LeftButton);
            QCOMPARE(store->getRun(2).has_value(), answer == QMessageBox::Cancel);
        }
        QCOMPARE(view.model()->rowCount(), 2);
        QVERIFY(!std::filesystem::exists(store->defaultRunFolder(2)));
    }

    // The keys of a file list: F2 renames the selected run, Delete asks to delete the selection.
    void f2RenamesAndDeleteKeyDeletes() {
        auto store = makeStore(QStringLiteral("keys.sqlite"), 3);
        ui::RunsView view;
        view.setStore(store.get());
        view.show();
        view.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&view));
        view.selectRun(2);
        view.table()->setFocus();
        QTimer::singleShot(50, [] {
            auto* input = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            QVERIFY(input);
            input->setTextValue(QStringLiteral("by F2"));
            input->accept();
        });
        QTest::keyClick(view.table(), Qt::Key_F2);
        QCOMPARE(QString::fromStdString(store->getRun(2)->name), QStringLiteral("by F2"));
        view.activateWindow(); // the dialog has gone (offscreen, nothing reactivates the window)
        QVERIFY(QTest::qWaitForWindowActive(&view));
        view.selectRun(2);
        view.table()->setFocus();
        QTimer::singleShot(50, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            QVERIFY(box->text().contains(QStringLiteral("by F2")));
            box->button(QMessageBox::Yes)->click();
        });
        QTest::keyClick(view.table(), Qt::Key_Delete);
        QVERIFY(!store->getRun(2).has_value());
        QCOMPARE(view.model()->rowCount(), 2);
    }

    // A malformed hyperparameter filter is not applied, and says so: the table shows the runs of the other
    // filters, not the results of the last filter that parsed.
    void malformedRangeIsSaidNotKept() {
        auto store = makeStore(QStringLiteral("ranges.sqlite"), 6);
        ui::RunsView view;
        view.setStore(store.get());
        view.show();
        QTest::keyClicks(view.rangeField(), QStringLiteral("hidden_lr 0.09..0.16"));
        QCOMPARE(view.model()->rowCount(), 2);
        QTest::keyClicks(view.rangeField(), QStringLiteral("x"));
        QCOMPARE(view.model()->rowCount(), 6);
        QLabel* summary = nullptr;
        for (QLabel* l : view.findChildren<QLabel*>())
            if (l->text().contains(QStringLiteral("run(s)")) || l->text().contains(QStringLiteral("runs")))
                summary = l;
        QVERIFY(summary);
        QVERIFY2(summary->text().contains(QStringLiteral("not applied")), qPrintable(summary->text()));
        view.rangeField()->clear();
        QVERIFY(!summary->text().contains(QStringLiteral("not applied")));
    }

    void runningRunsCannotBeDeleted() {
        auto store = makeStore(QStringLiteral("running.sqlite"), 1);
        store->setStatus(1, RunStatus::Running);
        ui::RunsView view;
        view.setStore(store.get());
        QString error;
        QVERIFY(!view.deleteRuns({1}, &error));
        QVERIFY2(error.contains(QStringLiteral("running")), qPrintable(error));
        QVERIFY(store->getRun(1));
    }

    void exportsMetricsAndReportsMissingCheckpoints() {
        auto store = makeStore(QStringLiteral("export.sqlite"), 2);
        store->appendMetrics(1, {{"test_error", 0, 0, 1.7e9, 90.0}, {"test_error", 1, 10, 1.7e9 + 1, 50.5}});
        ui::RunsView view;
        view.setStore(store.get());
        QString error;
        const QString csv = dir_.filePath(QStringLiteral("m.csv"));
        QVERIFY2(view.exportMetrics({1}, csv, &error), qPrintable(error));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.size(), 4);                                // header, 2 rows, final newline
        QVERIFY(lines[2].startsWith("1,run 0,test_error,1,10,")); // run id, name, metric, epoch, step
        QVERIFY(lines[2].endsWith(",50.5"));
        QVERIFY(!view.exportCheckpoint(1, QStringLiteral("best"), true, dir_.filePath(QStringLiteral("x.pt")),
                                       &error));
        QVERIFY2(error.contains(QStringLiteral("no best checkpoint")), qPrintable(error));
    }
};

QTEST_MAIN(TestRunsView)
#include "tst_runs_view.moc"
