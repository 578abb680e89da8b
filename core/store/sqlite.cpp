#include "core/store/sqlite.h"
#include "core/util/error.h"
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <sqlite3.h>
#include <thread>
#include <utility>

namespace bp::sql {

struct BusyWait {
    std::chrono::milliseconds timeout{0};
    std::chrono::steady_clock::time_point start;
    std::minstd_rand jitter{std::random_device{}()};
};

namespace {

// SQLite calls this while another connection holds the lock; count is 0 at the first call of each wait.
extern "C" int retryWhileBusy(void* state, int count) {
    auto* wait = static_cast<BusyWait*>(state);
    const auto now = std::chrono::steady_clock::now();
    if (count == 0)
        wait->start = now;
    if (now - wait->start >= wait->timeout)
        return 0; // give up: the statement fails with SQLITE_BUSY
    const int bound = count < 8 ? count + 1 : 8;
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + static_cast<int>(wait->jitter() % bound)));
    return 1;
}

// "<path>: <what>: <SQLite's message>", or a damaged-file message, as a bp::Error.
[[noreturn]] void failOn(sqlite3* db, const std::string& path, int rc, const std::string& what) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const int primary = rc & 0xff;
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
        throw Error(path + ": damaged or not an SQLite database (" + message + "; " + what + ")");
    if (primary == SQLITE_BUSY)
        message += rc == SQLITE_BUSY_SNAPSHOT
                       ? " (this connection was still reading an older snapshot when it began to write)"
                       : " (another process kept the database locked past the busy timeout)";
    throw Error(path + ": " + what + ": " + message);
}

} // namespace

// ---- Statement ----

// A statement keeps the connection's handle and the file's name, not the Database object: moving a Database
// (a RunStore member being assigned) leaves its statements valid.
Statement::Statement(Database& db, const std::string& sql) : connection_(db.handle()), path_(db.path()) {
    const int rc =
        sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK)
        db.fail(rc, "cannot prepare \"" + sql.substr(0, 60) + "\"");
}

void Statement::fail(int rc, const std::string& what) const {
    failOn(connection_, path_, rc, what);
}

Statement::~Statement() {
    if (stmt_)
        sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)), path_(std::move(other.path_)),
      stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (stmt_)
            sqlite3_finalize(stmt_);
        connection_ = std::exchange(other.connection_, nullptr);
        path_ = std::move(other.path_);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

Statement& Statement::bind(int index, int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK)
        fail(rc, "cannot bind parameter " + std::to_string(index));
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (std::isnan(value))
        return bind(index, std::nullopt);
    const int rc = sqlite3_bind_double(stmt_, index, value);
    if (rc != SQLITE_OK)
        fail(rc, "cannot bind parameter " + std::to_string(index));
    return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
    const int rc =
        sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK)
        fail(rc, "cannot bind parameter " + std::to_string(index));
    return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK)
        fail(rc, "cannot bind parameter " + std::to_string(index));
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    sqlite3_reset(stmt_); // leave the statement reusable after e.g. SQLITE_BUSY
    fail(rc, "cannot run \"" + std::string(sqlite3_sql(stmt_)).substr(0, 60) + "\"");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const {
    return isNull(column) ? std::nan("") : sqlite3_column_double(stmt_, column);
}

std::optional<double> Statement::optionalReal(int column) const {
    if (isNull(column))
        return std::nullopt;
    return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return data ? std::string(data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

// ---- Database ----

Database::Database(const std::string& path, Mode mode) : path_(path) {
    const int flags =
        (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Error(path + ": cannot open the database: " + message);
    }
}

Database::~Database() {
    close();
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)), busy_(std::move(other.busy_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
        busy_ = std::move(other.busy_);
    }
    return *this;
}

void Database::close() {
    if (db_) {
        // Statements still alive keep the connection until they are finalized: hand them SQLite's own busy
        // timeout, which keeps no state here, before busy_ goes.
        if (busy_)
            sqlite3_busy_timeout(db_, static_cast<int>(busy_->timeout.count()));
        sqlite3_close_v2(db_);
    }
    db_ = nullptr;
}

void Database::waitWhenBusy(std::chrono::milliseconds timeout) {
    if (!busy_)
        busy_ = std::make_unique<BusyWait>();
    busy_->timeout = timeout;
    sqlite3_busy_handler(db_, retryWhileBusy, busy_.get());
}

void Database::exec(const std::string& sql) {
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        fail(rc, "cannot run \"" + sql.substr(0, 60) + "\"");
}

int64_t Database::singleInt(const std::string& sql) {
    Statement s = prepare(sql);
    return s.step() ? s.int64(0) : 0;
}

int64_t Database::lastInsertId() const {
    return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
    return sqlite3_changes(db_);
}

void Database::fail(int rc, const std::string& what) const {
    failOn(db_, path_, rc, what);
}

// ---- Transaction ----

Transaction::Transaction(Database& db) : db_(db) {
    // A statement that has stepped and not finished holds a read snapshot: a write transaction begun beside
    // it fails at once with SQLITE_BUSY_SNAPSHOT whenever another process committed in between (no busy wait
    // can help), so that is a bug here, refused where it happens rather than once in a while under load.
    for (sqlite3_stmt* s = sqlite3_next_stmt(db.handle(), nullptr); s; s = sqlite3_next_stmt(db.handle(), s))
        if (sqlite3_stmt_busy(s))
            throw Error(db.path() + ": internal error: a write transaction was begun while \"" +
                        std::string(sqlite3_sql(s)).substr(0, 60) + "\" was still reading");
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (open_)
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.exec("COMMIT");
    open_ = false;
}

std::optional<FileHead> readFileHead(const std::string& path, size_t bytes) {
    sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
    if (!vfs)
        return std::nullopt;
    // A main database file's name as SQLite's own layer expects it (full path, with room for URI parameters).
    const char* name = sqlite3_create_filename(path.c_str(), "", "", 0, nullptr);
    auto* file = static_cast<sqlite3_file*>(sqlite3_malloc(vfs->szOsFile));
    if (!name || !file) {
        sqlite3_free_filename(name);
        sqlite3_free(file);
        return std::nullopt;
    }
    std::memset(file, 0, static_cast<size_t>(vfs->szOsFile));
    int flags = 0;
    std::optional<FileHead> head;
    if (vfs->xOpen(vfs, name, file, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &flags) == SQLITE_OK) {
        sqlite3_int64 size = 0;
        if (file->pMethods->xFileSize(file, &size) == SQLITE_OK && size >= 0) {
            head = FileHead{static_cast<uint64_t>(size), {}};
            head->bytes.resize(std::min<uint64_t>(bytes, head->size));
            const int rc = head->bytes.empty()
                               ? SQLITE_OK
                               : file->pMethods->xRead(file, head->bytes.data(),
                                                       static_cast<int>(head->bytes.size()), 0);
            if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
                head.reset();
        }
    }
    if (file->pMethods)
        file->pMethods->xClose(file);
    sqlite3_free(file);
    sqlite3_free_filename(name);
    return head;
}

} // namespace bp::sql
