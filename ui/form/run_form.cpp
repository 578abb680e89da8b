#include "ui/form/run_form.h"
#include "core/data/dataset.h"
#include "ui/form/dataset_download.h"
#include <ATen/detail/CUDAHooksInterface.h>
#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>

namespace bp::ui {

namespace {

QString rangeText(const ParamSpec& spec) {
    const QString unit = *spec.unit ? QStringLiteral(" ") + QString::fromUtf8(spec.unit) : QString();
    return QStringLiteral("[%1, %2]%3").arg(spec.min).arg(spec.max).arg(unit);
}

template <typename E>
void fillCombo(QComboBox* box, std::initializer_list<E> values) {
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
    fillCombo(dataset_, {DatasetKind::FashionMnist, DatasetKind::Mnist, DatasetKind::Cifar10});
    dataset_->setToolTip(tr("Fashion-MNIST comes with Debian's dataset-fashion-mnist package."));
    layout_->addRow(tr("Dataset"), dataset_);
    dataDir_ = new QLineEdit(this);
    dataDir_->setPlaceholderText(tr("default folder"));
    browse_ = new QPushButton(tr("Choose…"), this);
    browse_->setToolTip(tr("A folder with the data set's files (idx files, raw or gzip; CIFAR-10 binary batches)"));
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
    connect(downloader_, &DatasetDownload::finished, this, [this](bool ok, const QString& folder, const QString& message) {
        download_->setEnabled(true);
        if (ok)
            dataDir_->setText(folder); // revalidates, showing "found"
        else
            dataStatus_->setText(tr("download failed: %1").arg(message));
    });

    architecture_ = new QComboBox(this);
    fillCombo(architecture_, {Architecture::FullyConnected, Architecture::MnistConv, Architecture::Cifar10Conv});
    layout_->addRow(tr("Network"), architecture_);
    widths_ = new QLineEdit(this);
    widths_->setToolTip(tr("Hidden layer widths of the fully connected network, bottom to top, e.g. 500,500,500. "
                           "Empty: the output layer only."));
    layerCount_ = new QSpinBox(this);
    layerCount_->setRange(0, 20);
    layerCount_->setToolTip(tr("Number of hidden layers; new layers take the width of the last one (500 when none)."));
    auto* widthRow = new QHBoxLayout;
    widthRow_ = widthRow;
    widthRow->setContentsMargins(0, 0, 0, 0);
    widthRow->addWidget(layerCount_);
    widthRow->addWidget(widths_, 1);
    layout_->addRow(tr("Hidden layers"), widthRow);
    connect(layerCount_, &QSpinBox::valueChanged, this, &RunForm::syncWidthsToCount);

    rule_ = new QComboBox(this);
    fillCombo(rule_, {Rule::Burstprop, Rule::Backprop, Rule::FeedbackAlignment, Rule::NodePerturbation});
    layout_->addRow(tr("Learning rule"), rule_);
    perturbation_ = new QComboBox(this);
    fillCombo(perturbation_, {PerturbationMode::AllLayers, PerturbationMode::LayerByLayer, PerturbationMode::UnitByUnit});
    perturbation_->setToolTip(tr("Node perturbation: noise on all layers at once, one layer per sub-step, or one unit per batch."));
    layout_->addRow(tr("Perturbation"), perturbation_);

    for (const ParamSpec& spec : hyperparameters()) {
        const QString key = QString::fromUtf8(spec.key);
        const QString tip = QStringLiteral("<b>%1</b> %2<br>%3").arg(key, rangeText(spec), QString::fromUtf8(spec.help).toHtmlEscaped());
        QWidget* editor = nullptr;
        if (spec.type == ParamType::Bool) {
            auto* box = new QCheckBox(this);
            flags_.insert(key, box);
            connect(box, &QCheckBox::toggled, this, &RunForm::revalidate);
            editor = box;
        } else {
            auto* edit = new QLineEdit(this);
            edit->setPlaceholderText(rangeText(spec));
            numbers_.insert(key, edit);
            connect(edit, &QLineEdit::textChanged, this, &RunForm::revalidate);
            editor = edit;
        }
        editor->setToolTip(tip);
        editor->setObjectName(key);
        auto* note = new QLabel(this);
        note->setObjectName(key + QStringLiteral("_error"));
        note->setStyleSheet(QStringLiteral("color: #c0392b"));
        note->setWordWrap(true);
        note->hide();
        notes_.insert(key, note);
        layout_->addRow(key, editor);
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
    layout_->addRow(tr("Device"), device_);

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

    for (QWidget* w : {static_cast<QWidget*>(dataset_), static_cast<QWidget*>(architecture_),
                       static_cast<QWidget*>(perturbation_), static_cast<QWidget*>(device_)})
        connect(qobject_cast<QComboBox*>(w), &QComboBox::currentIndexChanged, this, &RunForm::revalidate);
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
    rule_->setCurrentIndex(rule_->findData(static_cast<int>(c.rule)));
    perturbation_->setCurrentIndex(perturbation_->findData(static_cast<int>(c.perturbation)));
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

QString RunForm::runName() const { return name_->text().trimmed(); }

QStringList RunForm::tags() const {
    QStringList out;
    for (const QString& t : tags_->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!t.trimmed().isEmpty())
            out << t.trimmed();
    return out;
}

QString RunForm::notes() const { return notesEdit_->toPlainText(); }

void RunForm::setRunInfo(const QString& name, const QStringList& tags, const QString& notes) {
    name_->setText(name);
    tags_->setText(tags.join(QStringLiteral(", ")));
    notesEdit_->setPlainText(notes);
}

void RunForm::chooseDataFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Data folder"), dataDir_->text());
    if (!dir.isEmpty())
        dataDir_->setText(dir);
}

void RunForm::startDownload() {
    const auto dataset = static_cast<DatasetKind>(dataset_->currentData().toInt());
    if (downloader_->start(dataset, dataDir_->text().trimmed())) {
        download_->setEnabled(false);
        dataStatus_->setText(tr("connecting…"));
    }
}

void RunForm::syncWidthsToCount(int count) {
    QStringList parts = widths_->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
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
    const auto rule = static_cast<Rule>(rule_->currentData().toInt());
    const RunConfig defaults = defaultConfig(dataset, rule);
    for (const char* key : {"hidden_lr", "output_lr"})
        numbers_[QString::fromUtf8(key)]->setText(QString::number(findHyperparameter(key)->get(defaults), 'g', 10));
}

RunConfig RunForm::config() const {
    RunConfig c = base_;
    c.dataset = static_cast<DatasetKind>(dataset_->currentData().toInt());
    c.dataDir = dataDir_->text().trimmed().toStdString();
    c.architecture = static_cast<Architecture>(architecture_->currentData().toInt());
    c.rule = static_cast<Rule>(rule_->currentData().toInt());
    c.perturbation = static_cast<PerturbationMode>(perturbation_->currentData().toInt());
    c.hiddenWidths.clear();
    for (const QString& part : widths_->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        c.hiddenWidths.push_back(part.toInt());
    for (const ParamSpec& spec : hyperparameters()) {
        const QString key = QString::fromUtf8(spec.key);
        if (spec.type == ParamType::Bool)
            spec.set(c, flags_[key]->isChecked() ? 1.0 : 0.0);
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
    const auto rule = static_cast<Rule>(rule_->currentData().toInt());
    for (const ParamSpec& spec : hyperparameters()) {
        const QString key = QString::fromUtf8(spec.key);
        QWidget* editor = spec.type == ParamType::Bool ? static_cast<QWidget*>(flags_[key]) : numbers_[key];
        layout_->setRowVisible(editor, (spec.rules & ruleBit(rule)) != 0);
    }
    layout_->setRowVisible(perturbation_, rule == Rule::NodePerturbation);
    const bool fc = static_cast<Architecture>(architecture_->currentData().toInt()) == Architecture::FullyConnected;
    layout_->setRowVisible(widthRow_, fc);
}

void RunForm::revalidate() {
    updateVisibility();
    errors_.clear();
    // Numbers that do not parse are reported here; ranges and consistency come from the core's validate().
    for (auto it = numbers_.begin(); it != numbers_.end(); ++it) {
        bool ok = false;
        it.value()->text().toDouble(&ok);
        if (!ok)
            errors_.insert(it.key(), tr("%1: '%2' is not a number").arg(it.key(), it.value()->text()));
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
    markField(seed_, nullptr, errors_.value(QStringLiteral("seed")));
    markField(architecture_, nullptr, errors_.value(QStringLiteral("architecture")));

    const std::string dir = c.dataDir.empty() ? data::defaultDataDir(c.dataset) : c.dataDir;
    const bool found = data::datasetAvailable(c.dataset, dir);
    dataStatus_->setText(found ? tr("found in %1").arg(QString::fromStdString(dir))
                               : tr("not found in %1").arg(QString::fromStdString(dir)));
    dataStatus_->setStyleSheet(found ? QString() : QStringLiteral("color: #c0392b"));
    download_->setVisible(!found && !downloader_->isRunning());
    {
        const QSignalBlocker blockCount(layerCount_);
        layerCount_->setValue(static_cast<int>(c.hiddenWidths.size()));
    }
    if (!found)
        errors_.insert(QStringLiteral("data"), tr("%1 not found in %2")
                                                   .arg(QString::fromStdString(toString(c.dataset)), QString::fromStdString(dir)));
    Q_EMIT validityChanged(isValid());
}

} // namespace bp::ui
