#include "core/study/group_table.h"
#include "core/util/cell_text.h"
#include "core/util/number_text.h"

namespace bp::study {

namespace {

int decimalsOf(const GroupTable& table, size_t figure) {
    return figure < table.figureDecimals.size() ? table.figureDecimals[figure] : table.decimals;
}

std::string optionalFixed(const std::optional<double>& value, int decimals) {
    return value ? formatFixed(*value, decimals) : std::string();
}

} // namespace

std::string meanStdText(const Summary& summary, int decimals, size_t runs) {
    if (!summary.mean)
        return {};
    std::string text = formatFixed(*summary.mean, decimals);
    if (summary.std)
        text += " ± " + formatFixed(*summary.std, decimals);
    if (runs != 0 && summary.n != runs)
        text += " (n=" + std::to_string(summary.n) + ")";
    return text;
}

std::string pValueText(double p) {
    return formatNumber(p, 2);
}

std::string groupTableCsv(const GroupTable& table) {
    std::string out = "group,n";
    for (const std::string& figure : table.figures)
        out += "," + csvField(figure + " mean") + "," + csvField(figure + " std") + "," +
               csvField(figure + " n");
    if (!table.pTitle.empty())
        out += "," + csvField(table.pTitle);
    out += "\r\n";
    for (const GroupTableRow& row : table.rows) {
        out += csvField(row.name) + "," + std::to_string(row.runs);
        for (size_t f = 0; f < table.figures.size(); ++f) {
            const Summary s = f < row.figures.size() ? row.figures[f] : Summary{};
            out += "," + optionalFixed(s.mean, decimalsOf(table, f) + 2) + "," +
                   optionalFixed(s.std, decimalsOf(table, f) + 2) + "," + std::to_string(s.n);
        }
        if (!table.pTitle.empty())
            out += "," + (row.p ? pValueText(*row.p) : std::string());
        out += "\r\n";
    }
    return out;
}

std::string groupTableMarkdown(const GroupTable& table) {
    std::string header = "| Group | n |", rule = "| --- | ---: |";
    for (const std::string& figure : table.figures) {
        header += " " + markdownCell(figure) + " |";
        rule += " ---: |";
    }
    if (!table.pTitle.empty()) {
        header += " " + markdownCell(table.pTitle) + " |";
        rule += " ---: |";
    }
    std::string out = header + "\n" + rule + "\n";
    for (const GroupTableRow& row : table.rows) {
        out += "| " + markdownCell(row.name) + " | " + std::to_string(row.runs) + " |";
        for (size_t f = 0; f < table.figures.size(); ++f)
            out +=
                " " +
                (f < row.figures.size() ? meanStdText(row.figures[f], decimalsOf(table, f), row.runs) : "") +
                " |";
        if (!table.pTitle.empty())
            out += " " + (row.p ? pValueText(*row.p) : std::string()) + " |";
        out += "\n";
    }
    return out;
}

std::string groupTableLatex(const GroupTable& table) {
    const size_t columns = 2 + table.figures.size() + (table.pTitle.empty() ? 0 : 1);
    std::string out = "\\begin{tabular}{l" + std::string(columns - 1, 'r') + "}\n\\toprule\nGroup & $n$";
    for (const std::string& figure : table.figures)
        out += " & " + latexCell(figure);
    if (!table.pTitle.empty())
        out += " & " + (table.pTitle == "p" ? std::string("$p$") : latexCell(table.pTitle));
    out += " \\\\\n\\midrule\n";
    for (const GroupTableRow& row : table.rows) {
        out += latexCell(row.name) + " & " + std::to_string(row.runs);
        for (size_t f = 0; f < table.figures.size(); ++f) {
            const Summary s = f < row.figures.size() ? row.figures[f] : Summary{};
            out += " & ";
            if (s.mean) {
                out += "$" + formatFixed(*s.mean, decimalsOf(table, f));
                if (s.std)
                    out += " \\pm " + formatFixed(*s.std, decimalsOf(table, f));
                out += "$";
                if (s.n != row.runs)
                    out += " ($n=" + std::to_string(s.n) + "$)";
            }
        }
        if (!table.pTitle.empty())
            out += " & " + (row.p ? "$" + pValueText(*row.p) + "$" : std::string());
        out += " \\\\\n";
    }
    return out + "\\bottomrule\n\\end{tabular}\n";
}

} // namespace bp::study
