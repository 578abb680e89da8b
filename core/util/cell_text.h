#pragma once
#include <string>

// One cell of a table written for another program: CSV, Markdown, LaTeX. Only ASCII bytes are changed, so
// UTF-8 text passes through whole.
namespace bp {

// A CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a comma, quote, line break or a
// space at either end.
std::string csvField(const std::string& text);

// A Markdown table cell: '|' escaped, line breaks written as <br>.
std::string markdownCell(const std::string& text);

// LaTeX text for a tabular cell: & % $ # _ { } escaped, \ ~ ^ spelled out, line breaks as spaces.
std::string latexCell(const std::string& text);

} // namespace bp
