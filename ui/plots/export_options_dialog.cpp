#include "ui/plots/export_options_dialog.h"
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSpinBox>

namespace bp::ui {

ExportOptionsDialog::ExportOptionsDialog(const ExportOptions& initial, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Figure size"));
    auto make = [this](int min, int max, int value, const QString& suffix) {
        auto* box = new QSpinBox(this);
        box->setRange(min, max);
        box->setValue(value);
        box->setSuffix(suffix);
        return box;
    };
    width_ = make(100, 8000, initial.width > 0 ? initial.width : 900, tr(" px"));
    height_ = make(100, 8000, initial.height > 0 ? initial.height : 380, tr(" px"));
    dpi_ = make(48, 1200, initial.dpi, tr(" dpi"));
    width_->setToolTip(tr("Width of each panel at 96 dpi; PNG pixels scale with the resolution"));
    dpi_->setToolTip(tr("PNG only: SVG and PDF are vector graphics"));
    auto* form = new QFormLayout(this);
    form->addRow(tr("Panel width"), width_);
    form->addRow(tr("Panel height"), height_);
    form->addRow(tr("PNG resolution"), dpi_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

ExportOptions ExportOptionsDialog::options() const {
    ExportOptions o;
    o.width = width_->value();
    o.height = height_->value();
    o.dpi = dpi_->value();
    return o;
}

} // namespace bp::ui
