#include "ui/window/app_settings.h"
#include "core/store/run_store.h"
#include <QDir>

namespace bp::ui {

AppSettings::AppSettings() : settings_(QStringLiteral("burstprop"), QStringLiteral("Burstprop Explorer")) {}

QString AppSettings::databasePath() const {
    return settings_.value(QStringLiteral("store/database"), QString::fromStdString(defaultDatabasePath()))
        .toString();
}
void AppSettings::setDatabasePath(const QString& path) {
    settings_.setValue(QStringLiteral("store/database"), path);
}

QString AppSettings::lastConfigJson() const {
    return settings_.value(QStringLiteral("form/lastConfig")).toString();
}
void AppSettings::setLastConfigJson(const QString& json) {
    settings_.setValue(QStringLiteral("form/lastConfig"), json);
}

QString AppSettings::exportFolder() const {
    return settings_.value(QStringLiteral("export/folder"), QDir::homePath()).toString();
}
void AppSettings::setExportFolder(const QString& folder) {
    settings_.setValue(QStringLiteral("export/folder"), folder);
}

QByteArray AppSettings::windowGeometry() const {
    return settings_.value(QStringLiteral("window/geometry")).toByteArray();
}
void AppSettings::setWindowGeometry(const QByteArray& g) {
    settings_.setValue(QStringLiteral("window/geometry"), g);
}

QByteArray AppSettings::windowState() const {
    return settings_.value(QStringLiteral("window/state")).toByteArray();
}
void AppSettings::setWindowState(const QByteArray& s) {
    settings_.setValue(QStringLiteral("window/state"), s);
}

QByteArray AppSettings::splitterState(const QString& name) const {
    return settings_.value(QStringLiteral("window/splitter/") + name).toByteArray();
}
void AppSettings::setSplitterState(const QString& name, const QByteArray& state) {
    settings_.setValue(QStringLiteral("window/splitter/") + name, state);
}

int AppSettings::currentTab() const {
    return settings_.value(QStringLiteral("window/tab"), 0).toInt();
}
void AppSettings::setCurrentTab(int index) {
    settings_.setValue(QStringLiteral("window/tab"), index);
}

} // namespace bp::ui
