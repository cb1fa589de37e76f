// SPDX-License-Identifier: Apache-2.0
// diagnostics_test.cpp — which ODBC failures are retried: class 08 is, except when the server's
// own words say it refused the login or the database does not exist (messages as the drivers
// deliver them).
#include <catch2/catch.hpp>

#include "odbc_handles.h"

using ferry::StatusCode;
using ferry::odbc::code_for_diagnostic;

TEST_CASE("a refused login is Unauthorized whatever SQLSTATE wraps it", "[odbc][diagnostics]") {
    // psqlODBC 13 wraps PostgreSQL's FATAL errors at connect time in 08001.
    CHECK(code_for_diagnostic("08001", "connection to server at \"127.0.0.1\", port 5432 failed: "
                                       "FATAL:  password authentication failed for user \"app\"") ==
          StatusCode::Unauthorized);
    CHECK(code_for_diagnostic("08001", "FATAL:  role \"nosuchuser\" does not exist") ==
          StatusCode::Unauthorized);
    CHECK(code_for_diagnostic("08001", "FATAL:  no pg_hba.conf entry for host \"10.0.0.1\"") ==
          StatusCode::Unauthorized);
    CHECK(code_for_diagnostic("08004", "ORA-01017: invalid username/password; logon denied") ==
          StatusCode::Unauthorized);
    CHECK(code_for_diagnostic("08001", "FATAL:  database \"nope\" does not exist") ==
          StatusCode::InvalidArgument);
    CHECK(code_for_diagnostic("28000", "Access denied for user 'app'@'localhost'") ==
          StatusCode::Unauthorized);
}

TEST_CASE("connection trouble stays retryable", "[odbc][diagnostics]") {
    CHECK(code_for_diagnostic("08001", "could not connect to server: Connection refused") ==
          StatusCode::Unavailable);
    CHECK(code_for_diagnostic("08001", "FATAL:  the database system is starting up") ==
          StatusCode::Unavailable);
    CHECK(code_for_diagnostic("08S01", "Communication link failure") == StatusCode::Unavailable);
    CHECK(code_for_diagnostic("HYT00", "Timeout expired") == StatusCode::Unavailable);
    CHECK(code_for_diagnostic("42S02", "no such table: AC99") == StatusCode::InvalidArgument);
}
