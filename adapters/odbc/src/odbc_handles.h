// SPDX-License-Identifier: Apache-2.0
// odbc_handles.h — RAII over ODBC handles (nanodbc-style) and diagnostics as ferry::Status.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <sql.h>
#include <sqlext.h>

#include "ferry/result.h"
#include "ferry/status.h"

namespace ferry::odbc {

// unixODBC's SQLWCHAR is a UTF-16 code unit; the text paths rely on it.
static_assert(std::is_same_v<SQLWCHAR, std::uint16_t>);

/// One diagnostic record of a handle.
struct Diagnostic {
    std::string sqlstate;
    SQLINTEGER native = 0;
    std::string message;
};

/// Reads every diagnostic record of `handle` (SQL_SUCCESS_WITH_INFO and errors alike).
std::vector<Diagnostic> read_diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle);

/// True when `rc` is SQL_SUCCESS or SQL_SUCCESS_WITH_INFO.
inline bool succeeded(SQLRETURN rc) noexcept {
    return rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO;
}

/// The Status for a failed ODBC call: every diagnostic record in the message, the ODBC function
/// as location, the first SQLSTATE. Class 08 -> Unavailable (retryable), 28 -> Unauthorized,
/// 42 -> InvalidArgument, HYT00/HYT01 (timeouts) -> Unavailable, others -> Io.
Status odbc_error(std::string_view function, SQLSMALLINT handle_type, SQLHANDLE handle);

/// The StatusCode an SQLSTATE maps to (see odbc_error).
StatusCode code_for_sqlstate(std::string_view sqlstate) noexcept;

/// The StatusCode of one diagnostic record: its SQLSTATE's, except that a class 08 record whose
/// message says the server refused the login (psqlODBC reports a wrong password or an unknown
/// role as 08001) is Unauthorized, and one naming a database that does not exist is
/// InvalidArgument: neither gets better by retrying, and retried logins can lock accounts.
StatusCode code_for_diagnostic(std::string_view sqlstate, std::string_view message) noexcept;

/// The environment handle, ODBC 3.8 behaviour, connection pooling off. Shared by all connections.
class Environment {
public:
    static Result<std::shared_ptr<Environment>> create();
    ~Environment();
    Environment(const Environment&) = delete;
    Environment& operator=(const Environment&) = delete;

    SQLHENV handle() const noexcept { return handle_; }

private:
    Environment() = default;
    SQLHENV handle_ = SQL_NULL_HENV;
};

/// Timeouts in seconds (0 = the driver's default / no limit).
struct Timeouts {
    SQLULEN login_s = 15;
    SQLULEN connection_s = 15;
    SQLULEN query_s = 0;
};

/// One connection. Movable, not copyable; disconnects and frees on destruction.
class Connection {
public:
    /// Connects through the W API (drivers then report text as SQL_WVARCHAR). The connection
    /// string may hold a password: it is never put into a message.
    /// `read_only` (the default: Ferry only reads) asks the driver for SQL_MODE_READ_ONLY.
    static Result<Connection> open(std::shared_ptr<Environment> env,
                                   const std::string& connection_string,
                                   const Timeouts& timeouts,
                                   bool read_only = true);
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    SQLHDBC handle() const noexcept { return handle_; }

    const Timeouts& timeouts() const noexcept { return timeouts_; }

    /// SQL_IDENTIFIER_QUOTE_CHAR ("\"" or "`"; empty if the driver has none).
    const std::string& quote() const noexcept { return quote_; }

    /// SQL_DBMS_NAME, for per-driver behaviour ("SQLite", "PostgreSQL", "MariaDB").
    const std::string& dbms() const noexcept { return dbms_; }

    /// True when begin_snapshot() gives every later statement one consistent view of the data
    /// (SQLite, PostgreSQL, MariaDB/MySQL InnoDB); other systems are not assumed to.
    bool has_snapshot_reads() const noexcept;

    /// Turns autocommit off (REPEATABLE READ where the driver takes an isolation level), so
    /// every statement from here on runs in one transaction and sees the rows its first one
    /// saw. The transaction is rolled back when the connection closes: Ferry never writes.
    Status begin_snapshot();

private:
    Connection() = default;
    void close() noexcept;

    std::shared_ptr<Environment> env_;
    SQLHDBC handle_ = SQL_NULL_HDBC;
    bool connected_ = false;
    bool in_transaction_ = false;
    Timeouts timeouts_;
    std::string quote_;
    std::string dbms_;
};

/// One statement on a connection (which must outlive it).
class Statement {
public:
    static Result<Statement> allocate(const Connection& connection);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    SQLHSTMT handle() const noexcept { return handle_; }

    /// The Status for the last failed call on this statement.
    Status error(std::string_view function) const {
        return odbc_error(function, SQL_HANDLE_STMT, handle_);
    }

    Status check(SQLRETURN rc, std::string_view function) const {
        return succeeded(rc) ? Status() : error(function);
    }

    /// SQLCloseCursor-like: ends the current result set, keeps the prepared plan and bindings.
    void close_cursor() noexcept;

private:
    Statement() = default;
    SQLHSTMT handle_ = SQL_NULL_HSTMT;
};

/// UTF-8 to SQLWCHAR (UTF-16, 2 bytes under unixODBC), for SQL text and parameters.
std::basic_string<SQLWCHAR> to_sqlwchar(std::string_view utf8);

} // namespace ferry::odbc
