// SPDX-License-Identifier: Apache-2.0
// scale_integration_test.cpp — snapshot diffs, key-range partitions and keyset paging against
// the real PostgreSQL 15 (psqlODBC) and MariaDB (Connector/ODBC 3.1) the fixtures started;
// paging's point, bounded client memory with a driver that buffers whole results, is measured.
#include <set>

#include <catch2/catch.hpp>

#include "odbc_handles.h"
#include "scale_checks.h"
#include "server_support.h"

using namespace ferry::odbc::test;

namespace {

// A status counter of the MariaDB server (SHOW GLOBAL STATUS), read on its own connection.
long maria_status(const std::string& name) {
    auto env = ferry::odbc::Environment::create();
    REQUIRE(env.ok());
    auto conn = ferry::odbc::Connection::open(*env, connection_string_of(mariadb_options()),
                                              ferry::odbc::Timeouts{}, false);
    REQUIRE(conn.ok());
    auto stmt = ferry::odbc::Statement::allocate(*conn);
    REQUIRE(stmt.ok());
    auto sql = ferry::odbc::to_sqlwchar("SHOW GLOBAL STATUS LIKE '" + name + "'");
    REQUIRE(ferry::odbc::succeeded(
        SQLExecDirectW(stmt->handle(), sql.data(), static_cast<SQLINTEGER>(sql.size()))));
    REQUIRE(ferry::odbc::succeeded(SQLFetch(stmt->handle())));
    char value[64] = {};
    SQLLEN length = 0;
    REQUIRE(ferry::odbc::succeeded(
        SQLGetData(stmt->handle(), 2, SQL_C_CHAR, value, sizeof value, &length)));
    return std::stol(value);
}

} // namespace

TEST_CASE("PostgreSQL: odbc snapshot diff, inserts, updates, deletes, idle runs and crashes",
          "[odbc][integration][postgres][snapshot]") {
    check_snapshot_diff(postgres_options(), connection_string_of(postgres_options()));
    auto paged = postgres_options(); // page by page, each after the last key in binary order
    paged["page_rows"] = 3;
    check_snapshot_diff(paged, connection_string_of(postgres_options()));
}

TEST_CASE("MariaDB: odbc snapshot diff, inserts, updates, deletes, idle runs and crashes",
          "[odbc][integration][mariadb][snapshot]") {
    check_snapshot_diff(mariadb_options(), connection_string_of(mariadb_options()));
    auto paged = mariadb_options(); // page by page, each after the last key in binary order
    paged["page_rows"] = 3;
    check_snapshot_diff(paged, connection_string_of(mariadb_options()));
}

TEST_CASE("PostgreSQL: odbc snapshot diff rejects NaN on every run, with composite text keys",
          "[odbc][integration][postgres][snapshot]") {
    const std::string writable = connection_string_of(postgres_options());
    execute_sql(
        writable,
        {"DROP TABLE IF EXISTS sd2",
         "CREATE TABLE sd2 (region varchar(10) NOT NULL, code varchar(10) NOT NULL, "
         "amount numeric(8,2), PRIMARY KEY (region, code))",
         "INSERT INTO sd2 VALUES ('北京', 'a', 1), ('北京', 'b', 'NaN'), ('北京市', 'a', 3), "
         "('Z', 'a', 4), ('a', 'a', 5)"});
    auto options = postgres_options();
    options["snapshot"] = {{"sd2", nlohmann::json::object()}};
    const auto source = source_for(options);
    const DiffRun first = diff_run(source, "sd2", nullptr, 2);
    CHECK(first.rows.size() == 4);
    REQUIRE(first.rejects.size() == 1);
    CHECK(first.rejects[0].rule == "decimal");
    const DiffRun again = diff_run(source, "sd2", first.state);
    CHECK(again.rows.empty());
    CHECK(again.rejects.size() == 1);
    execute_sql(writable, {"UPDATE sd2 SET amount = 2 WHERE code = 'b'",
                           "DELETE FROM sd2 WHERE region = '北京市'"});
    const DiffRun fixed = diff_run(source, "sd2", again.state);
    CHECK(fixed.rejects.empty());
    std::map<std::string, std::string> changes;
    for (const auto& row : fixed.rows) {
        changes[row.at("region") + "/" + row.at("code")] = row.at("_change");
    }
    CHECK(changes ==
          std::map<std::string, std::string>{{"北京/b", "insert"}, {"北京市/a", "delete"}});
}

TEST_CASE("PostgreSQL: odbc partitions, the union is the table exactly once",
          "[odbc][integration][postgres][parallel]") {
    const int partitions = GENERATE(2, 5);
    check_partitions(postgres_options(), connection_string_of(postgres_options()), partitions,
                     quoted);
}

TEST_CASE("MariaDB: odbc partitions, the union is the table exactly once",
          "[odbc][integration][mariadb][parallel]") {
    const int partitions = GENERATE(2, 5);
    check_partitions(mariadb_options(), connection_string_of(mariadb_options()), partitions,
                     quoted);
}

TEST_CASE("PostgreSQL: odbc keyset paging reads every row once",
          "[odbc][integration][postgres][paging]") {
    execute_sql(connection_string_of(postgres_options()),
                {"DROP TABLE IF EXISTS pg3",
                 "CREATE TABLE pg3 (a varchar(10) NOT NULL, b integer NOT NULL, PRIMARY KEY (a, "
                 "b))",
                 "INSERT INTO pg3 SELECT CASE WHEN g < 900 THEN 'same' ELSE 'other' END, g % 900 "
                 "FROM generate_series(0, 999) g"});
    auto options = postgres_options();
    options["page_rows"] = 64;
    const auto contents = read_stream(source_for(options), "pg3", {{"batch_rows", 100}});
    std::set<std::string> seen;
    for (const auto& row : contents.rows) {
        CHECK(seen.insert(row.at("a") + "/" + row.at("b")).second);
    }
    CHECK(seen.size() == 1000);
}

TEST_CASE("MariaDB: odbc keyset paging bounds client memory, every row exactly once",
          "[odbc][integration][mariadb][paging]") {
    constexpr int kRows = 300000;
    execute_sql(connection_string_of(mariadb_options()),
                {"DROP TABLE IF EXISTS PAGED",
                 // Equal-prefix composite keys: 100 rows share each first-column value.
                 "CREATE TABLE PAGED (GRP VARCHAR(12) NOT NULL, SEQ INT NOT NULL, NAME "
                 "VARCHAR(60), ADDR VARCHAR(120), PRIMARY KEY (GRP, SEQ))",
                 "INSERT INTO PAGED SELECT CONCAT('G', LPAD(seq DIV 100, 8, '0')), seq MOD 100, "
                 "CONCAT('张三', seq), CONCAT('北京市朝阳区社会保险事业管理中心', seq, '号') FROM "
                 "seq_0_to_" +
                     std::to_string(kRows - 1)});
    auto paged = mariadb_options();
    paged["page_rows"] = 5000;
    std::int64_t paged_rows = 0;
    std::int64_t whole_rows = 0;
    const long selects_before = maria_status("Com_select");
    const long paged_kib = peak_rss_kib(paged, "PAGED", paged_rows);
    const long selects = maria_status("Com_select") - selects_before;
    const long whole_kib = peak_rss_kib(mariadb_options(), "PAGED", whole_rows);
    WARN("MariaDB, " << kRows << " rows: client peak RSS " << whole_kib / 1024
                     << " MiB in one statement, " << paged_kib / 1024
                     << " MiB with page_rows 5000 (" << selects << " SELECTs)");
    CHECK(paged_rows == kRows);
    CHECK(whole_rows == kRows);
    CHECK(selects >= kRows / 5000); // really paged (plus the catalog queries)
    CHECK(paged_kib * 2 < whole_kib);

    // Exactly once, with pages ending inside one first-column value.
    auto small = mariadb_options();
    small["page_rows"] = 37;
    execute_sql(connection_string_of(mariadb_options()),
                {"DROP TABLE IF EXISTS PAGED_SMALL",
                 "CREATE TABLE PAGED_SMALL AS SELECT * FROM PAGED WHERE GRP < 'G00000020'",
                 "ALTER TABLE PAGED_SMALL ADD PRIMARY KEY (GRP, SEQ)"});
    const auto contents = read_stream(source_for(small), "PAGED_SMALL", {{"batch_rows", 50}});
    std::set<std::string> seen;
    for (const auto& row : contents.rows) {
        CHECK(seen.insert(row.at("GRP") + "/" + row.at("SEQ")).second);
    }
    CHECK(seen.size() == 2000);
}
