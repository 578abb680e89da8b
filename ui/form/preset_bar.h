#pragma once
#include "core/config/run_config.h"
#include "ui/form/preset_library.h"
#include <QWidget>
#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QPushButton;

namespace bp::ui {

// A row above the run form: a combo of presets with "Undo", "Save as…" and "Delete". Choosing a preset loads
// it at once: its values are set on the current configuration (from the provider; fields of it that are
// invalid and that the preset does not name take their defaults) and presetChosen() is emitted; "Undo"
// brings back the configuration from before the last load. Saving stores the whole current configuration as
// a user preset. Problems show in the bar's own status line and are emitted as errorOccurred(); nothing
// throws.
class PresetBar : public QWidget {
    Q_OBJECT
  public:
    explicit PresetBar(const QString& userPresetFile = PresetLibrary::defaultUserFilePath(),
                       QWidget* parent = nullptr);

    // The configuration presets are applied to and saved from; without one, the Fashion-MNIST defaults.
    void setConfigProvider(std::function<RunConfig()> provider);

    const PresetLibrary& library() const { return library_; }
    QString currentPresetName() const;
    // Selects a preset in the combo without loading it (loadSelected() loads it).
    bool selectPreset(const QString& name);

    QComboBox* presetBox() const { return presets_; }
    QPushButton* undoButton() const { return undo_; }
    QPushButton* saveButton() const { return save_; }
    QPushButton* deleteButton() const { return delete_; }
    QLabel* statusLabel() const { return status_; }

  public Q_SLOTS:
    // The selected preset on the provider's configuration; emits presetChosen() when it applies. A user's
    // choice in the combo calls it.
    bool loadSelected();
    // The configuration from before the last load, emitted as presetChosen(); false when there is none.
    bool undoLoad();
    // Hides an error shown in the status line (the form became valid again).
    void clearError();
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
    QPushButton* undo_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* delete_ = nullptr;
    QLabel* status_ = nullptr;
    std::optional<RunConfig> beforeLoad_;
    bool showingError_ = false;
};

} // namespace bp::ui
