#include "support/explorer_window.h"
#include "support/test_support.h"
#include "ui/form/run_form.h"
#include "ui/window/main_window.h"
#include <QComboBox>
#include <QDir>
#include <QLineEdit>

namespace bp::test {

bool writeSmallDataset(const QString& dir) {
    return QDir().mkpath(dir) && writeBarDataset(dir, QStringLiteral("train"), 640, 1) &&
           writeBarDataset(dir, QStringLiteral("t10k"), 100, 2);
}

std::unique_ptr<ui::MainWindow> smallRunWindow(const QString& databasePath, const QString& dataDir,
                                               int epochs, const QString& widths) {
    auto w = std::make_unique<ui::MainWindow>(databasePath);
    ui::RunForm* f = w->form();
    f->datasetBox()->setCurrentIndex(f->datasetBox()->findText(QStringLiteral("mnist")));
    f->dataDirField()->setText(dataDir);
    f->hiddenWidthsField()->setText(widths);
    f->numberField(QStringLiteral("n_epochs"))->setText(QString::number(epochs));
    f->numberField(QStringLiteral("threads"))->setText(QStringLiteral("1"));
    f->numberField(QStringLiteral("angle_interval"))->setText(QStringLiteral("5"));
    return w;
}

} // namespace bp::test
