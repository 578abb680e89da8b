#pragma once
#include "core/study/statistics.h"
#include <optional>
#include <string>
#include <vector>

// A table of run groups — each figure as mean ± std over the group's runs, the runs counted, and a p-value —
// written as CSV, Markdown or LaTeX for a paper or a lab notebook.
namespace bp::study {

struct GroupTableRow {
    std::string name;             // e.g. "G1 hidden_lr=0.1"
    size_t runs = 0;              // the group's runs; a figure some run lacks says its own n
    std::vector<Summary> figures; // one per GroupTable::figures
    std::optional<double> p;      // Welch's p-value (absent for the reference group or without a test)
};

struct GroupTable {
    std::vector<std::string> figures; // column titles, e.g. "Final test error (%)"
    std::string pTitle = "p";         // the p-value column's title; empty: no such column
    int decimals = 2;                 // digits after the point of means and stds
    std::vector<int> figureDecimals;  // per figure where given (losses want more), else decimals
    std::vector<GroupTableRow> rows;
};

// "12.34 ± 0.56"; "12.34" for one run; "" for none. With runs given and summary.n different from it,
// " (n=2)" follows.
std::string meanStdText(const Summary& summary, int decimals, size_t runs = 0);
// p-values with two significant digits ("0.041", "3.2e-05").
std::string pValueText(double p);

// RFC 4180, CRLF line ends, numbers in full columns: group, n, then "<figure> mean", "<figure> std",
// "<figure> n" for each figure, then the p-value.
std::string groupTableCsv(const GroupTable& table);
// A GitHub pipe table: Group | n | each figure as "mean ± std" | p.
std::string groupTableMarkdown(const GroupTable& table);
// A booktabs tabular with "$mean \pm std$" cells; special characters escaped.
std::string groupTableLatex(const GroupTable& table);

} // namespace bp::study
