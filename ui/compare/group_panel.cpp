#include "ui/compare/group_panel.h"
#include "core/study/group_table.h"
#include "ui/compare/group_figures_model.h"
#include "ui/compare/hyperparameter_export.h"
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace bp::ui {

GroupPanel::GroupPanel(GroupFiguresModel* model, QWidget* parent)
    : QWidget(parent), model_(model), table_(new QTableView), verdict_(new QLabel), export_(new QPushButton) {
    table_->setObjectName(QStringLiteral("group_figures"));
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::MultiSelection);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    verdict_->setObjectName(QStringLiteral("group_verdict"));
    verdict_->setWordWrap(true);
    verdict_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    export_->setText(tr("Export groups…"));
    export_->setToolTip(tr("The group table (mean ± std, n, p-value) for a paper or a notebook"));
    auto* menu = new QMenu(export_);
    menu->addAction(tr("CSV…"), this, [this] { askExport(Format::Csv); });
    menu->addAction(tr("Markdown…"), this, [this] { askExport(Format::Markdown); });
    menu->addAction(tr("LaTeX…"), this, [this] { askExport(Format::Latex); });
    export_->setMenu(menu);

    auto* bottom = new QHBoxLayout;
    bottom->addWidget(verdict_, 1);
    bottom->addWidget(export_, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table_, 1);
    layout->addLayout(bottom);

    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &GroupPanel::updateVerdict);
    // The compared runs are re-read while they train: the groups chosen stay chosen.
    connect(model_, &QAbstractItemModel::modelAboutToBeReset, this, &GroupPanel::rememberSelection);
    connect(model_, &QAbstractItemModel::modelReset, this, &GroupPanel::restoreSelection);
    connect(model_, &QAbstractItemModel::modelReset, this, &GroupPanel::updateVerdict);
    connect(model_, &QAbstractItemModel::dataChanged, this, &GroupPanel::updateVerdict);
    updateVerdict();
}

void GroupPanel::selectGroups(int a, int b) {
    QItemSelectionModel* selection = table_->selectionModel();
    selection->clearSelection();
    for (int row : {a, b})
        selection->select(model_->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

void GroupPanel::rememberSelection() {
    selected_.clear();
    for (const QModelIndex& index : table_->selectionModel()->selectedRows())
        selected_ << model_->groups().at(size_t(index.row())).title();
}

void GroupPanel::restoreSelection() {
    const QSignalBlocker block(table_->selectionModel()); // one verdict after, not one per row
    for (int row = 0; row < model_->rowCount(); ++row)
        if (selected_.contains(model_->groups()[size_t(row)].title()))
            table_->selectionModel()->select(model_->index(row, 0),
                                             QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

void GroupPanel::updateVerdict() {
    QList<int> rows;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty() && model_->rowCount() == 2)
        rows = {0, 1}; // two groups compared: the question needs no selection
    std::sort(rows.begin(), rows.end());
    if (rows.size() != 2) {
        verdict_->setText(model_->rowCount() < 2
                              ? tr("Compare runs of two or more configurations to test their difference.")
                              : tr("Select two groups to see whether their final test errors differ beyond "
                                   "seed noise."));
        return;
    }
    study::BootstrapOptions options;
    options.resamples = 10000;
    options.level = 0.95;
    options.seed = kBootstrapSeed;
    const std::string a = model_->groups()[size_t(rows[0])].name.toStdString();
    const std::string b = model_->groups()[size_t(rows[1])].name.toStdString();
    const study::Comparison c = study::compareGroups(model_->finalTestErrors(rows[0]),
                                                     model_->finalTestErrors(rows[1]), a, b, options);
    verdict_->setText(
        tr("Final test error (%), percentile bootstrap of the difference (10,000 resamples): %1")
            .arg(QString::fromStdString(c.verdict)));
}

QString GroupPanel::tableText(Format format) const {
    const study::GroupTable t = model_->table();
    switch (format) {
    case Format::Csv:
        return QString::fromStdString(study::groupTableCsv(t));
    case Format::Markdown:
        return QString::fromStdString(study::groupTableMarkdown(t));
    case Format::Latex:
        return QString::fromStdString(study::groupTableLatex(t));
    }
    return {};
}

bool GroupPanel::exportTable(const QString& path, QString* error) const {
    const Format format = path.endsWith(QLatin1String(".md"), Qt::CaseInsensitive)    ? Format::Markdown
                          : path.endsWith(QLatin1String(".tex"), Qt::CaseInsensitive) ? Format::Latex
                                                                                      : Format::Csv;
    return writeTextFile(path, tableText(format), error);
}

void GroupPanel::askExport(Format format) {
    const QString name = format == Format::Csv        ? QStringLiteral("groups.csv")
                         : format == Format::Markdown ? QStringLiteral("groups.md")
                                                      : QStringLiteral("groups.tex");
    const QString filter = format == Format::Csv        ? tr("CSV (*.csv)")
                           : format == Format::Markdown ? tr("Markdown (*.md)")
                                                        : tr("LaTeX (*.tex)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export group table"), name, filter);
    QString error;
    if (!path.isEmpty() && !writeTextFile(path, tableText(format), &error))
        Q_EMIT errorOccurred(error);
}

} // namespace bp::ui
