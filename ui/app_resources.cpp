#include "ui/app_resources.h"
#include <QtGlobal>

// Q_INIT_RESOURCE declares the registration function, so it must be used from the global namespace.
static void registerResourcesOnce() {
    static const bool registered = [] {
        Q_INIT_RESOURCE(resources);
        return true;
    }();
    Q_UNUSED(registered);
}

namespace bp::ui {

void initResources() {
    registerResourcesOnce();
}

QString applicationIconPath() {
    initResources();
    return QStringLiteral(":/burstprop/icons/burstprop-explorer.svg");
}

} // namespace bp::ui
