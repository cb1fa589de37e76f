// SPDX-License-Identifier: Apache-2.0
// integration_test.cpp — the adapter against real PostgreSQL 15 (psqlODBC) and MariaDB (its
// ODBC driver, GBK tables) started by the ctest fixtures on 127.0.0.1: legacy schemas with dirty
// rows; every clean row delivered exactly once, every dirty row rejected with its reason.
#include <set>

#include <catch2/catch.hpp>

#include "odbc_test_support.h"
#include "server_support.h"

using namespace ferry::odbc::test;

namespace {

const nlohmann::json& dataset_named(const nlohmann::json& discovery, const std::string& name) {
    for (const auto& dataset : discovery["datasets"]) {
        if (dataset["name"] == name) {
            return dataset;
        }
    }
    FAIL("no dataset " << name);
    static const nlohmann::json none;
    return none;
}

std::string field_type(const nlohmann::json& dataset, const std::string& name) {
    for (const auto& field : dataset["fields"]) {
        if (field["name"] == name) {
            return field["type"].get<std::string>();
        }
    }
    return "(missing)";
}

constexpr int kPostgresRows = 5000;

void load_postgres_once() {
    static bool loaded = false;
    if (loaded) {
        return;
    }
    execute_sql(connection_string_of(postgres_options()),
                {"DROP TABLE IF EXISTS ac08",
                 "CREATE TABLE ac08 (aaz083 varchar(20) PRIMARY KEY, aac001 varchar(15) NOT NULL, "
                 "aae140 varchar(6) NOT NULL, aae002 numeric(6) NOT NULL, aae180 numeric(14,2), "
                 "aae082 numeric(14,2), aaa041 numeric(6,4), aac003 varchar(60), aac003c char(6), "
                 "aac006 date, aae036 timestamp)",
                 "INSERT INTO ac08 SELECT lpad(g::text, 16, '0'), '10' || lpad((g % 500)::text, 8, "
                 "'0'), '0' || (1 + g % 5)::text, 201801 + g % 12, 3000 + g, round((3000 + g) * "
                 "0.08, 2), 0.08, '张三' || g, '王五', date '1980-01-01' + g, timestamp "
                 "'2018-01-01' + g * interval '1 minute' FROM generate_series(1, " +
                     std::to_string(kPostgresRows) + ") g",
                 // Values PostgreSQL accepts that no legacy consumer can use: each is a reject.
                 "UPDATE ac08 SET aae082 = 'NaN' WHERE aaz083 = lpad('100', 16, '0')",
                 "UPDATE ac08 SET aae036 = 'infinity' WHERE aaz083 = lpad('200', 16, '0')",
                 "UPDATE ac08 SET aac006 = '-infinity' WHERE aaz083 = lpad('300', 16, '0')"});
    loaded = true;
}

constexpr int kMariaRows = 1000;

void load_mariadb_once() {
    static bool loaded = false;
    if (loaded) {
        return;
    }
    execute_sql(
        connection_string_of(mariadb_options()),
        {"SET SESSION sql_mode = ''", "DROP TABLE IF EXISTS AC01", "DROP TABLE IF EXISTS AC01_L1",
         "CREATE TABLE AC01 (AAC001 VARCHAR(15) NOT NULL PRIMARY KEY, AAC003 VARCHAR(60) NOT "
         "NULL, AAC010 VARCHAR(200), AAC006 DATE, AAE180 DECIMAL(14,2)) CHARACTER SET gbk",
         "INSERT INTO AC01 SELECT CONCAT('10', LPAD(seq, 8, '0')), CONCAT('张三', seq), "
         "CONCAT('北京市朝阳区社会保险事业管理中心', seq, '号'), DATE_ADD('1960-01-01', INTERVAL "
         "seq DAY), 3000 + seq / 100 FROM seq_1_to_" +
             std::to_string(kMariaRows),
         // A legacy MySQL habit: GBK bytes kept in latin1 columns.
         "CREATE TABLE AC01_L1 (AAC001 VARCHAR(15) NOT NULL PRIMARY KEY, AAC003 VARCHAR(120) NOT "
         "NULL) CHARACTER SET latin1",
         "INSERT INTO AC01_L1 SELECT AAC001, CONVERT(CAST(AAC003 AS BINARY) USING latin1) FROM "
         "AC01",
         // Bytes that are not GBK (0x81 0xFF) in one row: a reject, never a guess.
         "UPDATE AC01_L1 SET AAC003 = CONVERT(0x81FF USING latin1) WHERE AAC001 = '1000000500'"});
    loaded = true;
}

} // namespace

TEST_CASE("PostgreSQL: discovery folds names to lower case and keeps exact types",
          "[odbc][integration][postgres]") {
    load_postgres_once();
    const auto discovery = source_for(postgres_options()).discover();
    INFO(discovery.status().to_string());
    REQUIRE(discovery.ok());
    const auto& ac08 = dataset_named(*discovery, "ac08");
    CHECK(ac08["key"] == nlohmann::json{"aaz083"});
    CHECK(field_type(ac08, "aae180") == "decimal(14,2)");
    CHECK(field_type(ac08, "aae002") == "decimal(6,0)");
    CHECK(field_type(ac08, "aaa041") == "decimal(6,4)");
    CHECK(field_type(ac08, "aac006") == "date");
    CHECK(field_type(ac08, "aae036") == "timestamp");
}

TEST_CASE("PostgreSQL: every clean row exactly once, dirty rows rejected with their reasons",
          "[odbc][integration][postgres]") {
    load_postgres_once();
    auto options = postgres_options();
    options["rowset_bytes"] = 4096; // many small rowsets, each batch spanning several
    const auto contents = read_stream(source_for(options), "ac08", {{"batch_rows", 777}});
    CHECK(contents.read == kPostgresRows);
    for (const auto& reject : contents.rejects) {
        UNSCOPED_INFO("reject " << reject.record_no << " " << reject.field << ": "
                                << reject.reason);
    }
    REQUIRE(contents.rejects.size() == 2);
    std::map<std::string, std::string> rules;
    for (const auto& reject : contents.rejects) {
        rules[reject.field] = reject.rule;
    }
    CHECK(rules == std::map<std::string, std::string>{{"aac006", "date"}, {"aae082", "decimal"}});
    // psqlODBC itself turns timestamp 'infinity' into 9999-12-31 23:59:59 (docs/adapters/odbc.md).
    for (const auto& row : contents.rows) {
        if (row.at("aaz083") == "0000000000000200") {
            CHECK(row.at("aae036").rfind("9999-12-31", 0) == 0);
        }
    }
    std::set<std::string> keys;
    for (const auto& row : contents.rows) {
        CHECK(keys.insert(row.at("aaz083")).second);
    }
    CHECK(keys.size() == kPostgresRows - 2);
    CHECK(contents.rows.front().at("aac003c") == "王五    "); // CHAR(6) padding kept
    CHECK(contents.rows.front().at("aae180") == "3001.00");
}

TEST_CASE("PostgreSQL: lookups by key and resume by keyset", "[odbc][integration][postgres]") {
    load_postgres_once();
    const auto source = source_for(postgres_options());
    const auto found = read_stream(source, "ac08", {{"lookup", {{"AAZ083", "0000000000000042"}}}});
    REQUIRE(found.rows.size() == 1);
    CHECK(found.rows[0].at("aae082") == "243.36");
    const auto first = read_stream(source, "ac08", {{"batch_rows", 1000}}, 2);
    const auto checkpoint = nlohmann::json::parse(first.checkpoints.back());
    const auto rest = read_stream(source, "ac08", {{"resume", checkpoint}});
    CHECK(first.read + rest.read == kPostgresRows);
}

TEST_CASE("MariaDB: GBK tables read correctly through UTF-16 and as GBK bytes",
          "[odbc][integration][mariadb]") {
    load_mariadb_once();
    const auto wide = read_stream(source_for(mariadb_options()), "AC01");
    auto gbk_options = mariadb_options("CHARSET=gbk");
    gbk_options["text_encoding"] = "GBK";
    const auto bytes = read_stream(source_for(gbk_options), "AC01");
    CHECK(wide.read == kMariaRows);
    CHECK(wide.rejects.empty());
    REQUIRE(wide.rows.size() == bytes.rows.size());
    CHECK(wide.rows == bytes.rows);
    CHECK(wide.rows[4].at("AAC003") == "张三5");
    CHECK(wide.rows[4].at("AAC010") == "北京市朝阳区社会保险事业管理中心5号");
    CHECK(wide.rows[4].at("AAE180") == "3000.05");
}

TEST_CASE("MariaDB: GBK bytes in latin1 columns decode, bytes that are not GBK are rejects",
          "[odbc][integration][mariadb]") {
    load_mariadb_once();
    auto options = mariadb_options("CHARSET=latin1");
    options["text_encoding"] = "GBK";
    const auto contents = read_stream(source_for(options), "AC01_L1", {{"batch_rows", 128}});
    CHECK(contents.read == kMariaRows);
    REQUIRE(contents.rejects.size() == 1);
    CHECK(contents.rejects[0].field == "AAC003");
    CHECK(contents.rejects[0].rule == "decode");
    CHECK(contents.rejects[0].reason.find("GBK") != std::string::npos);
    std::set<std::string> names;
    for (const auto& row : contents.rows) {
        CHECK(names.insert(row.at("AAC003")).second);
    }
    CHECK(names.count("张三7") == 1);
}

TEST_CASE("MariaDB: a wrong password is Unauthorized and never quoted",
          "[odbc][integration][mariadb]") {
    auto options = mariadb_options();
    ::setenv("FERRY_ODBC_TEST_WRONG_PASSWORD", "not-the-Pa55word", 1);
    options["password"] = {{"env", "FERRY_ODBC_TEST_WRONG_PASSWORD"}};
    const auto discovery = source_for(options).discover();
    REQUIRE_FALSE(discovery.ok());
    CHECK(discovery.status().code() == ferry::StatusCode::Unauthorized);
    CHECK(discovery.status().to_string().find("Pa55word") == std::string::npos);
}

TEST_CASE("PostgreSQL: an unknown user is Unauthorized at once, not retried",
          "[odbc][integration][postgres]") {
    auto options = postgres_options();
    options["user"] = "nosuchuser";
    options["retry"] = {{"max_attempts", 3}};
    const auto discovery = source_for(options).discover();
    REQUIRE_FALSE(discovery.ok());
    INFO(discovery.status().to_string());
    CHECK(discovery.status().code() == ferry::StatusCode::Unauthorized);
    CHECK(discovery.status().message().find("attempts") == std::string::npos); // one attempt
}
