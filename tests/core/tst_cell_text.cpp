// Table cells written for other programs (core/util/cell_text.h): CSV, Markdown and LaTeX escaping.
#include "core/util/cell_text.h"
#include <QtTest>

using namespace bp;

class TestCellText : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void cells_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("csv");
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("latex");
        QTest::newRow("plain") << "hidden_lr"
                               << "hidden_lr"
                               << "hidden_lr"
                               << "hidden\\_lr";
        QTest::newRow("comma") << "a,b"
                               << "\"a,b\""
                               << "a,b"
                               << "a,b";
        QTest::newRow("quote") << "say \"hi\""
                               << "\"say \"\"hi\"\"\""
                               << "say \"hi\""
                               << "say \"hi\"";
        QTest::newRow("edge space") << " x"
                                    << "\" x\""
                                    << " x"
                                    << " x";
        QTest::newRow("line breaks") << "a\r\nb\nc"
                                     << "\"a\r\nb\nc\""
                                     << "a<br>b<br>c"
                                     << "a  b c";
        QTest::newRow("pipe") << "a|b"
                              << "a|b"
                              << "a\\|b"
                              << "a|b";
        QTest::newRow("latex specials") << "50% & $x_1$ #{}"
                                        << "50% & $x_1$ #{}"
                                        << "50% & $x_1$ #{}"
                                        << "50\\% \\& \\$x\\_1\\$ \\#\\{\\}";
        QTest::newRow("spelled out") << "~^\\"
                                     << "~^\\"
                                     << "~^\\"
                                     << "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}";
        QTest::newRow("utf-8") << "η ± σ"
                               << "η ± σ"
                               << "η ± σ"
                               << "η ± σ";
        QTest::newRow("empty") << ""
                               << ""
                               << ""
                               << "";
    }
    void cells() {
        QFETCH(QString, text);
        QFETCH(QString, csv);
        QFETCH(QString, markdown);
        QFETCH(QString, latex);
        const std::string t = text.toStdString();
        QCOMPARE(QString::fromStdString(csvField(t)), csv);
        QCOMPARE(QString::fromStdString(markdownCell(t)), markdown);
        QCOMPARE(QString::fromStdString(latexCell(t)), latex);
    }
};

QTEST_GUILESS_MAIN(TestCellText)
#include "tst_cell_text.moc"
