// The group table's formats, character for character: CSV (full-precision columns, RFC 4180 quoting, CRLF),
// Markdown and LaTeX (mean ± std, a figure's own n where a run lacks it, the p-value), and the texts of
// a summary and a p-value.
#include "core/study/group_table.h"
#include <QtTest>

using namespace bp::study;

namespace {

// G1: final {10, 12, 14} (12 ± 2), best {9, 11, 13} (11 ± 2). G2: final {20, 21, 22} (21 ± 1), best of two
// of its three runs {19, 20} (19.5 ± 0.7071).
GroupTable table() {
    GroupTable t;
    t.figures = {"Final test error (%)", "Best test error (%)"};
    t.pTitle = "p vs G1";
    t.rows.push_back({"G1 hidden_lr=0.1", 3, {summary({10, 12, 14}), summary({9, 11, 13})}, std::nullopt});
    t.rows.push_back(
        {"G2 hidden_lr=0.2, rule=burstprop", 3, {summary({20, 21, 22}), summary({19, 20})}, 0.0123});
    return t;
}

} // namespace

class TestGroupTable : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void csv() {
        const std::string expected =
            "group,n,Final test error (%) mean,Final test error (%) std,Final test error (%) n,"
            "Best test error (%) mean,Best test error (%) std,Best test error (%) n,p vs G1\r\n"
            "G1 hidden_lr=0.1,3,12.0000,2.0000,3,11.0000,2.0000,3,\r\n"
            "\"G2 hidden_lr=0.2, rule=burstprop\",3,21.0000,1.0000,3,19.5000,0.7071,2,0.012\r\n";
        QCOMPARE(groupTableCsv(table()), expected);
    }

    void markdown() {
        const std::string expected =
            "| Group | n | Final test error (%) | Best test error (%) | p vs G1 |\n"
            "| --- | ---: | ---: | ---: | ---: |\n"
            "| G1 hidden_lr=0.1 | 3 | 12.00 ± 2.00 | 11.00 ± 2.00 |  |\n"
            "| G2 hidden_lr=0.2, rule=burstprop | 3 | 21.00 ± 1.00 | 19.50 ± 0.71 (n=2) "
            "| 0.012 |\n";
        QCOMPARE(groupTableMarkdown(table()), expected);
    }

    void latex() {
        const std::string expected =
            "\\begin{tabular}{lrrrr}\n"
            "\\toprule\n"
            "Group & $n$ & Final test error (\\%) & Best test error (\\%) & p vs G1 \\\\\n"
            "\\midrule\n"
            "G1 hidden\\_lr=0.1 & 3 & $12.00 \\pm 2.00$ & $11.00 \\pm 2.00$ &  \\\\\n"
            "G2 hidden\\_lr=0.2, rule=burstprop & 3 & $21.00 \\pm 1.00$ & $19.50 \\pm 0.71$ ($n=2$) & "
            "$0.012$ "
            "\\\\\n"
            "\\bottomrule\n"
            "\\end{tabular}\n";
        QCOMPARE(groupTableLatex(table()), expected);
    }

    // Without a p column the tables end at the last figure; a lone "p" is set as math in LaTeX.
    void pColumnOptional() {
        GroupTable t = table();
        t.pTitle.clear();
        QVERIFY(groupTableMarkdown(t).find(" p ") == std::string::npos);
        const std::string csv = groupTableCsv(t);
        QCOMPARE(csv.substr(0, csv.find("\r\n")).substr(csv.find("Best test error (%) std")),
                 std::string("Best test error (%) std,Best test error (%) n"));
        t.pTitle = "p";
        QVERIFY(groupTableLatex(t).find("& $p$ \\\\") != std::string::npos);
        QVERIFY(groupTableLatex(t).find("{lrrrr}") != std::string::npos);
    }

    // A '|' in a name would end a Markdown cell, a '&' a LaTeX one.
    void specialCharactersEscaped() {
        GroupTable t;
        t.figures = {"a|b"};
        t.pTitle.clear();
        t.rows.push_back({"x & y_1 #2", 1, {summary({1.0})}, std::nullopt});
        QCOMPARE(groupTableMarkdown(t), std::string("| Group | n | a\\|b |\n| --- | ---: | ---: |\n"
                                                    "| x & y_1 #2 | 1 | 1.00 |\n"));
        QVERIFY(groupTableLatex(t).find("x \\& y\\_1 \\#2 & 1 & $1.00$ \\\\") != std::string::npos);
    }

    // Losses want more decimals than errors: a figure's own decimals, the table's for the others.
    void decimalsPerFigure() {
        GroupTable t = table();
        t.figureDecimals = {1};
        QVERIFY(groupTableMarkdown(t).find("| G1 hidden_lr=0.1 | 3 | 12.0 ± 2.0 | 11.00 ± 2.00 |  |\n") !=
                std::string::npos);
        QVERIFY(groupTableCsv(t).find("\r\nG1 hidden_lr=0.1,3,12.000,2.000,3,11.0000,2.0000,3,\r\n") !=
                std::string::npos);
        QVERIFY(groupTableLatex(t).find("& $12.0 \\pm 2.0$ & $11.00 \\pm 2.00$ &") != std::string::npos);
    }

    void texts() {
        QCOMPARE(meanStdText(summary({}), 2), std::string());
        QCOMPARE(meanStdText(summary({3.14159}), 2), std::string("3.14"));
        QCOMPARE(meanStdText(summary({1, 3}), 1), std::string("2.0 ± 1.4"));
        QCOMPARE(meanStdText(summary({1, 3}), 1, 5), std::string("2.0 ± 1.4 (n=2)"));
        QCOMPARE(pValueText(0.0123), std::string("0.012"));
        QCOMPARE(pValueText(3.2e-5), std::string("3.2e-05"));
        QCOMPARE(pValueText(0.5), std::string("0.5"));
    }
};

QTEST_APPLESS_MAIN(TestGroupTable)
#include "tst_group_table.moc"
