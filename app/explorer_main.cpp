// burstprop-explorer: the Qt explorer over the core trainer.
#include "ui/window/main_window.h"
#include <QApplication>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("burstprop-explorer"));
    QApplication::setOrganizationName(QStringLiteral("burstprop-explorer"));
    QApplication::setApplicationVersion(QStringLiteral(BURSTPROP_VERSION));
    bp::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
