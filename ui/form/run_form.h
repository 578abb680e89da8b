#pragma once
#include "core/config/hyperparameters.h"
#include "core/config/run_config.h"
#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace bp::ui {

// Every option of a run, generated from the core's hyperparameter table: ranges, units and meanings
// come from one place. Only the hyperparameters of the chosen rule are shown; an invalid value is
// marked at its field with the reason, and isValid() stays false until every field is right.
class RunForm : public QWidget {
    Q_OBJECT
public:
    explicit RunForm(QWidget* parent = nullptr);

    void setConfig(const RunConfig& config);
    RunConfig config() const; // the values as they stand (check isValid() first)
    bool isValid() const { return errors_.isEmpty(); }
    QStringList errors() const { return errors_.values(); }

    // For tests and "copy as command line": the editor of a hyperparameter by its key.
    QLineEdit* numberField(const QString& key) const { return numbers_.value(key); }
    QCheckBox* flagField(const QString& key) const { return flags_.value(key); }
    QComboBox* ruleBox() const { return rule_; }
    QComboBox* datasetBox() const { return dataset_; }
    QLineEdit* dataDirField() const { return dataDir_; }
    QLineEdit* hiddenWidthsField() const { return widths_; }

Q_SIGNALS:
    void validityChanged(bool valid);

private:
    void build();
    void applyRuleDefaults();
    void updateVisibility();
    void revalidate();
    void markField(QWidget* field, QLabel* note, const QString& error);

    QFormLayout* layout_ = nullptr;
    QComboBox* dataset_ = nullptr;
    QLineEdit* dataDir_ = nullptr;
    QLabel* dataStatus_ = nullptr;
    QComboBox* architecture_ = nullptr;
    QLineEdit* widths_ = nullptr;
    QComboBox* rule_ = nullptr;
    QComboBox* perturbation_ = nullptr;
    QLineEdit* seed_ = nullptr;
    QComboBox* device_ = nullptr;
    QHash<QString, QLineEdit*> numbers_;
    QHash<QString, QCheckBox*> flags_;
    QHash<QString, QLabel*> notes_;   // error text under each field
    QHash<QString, QString> errors_;  // field key -> reason
    RunConfig base_;                  // values the form has no field for
};

} // namespace bp::ui
