#pragma once
#include "core/config/hyperparameters.h"
#include "core/config/run_config.h"
#include "core/setup/defaults.h"
#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLayout;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace bp::ui {

class DatasetDownload;

// Every option of a run, generated from the core's hyperparameter table: ranges, units and meanings
// come from one place. Only the hyperparameters of the chosen rule are shown; an invalid value is
// marked at its field with the reason, and isValid() stays false until every field is right.
class RunForm : public QWidget {
    Q_OBJECT
  public:
    explicit RunForm(QWidget* parent = nullptr);

    void setConfig(const RunConfig& config);
    RunConfig config() const; // the values as they stand (check isValid() first)

    // The run's name, tags and notes as recorded in the run store (not part of the configuration).
    QString runName() const;
    QStringList tags() const;
    QString notes() const;
    void setRunInfo(const QString& name, const QStringList& tags, const QString& notes);
    bool isValid() const { return errors_.isEmpty(); }
    QStringList errors() const { return errors_.values(); }

    // For tests and "copy as command line": the editor of a hyperparameter by its key.
    QLineEdit* numberField(const QString& key) const { return numbers_.value(key); }
    QCheckBox* flagField(const QString& key) const { return flags_.value(key); }
    QComboBox* ruleBox() const { return rule_; }
    QComboBox* datasetBox() const { return dataset_; }
    QLineEdit* dataDirField() const { return dataDir_; }
    QLineEdit* hiddenWidthsField() const { return widths_; }
    QSpinBox* hiddenLayerCountField() const { return layerCount_; }
    QLineEdit* nameField() const { return name_; }
    QPushButton* downloadButton() const { return download_; }
    QLabel* dataStatusLabel() const { return dataStatus_; }
    // Empty and hidden unless the settings are known not to learn (core/setup/known_problems.h).
    QLabel* knownProblemsLabel() const { return knownProblems_; }

  Q_SIGNALS:
    void validityChanged(bool valid);

  private:
    void build();
    void applyRuleDefaults();
    void updateVisibility();
    void revalidate();
    void markField(QWidget* field, QLabel* note, const QString& error);
    void chooseDataFolder();
    void startDownload();
    void syncWidthsToCount(int count);

    QFormLayout* layout_ = nullptr;
    QComboBox* dataset_ = nullptr;
    QLineEdit* dataDir_ = nullptr;
    QLabel* dataStatus_ = nullptr;
    QLabel* knownProblems_ = nullptr;
    QComboBox* architecture_ = nullptr;
    QLineEdit* widths_ = nullptr;
    QSpinBox* layerCount_ = nullptr;
    QLayout* widthRow_ = nullptr;
    QPushButton* browse_ = nullptr;
    QPushButton* download_ = nullptr;
    DatasetDownload* downloader_ = nullptr;
    QLineEdit* name_ = nullptr;
    QLineEdit* tags_ = nullptr;
    QPlainTextEdit* notesEdit_ = nullptr;
    QComboBox* activation_ = nullptr;
    QComboBox* output_ = nullptr;
    QComboBox* rule_ = nullptr;
    QComboBox* perturbation_ = nullptr;
    QComboBox* optimizer_ = nullptr;
    QComboBox* dtype_ = nullptr;
    QLineEdit* seed_ = nullptr;
    QComboBox* device_ = nullptr;
    QHash<QString, QLineEdit*> numbers_;
    QHash<QString, QCheckBox*> flags_;
    QHash<QString, QLabel*> notes_;  // error text under each field
    QHash<QString, QString> errors_; // field key -> reason
    RunConfig base_;                 // values the form has no field for
};

} // namespace bp::ui
