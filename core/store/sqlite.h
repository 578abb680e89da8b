#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

// A thin RAII layer over the SQLite C API: every failure becomes one bp::Error naming the database file,
// what was being done and SQLite's own message, so callers never repeat an error block.
namespace bp::sql {

class Database;
struct BusyWait;

// How long a connection waits for another process's lock before it fails with "locked past the busy timeout":
// writers (a recorder, a sweep, the explorer's edits) wait long, since several run processes may share one
// file on a loaded machine; read-only connections only meet a lock during WAL recovery.
constexpr std::chrono::milliseconds kWriterBusyTimeout{30000};
constexpr std::chrono::milliseconds kReaderBusyTimeout{5000};

// A file's size and its first bytes (fewer when it is shorter), read through SQLite's own file layer. A file
// that a connection of this process has open must not be opened and closed by other means: closing any
// descriptor of it drops every POSIX lock this process holds on it, and another process may then take
// itself for the last user, checkpoint and delete the WAL under a live connection ("database disk image is
// malformed" there). SQLite's unix layer keeps such a descriptor open until the locks are gone. nullopt
// when the file cannot be opened.
struct FileHead {
    uint64_t size = 0;
    std::string bytes;
};
std::optional<FileHead> readFileHead(const std::string& path, size_t bytes);

// A prepared statement. Parameters are bound by 1-based index; columns are read by 0-based index.
class Statement {
  public:
    Statement() = default;
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, double value); // NaN is stored as NULL (SQLite has no NaN)
    Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
    Statement& bind(int index, std::nullopt_t);
    template <typename T> Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, std::nullopt);
    }
    // bindAll(a, b, c) binds parameters 1, 2, 3.
    template <typename... Args> Statement& bindAll(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    bool step();  // true while a row is available, false when done
    void run();   // step to the end (statements without rows)
    void reset(); // ready to run again; bindings are kept until rebound

    bool isNull(int column) const;
    int64_t int64(int column) const;
    int integer(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const; // NULL reads as NaN
    std::optional<double> optionalReal(int column) const;
    std::string text(int column) const;

  private:
    [[noreturn]] void fail(int rc, const std::string& what) const;

    sqlite3* connection_ = nullptr; // the connection's handle: stable when its Database moves
    std::string path_;              // the file, for messages
    sqlite3_stmt* stmt_ = nullptr;
};

class Database {
  public:
    enum class Mode { ReadOnly, ReadWriteCreate };
    Database() = default;
    Database(const std::string& path, Mode mode); // throws bp::Error naming the path
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    bool isOpen() const { return db_ != nullptr; }
    const std::string& path() const { return path_; }
    sqlite3* handle() const { return db_; }

    void exec(const std::string& sql); // one or more statements without parameters or rows (DDL, pragmas)
    Statement prepare(const std::string& sql) { return Statement(*this, sql); }
    int64_t singleInt(const std::string& sql); // first column of the first row of a parameterless query
    int64_t lastInsertId() const;
    int changes() const;
    void close();
    // Retries a locked database for up to `timeout`, every few milliseconds with jitter. SQLite's own busy
    // timeout backs off to 100 ms sleeps and keeps losing the race to a process that commits often with short
    // gaps; short jittered retries find those gaps.
    void waitWhenBusy(std::chrono::milliseconds timeout);

    // Throws bp::Error "<path>: <what>: <SQLite message>" for result code rc.
    [[noreturn]] void fail(int rc, const std::string& what) const;

  private:
    sqlite3* db_ = nullptr;
    std::string path_;
    std::unique_ptr<BusyWait> busy_; // the busy handler's state: a stable address when the Database moves
};

// BEGIN IMMEDIATE (a writer waits for the busy timeout at the start, never mid-transaction) ...
// COMMIT; rolled back when destroyed uncommitted, as on an exception.
class Transaction {
  public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Database& db_;
    bool open_ = true;
};

} // namespace bp::sql
