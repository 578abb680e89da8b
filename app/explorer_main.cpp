// burstprop-explorer: the Qt explorer over the core trainer (burstprop-explorer --help).
#include "ui/app_resources.h"
#include "ui/window/main_window.h"
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("burstprop-explorer"));
    QApplication::setOrganizationName(QStringLiteral("burstprop-explorer"));
    QApplication::setApplicationVersion(QStringLiteral(BURSTPROP_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("burstprop-explorer"));
    bp::ui::initResources();
    QApplication::setWindowIcon(QIcon(bp::ui::applicationIconPath()));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Train and compare burstprop networks (Payeur et al. 2021)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption database(QStringLiteral("db"),
                                      QStringLiteral("The run database (default: the one chosen last, else "
                                                     "~/.local/share/burstprop-explorer/runs.sqlite)."),
                                      QStringLiteral("file"));
    parser.addOption(database);
    parser.process(app);

    bp::ui::MainWindow window(parser.value(database));
    window.show();
    return QApplication::exec();
}
