#include "ui/form/run_form.h"
#include "core/data/dataset.h"
#include "core/rules/rule_registry.h"
#include "core/setup/defaults.h"
#include "core/setup/known_problems.h"
#include "core/setup/network_for_config.h"
#include "core/study/sweep_spec.h"
#include "ui/form/choice_sweep.h"
#include "ui/form/dataset_download.h"
#include "ui/training/sweep_launch.h"
#include <ATen/detail/CUDAHooksInterface.h>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QThread>
#include <QTimer>

namespace bp::ui {

namespace {

// The form's labels are prose; the command-line name of each hyperparameter leads its tooltip.
QString paramLabel(const QString& key) {
    static const QHash<QString, const char*> labels = {
        {QStringLiteral("n_epochs"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Epochs")},
        {QStringLiteral("batch_size"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Batch size")},
        {QStringLiteral("hidden_lr"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Hidden learning rate")},
        {QStringLiteral("output_lr"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Output learning rate")},
        {QStringLiteral("weight_fa_std"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Feedback weights' std")},
        {QStringLiteral("momentum"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Momentum")},
        {QStringLiteral("weight_decay"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Weight decay")},
        {QStringLiteral("p_baseline"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Baseline burst probability")},
        {QStringLiteral("weight_fa_learning"),
         QT_TRANSLATE_NOOP("bp::ui::RunForm", "Learn feedback weights")},
        {QStringLiteral("recurrent_input"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Recurrent input")},
        {QStringLiteral("weight_r_range"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Recurrent weights' range")},
        {QStringLiteral("weight_r_learning"),
         QT_TRANSLATE_NOOP("bp::ui::RunForm", "Learn recurrent weights")},
        {QStringLiteral("recurrent_lr"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Recurrent learning rate")},
        {QStringLiteral("xi_mean"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Perturbation mean")},
        {QStringLiteral("xi_std"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Perturbation std")},
        {QStringLiteral("kappa"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Softmax teaching scale κ")},
        {QStringLiteral("lr_step"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Learning-rate step")},
        {QStringLiteral("lr_factor"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Learning-rate factor")},
        {QStringLiteral("validation"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Validation split")},
        {QStringLiteral("threads"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Threads")},
        {QStringLiteral("angle_interval"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Angle interval")},
        {QStringLiteral("test_batch_size"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Test batch size")},
        {QStringLiteral("train_limit"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Training images")},
        {QStringLiteral("image_size"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Image size")},
        {QStringLiteral("validation_size"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Validation images")},
        {QStringLiteral("loader_threads"), QT_TRANSLATE_NOOP("bp::ui::RunForm", "Loader threads")},
        {QStringLiteral("test_augment"),
         QT_TRANSLATE_NOOP("bp::ui::RunForm", "Augment the test set (as the reference)")},
    };
    const char* label = labels.value(key);
    return label ? QCoreApplication::translate("bp::ui::RunForm", label) : key;
}

QString paramRangeText(const ParamSpec& spec) {
    const QString unit = *spec.unit ? QStringLiteral(" ") + QString::fromUtf8(spec.unit) : QString();
    return QStringLiteral("[%1, %2]%3").arg(spec.min).arg(spec.max).arg(unit);
}

QString joinInts(const std::vector<int>& values) {
    QStringList parts;
    for (int v : values)
        parts << QString::number(v);
    return parts.join(QLatin1Char(','));
}

// An on/off setting that may also sweep both: a click goes off → on → both (a sweep over true,false) → off.
class SweepCheckBox : public QCheckBox {
  public:
    explicit SweepCheckBox(QWidget* parent) : QCheckBox(parent) { setTristate(true); }

  protected:
    void nextCheckState() override {
        const Qt::CheckState s = checkState();
        setCheckState(s == Qt::Unchecked ? Qt::Checked
                      : s == Qt::Checked ? Qt::PartiallyChecked
                                         : Qt::Unchecked);
    }
};

template <typename E> void fillCombo(QComboBox* box, std::initializer_list<E> values) {
    for (E v : values)
        box->addItem(QString::fromStdString(toString(v)), static_cast<int>(v));
}

} // namespace

RunForm::RunForm(QWidget* parent) : QWidget(parent) {
    build();
    setConfig(defaultConfig(DatasetKind::FashionMnist));
}

void RunForm::build() {
    layout_ = new QFormLayout(this);
    layout_->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    dataset_ = new QComboBox(this);
    fillCombo(dataset_, {DatasetKind::FashionMnist, DatasetKind::Mnist, DatasetKind::Cifar10,
                         DatasetKind::ImageNet, DatasetKind::ImageFolder});
    dataset_->setToolTip(tr(
        "Fashion-MNIST comes with Debian's dataset-fashion-mnist package. imagenet and image-folder read a "
        "folder of torchvision's ImageFolder layout (DIR/train/<class>/*.JPEG, DIR/val/<class>/…) from "
        "disk with the paper's ImageNet net; image-folder is any such folder, classes from its "
        "sub-folders."));
    layout_->addRow(tr("Dataset"), dataset_);
    dataDir_ = new QLineEdit(this);
    dataDir_->setPlaceholderText(tr("default folder"));
    browse_ = new QPushButton(tr("Choose…"), this);
    browse_->setToolTip(
        tr("A folder with the data set's files (idx files, raw or gzip; CIFAR-10 binary batches), or for "
           "imagenet and image-folder the folder that holds train/ and val/"));
    auto* dirRow = new QHBoxLayout;
    dirRow->setContentsMargins(0, 0, 0, 0);
    dirRow->addWidget(dataDir_, 1);
    dirRow->addWidget(browse_);
    layout_->addRow(tr("Data folder"), dirRow);
    dataStatus_ = new QLabel(this);
    dataStatus_->setWordWrap(true);
    download_ = new QPushButton(tr("Download"), this);
    download_->setToolTip(tr("Fetch the data set from its torchvision mirror, MD5-checked"));
    auto* statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(0, 0, 0, 0);
    statusRow->addWidget(dataStatus_, 1);
    statusRow->addWidget(download_);
    layout_->addRow(QString(), statusRow);
    downloader_ = new DatasetDownload(this);
    connect(browse_, &QPushButton::clicked, this, &RunForm::chooseDataFolder);
    connect(download_, &QPushButton::clicked, this, &RunForm::startDownload);
    connect(downloader_, &DatasetDownload::progress, dataStatus_, &QLabel::setText);
    connect(downloader_, &DatasetDownload::finished, this,
            [this](bool ok, const QString& folder, const QString& message) {
                download_->setEnabled(true);
                if (ok)
                    dataDir_->setText(folder); // revalidates, showing "found"
                else
                    dataStatus_->setText(tr("download failed: %1").arg(message));
            });

    architecture_ = new QComboBox(this);
    fillCombo(architecture_, {Architecture::FullyConnected, Architecture::MnistConv,
                              Architecture::Cifar10Conv, Architecture::ImagenetConv});
    architecture_->setToolTip(tr("fc: fully connected; mnist-conv, cifar10-conv, imagenet-conv: the paper's "
                                 "conv nets (imagenet-conv reads image folders, ReLU, seven convolutions)."));
    auto* networkRow = new QHBoxLayout;
    networkRow->setContentsMargins(0, 0, 0, 0);
    networkRow->addWidget(architecture_, 1);
    layout_->addRow(tr("Network"), networkRow);
    addChoiceSweep(QStringLiteral("conv_net"), architecture_, networkRow);
    channels_ = new QLineEdit(this);
    channels_->setToolTip(
        tr("The ImageNet net's seven convolution widths, bottom to top (conv1 … conv7), e.g. "
           "48,48,96,96,192,192,384. Filled with the reference's widths for the rule (48 … 384 with learned "
           "feedback weights and for backprop, 48, 96, 96, 192, 192, 384, 470 without) until you type your "
           "own; clear the field to get them back."));
    channels_->setProperty("help", channels_->toolTip()); // shown again once an error is mended
    layout_->addRow(tr("Conv channels"), channels_);
    connect(channels_, &QLineEdit::textEdited, this,
            [this](const QString& text) { channelsDefault_ = text.trimmed().isEmpty(); });
    connect(channels_, &QLineEdit::textChanged, this, &RunForm::revalidate);
    widths_ = new QLineEdit(this);
    widths_->setToolTip(
        tr("Hidden layer widths of the fully connected network, bottom to top, e.g. 500,500,500. "
           "Empty: the output layer only. Several shapes separated by ';' (500;500,500) sweep them."));
    layerCount_ = new QSpinBox(this);
    layerCount_->setRange(0, kMaxHiddenLayers);
    layerCount_->setToolTip(
        tr("Number of hidden layers; new layers take the width of the last one (500 when none)."));
    auto* widthRow = new QHBoxLayout;
    widthRow_ = widthRow;
    widthRow->setContentsMargins(0, 0, 0, 0);
    widthRow->addWidget(layerCount_);
    widthRow->addWidget(widths_, 1);
    layout_->addRow(tr("Hidden layers"), widthRow);
    connect(layerCount_, &QSpinBox::valueChanged, this, &RunForm::syncWidthsToCount);

    activation_ = new QComboBox(this);
    fillCombo(activation_, {Activation::Sigmoid, Activation::Relu});
    activation_->setToolTip(
        tr("The hidden layers' activation: sigmoid (the paper's MNIST and CIFAR-10 nets) or "
           "ReLU (its ImageNet net)."));
    output_ = new QComboBox(this);
    fillCombo(output_, {OutputKind::Sigmoid, OutputKind::Softmax});
    output_->setToolTip(
        tr("sigmoid: the paper's burst output, mean squared error. softmax: linear units read "
           "through a softmax (cross-entropy; burstprop's burst probabilities with kappa)."));
    auto* unitsRow = new QHBoxLayout;
    unitsRow->setContentsMargins(0, 0, 0, 0);
    unitsRow->addWidget(activation_, 1);
    layout_->addRow(tr("Activation"), unitsRow);
    addChoiceSweep(QStringLiteral("activation"), activation_, unitsRow);
    auto* outputRow = new QHBoxLayout;
    outputRow->setContentsMargins(0, 0, 0, 0);
    outputRow->addWidget(output_, 1);
    layout_->addRow(tr("Output"), outputRow);
    addChoiceSweep(QStringLiteral("output"), output_, outputRow);

    rule_ = new QComboBox(this);
    for (const RuleInfo* rule : ruleRegistry()) {
        rule_->addItem(QString::fromStdString(rule->name), QString::fromStdString(rule->name));
        rule_->setItemData(rule_->count() - 1,
                           QStringLiteral("<b>%1</b><br>%2")
                               .arg(QString::fromStdString(rule->title),
                                    QString::fromStdString(rule->description).toHtmlEscaped()),
                           Qt::ToolTipRole);
    }
    auto* ruleRow = new QHBoxLayout;
    ruleRow->setContentsMargins(0, 0, 0, 0);
    ruleRow->addWidget(rule_, 1);
    layout_->addRow(tr("Learning rule"), ruleRow);
    addChoiceSweep(QStringLiteral("rule"), rule_, ruleRow);
    optimizer_ = new QComboBox(this);
    fillCombo(optimizer_, {OptimizerKind::RuleDefault, OptimizerKind::Reference, OptimizerKind::Sgd,
                           OptimizerKind::Adam});
    optimizer_->setToolTip(
        tr("What applies the rule's gradients: the rule's own (the reference's burstprop form; "
           "torch.optim.SGD for backprop), the reference's form, torch.optim.SGD, or Adam "
           "(betas 0.9/0.99, eps 0.1, no weight decay, as the reference's ImageNet script)."));
    auto* optimizerRow = new QHBoxLayout;
    optimizerRow->setContentsMargins(0, 0, 0, 0);
    optimizerRow->addWidget(optimizer_, 1);
    layout_->addRow(tr("Optimizer"), optimizerRow);
    addChoiceSweep(QStringLiteral("optimizer"), optimizer_, optimizerRow);
    perturbation_ = new QComboBox(this);
    fillCombo(perturbation_,
              {PerturbationMode::AllLayers, PerturbationMode::LayerByLayer, PerturbationMode::UnitByUnit});
    perturbation_->setToolTip(
        tr("Node perturbation: noise on all layers at once, one layer per sub-step, or one unit per batch."));
    auto* perturbationRow = new QHBoxLayout;
    perturbationRow->setContentsMargins(0, 0, 0, 0);
    perturbationRow->addWidget(perturbation_, 1);
    layout_->addRow(tr("Perturbation"), perturbationRow);
    perturbationRow_ = perturbationRow;
    addChoiceSweep(QStringLiteral("perturbation"), perturbation_, perturbationRow);
    // Settings that are valid but known not to learn (core/setup/known_problems): said here, not refused.
    knownProblems_ = new QLabel(this);
    knownProblems_->setWordWrap(true);
    knownProblems_->setStyleSheet(QStringLiteral("color: #b9770e"));
    layout_->addRow(QString(), knownProblems_);

    for (const ParamSpec& spec : hyperparameters()) {
        const QString key = QString::fromUtf8(spec.key);
        const QString tip = QStringLiteral("<b>%1</b> %2<br>%3")
                                .arg(key, paramRangeText(spec), QString::fromUtf8(spec.help).toHtmlEscaped());
        QWidget* editor = nullptr;
        if (spec.type == ParamType::Bool) {
            auto* box = new SweepCheckBox(this);
            flags_.insert(key, box);
            connect(box, &QCheckBox::stateChanged, this, &RunForm::revalidate);
            editor = box;
        } else {
            auto* edit = new QLineEdit(this);
            edit->setPlaceholderText(paramRangeText(spec));
            numbers_.insert(key, edit);
            connect(edit, &QLineEdit::textChanged, this, &RunForm::revalidate);
            editor = edit;
        }
        editor->setToolTip(
            tip + (spec.type == ParamType::Bool
                       ? tr("<br>Click again for <i>both</i> (▪): a sweep trains it on and off.")
                       : tr("<br>A list (0.01,0.03,0.1) or a range (0.01..1:5:log, 0.1..0.4:4) sweeps it.")));
        editor->setObjectName(key);
        auto* note = new QLabel(this);
        note->setObjectName(key + QStringLiteral("_error"));
        note->setStyleSheet(QStringLiteral("color: #c0392b"));
        note->setWordWrap(true);
        note->hide();
        notes_.insert(key, note);
        layout_->addRow(paramLabel(key), editor);
        layout_->addRow(QString(), note);
    }

    seed_ = new QLineEdit(this);
    seed_->setToolTip(tr("Seed of every random choice of the run: initial weights, data order, noise."));
    layout_->addRow(tr("Seed"), seed_);
    device_ = new QComboBox(this);
    device_->addItem(QStringLiteral("cpu"));
    if (at::hasCUDA())
        for (int i = 0; i < at::detail::getCUDAHooks().getNumGPUs(); ++i)
            device_->addItem(QStringLiteral("cuda:%1").arg(i));
    device_->setToolTip(tr("CPU, or a CUDA device when this LibTorch has CUDA"));
    dtype_ = new QComboBox(this);
    fillCombo(dtype_, {Dtype::Float32, Dtype::Float64});
    dtype_->setToolTip(
        tr("float64 runs on the CPU without the fused kernels, for settings where float32 cannot "
           "resolve the burst signals (the ImageNet defaults)."));
    auto* deviceRow = new QHBoxLayout;
    deviceRow->setContentsMargins(0, 0, 0, 0);
    deviceRow->addWidget(device_, 1);
    deviceRow->addWidget(dtype_, 1);
    layout_->addRow(tr("Device"), deviceRow);
    addChoiceSweep(QStringLiteral("dtype"), dtype_, deviceRow);
    processes_ = new QSpinBox(this);
    processes_->setObjectName(QStringLiteral("processes"));
    processes_->setRange(1, std::max(1, QThread::idealThreadCount()));
    processes_->setValue(1);
    processes_->setToolTip(
        tr("Train the run in N processes (data-parallel: each trains its share of every batch; "
           "burstprop-train --nproc N). More than 1 starts burstprop-train as a child process: the run is "
           "recorded in this run database and watched through it."));
    layout_->addRow(tr("Processes"), processes_);
    buildSweepRow();

    name_ = new QLineEdit(this);
    name_->setPlaceholderText(tr("rule on dataset"));
    name_->setToolTip(tr("The run's name in the runs table"));
    layout_->addRow(tr("Run name"), name_);
    tags_ = new QLineEdit(this);
    tags_->setPlaceholderText(tr("comma-separated, e.g. sweep1, fc"));
    layout_->addRow(tr("Tags"), tags_);
    notesEdit_ = new QPlainTextEdit(this);
    notesEdit_->setPlaceholderText(tr("what this run tests"));
    notesEdit_->setMaximumHeight(60);
    layout_->addRow(tr("Notes"), notesEdit_);

    // Before revalidate runs: a dataset the chosen network cannot read switches the network.
    connect(dataset_, &QComboBox::currentIndexChanged, this, &RunForm::fitNetworkToDataset);
    scanDelay_ = new QTimer(this);
    scanDelay_->setSingleShot(true);
    scanDelay_->setInterval(250);
    connect(scanDelay_, &QTimer::timeout, this, &RunForm::startFolderScan);
    scanWatcher_ = new QFutureWatcher<ImageFolderScan>(this);
    connect(scanWatcher_, &QFutureWatcher<ImageFolderScan>::finished, this, &RunForm::folderScanned);
    for (QComboBox* box :
         {dataset_, architecture_, activation_, output_, perturbation_, optimizer_, device_, dtype_})
        connect(box, &QComboBox::currentIndexChanged, this, &RunForm::revalidate);
    connect(rule_, &QComboBox::currentIndexChanged, this, [this] {
        applyRuleDefaults();
        revalidate();
    });
    connect(dataDir_, &QLineEdit::textChanged, this, &RunForm::revalidate);
    connect(widths_, &QLineEdit::textChanged, this, &RunForm::revalidate);
    connect(seed_, &QLineEdit::textChanged, this, &RunForm::revalidate);
}

void RunForm::setConfig(const RunConfig& c) {
    base_ = c;
    const QSignalBlocker blockRule(rule_);
    dataset_->setCurrentIndex(dataset_->findData(static_cast<int>(c.dataset)));
    dataDir_->setText(QString::fromStdString(c.dataDir));
    architecture_->setCurrentIndex(architecture_->findData(static_cast<int>(c.architecture)));
    QStringList widths;
    for (int w : c.hiddenWidths)
        widths << QString::number(w);
    widths_->setText(widths.join(QLatin1Char(',')));
    {
        const QSignalBlocker blockCount(layerCount_);
        layerCount_->setValue(static_cast<int>(c.hiddenWidths.size()));
    }
    {
        const QSignalBlocker blockChannels(channels_);
        channelsDefault_ = c.convChannels.empty();
        channels_->setText(joinInts(c.convChannels));
    }
    activation_->setCurrentIndex(activation_->findData(static_cast<int>(c.activation)));
    output_->setCurrentIndex(output_->findData(static_cast<int>(c.output)));
    const RuleInfo* rule = findRule(c.rule);
    rule_->setCurrentIndex(rule_->findData(QString::fromStdString(rule ? rule->name : c.rule)));
    perturbation_->setCurrentIndex(perturbation_->findData(static_cast<int>(c.perturbation)));
    optimizer_->setCurrentIndex(optimizer_->findData(static_cast<int>(c.optimizer)));
    dtype_->setCurrentIndex(dtype_->findData(static_cast<int>(c.dtype)));
    for (const ParamSpec& spec : hyperparameters()) {
        const QString key = QString::fromUtf8(spec.key);
        if (spec.type == ParamType::Bool)
            flags_[key]->setChecked(spec.get(c) != 0.0);
        else
            numbers_[key]->setText(QString::number(spec.get(c), 'g', 10));
    }
    seed_->setText(QString::number(c.seed));
    const int device = device_->findText(QString::fromStdString(c.device == "cuda" ? "cuda:0" : c.device));
    device_->setCurrentIndex(device >= 0 ? device : 0);
    revalidate();
}

int RunForm::processes() const {
    return processes_->value();
}

QString RunForm::runName() const {
    return name_->text().trimmed();
}

QStringList RunForm::tags() const {
    QStringList out;
    for (const QString& t : tags_->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!t.trimmed().isEmpty())
            out << t.trimmed();
    return out;
}

QString RunForm::notes() const {
    return notesEdit_->toPlainText();
}

void RunForm::setRunInfo(const QString& name, const QStringList& tags, const QString& notes) {
    name_->setText(name);
    tags_->setText(tags.join(QStringLiteral(", ")));
    notesEdit_->setPlainText(notes);
}

void RunForm::chooseDataFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Data folder"), dataDir_->text());
    if (dir.isEmpty())
        return;
    scan_.reset(); // chosen again: read it again (files may have come or gone)
    wantedFolder_.clear();
    if (dir == dataDir_->text())
        revalidate();
    else
        dataDir_->setText(dir);
}

void RunForm::fitNetworkToDataset() {
    // Only a network that cannot read the data set is replaced: a valid choice is never changed.
    const auto dataset = static_cast<DatasetKind>(dataset_->currentData().toInt());
    const auto network = static_cast<Architecture>(architecture_->currentData().toInt());
    Architecture fit = network;
    if (isImageFolder(dataset))
        fit = Architecture::ImagenetConv;
    else if (dataset == DatasetKind::Cifar10 &&
             (network == Architecture::MnistConv || network == Architecture::ImagenetConv))
        fit = Architecture::Cifar10Conv;
    else if (dataset != DatasetKind::Cifar10 &&
             (network == Architecture::Cifar10Conv || network == Architecture::ImagenetConv))
        fit = Architecture::FullyConnected;
    if (fit != network)
        architecture_->setCurrentIndex(architecture_->findData(static_cast<int>(fit)));
}

void RunForm::refreshDefaultChannels() {
    if (!channelsDefault_)
        return;
    RunConfig c = config();
    c.convChannels.clear();
    const QString text = joinInts(imagenetChannels(c));
    if (channels_->text() != text) {
        const QSignalBlocker block(channels_);
        channels_->setText(text);
    }
}

void RunForm::showImageFolderStatus(const RunConfig& c) {
    download_->setVisible(false); // there is nothing to download: image folders are the user's own
    dataDir_->setPlaceholderText(tr("required: the folder that holds train/ and val/"));
    auto show = [this](const QString& text, bool bad) {
        dataStatus_->setText(text);
        dataStatus_->setStyleSheet(bad ? QStringLiteral("color: #c0392b") : QString());
    };
    if (c.dataDir.empty()) {
        wantedFolder_.clear();
        scanDelay_->stop();
        folderPending_ = false;
        const QString message =
            tr("Choose the folder that holds train/<class>/… and val/<class>/… (torchvision's ImageFolder "
               "layout)");
        show(message, true);
        errors_.insert(QStringLiteral("data"), message);
        return;
    }
    const QString dir = QString::fromStdString(c.dataDir);
    if (scan_ && scan_->dir == dir && scan_->trainOnly == c.validation) {
        const ImageFolderSummary summary = summarizeImageFolder(*scan_, c.validation, c.validationSize);
        show(summary.text, !summary.ok);
        if (!summary.ok)
            errors_.insert(QStringLiteral("data"), summary.text);
        return;
    }
    // Not read yet: reading does not block the form, nor does it make the form invalid meanwhile (the
    // trainer reads the folder again before training and says what is wrong with it).
    show(tr("reading %1…").arg(dir), false);
    if (dir != wantedFolder_ || c.validation != wantedTrainOnly_ || !folderPending_) {
        wantedFolder_ = dir;
        wantedTrainOnly_ = c.validation;
        folderPending_ = true;
        scanDelay_->start();
    }
}

void RunForm::startFolderScan() {
    if (wantedFolder_.isEmpty())
        return;
    scanWatcher_->setFuture(scanImageFolderLater(wantedFolder_, wantedTrainOnly_));
}

void RunForm::folderScanned() {
    const QFuture<ImageFolderScan> future = scanWatcher_->future();
    if (future.resultCount() < 1)
        return;
    const ImageFolderScan result = future.result();
    if (result.dir != wantedFolder_ || result.trainOnly != wantedTrainOnly_)
        return; // an older request; the newer one is under way or waiting
    scan_ = result;
    folderPending_ = false;
    revalidate();
}

void RunForm::startDownload() {
    const auto dataset = static_cast<DatasetKind>(dataset_->currentData().toInt());
    if (downloader_->start(dataset, dataDir_->text().trimmed())) {
        download_->setEnabled(false);
        dataStatus_->setText(tr("connecting…"));
    }
}

void RunForm::syncWidthsToCount(int count) {
    if (widths_->text().contains(QLatin1Char(';'))) // several shapes (a sweep): the count is the first's
        return;
    QStringList parts =
        widths_->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    const QString fill = parts.isEmpty() ? QStringLiteral("500") : parts.back();
    while (parts.size() < count)
        parts << fill;
    while (parts.size() > count)
        parts.removeLast();
    widths_->setText(parts.join(QLatin1Char(',')));
}

void RunForm::applyRuleDefaults() {
    // A new rule starts from its own defaults for the current dataset (feedback alignment's rates differ).
    const auto dataset = static_cast<DatasetKind>(dataset_->currentData().toInt());
    const RunConfig defaults = defaultConfig(dataset, rule_->currentData().toString().toStdString());
    for (const char* key : {"hidden_lr", "output_lr"})
        numbers_[QString::fromUtf8(key)]->setText(
            QString::number(findHyperparameter(key)->get(defaults), 'g', 10));
}

RunConfig RunForm::config() const {
    RunConfig c = base_;
    c.dataset = static_cast<DatasetKind>(dataset_->currentData().toInt());
    c.dataDir = dataDir_->text().trimmed().toStdString();
    c.architecture = static_cast<Architecture>(architecture_->currentData().toInt());
    c.activation = static_cast<Activation>(activation_->currentData().toInt());
    c.output = static_cast<OutputKind>(output_->currentData().toInt());
    c.rule = rule_->currentData().toString().toStdString();
    c.perturbation = static_cast<PerturbationMode>(perturbation_->currentData().toInt());
    c.optimizer = static_cast<OptimizerKind>(optimizer_->currentData().toInt());
    c.dtype = static_cast<Dtype>(dtype_->currentData().toInt());
    c.hiddenWidths.clear();
    for (const QString& part :
         widthsText().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        c.hiddenWidths.push_back(part.toInt());
    c.convChannels.clear();
    if (c.architecture == Architecture::ImagenetConv)
        for (const QString& part :
             channelsText().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
            c.convChannels.push_back(part.toInt());
    for (const ParamSpec& spec : hyperparameters()) {
        const QString key = QString::fromUtf8(spec.key);
        if (spec.type == ParamType::Bool)
            spec.set(c, flags_[key]->isChecked() ? 1.0 : 0.0);
        else if (sweepFirst_.contains(key))
            spec.set(c, sweepFirst_.value(key));
        else
            spec.set(c, numbers_[key]->text().toDouble());
    }
    c.seed = seed_->text().toULongLong();
    c.device = device_->currentText().toStdString();
    return c;
}

void RunForm::markField(QWidget* field, QLabel* note, const QString& error) {
    field->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("border: 1px solid #c0392b"));
    if (note) {
        note->setText(error);
        note->setVisible(!error.isEmpty() && field->isVisible());
    }
}

void RunForm::updateVisibility() {
    // While rules or outputs sweep, what any of them uses is shown.
    QStringList rules = choiceSweep(QStringLiteral("rule"))->checkedValues();
    if (rules.isEmpty())
        rules << rule_->currentData().toString();
    const bool softmax = static_cast<OutputKind>(output_->currentData().toInt()) == OutputKind::Softmax ||
                         choiceSweep(QStringLiteral("output"))
                             ->checkedValues()
                             .contains(QString::fromStdString(toString(OutputKind::Softmax)));
    bool perturbationModes = false;
    for (const QString& rule : rules)
        if (const RuleInfo* info = findRule(rule.toStdString()))
            perturbationModes = perturbationModes || info->perturbationModes;
    for (const ParamSpec& spec : hyperparameters()) {
        const QString key = QString::fromUtf8(spec.key);
        QWidget* editor = spec.type == ParamType::Bool ? static_cast<QWidget*>(flags_[key]) : numbers_[key];
        bool used = false;
        for (const QString& rule : rules)
            used = used || ruleUsesHyperparameter(rule.toStdString(), spec.key);
        layout_->setRowVisible(editor, used && (key != QLatin1String("kappa") || softmax));
    }
    layout_->setRowVisible(perturbationRow_, perturbationModes);
    const bool fc =
        static_cast<Architecture>(architecture_->currentData().toInt()) == Architecture::FullyConnected ||
        choiceSweep(QStringLiteral("conv_net"))->checkedValues().contains(QStringLiteral("false"));
    layout_->setRowVisible(widthRow_, fc);
    const RunConfig c = config();
    layout_->setRowVisible(channels_, hyperparameterApplies(c, "conv_channels"));
    // The image folders' own settings (image size, loader threads, ...) only for image folders.
    for (const char* key : {"image_size", "validation_size", "loader_threads", "test_augment"}) {
        const QString k = QString::fromUtf8(key);
        QWidget* editor = numbers_.contains(k) ? static_cast<QWidget*>(numbers_[k]) : flags_.value(k);
        if (editor && !hyperparameterApplies(c, key))
            layout_->setRowVisible(editor, false);
    }
}

void RunForm::revalidate() {
    readSweepFields();
    refreshDefaultChannels();
    updateVisibility();
    errors_.clear();
    // Numbers that do not parse are reported here; ranges and consistency come from the core's validate().
    for (auto it = numbers_.begin(); it != numbers_.end(); ++it) {
        if (sweepSpecs_.contains(it.key()))
            continue;
        if (sweepErrors_.contains(it.key())) {
            errors_.insert(it.key(), sweepErrors_.value(it.key()));
            continue;
        }
        bool ok = false;
        it.value()->text().toDouble(&ok);
        if (!ok)
            errors_.insert(it.key(), tr("%1: '%2' is not a number").arg(it.key(), it.value()->text()));
    }
    for (const ChoiceSweep* sweep : choiceSweeps_)
        layout_->setRowVisible(sweep->list(), sweep->isOn() && sweep->toggle()->isVisibleTo(this));
    for (const char* key : {"hidden_widths", "conv_channels"})
        if (sweepErrors_.contains(QString::fromUtf8(key)))
            errors_.insert(QString::fromUtf8(key), sweepErrors_.value(QString::fromUtf8(key)));
    layerCount_->setEnabled(!sweepShapes_.contains(QStringLiteral("hidden_widths")));
    layout_->setRowVisible(sweepRow_, isSweep());
    parallel_->setSpecialValueText(
        tr("automatic (%1 at a time)").arg(defaultSweepParallel(config().threads)));
    if (static_cast<Architecture>(architecture_->currentData().toInt()) == Architecture::ImagenetConv)
        for (const QString& part :
             channelsText().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) {
            bool ok = false;
            part.toInt(&ok);
            if (!ok) {
                errors_.insert(QStringLiteral("conv_channels"),
                               tr("conv_channels: '%1' is not a whole number").arg(part));
                break;
            }
        }
    bool seedOk = false;
    seed_->text().toULongLong(&seedOk);
    if (!seedOk)
        errors_.insert(QStringLiteral("seed"), tr("seed: a whole number ≥ 0"));
    const RunConfig c = config();
    for (const ConfigIssue& issue : validate(c)) {
        const QString key = QString::fromStdString(issue.field);
        if (!errors_.contains(key))
            errors_.insert(key, QString::fromStdString(issue.message));
    }
    for (auto it = numbers_.begin(); it != numbers_.end(); ++it)
        markField(it.value(), notes_.value(it.key()), errors_.value(it.key()));
    markField(widths_, nullptr, errors_.value(QStringLiteral("hidden_widths")));
    widths_->setToolTip(errors_.value(QStringLiteral("hidden_widths"), widths_->toolTip()));
    markField(channels_, nullptr, errors_.value(QStringLiteral("conv_channels")));
    channels_->setToolTip(
        errors_.value(QStringLiteral("conv_channels"), channels_->property("help").toString()));
    markField(seed_, nullptr, errors_.value(QStringLiteral("seed")));
    markField(architecture_, nullptr, errors_.value(QStringLiteral("architecture")));
    markField(rule_, nullptr, errors_.value(QStringLiteral("rule")));
    markField(dtype_, nullptr, errors_.value(QStringLiteral("dtype")));

    QStringList problems;
    for (const std::string& problem : knownProblems(c))
        problems << tr("Known not to learn: %1").arg(QString::fromStdString(problem));
    knownProblems_->setText(problems.join(QLatin1Char('\n')));
    layout_->setRowVisible(knownProblems_, !problems.isEmpty());

    {
        const QSignalBlocker blockCount(layerCount_);
        layerCount_->setValue(static_cast<int>(c.hiddenWidths.size()));
    }
    if (isImageFolder(c.dataset)) {
        showImageFolderStatus(c);
        Q_EMIT validityChanged(isValid());
        return;
    }
    wantedFolder_.clear();
    folderPending_ = false;
    scanDelay_->stop();
    dataDir_->setPlaceholderText(tr("default folder"));
    const std::string dir = c.dataDir.empty() ? data::defaultDataDir(c.dataset) : c.dataDir;
    const bool found = data::datasetAvailable(c.dataset, dir);
    dataStatus_->setText(found ? tr("found in %1").arg(QString::fromStdString(dir))
                               : tr("not found in %1").arg(QString::fromStdString(dir)));
    dataStatus_->setStyleSheet(found ? QString() : QStringLiteral("color: #c0392b"));
    download_->setVisible(!found && !downloader_->isRunning());
    if (!found)
        errors_.insert(QStringLiteral("data"),
                       tr("%1 not found in %2")
                           .arg(QString::fromStdString(toString(c.dataset)), QString::fromStdString(dir)));
    Q_EMIT validityChanged(isValid());
}

} // namespace bp::ui
