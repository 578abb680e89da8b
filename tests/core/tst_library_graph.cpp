// The core's libraries depend on each other one way (core/CMakeLists.txt; core/layers.cmake stops the
// configure step on an include that breaks the layering), and the explorer does not link the CLI's
// commands. Read from the link graph CMake writes at configure time (<build>/core-library-graph.txt).
#include <QFile>
#include <QMap>
#include <QSet>
#include <QtTest>

namespace {

QMap<QString, QStringList> readGraph() {
    QMap<QString, QStringList> graph;
    QFile f(QStringLiteral(BURSTPROP_LIBRARY_GRAPH));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return graph;
    for (const QByteArray& raw : f.readAll().split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        const int colon = line.indexOf(':');
        if (colon < 0)
            continue;
        graph[line.left(colon).trimmed()] = line.mid(colon + 1).split(' ', Qt::SkipEmptyParts);
    }
    return graph;
}

// Every target reachable from `from` through link dependencies.
QSet<QString> reachable(const QMap<QString, QStringList>& graph, const QString& from) {
    QSet<QString> seen;
    QStringList queue{from};
    while (!queue.isEmpty()) {
        const QString t = queue.takeFirst();
        for (const QString& d : graph.value(t))
            if (!seen.contains(d)) {
                seen.insert(d);
                queue << d;
            }
    }
    return seen;
}

} // namespace

class TestLibraryGraph : public QObject {
    Q_OBJECT
    QMap<QString, QStringList> graph_;
  private Q_SLOTS:
    void initTestCase() {
        graph_ = readGraph();
        QVERIFY2(graph_.size() >= 15, BURSTPROP_LIBRARY_GRAPH " is missing or incomplete");
    }

    void noLoops() {
        for (auto it = graph_.begin(); it != graph_.end(); ++it)
            QVERIFY2(!reachable(graph_, it.key()).contains(it.key()),
                     qPrintable(it.key() + " depends on itself"));
    }

    void layersRunOneWay() {
        // A few of the rules that the layering states.
        QVERIFY(!reachable(graph_, "burstprop_rules").contains("burstprop_optim"));
        QVERIFY(!reachable(graph_, "burstprop_optim").contains("burstprop_rules"));
        QVERIFY(!reachable(graph_, "burstprop_checkpoint").contains("burstprop_train"));
        QVERIFY(!reachable(graph_, "burstprop_checkpoint").contains("burstprop_store"));
        QVERIFY(!reachable(graph_, "burstprop_store").contains("burstprop_train"));
        QVERIFY(!reachable(graph_, "burstprop_config").contains("burstprop_nn"));
        QVERIFY(reachable(graph_, "burstprop_train").contains("burstprop_checkpoint"));
    }

    void explorerDoesNotLinkTheCli() {
        QVERIFY2(graph_.contains("burstprop-explorer"), "the explorer is not in the graph");
        const QSet<QString> explorer = reachable(graph_, "burstprop-explorer");
        QVERIFY(explorer.contains("burstprop_ui"));
        QVERIFY(explorer.contains("burstprop_runs"));
        QVERIFY(!explorer.contains("burstprop_cli"));
        QVERIFY(reachable(graph_, "burstprop-train").contains("burstprop_cli"));
    }
};

QTEST_GUILESS_MAIN(TestLibraryGraph)
#include "tst_library_graph.moc"
