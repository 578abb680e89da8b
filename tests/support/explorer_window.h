#pragma once
// What the explorer's window tests share: a small MNIST-format data set and a window whose form trains a
// small network on it, recording into its own database.
#include <QString>
#include <memory>

namespace bp::ui {
class MainWindow;
}

namespace bp::test {

// Writes train (640 images) and t10k (100) bar images into dir (created); false when it cannot.
bool writeSmallDataset(const QString& dir);

// A window on databasePath whose form trains hidden widths `widths` for `epochs` epochs on the data in
// dataDir, one thread, angles every 5 batches.
std::unique_ptr<ui::MainWindow> smallRunWindow(const QString& databasePath, const QString& dataDir,
                                               int epochs, const QString& widths = QStringLiteral("32,16"));

} // namespace bp::test
