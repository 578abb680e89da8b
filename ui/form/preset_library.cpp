#include "ui/form/preset_library.h"
#include "core/config/hyperparameters.h"
#include "core/setup/command_line.h"
#include "core/setup/defaults.h"
#include "ui/app_resources.h"
#include "ui/form/preset_values.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>
#include <algorithm>

namespace bp::ui {

namespace {

const QString kBuiltInFile = QStringLiteral(":/burstprop/presets.json");
constexpr int kFileVersion = 1;

// {"version": 1, "presets": [{"name": ..., "description": ..., "config": {...}}, ...]}
QString parsePresetFile(const QByteArray& bytes, bool builtIn, QVector<Preset>& out) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QObject::tr("not valid JSON at byte %1: %2")
            .arg(parseError.offset)
            .arg(parseError.errorString());
    const QJsonValue list = document.object().value("presets");
    if (!document.isObject() || !list.isArray())
        return QObject::tr("no \"presets\" list");
    QVector<Preset> parsed;
    for (const QJsonValue& entry : list.toArray()) {
        const QJsonObject o = entry.toObject();
        Preset preset{o.value("name").toString().trimmed(), o.value("description").toString(),
                      o.value("config").toObject(), builtIn};
        if (preset.name.isEmpty() || !o.value("config").isObject())
            return QObject::tr("preset %1 has no name or no \"config\" object").arg(parsed.size() + 1);
        parsed.push_back(preset);
    }
    out = parsed;
    return {};
}

QJsonObject toJson(const Preset& preset) {
    return QJsonObject{{"name", preset.name}, {"description", preset.description}, {"config", preset.values}};
}

// path.bak, or path.bak.1, .bak.2, ... when an older backup is there already.
QString freeBackupPath(const QString& path) {
    QString candidate = path + QStringLiteral(".bak");
    for (int n = 1; QFileInfo::exists(candidate); ++n)
        candidate = path + QStringLiteral(".bak.%1").arg(n);
    return candidate;
}

} // namespace

PresetLibrary::PresetLibrary(QString userFilePath) : userFilePath_(std::move(userFilePath)) {
    initResources();
    reload();
}

QString PresetLibrary::defaultUserFilePath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/presets.json");
}

void PresetLibrary::reload() {
    presets_.clear();
    loadError_.clear();
    userFileUnreadable_ = false;

    QFile builtIn(kBuiltInFile);
    QString error = builtIn.open(QIODevice::ReadOnly) ? parsePresetFile(builtIn.readAll(), true, presets_)
                                                      : builtIn.errorString();
    if (!error.isEmpty())
        loadError_ = QObject::tr("The built-in presets could not be read: %1").arg(error);

    QFile user(userFilePath_);
    if (!user.exists())
        return;
    QVector<Preset> own;
    error = user.open(QIODevice::ReadOnly) ? parsePresetFile(user.readAll(), false, own) : user.errorString();
    for (const Preset& preset : own) {
        if (error.isEmpty() && find(preset.name))
            error = QObject::tr("\"%1\" is the name of another preset").arg(preset.name);
        if (error.isEmpty())
            presets_.push_back(preset);
    }
    if (!error.isEmpty()) {
        presets_.erase(
            std::remove_if(presets_.begin(), presets_.end(), [](const Preset& p) { return !p.builtIn; }),
            presets_.end());
        userFileUnreadable_ = true;
        loadError_ = QObject::tr("Your presets in %1 could not be read (%2). The file is left as it is; "
                                 "saving a preset moves it aside to a .bak file.")
                         .arg(QDir::toNativeSeparators(userFilePath_), error);
    }
}

const Preset* PresetLibrary::find(const QString& name) const {
    for (const Preset& preset : presets_)
        if (preset.name == name)
            return &preset;
    return nullptr;
}

namespace {

// The form's own invalid values (a field being edited, a value another version allowed) must not stop a
// preset from loading: each field the preset does not name and validation rejects takes its default.
RunConfig withDefaultsWhereInvalid(RunConfig base, const QJsonObject& presetValues) {
    const RunConfig defaults = defaultConfig(base.dataset, base.rule);
    for (const ConfigIssue& issue : validate(base)) {
        if (presetValues.contains(QString::fromStdString(issue.field)))
            continue;
        if (const ParamSpec* spec = findHyperparameter(issue.field))
            spec->set(base, spec->get(defaults));
        else if (issue.field == "hidden_widths")
            base.hiddenWidths = defaults.hiddenWidths;
    }
    return base;
}

} // namespace

AppliedPreset PresetLibrary::apply(const Preset& preset, RunConfig base) {
    AppliedPreset result;
    RunConfig repaired = withDefaultsWhereInvalid(base, preset.values);
    const QStringList errors = applyPresetValues(preset.values, repaired);
    result.config = repaired;
    if (!errors.isEmpty())
        result.errorMessage = QObject::tr("Preset \"%1\" cannot be applied:\n%2")
                                  .arg(preset.name, errors.join(QLatin1Char('\n')));
    return result;
}

QVector<Preset> PresetLibrary::userPresets() const {
    QVector<Preset> own;
    for (const Preset& preset : presets_)
        if (!preset.builtIn)
            own.push_back(preset);
    return own;
}

QString PresetLibrary::saveUserPreset(const QString& rawName, const RunConfig& config,
                                      const QString& description) {
    const QString name = rawName.trimmed();
    if (name.isEmpty())
        return QObject::tr("A preset needs a name.");
    const Preset* existing = find(name);
    if (existing && existing->builtIn)
        return QObject::tr("\"%1\" is a built-in preset and cannot be overwritten; choose another name.")
            .arg(name);
    Preset preset{name,
                  description.isEmpty() ? QString::fromStdString(configurationLine(config)) : description,
                  presetValues(config), false};
    QVector<Preset> own = userPresets();
    auto it = std::find_if(own.begin(), own.end(), [&](const Preset& p) { return p.name == name; });
    if (it != own.end())
        *it = preset;
    else
        own.push_back(preset);
    return writeUserFile(own);
}

QString PresetLibrary::removeUserPreset(const QString& name) {
    const Preset* existing = find(name);
    if (!existing)
        return QObject::tr("There is no preset named \"%1\".").arg(name);
    if (existing->builtIn)
        return QObject::tr("\"%1\" is a built-in preset and cannot be removed.").arg(name);
    QVector<Preset> own = userPresets();
    own.erase(std::remove_if(own.begin(), own.end(), [&](const Preset& p) { return p.name == name; }),
              own.end());
    return writeUserFile(own);
}

QString PresetLibrary::writeUserFile(const QVector<Preset>& own) {
    const QFileInfo info(userFilePath_);
    if (!QDir().mkpath(info.absolutePath()))
        return QObject::tr("The folder %1 could not be created.")
            .arg(QDir::toNativeSeparators(info.absolutePath()));
    // Never overwrite a file we could not read: it may hold presets a newer version wrote.
    if (userFileUnreadable_ && info.exists()) {
        const QString backup = freeBackupPath(userFilePath_);
        if (!QFile::rename(userFilePath_, backup))
            return QObject::tr("The unreadable preset file %1 could not be moved aside to %2.")
                .arg(QDir::toNativeSeparators(userFilePath_), QDir::toNativeSeparators(backup));
        backupPath_ = backup;
    }
    QJsonArray list;
    for (const Preset& preset : own)
        list.append(toJson(preset));
    const QJsonObject root{{"version", kFileVersion}, {"presets", list}};
    QSaveFile file(userFilePath_);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0 || !file.commit())
        return QObject::tr("%1 could not be written: %2")
            .arg(QDir::toNativeSeparators(userFilePath_), file.errorString());
    reload();
    return {};
}

} // namespace bp::ui
