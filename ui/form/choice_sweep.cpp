#include "ui/form/choice_sweep.h"
#include <QCheckBox>
#include <QListWidget>
#include <algorithm>

namespace bp::ui {

ChoiceSweep::ChoiceSweep(const QString& key, std::function<QString()> current, QWidget* parent)
    : QObject(parent), key_(key), current_(std::move(current)) {
    toggle_ = new QCheckBox(tr("sweep"), parent);
    toggle_->setObjectName(QStringLiteral("sweep_") + key);
    toggle_->setToolTip(tr("Sweep several values of %1: check them in the list (--grid %1=a,b)").arg(key));
    list_ = new QListWidget(parent);
    list_->setObjectName(QStringLiteral("sweepList_") + key);
    list_->setToolTip(toggle_->toolTip());
    connect(toggle_, &QCheckBox::toggled, this, [this](bool on) {
        if (on) { // the value chosen in the form is among the swept ones
            const QString value = current_();
            for (int i = 0; i < list_->count(); ++i)
                if (list_->item(i)->data(Qt::UserRole).toString() == value)
                    list_->item(i)->setCheckState(Qt::Checked);
        }
        Q_EMIT changed();
    });
    connect(list_, &QListWidget::itemChanged, this, &ChoiceSweep::changed);
}

void ChoiceSweep::setItems(const QVector<Item>& items) {
    const QStringList checked = [this] {
        QStringList values;
        for (int i = 0; i < list_->count(); ++i)
            if (list_->item(i)->checkState() == Qt::Checked)
                values << list_->item(i)->data(Qt::UserRole).toString();
        return values;
    }();
    {
        const QSignalBlocker block(list_);
        list_->clear();
        for (const Item& item : items) {
            auto* row = new QListWidgetItem(item.first, list_);
            row->setData(Qt::UserRole, item.second);
            row->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            row->setCheckState(checked.contains(item.second) ? Qt::Checked : Qt::Unchecked);
        }
        // As tall as its values: a short list, not a scrolling pane.
        const int hint = list_->sizeHintForRow(0);
        const int rowHeight = hint > 0 ? hint : list_->fontMetrics().lineSpacing() + 4;
        list_->setFixedHeight(rowHeight * std::max(1, list_->count()) + 2 * list_->frameWidth() + 4);
    }
    // A choice with one value cannot sweep.
    toggle_->setEnabled(items.size() > 1);
    if (items.size() <= 1 && toggle_->isChecked())
        toggle_->setChecked(false);
    Q_EMIT changed();
}

bool ChoiceSweep::isOn() const {
    return toggle_->isChecked() && toggle_->isEnabled();
}

QStringList ChoiceSweep::checkedValues() const {
    QStringList values;
    if (!isOn())
        return values;
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->checkState() == Qt::Checked)
            values << list_->item(i)->data(Qt::UserRole).toString();
    return values;
}

QString ChoiceSweep::gridEntry() const {
    const QStringList values = checkedValues();
    return values.size() > 1 ? key_ + QLatin1Char('=') + values.join(QLatin1Char(',')) : QString();
}

} // namespace bp::ui
