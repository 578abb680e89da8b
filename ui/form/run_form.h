#pragma once
#include "core/config/hyperparameters.h"
#include "core/config/run_config.h"
#include "core/setup/defaults.h"
#include "ui/form/image_folder_summary.h"
#include <QFutureWatcher>
#include <QHash>
#include <QVector>
#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLayout;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace bp::ui {

class ChoiceSweep;
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
    // How many local processes train the run (an execution setting, not part of the configuration): more
    // than 1 trains it with burstprop-train --nproc N, data-parallel, recorded in the run database.
    int processes() const;
    QSpinBox* processesField() const { return processes_; }
    bool isValid() const { return errors_.isEmpty(); }
    // Sweeps (burstprop-train sweep): a number field may hold a list or range in the CLI's --grid syntax
    // ("0.01,0.03,0.1", "0.01..1:5:log", checked by core/study's parseSweepDimension), an on/off setting its
    // third state (both), the hidden widths and conv channels several shapes separated by ';'
    // ("500;500,500"), and each choice (rule, network, activation, output, optimizer, perturbation, dtype) a
    // set of its values (its "sweep" box). sweepGrid(): each as "key=spec", choices first, then the table's
    // order; empty when nothing sweeps. config() then has each swept field at its first value.
    bool isSweep() const { return !sweepGrid().isEmpty(); }
    QStringList sweepGrid() const;
    // A choice's sweep by its command-line key: rule, conv_net (the network: fc or the data set's conv net),
    // activation, output, optimizer, perturbation, dtype; nullptr for another key.
    ChoiceSweep* choiceSweep(const QString& key) const;
    QCheckBox* sweepRulesBox() const;
    QListWidget* sweepRulesList() const;
    QSpinBox* randomDrawsField() const { return randomDraws_; } // 0: every combination (the grid)
    QSpinBox* parallelField() const { return parallel_; }       // 0: automatic (cores / threads per run)
    int sweepParallel() const; // "run up to K at a time", the automatic value resolved
    QStringList errors() const { return errors_.values(); }

    // For tests and "copy as command line": the editor of a hyperparameter by its key.
    QLineEdit* numberField(const QString& key) const { return numbers_.value(key); }
    QCheckBox* flagField(const QString& key) const { return flags_.value(key); }
    QComboBox* ruleBox() const { return rule_; }
    QComboBox* datasetBox() const { return dataset_; }
    QComboBox* architectureBox() const { return architecture_; }
    QLineEdit* dataDirField() const { return dataDir_; }
    QLineEdit* hiddenWidthsField() const { return widths_; }
    // The ImageNet net's seven convolution widths, shown for that network only; filled with the reference's
    // widths for the rule (imagenetChannels) until the user types their own.
    QLineEdit* convChannelsField() const { return channels_; }
    QSpinBox* hiddenLayerCountField() const { return layerCount_; }
    QLineEdit* nameField() const { return name_; }
    QPushButton* downloadButton() const { return download_; }
    QLabel* dataStatusLabel() const { return dataStatus_; }
    // Image folders: whether the folder named is still being read (off the GUI thread) for its summary.
    bool isReadingFolder() const { return folderPending_; }
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
    void fitNetworkToDataset();
    void refreshDefaultChannels();
    // Image folders: the summary of the folder (or why it needs one), reading it when not read yet.
    void showImageFolderStatus(const RunConfig& c);
    void startFolderScan();
    void folderScanned();

    QFormLayout* layout_ = nullptr;
    QComboBox* dataset_ = nullptr;
    QLineEdit* dataDir_ = nullptr;
    QLabel* dataStatus_ = nullptr;
    QLabel* knownProblems_ = nullptr;
    QComboBox* architecture_ = nullptr;
    QLineEdit* widths_ = nullptr;
    QSpinBox* layerCount_ = nullptr;
    QLayout* widthRow_ = nullptr;
    QLayout* perturbationRow_ = nullptr;
    QLineEdit* channels_ = nullptr;
    bool channelsDefault_ = true; // channels_ shows imagenetChannels() of the form's configuration
    QString channelsError_;       // a part of channels_ that is not a whole number
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
    QSpinBox* processes_ = nullptr;
    QHash<QString, QLineEdit*> numbers_;
    QHash<QString, QCheckBox*> flags_;
    QHash<QString, QLabel*> notes_;       // error text under each field
    QHash<QString, QString> errors_;      // field key -> reason
    QHash<QString, QString> sweepSpecs_;  // number fields holding a valid sweep specification
    QHash<QString, double> sweepFirst_;   // their first value (or a range's low end), config()'s value
    QHash<QString, QString> sweepErrors_; // number fields holding a sweep specification that is wrong
    QHash<QString, QString> sweepShapes_; // hidden_widths / conv_channels sweeping: their first shape
    QVector<ChoiceSweep*> choiceSweeps_;  // in the order of sweepGrid()
    QSpinBox* randomDraws_ = nullptr;
    QSpinBox* parallel_ = nullptr;
    QWidget* sweepRow_ = nullptr;
    void readSweepFields();
    // A "sweep" box added to the choice's row (the form's last row) and its list as the form's next row;
    // the values offered are the box's entries.
    ChoiceSweep* addChoiceSweep(const QString& key, QComboBox* box, QHBoxLayout* row);
    void buildSweepRow();
    void refreshNetworkSweep();   // fc and the data set's conv net, when it has one
    QString widthsText() const;   // the hidden widths, the first shape while they sweep
    QString channelsText() const; // the same for the conv channels
    RunConfig base_;              // values the form has no field for
    // Image folders, read off the GUI thread: the folder (and whether only train/ is read) asked for, the
    // newest result, and the watcher of the scan under way. A short delay lets typing settle first.
    QTimer* scanDelay_ = nullptr;
    QFutureWatcher<ImageFolderScan>* scanWatcher_ = nullptr;
    QString wantedFolder_;
    bool wantedTrainOnly_ = false;
    bool folderPending_ = false;
    std::optional<ImageFolderScan> scan_;
};

} // namespace bp::ui
