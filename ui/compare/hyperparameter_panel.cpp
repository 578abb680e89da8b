#include "ui/compare/hyperparameter_panel.h"
#include "ui/compare/hyperparameter_export.h"
#include "ui/compare/hyperparameter_table_model.h"
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace bp::ui {

namespace {
const QString kCorner = QStringLiteral("parameter");
}

HyperparameterPanel::HyperparameterPanel(QWidget* parent)
    : QWidget(parent), model_(new HyperparameterTableModel(this)), view_(new QTableView),
      differencesOnly_(new QCheckBox(tr("Differences only"))) {
    view_->setModel(model_);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    differencesOnly_->setObjectName(QStringLiteral("differences_only"));
    connect(differencesOnly_, &QCheckBox::toggled, model_, &HyperparameterTableModel::setDifferencesOnly);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(differencesOnly_);
    buttons->addStretch(1);
    const std::pair<QString, QString> copies[] = {{tr("Copy as CSV"), QStringLiteral("csv")},
                                                  {tr("Copy as Markdown"), QStringLiteral("md")},
                                                  {tr("Copy as LaTeX"), QStringLiteral("tex")}};
    for (const auto& [text, format] : copies) {
        auto* button = new QPushButton(text);
        button->setObjectName(QStringLiteral("copy_") + format);
        connect(button, &QPushButton::clicked, this, [this, format = format] { copy(format); });
        buttons->addWidget(button);
    }
    auto* exportButton = new QPushButton(tr("Export…"));
    exportButton->setObjectName(QStringLiteral("export_table"));
    connect(exportButton, &QPushButton::clicked, this, &HyperparameterPanel::exportWithDialog);
    buttons->addWidget(exportButton);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(view_, 1);
}

void HyperparameterPanel::setRuns(RunStore& store, const QVector<int64_t>& runIds) {
    model_->setRuns(store, runIds);
    if (!model_->lastError().isEmpty())
        Q_EMIT errorOccurred(model_->lastError());
}

void HyperparameterPanel::setRunRecords(RunStore& store, const std::vector<RunRecord>& runs,
                                        const std::vector<SeedGroup>& groups) {
    model_->setRunRecords(store, runs, groups);
    if (!model_->lastError().isEmpty())
        Q_EMIT errorOccurred(model_->lastError());
}

QString HyperparameterPanel::tableText(const QString& format) const {
    if (format == QLatin1String("md"))
        return toMarkdown(*model_, kCorner);
    if (format == QLatin1String("tex"))
        return toLatex(*model_, kCorner);
    return toCsv(*model_, kCorner);
}

bool HyperparameterPanel::exportTable(const QString& path, QString* error) const {
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QString format = suffix == QLatin1String("md") || suffix == QLatin1String("markdown")
                               ? QStringLiteral("md")
                           : suffix == QLatin1String("tex") ? QStringLiteral("tex")
                                                            : QStringLiteral("csv");
    return writeTextFile(path, tableText(format), error);
}

void HyperparameterPanel::copy(const QString& format) {
    QApplication::clipboard()->setText(tableText(format));
}

void HyperparameterPanel::exportWithDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export hyperparameters"),
                                                      QStringLiteral("hyperparameters.csv"),
                                                      tr("CSV (*.csv);;Markdown (*.md);;LaTeX (*.tex)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTable(path, &error)) {
        QMessageBox::warning(this, tr("Export hyperparameters"), error);
        Q_EMIT errorOccurred(error);
    }
}

} // namespace bp::ui
