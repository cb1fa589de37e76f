// SPDX-License-Identifier: Apache-2.0
// odbc_handles.cpp — environment, connection and statement handles; diagnostics to Status.
#include "odbc_handles.h"

#include <algorithm>
#include <utility>

#include "text_decoding.h"

namespace ferry::odbc {

std::vector<Diagnostic> read_diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle) {
    std::vector<Diagnostic> records;
    // Bounded: drivers report a handful of records; a broken one must not loop forever.
    for (SQLSMALLINT record = 1; record <= 32; ++record) {
        SQLWCHAR state[6] = {};
        SQLINTEGER native = 0;
        SQLWCHAR text[1024] = {};
        SQLSMALLINT text_len = 0;
        const SQLRETURN rc = SQLGetDiagRecW(handle_type, handle, record, state, &native, text,
                                            static_cast<SQLSMALLINT>(std::size(text)), &text_len);
        if (!succeeded(rc)) {
            break;
        }
        Diagnostic diag;
        for (const SQLWCHAR unit : state) {
            if (unit != 0) {
                diag.sqlstate.push_back(static_cast<char>(unit));
            }
        }
        diag.native = native;
        const std::size_t units = std::min<std::size_t>(
            static_cast<std::size_t>(std::max<SQLSMALLINT>(text_len, 0)), std::size(text) - 1);
        (void)utf16_to_utf8(text, units, diag.message);
        records.push_back(std::move(diag));
    }
    return records;
}

StatusCode code_for_sqlstate(std::string_view sqlstate) noexcept {
    if (sqlstate.starts_with("08") || sqlstate == "HYT00" || sqlstate == "HYT01") {
        return StatusCode::Unavailable;
    }
    if (sqlstate.starts_with("28")) {
        return StatusCode::Unauthorized;
    }
    if (sqlstate.starts_with("42") || sqlstate == "HY009" || sqlstate == "HY024") {
        return StatusCode::InvalidArgument;
    }
    if (sqlstate == "HY008") {
        return StatusCode::Cancelled;
    }
    return StatusCode::Io;
}

namespace {

bool contains_ascii_ci(std::string_view text, std::string_view part) noexcept {
    const auto lower = [](char ch) {
        return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    };
    if (part.size() > text.size()) {
        return false;
    }
    for (std::size_t at = 0; at + part.size() <= text.size(); ++at) {
        std::size_t idx = 0;
        while (idx < part.size() && lower(text[at + idx]) == part[idx]) {
            ++idx;
        }
        if (idx == part.size()) {
            return true;
        }
    }
    return false;
}

} // namespace

StatusCode code_for_diagnostic(std::string_view sqlstate, std::string_view message) noexcept {
    if (sqlstate.starts_with("08")) {
        // Lower-case fragments of the servers' own refusals (PostgreSQL and its family, Oracle,
        // MySQL/MariaDB, SQL Server/Sybase, DB2), whatever SQLSTATE the driver wraps them in.
        static constexpr std::string_view kLoginRefused[] = {
            "authentication failed",  "no pg_hba.conf entry", "ora-01017",
            "access denied for user", "login failed",         "sql30082n"};
        for (const std::string_view fragment : kLoginRefused) {
            if (contains_ascii_ci(message, fragment)) {
                return StatusCode::Unauthorized;
            }
        }
        if (contains_ascii_ci(message, "fatal:") && contains_ascii_ci(message, "role \"") &&
            contains_ascii_ci(message, "does not exist")) {
            return StatusCode::Unauthorized; // an unknown user: PostgreSQL says "role"
        }
        if (contains_ascii_ci(message, "database \"") &&
            contains_ascii_ci(message, "does not exist")) {
            return StatusCode::InvalidArgument;
        }
    }
    return code_for_sqlstate(sqlstate);
}

Status odbc_error(std::string_view function, SQLSMALLINT handle_type, SQLHANDLE handle) {
    const std::vector<Diagnostic> records = read_diagnostics(handle_type, handle);
    if (records.empty()) {
        return Status(StatusCode::Io, std::string(function) + " failed without diagnostics")
            .with_location(std::string(function));
    }
    std::string message = std::string(function) + " failed: ";
    for (std::size_t idx = 0; idx < records.size(); ++idx) {
        if (idx > 0) {
            message += "; ";
        }
        message += "[" + records[idx].sqlstate + "] " + records[idx].message;
        if (records[idx].native != 0) {
            message += " (native " + std::to_string(records[idx].native) + ")";
        }
    }
    return Status(code_for_diagnostic(records.front().sqlstate, records.front().message),
                  std::move(message))
        .with_location(std::string(function))
        .with_sqlstate(records.front().sqlstate)
        .with_native_code(records.front().native);
}

Result<std::shared_ptr<Environment>> Environment::create() {
    std::shared_ptr<Environment> env(new Environment());
    if (!succeeded(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env->handle_))) {
        return Status::internal("SQLAllocHandle(SQL_HANDLE_ENV) failed")
            .with_location("SQLAllocHandle");
    }
    // ODBC 3.80 where the driver manager has it (unixODBC 2.3 does), else 3.
    SQLRETURN rc = SQLSetEnvAttr(env->handle_, SQL_ATTR_ODBC_VERSION,
                                 reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3_80), 0);
    if (!succeeded(rc)) {
        rc = SQLSetEnvAttr(env->handle_, SQL_ATTR_ODBC_VERSION,
                           reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
    }
    if (!succeeded(rc)) {
        return odbc_error("SQLSetEnvAttr", SQL_HANDLE_ENV, env->handle_);
    }
    return env;
}

Environment::~Environment() {
    if (handle_ != SQL_NULL_HENV) {
        SQLFreeHandle(SQL_HANDLE_ENV, handle_);
    }
}

namespace {

std::string get_info_text(SQLHDBC dbc, SQLUSMALLINT info) {
    SQLWCHAR buffer[128] = {};
    SQLSMALLINT bytes = 0;
    if (!succeeded(SQLGetInfoW(dbc, info, buffer, sizeof buffer, &bytes))) {
        return {};
    }
    const std::size_t units = std::min<std::size_t>(
        static_cast<std::size_t>(std::max<SQLSMALLINT>(bytes, 0)) / 2, std::size(buffer) - 1);
    std::string out;
    (void)utf16_to_utf8(buffer, units, out);
    return out;
}

// Runs `sql` (no result) on a statement of its own; the return code of the execution.
SQLRETURN execute_direct(SQLHDBC dbc, const char* sql) noexcept {
    SQLHSTMT stmt = SQL_NULL_HSTMT;
    if (!succeeded(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt))) {
        return SQL_ERROR;
    }
    SQLCHAR* text = reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql));
    const SQLRETURN rc = SQLExecDirect(stmt, text, SQL_NTS);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    return rc;
}

} // namespace

Result<Connection> Connection::open(std::shared_ptr<Environment> env,
                                    const std::string& connection_string,
                                    const Timeouts& timeouts,
                                    bool read_only) {
    Connection conn;
    conn.env_ = std::move(env);
    conn.timeouts_ = timeouts;
    if (!succeeded(SQLAllocHandle(SQL_HANDLE_DBC, conn.env_->handle(), &conn.handle_))) {
        return odbc_error("SQLAllocHandle(SQL_HANDLE_DBC)", SQL_HANDLE_ENV, conn.env_->handle());
    }
    if (timeouts.login_s > 0) {
        (void)SQLSetConnectAttrW(conn.handle_, SQL_ATTR_LOGIN_TIMEOUT,
                                 reinterpret_cast<SQLPOINTER>(timeouts.login_s), 0);
    }
    if (timeouts.connection_s > 0) {
        (void)SQLSetConnectAttrW(conn.handle_, SQL_ATTR_CONNECTION_TIMEOUT,
                                 reinterpret_cast<SQLPOINTER>(timeouts.connection_s), 0);
    }
    // Ferry only reads: a hint that lets drivers and servers refuse writes and skip locks.
    if (read_only) {
        (void)SQLSetConnectAttrW(conn.handle_, SQL_ATTR_ACCESS_MODE,
                                 reinterpret_cast<SQLPOINTER>(SQL_MODE_READ_ONLY), 0);
    }
    std::basic_string<SQLWCHAR> wide = to_sqlwchar(connection_string);
    SQLSMALLINT out_len = 0;
    const SQLRETURN rc =
        SQLDriverConnectW(conn.handle_, nullptr, wide.data(), static_cast<SQLSMALLINT>(wide.size()),
                          nullptr, 0, &out_len, SQL_DRIVER_NOPROMPT);
    // The wide copy held the password; do not leave it in freed memory longer than needed.
    std::fill(wide.begin(), wide.end(), SQLWCHAR{0});
    if (!succeeded(rc)) {
        return odbc_error("SQLDriverConnect", SQL_HANDLE_DBC, conn.handle_);
    }
    conn.connected_ = true;
    conn.quote_ = get_info_text(conn.handle_, SQL_IDENTIFIER_QUOTE_CHAR);
    if (conn.quote_ == " ") {
        conn.quote_.clear();
    }
    conn.dbms_ = get_info_text(conn.handle_, SQL_DBMS_NAME);
    return conn;
}

Connection::Connection(Connection&& other) noexcept
    : env_(std::move(other.env_))
    , handle_(std::exchange(other.handle_, nullptr))
    , connected_(std::exchange(other.connected_, false))
    , in_transaction_(std::exchange(other.in_transaction_, false))
    , timeouts_(other.timeouts_)
    , quote_(std::move(other.quote_))
    , dbms_(std::move(other.dbms_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        close();
        env_ = std::move(other.env_);
        handle_ = std::exchange(other.handle_, nullptr);
        connected_ = std::exchange(other.connected_, false);
        in_transaction_ = std::exchange(other.in_transaction_, false);
        timeouts_ = other.timeouts_;
        quote_ = std::move(other.quote_);
        dbms_ = std::move(other.dbms_);
    }
    return *this;
}

Connection::~Connection() {
    close();
}

void Connection::close() noexcept {
    if (handle_ != SQL_NULL_HDBC) {
        if (connected_ && in_transaction_) {
            // Some drivers refuse to disconnect inside a transaction (psqlODBC: 25000).
            if (dbms_ == "SQLite") {
                (void)execute_direct(handle_, "ROLLBACK");
            } else {
                (void)SQLEndTran(SQL_HANDLE_DBC, handle_, SQL_ROLLBACK);
            }
        }
        if (connected_) {
            SQLDisconnect(handle_);
        }
        SQLFreeHandle(SQL_HANDLE_DBC, handle_);
        handle_ = SQL_NULL_HDBC;
        connected_ = false;
    }
}

bool Connection::has_snapshot_reads() const noexcept {
    return dbms_ == "SQLite" || dbms_ == "PostgreSQL" || dbms_ == "MariaDB" || dbms_ == "MySQL";
}

Status Connection::begin_snapshot() {
    if (dbms_ == "SQLite") {
        // Not autocommit off: inside a transaction it knows of, the SQLite driver buffers every
        // result whole instead of stepping through it (StepAPI). A BEGIN of its own keeps the
        // stepping and still holds one read snapshot from the first SELECT to the end.
        FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(*this));
        SQLCHAR begin[] = "BEGIN";
        FERRY_RETURN_IF_ERROR(
            stmt.check(SQLExecDirect(stmt.handle(), begin, SQL_NTS), "SQLExecDirect(BEGIN)"));
        in_transaction_ = true;
        return {};
    }
    SQLRETURN rc = SQLSetConnectAttrW(handle_, SQL_ATTR_TXN_ISOLATION,
                                      reinterpret_cast<SQLPOINTER>(SQL_TXN_REPEATABLE_READ), 0);
    if (!succeeded(rc)) {
        return odbc_error("SQLSetConnectAttr(SQL_ATTR_TXN_ISOLATION)", SQL_HANDLE_DBC, handle_);
    }
    rc = SQLSetConnectAttrW(handle_, SQL_ATTR_AUTOCOMMIT,
                            reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_OFF), 0);
    if (!succeeded(rc)) {
        return odbc_error("SQLSetConnectAttr(SQL_ATTR_AUTOCOMMIT)", SQL_HANDLE_DBC, handle_);
    }
    in_transaction_ = true;
    return {};
}

Result<Statement> Statement::allocate(const Connection& connection) {
    Statement stmt;
    if (!succeeded(SQLAllocHandle(SQL_HANDLE_STMT, connection.handle(), &stmt.handle_))) {
        return odbc_error("SQLAllocHandle(SQL_HANDLE_STMT)", SQL_HANDLE_DBC, connection.handle());
    }
    if (connection.timeouts().query_s > 0) {
        (void)SQLSetStmtAttrW(stmt.handle_, SQL_ATTR_QUERY_TIMEOUT,
                              reinterpret_cast<SQLPOINTER>(connection.timeouts().query_s), 0);
    }
    return stmt;
}

Statement::Statement(Statement&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (handle_ != SQL_NULL_HSTMT) {
            SQLFreeHandle(SQL_HANDLE_STMT, handle_);
        }
        handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
}

Statement::~Statement() {
    if (handle_ != SQL_NULL_HSTMT) {
        SQLFreeHandle(SQL_HANDLE_STMT, handle_);
    }
}

void Statement::close_cursor() noexcept {
    SQLFreeStmt(handle_, SQL_CLOSE);
}

std::basic_string<SQLWCHAR> to_sqlwchar(std::string_view utf8) {
    return utf8_to_utf16(utf8);
}

} // namespace ferry::odbc
