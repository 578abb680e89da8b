#pragma once
#include "core/config/run_config.h"
#include <QJsonObject>
#include <QString>
#include <QVector>

namespace bp::ui {

// A named, partial run configuration. values uses presetValues()'s keys; fields it does not name keep
// the values of the configuration it is applied to (a preset need not say which device to use).
struct Preset {
    QString name;
    QString description;
    QJsonObject values;
    bool builtIn = false;
};

struct AppliedPreset {
    RunConfig config;
    QString errorMessage; // every bad key of the preset, one per line; empty when config is valid
    explicit operator bool() const { return errorMessage.isEmpty(); }
};

// The built-in presets (":/burstprop/presets.json", compiled in) and the user's own (a JSON file).
// Built-in presets cannot be removed or overwritten. An unreadable user file is reported by loadError()
// and left as it is until the next save moves it aside to a .bak file; nothing here throws.
class PresetLibrary {
  public:
    // The user file need not exist; it is created by the first saveUserPreset().
    explicit PresetLibrary(QString userFilePath = defaultUserFilePath());

    // QStandardPaths::AppDataLocation/presets.json
    static QString defaultUserFilePath();

    const QString& userFilePath() const { return userFilePath_; }
    // Why the user file (or the built-in resource) could not be read; empty when both were fine.
    const QString& loadError() const { return loadError_; }
    // Where the last save moved an unreadable user file; empty when it never had to.
    const QString& backupPath() const { return backupPath_; }

    // Built-in presets first, then the user's in the order they were saved.
    const QVector<Preset>& presets() const { return presets_; }
    const Preset* find(const QString& name) const;

    // base with the preset's values set; the error names every unknown key or bad value.
    static AppliedPreset apply(const Preset& preset, RunConfig base);

    // Stores the whole of config under name (replacing the user preset of that name). Returns the
    // reason it could not, or an empty string.
    [[nodiscard]] QString saveUserPreset(const QString& name, const RunConfig& config,
                                         const QString& description = {});
    [[nodiscard]] QString removeUserPreset(const QString& name);

    // Reads both sources again (after another program changed the user file).
    void reload();

  private:
    QString writeUserFile(const QVector<Preset>& userPresets);
    QVector<Preset> userPresets() const;

    QString userFilePath_;
    QString loadError_;
    QString backupPath_;
    bool userFileUnreadable_ = false;
    QVector<Preset> presets_;
};

} // namespace bp::ui
