#pragma once
#include <QString>

class QAbstractItemModel;

namespace bp::ui {

// A table model as text: a header row (cornerLabel, then the horizontal headers) and one line per row (its
// vertical header, then the display text of each cell).
QString toCsv(const QAbstractItemModel& model, const QString& cornerLabel = {});      // RFC 4180, CRLF lines
QString toMarkdown(const QAbstractItemModel& model, const QString& cornerLabel = {}); // GitHub pipe table
QString toLatex(const QAbstractItemModel& model, const QString& cornerLabel = {});    // booktabs tabular

// Writes text as UTF-8, atomically (QSaveFile). False with a message naming the path in *error on failure.
bool writeTextFile(const QString& path, const QString& text, QString* error);

} // namespace bp::ui
