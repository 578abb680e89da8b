// RunForm's sweep controls: lists and ranges in the number fields, several shapes in the widths, a set of
// values for each choice, and the Sweep row (grid or random draws, runs at a time).
#include "core/data/dataset.h"
#include "core/study/sweep_spec.h"
#include "ui/form/choice_sweep.h"
#include "ui/form/run_form.h"
#include "ui/training/sweep_launch.h"
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>

namespace bp::ui {

namespace {

// A number field's text that is meant as a sweep (a list or a range) rather than one number.
bool looksLikeSweep(const QString& text) {
    return text.contains(QLatin1Char(',')) || text.contains(QStringLiteral(".."));
}

// The conv net that reads the data set, if any (the network a sweep over conv_net=true trains).
std::optional<Architecture> convNetFor(DatasetKind dataset) {
    if (isImageFolder(dataset))
        return std::nullopt; // only the ImageNet net reads image folders: nothing to sweep
    return dataset == DatasetKind::Cifar10 ? Architecture::Cifar10Conv : Architecture::MnistConv;
}

} // namespace

ChoiceSweep* RunForm::addChoiceSweep(const QString& key, QComboBox* box, QHBoxLayout* row) {
    std::function<QString()> current = [box] { return box->currentText(); };
    if (key == QLatin1String("conv_net"))
        current = [box] {
            return static_cast<Architecture>(box->currentData().toInt()) == Architecture::FullyConnected
                       ? QStringLiteral("false")
                       : QStringLiteral("true");
        };
    auto* sweep = new ChoiceSweep(key, current, this);
    row->addWidget(sweep->toggle());
    layout_->addRow(QString(), sweep->list());
    if (key == QLatin1String("conv_net")) {
        sweep->toggle()->setToolTip(tr("Train the fully connected network and the data set's conv net in one "
                                       "sweep (--grid conv_net=false,true); the widths apply to the first"));
    } else {
        QVector<ChoiceSweep::Item> items;
        for (int i = 0; i < box->count(); ++i)
            items.append({box->itemText(i), box->itemText(i)});
        sweep->setItems(items);
    }
    if (key == QLatin1String("rule"))
        sweep->list()->setObjectName(QStringLiteral("sweepRules"));
    connect(sweep, &ChoiceSweep::changed, this, &RunForm::revalidate);
    choiceSweeps_.append(sweep);
    return sweep;
}

void RunForm::refreshNetworkSweep() {
    ChoiceSweep* sweep = choiceSweep(QStringLiteral("conv_net"));
    const auto dataset = static_cast<DatasetKind>(dataset_->currentData().toInt());
    QVector<ChoiceSweep::Item> items;
    if (const std::optional<Architecture> conv = convNetFor(dataset))
        items = {{QStringLiteral("fc"), QStringLiteral("false")},
                 {QString::fromStdString(toString(*conv)), QStringLiteral("true")}};
    sweep->setItems(items);
}

void RunForm::buildSweepRow() {
    // Shown while a field sweeps: grid or N random draws, and how many runs train at once.
    randomDraws_ = new QSpinBox(this);
    randomDraws_->setObjectName(QStringLiteral("randomDraws"));
    randomDraws_->setRange(0, static_cast<int>(study::kMaxSweepRuns));
    randomDraws_->setSpecialValueText(tr("grid (every combination)"));
    randomDraws_->setPrefix(tr("random: "));
    randomDraws_->setToolTip(tr("0: every combination of the swept values (a grid). N: N random draws, each "
                                "value from its list or range (burstprop-train sweep --random N)"));
    parallel_ = new QSpinBox(this);
    parallel_->setObjectName(QStringLiteral("sweepParallel"));
    parallel_->setRange(0, 256);
    parallel_->setPrefix(tr("up to "));
    parallel_->setSuffix(tr(" at a time"));
    parallel_->setToolTip(tr("How many runs of the sweep train at once, each in its own process "
                             "(--parallel K). Automatic: the cores divided by the threads per run"));
    sweepRow_ = new QWidget(this);
    auto* sweepRow = new QHBoxLayout(sweepRow_);
    sweepRow->setContentsMargins(0, 0, 0, 0);
    sweepRow->addWidget(randomDraws_, 1);
    sweepRow->addWidget(parallel_, 1);
    layout_->addRow(tr("Sweep"), sweepRow_);
    connect(randomDraws_, &QSpinBox::valueChanged, this, &RunForm::revalidate);
    connect(parallel_, &QSpinBox::valueChanged, this, &RunForm::revalidate);
    connect(dataset_, &QComboBox::currentIndexChanged, this, &RunForm::refreshNetworkSweep);
    const QSignalBlocker block(choiceSweep(QStringLiteral("conv_net"))); // the form is not built yet
    refreshNetworkSweep();
}

ChoiceSweep* RunForm::choiceSweep(const QString& key) const {
    for (ChoiceSweep* sweep : choiceSweeps_)
        if (sweep->key() == key)
            return sweep;
    return nullptr;
}

QCheckBox* RunForm::sweepRulesBox() const {
    return choiceSweep(QStringLiteral("rule"))->toggle();
}

QListWidget* RunForm::sweepRulesList() const {
    return choiceSweep(QStringLiteral("rule"))->list();
}

QString RunForm::widthsText() const {
    return sweepShapes_.value(QStringLiteral("hidden_widths"), widths_->text());
}

QString RunForm::channelsText() const {
    return sweepShapes_.value(QStringLiteral("conv_channels"), channels_->text());
}

void RunForm::readSweepFields() {
    sweepSpecs_.clear();
    sweepFirst_.clear();
    sweepErrors_.clear();
    sweepShapes_.clear();
    // The core's words for what is wrong, as burstprop-train sweep --grid says them.
    auto parse = [this](const QString& key, const QString& text) -> std::optional<study::SweepDimension> {
        try {
            return study::parseSweepDimension((key + QLatin1Char('=') + text).toStdString());
        } catch (const std::exception& e) {
            sweepErrors_.insert(key, QString::fromUtf8(e.what()));
            return std::nullopt;
        }
    };
    for (auto it = numbers_.begin(); it != numbers_.end(); ++it) {
        const QString text = it.value()->text().trimmed();
        if (!looksLikeSweep(text))
            continue;
        if (const auto d = parse(it.key(), text)) {
            sweepSpecs_.insert(it.key(), text);
            sweepFirst_.insert(it.key(), d->values.empty()
                                             ? d->range->low
                                             : QString::fromStdString(d->values.front()).toDouble());
        }
    }
    const std::pair<QString, QLineEdit*> shapes[] = {{QStringLiteral("hidden_widths"), widths_},
                                                     {QStringLiteral("conv_channels"), channels_}};
    for (const auto& [key, field] : shapes) {
        const QString text = field->text().trimmed();
        if (!text.contains(QLatin1Char(';')))
            continue;
        if (const auto d = parse(key, text)) {
            sweepSpecs_.insert(key, text);
            sweepShapes_.insert(key, QString::fromStdString(d->values.front()));
        }
    }
}

QStringList RunForm::sweepGrid() const {
    QStringList grid;
    for (const ChoiceSweep* sweep : choiceSweeps_) {
        const QString entry = sweep->gridEntry();
        if (!entry.isEmpty())
            grid << entry;
        if (sweep->key() == QLatin1String("conv_net")) // the shapes follow the network
            for (const char* key : {"hidden_widths", "conv_channels"})
                if (sweepShapes_.contains(QString::fromUtf8(key)))
                    grid << QString::fromUtf8(key) + QLatin1Char('=') +
                                sweepSpecs_.value(QString::fromUtf8(key));
    }
    for (const ParamSpec& spec : hyperparameters()) {
        const QString key = QString::fromUtf8(spec.key);
        if (sweepSpecs_.contains(key))
            grid << key + QLatin1Char('=') + sweepSpecs_.value(key);
        else if (spec.type == ParamType::Bool && flags_.value(key)->checkState() == Qt::PartiallyChecked)
            grid << key + QStringLiteral("=true,false");
    }
    return grid;
}

int RunForm::sweepParallel() const {
    return parallel_->value() > 0 ? parallel_->value() : defaultSweepParallel(config().threads);
}

} // namespace bp::ui
