#include "core/store/sqlite.h"
#include "core/util/error.h"
#include <cmath>
#include <sqlite3.h>
#include <utility>

namespace bp::sql {

namespace {

// "<path>: <what>: <SQLite's message>", or a damaged-file message, as a bp::Error.
[[noreturn]] void failOn(sqlite3* db, const std::string& path, int rc, const std::string& what) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    const int primary = rc & 0xff;
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
        throw Error(path + ": damaged or not an SQLite database (" + message + "; " + what + ")");
    if (primary == SQLITE_BUSY)
        message += " (another process kept the database locked past the busy timeout)";
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
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

void Database::close() {
    if (db_)
        sqlite3_close_v2(db_); // statements still alive keep the connection until they are finalized
    db_ = nullptr;
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

} // namespace bp::sql
