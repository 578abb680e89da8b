#include "ui/compare/hyperparameter_export.h"
#include "core/util/cell_text.h"
#include <QAbstractItemModel>
#include <QSaveFile>
#include <QStringList>
#include <functional>

namespace bp::ui {

namespace {

// Every line of the table, header first, each a list of raw cell texts.
QList<QStringList> tableLines(const QAbstractItemModel& model, const QString& cornerLabel) {
    QList<QStringList> lines;
    QStringList header{cornerLabel};
    for (int c = 0; c < model.columnCount(); ++c)
        header << model.headerData(c, Qt::Horizontal).toString();
    lines << header;
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList line{model.headerData(r, Qt::Vertical).toString()};
        for (int c = 0; c < model.columnCount(); ++c)
            line << model.data(model.index(r, c)).toString();
        lines << line;
    }
    return lines;
}

// The core's cell escaping (core/util/cell_text.h), for QStrings.
QString csvField(const QString& text) {
    return QString::fromStdString(bp::csvField(text.toStdString()));
}
QString markdownCell(const QString& text) {
    return QString::fromStdString(bp::markdownCell(text.toStdString()));
}
QString latexCell(const QString& text) {
    return QString::fromStdString(bp::latexCell(text.toStdString()));
}

QStringList mapped(const QStringList& cells, const std::function<QString(const QString&)>& f) {
    QStringList out;
    for (const QString& cell : cells)
        out << f(cell);
    return out;
}

} // namespace

QString toCsv(const QAbstractItemModel& model, const QString& cornerLabel) {
    QString out;
    for (const QStringList& line : tableLines(model, cornerLabel))
        out += mapped(line, csvField).join(QLatin1Char(',')) + QLatin1String("\r\n");
    return out;
}

QString toMarkdown(const QAbstractItemModel& model, const QString& cornerLabel) {
    const QList<QStringList> lines = tableLines(model, cornerLabel);
    QString out;
    for (int i = 0; i < lines.size(); ++i) {
        out += QLatin1String("| ") + mapped(lines[i], markdownCell).join(QLatin1String(" | ")) +
               QLatin1String(" |\n");
        if (i == 0) {
            QStringList rule;
            for (int c = 0; c < lines[0].size(); ++c)
                rule << QStringLiteral("---");
            out += QLatin1String("| ") + rule.join(QLatin1String(" | ")) + QLatin1String(" |\n");
        }
    }
    return out;
}

QString toLatex(const QAbstractItemModel& model, const QString& cornerLabel) {
    const QList<QStringList> lines = tableLines(model, cornerLabel);
    QString out = QStringLiteral("\\begin{tabular}{%1}\n").arg(QString(lines[0].size(), QLatin1Char('l')));
    out += QLatin1String("\\toprule\n");
    for (int i = 0; i < lines.size(); ++i) {
        out += mapped(lines[i], latexCell).join(QLatin1String(" & ")) + QLatin1String(" \\\\\n");
        if (i == 0)
            out += QLatin1String("\\midrule\n");
    }
    out += QLatin1String("\\bottomrule\n\\end{tabular}\n");
    return out;
}

bool writeTextFile(const QString& path, const QString& text, QString* error) {
    QSaveFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace bp::ui
