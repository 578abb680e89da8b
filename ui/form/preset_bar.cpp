#include "ui/form/preset_bar.h"
#include "core/setup/defaults.h"
#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace bp::ui {

PresetBar::PresetBar(const QString& userPresetFile, QWidget* parent)
    : QWidget(parent), library_(userPresetFile) {
    presets_ = new QComboBox(this);
    presets_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    presets_->setMinimumContentsLength(24);
    presets_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    presets_->setToolTip(tr("Choosing a preset sets its values in the form at once; values it does not name "
                            "stay as they are"));
    undo_ = new QPushButton(tr("Undo"), this);
    undo_->setToolTip(tr("Bring back the settings from before the last preset was loaded"));
    undo_->setEnabled(false);
    save_ = new QPushButton(tr("Save as…"), this);
    save_->setToolTip(tr("Save the whole current configuration as a preset of your own"));
    delete_ = new QPushButton(tr("Delete"), this);
    delete_->setToolTip(tr("Delete this preset of your own (built-in presets stay)"));
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->hide();

    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    auto* label = new QLabel(tr("&Preset:"), this);
    label->setBuddy(presets_);
    row->addWidget(label);
    row->addWidget(presets_, 1);
    row->addWidget(undo_);
    row->addWidget(save_);
    row->addWidget(delete_);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->addLayout(row);
    column->addWidget(status_);

    connect(presets_, &QComboBox::activated, this, &PresetBar::loadSelected); // the user's choice only
    connect(undo_, &QPushButton::clicked, this, &PresetBar::undoLoad);
    connect(save_, &QPushButton::clicked, this, &PresetBar::askNameAndSave);
    connect(delete_, &QPushButton::clicked, this, &PresetBar::confirmAndRemoveSelected);
    connect(presets_, &QComboBox::currentIndexChanged, this, &PresetBar::updateButtons);

    refill({});
    if (!library_.loadError().isEmpty())
        showStatus(library_.loadError(), true);
}

void PresetBar::setConfigProvider(std::function<RunConfig()> provider) {
    provider_ = std::move(provider);
}

RunConfig PresetBar::currentConfig() const {
    return provider_ ? provider_() : defaultConfig(DatasetKind::FashionMnist);
}

QString PresetBar::currentPresetName() const {
    return presets_->currentData().toString();
}

bool PresetBar::selectPreset(const QString& name) {
    const int index = presets_->findData(name);
    if (index < 0)
        return false;
    presets_->setCurrentIndex(index);
    return true;
}

void PresetBar::refill(const QString& selectName) {
    const QString keep = selectName.isEmpty() ? currentPresetName() : selectName;
    const QSignalBlocker blocker(presets_);
    presets_->clear();
    bool separated = false;
    for (const Preset& preset : library_.presets()) {
        if (!preset.builtIn && !separated && presets_->count() > 0) {
            presets_->insertSeparator(presets_->count());
            separated = true;
        }
        presets_->addItem(preset.name, preset.name);
        presets_->setItemData(presets_->count() - 1, preset.description, Qt::ToolTipRole);
    }
    const int index = presets_->findData(keep);
    presets_->setCurrentIndex(index >= 0 ? index : 0);
    updateButtons();
}

void PresetBar::updateButtons() {
    const Preset* preset = library_.find(currentPresetName());
    delete_->setEnabled(preset && !preset->builtIn);
    if (preset)
        presets_->setToolTip(preset->description);
}

void PresetBar::showStatus(const QString& text, bool isError) {
    status_->setText(text);
    status_->setStyleSheet(isError ? QStringLiteral("color: #b00020;") : QString());
    status_->setVisible(!text.isEmpty());
    showingError_ = isError;
    if (isError)
        Q_EMIT errorOccurred(text);
}

void PresetBar::clearError() {
    if (showingError_)
        showStatus({}, false);
}

bool PresetBar::undoLoad() {
    if (!beforeLoad_)
        return false;
    const RunConfig previous = *beforeLoad_;
    beforeLoad_.reset();
    undo_->setEnabled(false);
    showStatus(tr("The settings from before the preset are back."), false);
    Q_EMIT presetChosen(previous);
    return true;
}

bool PresetBar::loadSelected() {
    const Preset* preset = library_.find(currentPresetName());
    if (!preset) {
        showStatus(tr("Choose a preset first."), true);
        return false;
    }
    const RunConfig before = currentConfig();
    const AppliedPreset applied = PresetLibrary::apply(*preset, before);
    if (!applied) {
        showStatus(applied.errorMessage, true);
        return false;
    }
    beforeLoad_ = before;
    undo_->setEnabled(true);
    showStatus(tr("Loaded \"%1\" (Undo brings back the settings from before).").arg(preset->name), false);
    Q_EMIT presetChosen(applied.config);
    return true;
}

bool PresetBar::saveCurrentAs(const QString& name) {
    const QString error = library_.saveUserPreset(name, currentConfig());
    if (!error.isEmpty()) {
        showStatus(error, true);
        return false;
    }
    refill(name.trimmed());
    QString text = tr("Saved \"%1\".").arg(name.trimmed());
    if (!library_.backupPath().isEmpty())
        text +=
            QLatin1Char(' ') + tr("The unreadable preset file was kept as %1.").arg(library_.backupPath());
    showStatus(text, false);
    return true;
}

bool PresetBar::removePreset(const QString& name) {
    const QString error = library_.removeUserPreset(name);
    if (!error.isEmpty()) {
        showStatus(error, true);
        return false;
    }
    refill({});
    showStatus(tr("Deleted \"%1\".").arg(name), false);
    return true;
}

void PresetBar::askNameAndSave() {
    const Preset* selected = library_.find(currentPresetName());
    bool ok = false;
    const QString name =
        QInputDialog::getText(this, tr("Save preset"), tr("Name of the new preset:"), QLineEdit::Normal,
                              selected && !selected->builtIn ? selected->name : QString(), &ok);
    if (!ok)
        return;
    const Preset* existing = library_.find(name.trimmed());
    if (existing && !existing->builtIn &&
        QMessageBox::question(this, tr("Replace preset"),
                              tr("Replace your preset \"%1\"?").arg(existing->name)) != QMessageBox::Yes)
        return;
    saveCurrentAs(name);
}

void PresetBar::confirmAndRemoveSelected() {
    const QString name = currentPresetName();
    if (QMessageBox::question(this, tr("Delete preset"), tr("Delete your preset \"%1\"?").arg(name)) ==
        QMessageBox::Yes)
        removePreset(name);
}

} // namespace bp::ui
