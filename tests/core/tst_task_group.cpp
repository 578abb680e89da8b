// The weight updates' task group: every task runs exactly once, in order when not parallel, and two at a
// time on two threads (the check that would have caught the core being built without OpenMP, when
// at::parallel_for silently ran its "parallel" work on one thread).
#include "core/nn/task_group.h"
#include <ATen/Parallel.h>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using bp::TaskGroup;

class TestTaskGroup : public QObject {
    Q_OBJECT
    int threadsBefore_ = 1;

  private Q_SLOTS:
    void initTestCase() { threadsBefore_ = at::get_num_threads(); }
    void cleanupTestCase() { at::set_num_threads(threadsBefore_); }

    void everyTaskRunsOnce_data() {
        QTest::addColumn<int>("tasks");
        QTest::addColumn<int>("threads");
        QTest::addColumn<bool>("parallel");
        for (int threads : {1, 2, 4})
            for (int tasks : {0, 1, 2, 7, 50}) {
                const QByteArray name =
                    QByteArray::number(tasks) + " tasks, " + QByteArray::number(threads) + " threads";
                QTest::newRow(name.constData()) << tasks << threads << true;
            }
        QTest::newRow("7 tasks, not parallel") << 7 << 2 << false;
    }
    void everyTaskRunsOnce() {
        QFETCH(int, tasks);
        QFETCH(int, threads);
        QFETCH(bool, parallel);
        at::set_num_threads(threads);
        std::vector<std::atomic<int>> runs(static_cast<size_t>(tasks));
        TaskGroup group;
        for (int i = 0; i < tasks; ++i)
            group.add(static_cast<double>(i % 5), [&runs, i] { ++runs[static_cast<size_t>(i)]; });
        group.run(parallel);
        for (int i = 0; i < tasks; ++i)
            QCOMPARE(runs[static_cast<size_t>(i)].load(), 1);
        // The group is empty afterwards: running it again runs nothing.
        group.run(parallel);
        for (int i = 0; i < tasks; ++i)
            QCOMPARE(runs[static_cast<size_t>(i)].load(), 1);
    }

    void notParallelRunsInOrderOnTheCallingThread() {
        at::set_num_threads(2);
        std::vector<int> order;
        std::set<std::thread::id> where;
        TaskGroup group;
        for (int i = 0; i < 5; ++i)
            group.add(static_cast<double>(i), [&, i] {
                order.push_back(i);
                where.insert(std::this_thread::get_id());
            });
        group.run(false);
        QCOMPARE(order, (std::vector<int>{0, 1, 2, 3, 4}));
        QCOMPARE(where, (std::set<std::thread::id>{std::this_thread::get_id()}));
    }

    void twoTasksRunAtTheSameTime() {
        at::set_num_threads(2);
        // Each task waits (at most 10 s) until the other has started: run one after the other, the first
        // gives up waiting and the check fails instead of hanging.
        std::mutex mutex;
        std::condition_variable bothStarted;
        int started = 0;
        std::atomic<int> metTheOther{0};
        std::set<std::thread::id> where;
        auto task = [&] {
            std::unique_lock<std::mutex> lock(mutex);
            where.insert(std::this_thread::get_id());
            ++started;
            bothStarted.notify_all();
            if (bothStarted.wait_for(lock, std::chrono::seconds(10), [&] { return started == 2; }))
                ++metTheOther;
        };
        TaskGroup group;
        group.add(1.0, task);
        group.add(1.0, task);
        group.run(true);
        QCOMPARE(metTheOther.load(), 2);
        QCOMPARE(where.size(), size_t{2});
    }
};

QTEST_GUILESS_MAIN(TestTaskGroup)
#include "tst_task_group.moc"
