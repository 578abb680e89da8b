#pragma once
#include "ui/plots/plot_export.h"
#include <QDialog>

class QSpinBox;

namespace bp::ui {

// Asks for the size of each panel and the PNG resolution before a figure export.
class ExportOptionsDialog : public QDialog {
    Q_OBJECT
  public:
    explicit ExportOptionsDialog(const ExportOptions& initial, QWidget* parent = nullptr);
    ExportOptions options() const;
    QSpinBox* widthBox() const { return width_; }
    QSpinBox* heightBox() const { return height_; }
    QSpinBox* dpiBox() const { return dpi_; }

  private:
    QSpinBox* width_;
    QSpinBox* height_;
    QSpinBox* dpi_;
};

} // namespace bp::ui
