// SPDX-License-Identifier: Apache-2.0
// ferry/status.h — Status: an error as a value, with a code, a message and a location.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>

namespace ferry {

/// One code per FERRY_E_* constant of the plugin ABI (same numeric values).
enum class StatusCode : std::int32_t {
    Ok = 0,
    InvalidArgument = 1, ///< bad option, dataset or request
    NotImplemented = 2,  ///< includes "ABI version not supported"
    NotFound = 3,
    Unavailable = 4, ///< transient (connection lost, timeout): the only code a host retries
    Io = 5,          ///< permanent I/O failure
    Data = 6,        ///< source unusable as a whole; per-record problems are rejects
    Unauthorized = 7,
    Cancelled = 8,
    Internal = 9, ///< bug, broken contract or caught exception
};

/// "invalid_argument", "not_found", … (stable, used in logs and JSON error bodies).
const char* status_code_name(StatusCode code) noexcept;

/// The result of an operation that returns nothing. OK costs one null pointer; an error carries
/// a message and, when known, where it happened: a location ("people.dat:1234", "SQLExecDirect"),
/// a field, a 1-based source record number, an ODBC SQLSTATE and a native (driver/HTTP/errno) code.
class [[nodiscard]] Status {
public:
    Status() noexcept = default; ///< OK
    Status(StatusCode code, std::string message);
    Status(const Status& other);
    Status& operator=(const Status& other);
    Status(Status&&) noexcept = default;
    Status& operator=(Status&&) noexcept = default;
    ~Status() = default;

    static Status invalid_argument(std::string message);
    static Status not_implemented(std::string message);
    static Status not_found(std::string message);
    static Status unavailable(std::string message);
    static Status io(std::string message);
    static Status data(std::string message);
    static Status unauthorized(std::string message);
    static Status cancelled(std::string message);
    static Status internal(std::string message);

    bool ok() const noexcept { return state_ == nullptr; }

    StatusCode code() const noexcept { return state_ ? state_->code : StatusCode::Ok; }

    /// Empty for OK.
    const std::string& message() const noexcept;
    const std::string& location() const noexcept;
    const std::string& field() const noexcept;

    /// 1-based source record number, or -1.
    std::int64_t record_no() const noexcept { return state_ ? state_->record_no : -1; }

    const std::string& sqlstate() const noexcept;

    std::int32_t native_code() const noexcept { return state_ ? state_->native_code : 0; }

    // Decorators for `return Status::data("…").with_field("id_number");`. On OK they do nothing.
    Status with_location(std::string location) &&;
    Status with_field(std::string field) &&;
    Status with_record_no(std::int64_t record_no) &&;
    Status with_sqlstate(std::string sqlstate) &&;
    Status with_native_code(std::int32_t native_code) &&;
    /// Prefixes the message: "opening stream: " + message. Keeps code and location.
    Status with_context(const std::string& context) &&;

    /// One line, says what and where:
    /// `people.dat:1234: record 17: field "id_number": check digit mismatch [data]`.
    std::string to_string() const;

private:
    struct State {
        StatusCode code;
        std::string message;
        std::string location;
        std::string field;
        std::int64_t record_no = -1;
        std::string sqlstate;
        std::int32_t native_code = 0;
    };

    std::unique_ptr<State> state_;
};

/// Thrown only on misuse (for example Result::value() on an error): a programmer error, never an
/// expected failure.
class BadResultAccess : public std::exception {
public:
    explicit BadResultAccess(Status status);

    const char* what() const noexcept override { return what_.c_str(); }

    const Status& status() const noexcept { return status_; }

private:
    Status status_;
    std::string what_;
};

} // namespace ferry

/// Returns the Status of `expr` from the enclosing function if it is an error. Expands to several
/// statements: wrap it in braces when it is the body of an `if`.
#define FERRY_RETURN_IF_ERROR(expr)                                                                \
    do {                                                                                           \
        ::ferry::Status ferry_status_ = ::ferry::detail::to_status(expr);                          \
        if (!ferry_status_.ok()) {                                                                 \
            return ferry_status_;                                                                  \
        }                                                                                          \
    } while (false)

namespace ferry::detail {
inline Status to_status(Status status) {
    return status;
}
} // namespace ferry::detail
