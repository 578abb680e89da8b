#include "ui/form/run_form.h"
#include "core/data/dataset.h"
#include <QCheckBox>
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
    layout_->addRow(tr("Data folder"), dataDir_);
    dataStatus_ = new QLabel(this);
    dataStatus_->setWordWrap(true);
    layout_->addRow(QString(), dataStatus_);

    architecture_ = new QComboBox(this);
    fillCombo(architecture_, {Architecture::FullyConnected, Architecture::MnistConv, Architecture::Cifar10Conv});
    layout_->addRow(tr("Network"), architecture_);
    widths_ = new QLineEdit(this);
    widths_->setToolTip(tr("Hidden layer widths of the fully connected network, bottom to top, e.g. 500,500,500. "
                           "Empty: the output layer only."));
    layout_->addRow(tr("Hidden layers"), widths_);

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
        device_->addItem(QStringLiteral("cuda"));
    layout_->addRow(tr("Device"), device_);

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
    device_->setCurrentText(QString::fromStdString(c.device));
    revalidate();
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
    layout_->setRowVisible(widths_, fc);
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
    if (!found)
        errors_.insert(QStringLiteral("data"), tr("%1 not found in %2")
                                                   .arg(QString::fromStdString(toString(c.dataset)), QString::fromStdString(dir)));
    Q_EMIT validityChanged(isValid());
}

} // namespace bp::ui
