#pragma once
#include <QByteArray>
#include <QSettings>
#include <QString>

namespace bp::ui {

// What the explorer remembers between sessions (QSettings: ~/.config/burstprop/Burstprop Explorer.conf).
// One typed getter and setter per value.
class AppSettings {
  public:
    AppSettings();

    QString databasePath() const; // default: the run store's default file
    void setDatabasePath(const QString& path);
    QString lastConfigJson() const; // the form as last launched or closed; empty the first time
    void setLastConfigJson(const QString& json);
    QString exportFolder() const;
    void setExportFolder(const QString& folder);
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);
    QByteArray splitterState(const QString& name) const;
    void setSplitterState(const QString& name, const QByteArray& state);
    int currentTab() const;
    void setCurrentTab(int index);

  private:
    mutable QSettings settings_;
};

} // namespace bp::ui
