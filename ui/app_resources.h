#pragma once
#include <QString>

namespace bp::ui {

// Registers the compiled-in resources (resources/resources.qrc): the built-in presets and the
// application icon. They live in the static burstprop_ui library, where nothing references them, so
// they must be registered by hand before the first use; calling this again does nothing.
void initResources();

// ":/burstprop/icons/burstprop-explorer.svg", registered (for QApplication::setWindowIcon).
QString applicationIconPath();

} // namespace bp::ui
