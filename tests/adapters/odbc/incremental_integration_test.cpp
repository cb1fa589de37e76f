// SPDX-License-Identifier: Apache-2.0
// incremental_integration_test.cpp — the two known ways a timestamp sync loses rows, on real
// servers with real transactions: a transaction that commits after a sync with an older cursor
// value than the checkpoint (out-of-order commit), and a row committed later with a cursor equal
// to the checkpoint's but a smaller tie-breaker. With an overlap every row arrives exactly once;
// without one (the negative control) both are lost.
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "odbc_handles.h"
#include "odbc_test_support.h"
#include "server_support.h"

using namespace ferry::odbc;
using namespace ferry::odbc::test;

namespace {

/// A "YYYY-MM-DD HH:MM:SS" time as a cursor column of `format` holds it ("" keeps it).
std::string as_cursor(const std::string& time, const std::string& format) {
    if (format.empty()) {
        return time;
    }
    std::string digits;
    for (const char ch : time) {
        if (ch >= '0' && ch <= '9') {
            digits.push_back(ch);
        }
    }
    return digits.substr(0, format.size());
}

/// How often each row of `ev` was delivered over two incremental runs with `incremental`
/// settings, with a transaction committing between them.
std::map<std::string, int> sync_with_late_commit(nlohmann::json options,
                                                 const std::string& timestamp_type,
                                                 const nlohmann::json& incremental) {
    const std::string format = incremental.value("cursor_format", std::string());
    const auto at = [&format](const char* time) { return "'" + as_cursor(time, format) + "'"; };
    const std::string writable = connection_string_of(options);
    execute_sql(writable, {"DROP TABLE IF EXISTS ev",
                           "CREATE TABLE ev (id VARCHAR(20) NOT NULL PRIMARY KEY, changed " +
                               timestamp_type + " NOT NULL, amount DECIMAL(10,2))",
                           "INSERT INTO ev VALUES ('r1', " + at("2026-01-01 10:00:00") +
                               ", 1.00), ('r0', " + at("2026-01-01 10:00:01") + ", 2.00), ('r2', " +
                               at("2026-01-01 10:00:01") + ", 3.00)"});
    auto env = Environment::create();
    REQUIRE(env.ok());
    auto writer = Connection::open(*env, writable, Timeouts{}, false);
    REQUIRE(writer.ok());
    REQUIRE(SQL_SUCCEEDED(SQLSetConnectAttr(writer->handle(), SQL_ATTR_AUTOCOMMIT,
                                            reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_OFF), 0)));
    // A slow transaction: its row carries a time before the first sync, it commits after it.
    run_sql(*writer, "INSERT INTO ev VALUES ('late', " + at("2026-01-01 10:00:00") + ", 4.00)");

    options["incremental"] = {{"ev", incremental}};
    const ferry::SourceHandle source = source_for(options);
    std::map<std::string, int> delivered;
    nlohmann::json state;
    const auto one_run = [&] {
        nlohmann::json request = {{"params", {{"incremental", true}}}, {"batch_rows", 2}};
        if (!state.is_null()) {
            request["resume"] = state;
        }
        const StreamContents contents = read_stream(source, "ev", request);
        CHECK(contents.rejects.empty());
        for (const auto& row : contents.rows) {
            ++delivered[row.at("id")];
        }
        if (!contents.checkpoints.empty()) {
            state = nlohmann::json::parse(contents.checkpoints.back());
        }
    };
    one_run(); // r1, r0, r2: the checkpoint is (10:00:01, r2)
    REQUIRE(SQL_SUCCEEDED(SQLEndTran(SQL_HANDLE_DBC, writer->handle(), SQL_COMMIT)));
    // Equal to the checkpoint's cursor, below its tie-breaker: behind a strict "after".
    execute_sql(writable,
                {"INSERT INTO ev VALUES ('r1a', " + at("2026-01-01 10:00:01") + ", 5.00)"});
    one_run();
    one_run(); // nothing new: nothing repeated
    return delivered;
}

void check_exactly_once(const nlohmann::json& options,
                        const std::string& timestamp_type,
                        const std::string& format = {}) {
    nlohmann::json incremental = {{"cursor", {"changed"}}, {"tie_breaker", {"id"}}};
    if (!format.empty()) {
        incremental["cursor_format"] = format;
    }
    nlohmann::json overlap = incremental;
    overlap["overlap_seconds"] = 5;
    const auto delivered = sync_with_late_commit(options, timestamp_type, overlap);
    CHECK(delivered ==
          std::map<std::string, int>{{"late", 1}, {"r0", 1}, {"r1", 1}, {"r1a", 1}, {"r2", 1}});

    // The negative control: a plain "after the checkpoint" sync loses both rows.
    const auto lossy = sync_with_late_commit(options, timestamp_type, incremental);
    CHECK(lossy == std::map<std::string, int>{{"r0", 1}, {"r1", 1}, {"r2", 1}});
}

} // namespace

TEST_CASE("PostgreSQL: incremental sync with a late commit and an equal cursor, exactly once",
          "[odbc][integration][postgres][incremental]") {
    check_exactly_once(postgres_options(), "TIMESTAMP");
}

TEST_CASE("MariaDB: incremental sync with a late commit and an equal cursor, exactly once",
          "[odbc][integration][mariadb][incremental]") {
    check_exactly_once(mariadb_options(), "DATETIME");
}

// Legacy text cursors: lag and overlap are computed in the column's own form.
TEST_CASE("PostgreSQL: text cursors (yyyyMMddHHmmss, yyyyMMdd) with an overlap, exactly once",
          "[odbc][integration][postgres][incremental]") {
    check_exactly_once(postgres_options(), "VARCHAR(14)", "yyyyMMddHHmmss");
    check_exactly_once(postgres_options(), "CHAR(8)", "yyyyMMdd");
}

TEST_CASE("MariaDB: text cursors (yyyyMMddHHmmss, yyyyMMdd) with an overlap, exactly once",
          "[odbc][integration][mariadb][incremental]") {
    check_exactly_once(mariadb_options(), "VARCHAR(14)", "yyyyMMddHHmmss");
    check_exactly_once(mariadb_options(), "CHAR(8)", "yyyyMMdd");
}
