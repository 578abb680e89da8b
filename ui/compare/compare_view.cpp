#include "ui/compare/compare_view.h"
#include "core/util/error.h"
#include "ui/compare/compare_plots.h"
#include "ui/compare/hyperparameter_panel.h"
#include "ui/compare/hyperparameter_table_model.h"
#include "ui/compare/parallel_coordinates_data.h"
#include "ui/compare/parallel_coordinates_plot.h"
#include "ui/compare/run_figures_model.h"
#include "ui/compare/run_hyperparameters.h"
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace bp::ui {

CompareView::CompareView(QWidget* parent)
    : QWidget(parent), curves_(new ComparePlots), tabs_(new QTabWidget),
      hyperparameters_(new HyperparameterPanel), figures_(new RunFiguresModel(this)),
      parallel_(new ParallelCoordinatesPlot), pages_(new QStackedWidget),
      placeholder_(new QLabel(tr("Nothing compared yet.\n\nOn the Runs page, select the runs to compare "
                                 "(Ctrl+click or Shift+click for several) and press Compare, or "
                                 "double-click a run."))) {
    tabs_->addTab(hyperparameters_, tr("Hyperparameters"));
    tabs_->addTab(buildFiguresTab(), tr("Figures"));
    tabs_->addTab(parallel_, tr("Parallel coordinates"));
    connect(hyperparameters_, &HyperparameterPanel::errorOccurred, this, &CompareView::fail);

    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(curves_);
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    // Until runs are compared, a hint of how to compare them instead of empty panels.
    placeholder_->setObjectName(QStringLiteral("compare_placeholder"));
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    pages_->addWidget(placeholder_);
    pages_->addWidget(splitter);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(pages_);
    parallel_->clear();
}

bool CompareView::isEmpty() const {
    return pages_->currentWidget() == placeholder_;
}

QWidget* CompareView::buildFiguresTab() {
    figuresMode_ = new QComboBox;
    figuresMode_->setObjectName(QStringLiteral("figures_mode"));
    figuresMode_->addItem(tr("Final"), int(RunFiguresModel::Mode::Final));
    figuresMode_->addItem(tr("Best"), int(RunFiguresModel::Mode::Best));
    figuresMode_->addItem(tr("At epoch"), int(RunFiguresModel::Mode::AtEpoch));
    figuresEpoch_ = new QSpinBox;
    figuresEpoch_->setObjectName(QStringLiteral("figures_epoch"));
    figuresEpoch_->setRange(0, 0);
    figuresEpoch_->setEnabled(false);
    connect(figuresMode_, &QComboBox::currentIndexChanged, this, &CompareView::onFiguresModeChanged);
    connect(figuresEpoch_, &QSpinBox::valueChanged, figures_, &RunFiguresModel::setEpoch);

    auto* view = new QTableView;
    view->setModel(figures_);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Figures at")));
    controls->addWidget(figuresMode_);
    controls->addWidget(figuresEpoch_);
    controls->addStretch(1);
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    layout->addLayout(controls);
    layout->addWidget(view, 1);
    return tab;
}

void CompareView::onFiguresModeChanged() {
    const auto mode = RunFiguresModel::Mode(figuresMode_->currentData().toInt());
    figuresEpoch_->setEnabled(mode == RunFiguresModel::Mode::AtEpoch);
    figures_->setEpoch(figuresEpoch_->value());
    figures_->setMode(mode);
}

void CompareView::setStore(RunStore* store) {
    store_ = store;
    refresh();
}

void CompareView::setRuns(const QVector<int64_t>& runIds) {
    runIds_ = runIds;
    refresh();
}

void CompareView::refresh() {
    error_.clear();
    pages_->setCurrentIndex(store_ && !runIds_.isEmpty() ? 1 : 0);
    if (!store_) {
        curves_->clear();
        hyperparameters_->model()->clear();
        figures_->clear();
        parallel_->clear();
        return;
    }
    std::vector<RunRecord> runs;
    try {
        for (int64_t id : runIds_)
            if (std::optional<RunRecord> run = store_->getRun(id))
                runs.push_back(std::move(*run));
    } catch (const Error& e) {
        fail(QString::fromUtf8(e.what()));
        return;
    }
    if (runs.empty()) // every compared run deleted since
        pages_->setCurrentWidget(placeholder_);
    QString error;
    if (!curves_->load(*store_, runs, &error))
        fail(error);
    hyperparameters_->setRuns(*store_, runIds_);
    figures_->setRuns(*store_, runIds_);
    if (!figures_->lastError().isEmpty())
        fail(figures_->lastError());
    figuresEpoch_->setRange(0, figures_->maxEpoch());
    // The parallel plot takes the final figures just read rather than reading every epoch again.
    try {
        std::vector<RunOutcome> outcomes;
        for (int row = 0; row < figures_->rowCount(); ++row) {
            const EpochFigures* last = finalEpoch(figures_->epochs(row));
            outcomes.push_back({figures_->run(row), readHyperparameters(*store_, figures_->run(row)),
                                last ? last->testError : EpochFigures::kMissing,
                                last ? last->weightAngle : EpochFigures::kMissing});
        }
        parallel_->setRuns(outcomes);
    } catch (const Error& e) {
        parallel_->clear();
        fail(QString::fromUtf8(e.what()));
    }
}

bool CompareView::exportFigures(const QString& path, QString* error, ExportOptions options) {
    QString message;
    const bool ok = curves_->exportFigures(path, &message, options);
    if (!ok) {
        if (error)
            *error = message;
        Q_EMIT errorOccurred(message);
    }
    return ok;
}

void CompareView::fail(const QString& message) {
    error_ = message;
    Q_EMIT errorOccurred(message);
}

QCheckBox* CompareView::differencesOnlyBox() const {
    return hyperparameters_->differencesOnlyBox();
}

HyperparameterTableModel* CompareView::hyperparameterModel() const {
    return hyperparameters_->model();
}

QList<MetricPlot*> CompareView::plots() const {
    return curves_->plots();
}

PlotToolbar* CompareView::toolbar() const {
    return curves_->toolbar();
}

} // namespace bp::ui
