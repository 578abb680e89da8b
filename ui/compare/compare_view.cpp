#include "ui/compare/compare_view.h"
#include "core/util/error.h"
#include "ui/compare/compare_plots.h"
#include "ui/compare/group_figures_model.h"
#include "ui/compare/group_panel.h"
#include "ui/compare/hyperparameter_panel.h"
#include "ui/compare/hyperparameter_table_model.h"
#include "ui/compare/parallel_coordinates_data.h"
#include "ui/compare/parallel_coordinates_plot.h"
#include "ui/compare/run_figures_model.h"
#include "ui/compare/run_hyperparameters.h"
#include <QCheckBox>
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
#include <algorithm>

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
    tabs_->addTab(buildParallelTab(), tr("Parallel coordinates"));
    connect(hyperparameters_, &HyperparameterPanel::errorOccurred, this, &CompareView::fail);

    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(buildGroupControls());
    topLayout->addWidget(curves_, 1);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(top);
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
    groupPanel_ = new GroupPanel(new GroupFiguresModel(figures_, this));
    connect(groupPanel_, &GroupPanel::errorOccurred, this, &CompareView::fail);
    figuresPages_ = new QStackedWidget;
    figuresPages_->addWidget(view);
    figuresPages_->addWidget(groupPanel_);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Figures at")));
    controls->addWidget(figuresMode_);
    controls->addWidget(figuresEpoch_);
    controls->addStretch(1);
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    layout->addLayout(controls);
    layout->addWidget(figuresPages_, 1);
    return tab;
}

QWidget* CompareView::buildParallelTab() {
    using LineMode = ParallelCoordinatesPlot::LineMode;
    parallelLines_ = new QComboBox;
    parallelLines_->setObjectName(QStringLiteral("parallel_lines"));
    parallelLines_->addItem(tr("one per run, coloured by group"), int(LineMode::RunsByGroup));
    parallelLines_->addItem(tr("one per group (its mean)"), int(LineMode::GroupMeans));
    parallelLines_->addItem(tr("one per run, coloured by test error"), int(LineMode::Runs));
    parallelLines_->setToolTip(tr("Compared by group: each run coloured by its group, or each group as one "
                                  "line through its hyperparameters and its runs' mean outcomes"));
    connect(parallelLines_, &QComboBox::currentIndexChanged, this, &CompareView::showGroupsOrRuns);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Lines")));
    controls->addWidget(parallelLines_);
    controls->addStretch(1);
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(parallel_, 1);
    return tab;
}

QWidget* CompareView::buildGroupControls() {
    byGroup_ = new QCheckBox(tr("Compare by group"));
    byGroup_->setObjectName(QStringLiteral("compare_by_group"));
    byGroup_->setToolTip(tr("Runs that differ only by their seed as one curve (their mean with a band) and "
                            "one row of figures (mean ± std); on by itself when the compared runs form such "
                            "groups"));
    band_ = new QComboBox;
    band_->setObjectName(QStringLiteral("group_band"));
    band_->addItem(tr("± std"), int(study::Band::Std));
    band_->addItem(tr("min–max"), int(study::Band::MinMax));
    band_->addItem(tr("95 % bootstrap interval"), int(study::Band::Bootstrap));
    band_->setToolTip(tr("The band around each group's mean: the sample std, the lowest and highest run, or "
                         "the percentile bootstrap interval of the mean. Epochs some run did not reach are "
                         "left out."));
    showRuns_ = new QCheckBox(tr("Show runs"));
    showRuns_->setToolTip(tr("Each run faint behind its group's mean"));
    groupControls_ = new QWidget;
    auto* row = new QHBoxLayout(groupControls_);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(byGroup_);
    row->addWidget(new QLabel(tr("Band")));
    row->addWidget(band_);
    row->addWidget(showRuns_);
    row->addStretch(1);
    connect(byGroup_, &QCheckBox::toggled, this, [this] {
        redrawCurves(shownRuns_);
        showGroupsOrRuns();
    });
    connect(band_, &QComboBox::currentIndexChanged, this, [this] { redrawCurves(shownRuns_); });
    connect(showRuns_, &QCheckBox::toggled, this, [this] { redrawCurves(shownRuns_); });
    showGroupsOrRuns();
    return groupControls_;
}

bool CompareView::isByGroup() const {
    return byGroup_->isChecked();
}

GroupFiguresModel* CompareView::groupFiguresModel() const {
    return groupPanel_->model();
}

void CompareView::showGroupsOrRuns() {
    band_->setEnabled(isByGroup());
    showRuns_->setEnabled(isByGroup());
    figuresPages_->setCurrentIndex(isByGroup() ? 1 : 0);
    hyperparameters_->model()->setGrouped(isByGroup());
    if (parallelLines_) {
        parallelLines_->setEnabled(isByGroup());
        parallel_->setLineMode(isByGroup()
                                   ? ParallelCoordinatesPlot::LineMode(parallelLines_->currentData().toInt())
                                   : ParallelCoordinatesPlot::LineMode::Runs);
    }
}

void CompareView::redrawCurves(const std::vector<RunRecord>& runs) {
    if (!store_)
        return;
    QString error;
    GroupCurveOptions options;
    options.band = study::Band(band_->currentData().toInt());
    options.showRuns = showRuns_->isChecked();
    // The groups of the runs shown, worked out once per refresh().
    const bool ok = isByGroup() ? curves_->loadGroups(*store_, runs,
                                                      &runs == &shownRuns_ ? shownGroups_ : seedGroups(runs),
                                                      options, &error)
                                : curves_->load(*store_, runs, &error);
    if (!ok)
        fail(error);
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
    // Runs that form seed groups of more than one run are compared by group; the switch stays the person's
    // until other runs are compared. refresh() decides, from the runs and groups it reads anyway.
    chooseGrouping_ = true;
    refresh();
}

void CompareView::refresh() {
    error_.clear();
    pages_->setCurrentIndex(store_ && !runIds_.isEmpty() ? 1 : 0);
    if (!store_) {
        shownRuns_.clear();
        shownGroups_.clear();
        groupFiguresModel()->setGroups({});
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
    shownRuns_ = std::move(runs);
    shownGroups_ = seedGroups(shownRuns_);
    if (chooseGrouping_) {
        chooseGrouping_ = false;
        bool grouped = false;
        for (const SeedGroup& g : shownGroups_)
            grouped = grouped || g.runs.size() > 1;
        // The old runs' table and lines are not worth regrouping: they are replaced below.
        hyperparameters_->model()->clear();
        parallel_->clear();
        const QSignalBlocker block(byGroup_);
        byGroup_->setChecked(grouped);
        showGroupsOrRuns();
    }
    redrawCurves(shownRuns_);
    hyperparameters_->setRunRecords(*store_, shownRuns_, shownGroups_);
    figures_->setRuns(*store_, runIds_);
    std::vector<RunRecord> figureRuns; // the figures' rows (none after a failed read)
    for (int row = 0; row < figures_->rowCount(); ++row)
        figureRuns.push_back(figures_->run(row));
    const auto sameRuns = [](const std::vector<RunRecord>& a, const std::vector<RunRecord>& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                          [](const RunRecord& x, const RunRecord& y) { return x.id == y.id; });
    };
    const bool figuresOfShownRuns = sameRuns(figureRuns, shownRuns_);
    const std::vector<SeedGroup> groups = figuresOfShownRuns ? shownGroups_ : seedGroups(figureRuns);
    groupFiguresModel()->setGroups(groups);
    if (!figures_->lastError().isEmpty())
        fail(figures_->lastError());
    figuresEpoch_->setRange(0, figures_->maxEpoch());
    // The parallel plot takes the final figures just read rather than reading every epoch again.
    try {
        std::vector<RunOutcome> outcomes;
        for (int row = 0; row < figures_->rowCount(); ++row) {
            const EpochFigures* last = finalEpoch(figures_->epochs(row));
            // The hyperparameters the table read, where it read the same runs.
            const auto& read = hyperparameters_->model()->runHyperparameters();
            outcomes.push_back({figures_->run(row),
                                figuresOfShownRuns && read.size() == figureRuns.size()
                                    ? read[size_t(row)]
                                    : readHyperparameters(*store_, figures_->run(row)),
                                last ? last->testError : EpochFigures::kMissing,
                                last ? last->weightAngle : EpochFigures::kMissing});
        }
        parallel_->setRuns(outcomes, groups);
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
