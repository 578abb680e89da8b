#pragma once
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>
#include <functional>

class QCheckBox;
class QListWidget;
class QWidget;

namespace bp::ui {

// A choice of the run form (rule, network, activation, ...) that may also sweep a set of its values: a
// "sweep" check box beside the choice shows a checkable list of its values; two or more checked make one
// `--grid KEY=a,b` of the sweep (core/study/sweep_spec.h: the values as the command line spells them).
class ChoiceSweep : public QObject {
    Q_OBJECT
  public:
    using Item = QPair<QString, QString>; // (label shown, value as --grid takes it)

    // key: the option's name on the command line ("rule", "conv_net", "activation", ...). current: the value
    // the form's choice shows, checked in the list when the sweep is switched on.
    ChoiceSweep(const QString& key, std::function<QString()> current, QWidget* parent);

    // The values offered; those checked before stay checked where still offered.
    void setItems(const QVector<Item>& items);
    QString key() const { return key_; }
    QCheckBox* toggle() const { return toggle_; }
    QListWidget* list() const { return list_; }
    bool isOn() const;
    // The checked values while switched on, in the list's order.
    QStringList checkedValues() const;
    // "key=a,b" when two or more values are checked, else empty (one value is no sweep).
    QString gridEntry() const;

  Q_SIGNALS:
    void changed();

  private:
    QString key_;
    std::function<QString()> current_;
    QCheckBox* toggle_;
    QListWidget* list_;
};

} // namespace bp::ui
