#pragma once
#include "core/config/run_config.h"
#include "ui/form/preset_library.h"
#include <QWidget>
#include <functional>

class QComboBox;
class QLabel;
class QPushButton;

namespace bp::ui {

// A row above the run form: a combo of presets with "Apply", "Save as…" and "Delete". Applying sets the
// preset's values on the current configuration (from the provider) and emits presetChosen(); saving
// stores the whole current configuration as a user preset. Problems show in the bar's own status line
// and are emitted as errorOccurred(); nothing throws.
class PresetBar : public QWidget {
    Q_OBJECT
  public:
    explicit PresetBar(const QString& userPresetFile = PresetLibrary::defaultUserFilePath(),
                       QWidget* parent = nullptr);

    // The configuration presets are applied to and saved from; without one, the Fashion-MNIST defaults.
    void setConfigProvider(std::function<RunConfig()> provider);

    const PresetLibrary& library() const { return library_; }
    QString currentPresetName() const;
    bool selectPreset(const QString& name);

    QComboBox* presetBox() const { return presets_; }
    QPushButton* applyButton() const { return apply_; }
    QPushButton* saveButton() const { return save_; }
    QPushButton* deleteButton() const { return delete_; }
    QLabel* statusLabel() const { return status_; }

  public Q_SLOTS:
    // The selected preset on the provider's configuration; emits presetChosen() when it applies.
    bool applySelected();
    // The provider's configuration as the user preset name (selected afterwards).
    bool saveCurrentAs(const QString& name);
    // Removes a user preset without asking (the Delete button asks first).
    bool removePreset(const QString& name);

  Q_SIGNALS:
    void presetChosen(const bp::RunConfig& config);
    void errorOccurred(const QString& message);

  private:
    void askNameAndSave();
    void confirmAndRemoveSelected();
    void refill(const QString& selectName);
    void updateButtons();
    void showStatus(const QString& text, bool isError);
    RunConfig currentConfig() const;

    PresetLibrary library_;
    std::function<RunConfig()> provider_;
    QComboBox* presets_ = nullptr;
    QPushButton* apply_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* delete_ = nullptr;
    QLabel* status_ = nullptr;
};

} // namespace bp::ui
