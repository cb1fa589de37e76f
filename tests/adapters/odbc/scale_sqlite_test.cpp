// SPDX-License-Identifier: Apache-2.0
// scale_sqlite_test.cpp — snapshot diffs, key-range partitions and keyset paging through the
// real SQLite3 ODBC driver: the shared scenarios (scale_checks.h), dirty rows, bad input, and
// the size of a snapshot state.
#include <chrono>
#include <cstdio>
#include <set>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "scale_checks.h"
#include "server_support.h"

using namespace ferry::odbc::test;

namespace {

struct TempDb {
    std::string path = "/tmp/ferry-odbc-scale-" + std::to_string(::getpid()) + "-" +
                       std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) +
                       ".db";

    ~TempDb() { std::remove(path.c_str()); }

    std::string connection() const { return "Driver=SQLite3;Database=" + path + ";StepAPI=1"; }

    nlohmann::json options() const {
        return {{"connection", connection()}, {"text_encoding", "UTF-8"}};
    }
};

} // namespace

TEST_CASE("odbc snapshot diff (SQLite): inserts, updates, deletes, idle runs, crashes",
          "[odbc][snapshot]") {
    const TempDb db;
    check_snapshot_diff(db.options(), db.connection());
    // Read page by page (bounded memory): short pages, a page size the table is a multiple of.
    for (const int page_rows : {1, 3, 7}) {
        INFO("page_rows " << page_rows);
        auto paged = db.options();
        paged["page_rows"] = page_rows;
        check_snapshot_diff(paged, db.connection());
    }
}

TEST_CASE("odbc snapshot diff (SQLite): paged, rows with a NULL key part are rejected once",
          "[odbc][snapshot]") {
    const TempDb db;
    execute_sql(db.connection(),
                {"CREATE TABLE sn (a VARCHAR(4), b INTEGER, v VARCHAR(8))",
                 "INSERT INTO sn VALUES ('x', 1, 'p'), (NULL, 2, 'q'), ('x', NULL, 'r'), "
                 "('y', 1, 's'), ('a', 5, 't'), ('x', 2, 'u')"});
    for (const int page_rows : {0, 1, 2, 100}) {
        INFO("page_rows " << page_rows);
        auto options = db.options();
        options["page_rows"] = page_rows;
        options["snapshot"] = {{"sn", {{"key", {"a", "b"}}}}};
        const auto source = source_for(options);
        const DiffRun run = diff_run(source, "sn", nullptr, 2);
        REQUIRE(run.rows.size() == 4);
        CHECK(run.rows[0].at("v") == "t"); // (a,5) (x,1) (x,2) (y,1): key order
        CHECK(run.rows[1].at("v") == "p");
        CHECK(run.rows[2].at("v") == "u");
        CHECK(run.rows[3].at("v") == "s");
        REQUIRE(run.rejects.size() == 2);
        CHECK(run.rejects[0].rule == "not_null");
        CHECK(run.rejects[1].rule == "not_null");
        CHECK(run.state["snapshot"]["rows"] == 4);
        const DiffRun idle = diff_run(source, "sn", run.state, 2);
        CHECK(idle.rows.empty());
        CHECK(idle.rejects.size() == 2);
    }
}

TEST_CASE("odbc snapshot diff (SQLite): dirty rows are rejected on every run until fixed",
          "[odbc][snapshot]") {
    const TempDb db;
    execute_sql(db.connection(),
                {"CREATE TABLE sd (id INTEGER NOT NULL PRIMARY KEY, amount NUMBER(6,2), "
                 "born DATE)",
                 "INSERT INTO sd VALUES (1, 10.5, '1980-01-01'), (2, 'abc', '1980-01-02'), "
                 "(10, 3.25, '1980-02-30')"});
    auto options = db.options();
    options["snapshot"] = {{"sd", nlohmann::json::object()}};
    const auto source = source_for(options);
    const DiffRun first = diff_run(source, "sd", nullptr);
    CHECK(changes_of(first, "id") == std::map<std::string, std::string>{{"1", "insert"}});
    REQUIRE(first.rejects.size() == 2);
    CHECK(first.rejects[0].field == "amount");
    CHECK(first.rejects[0].rule == "decimal");
    CHECK(first.rejects[1].field == "born");
    CHECK(first.rejects[1].rule == "date");
    CHECK(first.state["snapshot"]["rows"] == 1); // rejected rows are not in the state

    // Row 1 turns dirty: rejected, and its old state kept, so it is rejected again next time.
    execute_sql(db.connection(), {"UPDATE sd SET amount = 'x' WHERE id = 1"});
    const DiffRun second = diff_run(source, "sd", first.state);
    CHECK(second.rows.empty());
    CHECK(second.rejects.size() == 3);
    const DiffRun third = diff_run(source, "sd", second.state);
    CHECK(third.rejects.size() == 3);
    CHECK(third.state == second.state);

    execute_sql(db.connection(),
                {"UPDATE sd SET amount = 11 WHERE id = 1", "UPDATE sd SET amount = 2 WHERE id = 2",
                 "UPDATE sd SET born = '1980-02-28' WHERE id = 10"});
    const DiffRun fixed = diff_run(source, "sd", third.state);
    CHECK(fixed.rejects.empty());
    // Integer keys compare by value: 2 < 10 although "10" < "2" as text.
    CHECK(changes_of(fixed, "id") ==
          std::map<std::string, std::string>{{"1", "update"}, {"10", "insert"}, {"2", "insert"}});
    CHECK(fixed.rows.front().at("id") == "1");
    CHECK(fixed.rows.back().at("id") == "10");
}

TEST_CASE("odbc snapshot diff (SQLite): bad input is a clear error", "[odbc][snapshot]") {
    const TempDb db;
    execute_sql(db.connection(),
                {"CREATE TABLE sd (id VARCHAR(8) NOT NULL PRIMARY KEY, v VARCHAR(8))",
                 "CREATE TABLE nokey (v VARCHAR(8))"});
    auto options = db.options();
    options["snapshot"] = {{"sd", nlohmann::json::object()}, {"nokey", nlohmann::json::object()}};
    const auto source = source_for(options);
    auto error_of = [&](const std::string& dataset, const nlohmann::json& request) {
        auto reader = source.open_stream(dataset, request);
        REQUIRE_FALSE(reader.ok());
        return reader.status().to_string();
    };
    const nlohmann::json diff = {{"snapshot", true}};
    CHECK_THAT(error_of("sd", {{"params", diff}, {"resume", {{"after", {"x"}}}}}),
               Catch::Contains("resume of a snapshot diff takes the checkpoint of its last batch"));
    CHECK_THAT(
        error_of("sd",
                 {{"params", diff},
                  {"resume",
                   {{"snapshot", {{"format", 1}, {"key", {"v"}}, {"rows", 0}, {"entries", ""}}}}}}),
        Catch::Contains("snapshot state was taken with key [\"v\"]"));
    CHECK_THAT(
        error_of("sd", {{"params", diff},
                        {"resume",
                         {{"snapshot",
                           {{"format", 1}, {"key", {"id"}}, {"rows", 3}, {"entries", "AAAA"}}}}}}),
        Catch::Contains("snapshot state is malformed"));
    CHECK_THAT(error_of("nokey", {{"params", diff}}), Catch::Contains("needs a \"key\""));
    CHECK_THAT(error_of("sd", {{"params", {{"snapshot", true}, {"incremental", true}}}}),
               Catch::Contains("exclude each other"));

    auto bad_key = db.options();
    bad_key["snapshot"] = {{"sd", {{"key", {"nope"}}}}};
    auto reader = source_for(bad_key).open_stream("sd", {{"params", diff}});
    REQUIRE_FALSE(reader.ok());
    CHECK_THAT(reader.status().to_string(),
               Catch::Contains("snapshot key of \"sd\": column \"nope\" is not in \"sd\""));
    auto unset = source_for(db.options()).open_stream("sd", {{"params", diff}});
    REQUIRE_FALSE(unset.ok());
    CHECK_THAT(unset.status().to_string(), Catch::Contains("has no \"snapshot\" settings"));
}

TEST_CASE("odbc snapshot diff (SQLite): the state of 200,000 rows stays compact",
          "[odbc][snapshot]") {
    const TempDb db;
    constexpr int kRows = 200000;
    execute_sql(db.connection(),
                {"CREATE TABLE big (aaz083 VARCHAR(20) NOT NULL PRIMARY KEY, aac001 VARCHAR(15), "
                 "aae180 NUMBER(14,2))",
                 // The driver runs a statement starting with WITH as a query: a subquery here.
                 "INSERT INTO big SELECT printf('%016d', n), printf('10%08d', n % 5000), "
                 "3000 + n FROM (WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g "
                 "WHERE n < " +
                     std::to_string(kRows) + ") SELECT n FROM g)"});
    auto options = db.options();
    options["snapshot"] = {{"big", nlohmann::json::object()}};
    const auto source = source_for(options);
    const DiffRun first = diff_run(source, "big", nullptr, 50000);
    REQUIRE(first.rows.size() == kRows);
    const double bytes_per_row =
        static_cast<double>(first.state.dump().size()) / static_cast<double>(kRows);
    WARN("snapshot state: " << first.state.dump().size() << " bytes for " << kRows << " rows ("
                            << bytes_per_row << " bytes a row, 16-character keys)");
    CHECK(bytes_per_row < 16.0);
    execute_sql(db.connection(), {"UPDATE big SET aae180 = 1 WHERE aaz083 = '0000000000100000'"});
    const DiffRun second = diff_run(source, "big", first.state, 50000);
    CHECK(changes_of(second, "aaz083") ==
          std::map<std::string, std::string>{{"0000000000100000", "update"}});
}

TEST_CASE("odbc partitions (SQLite): the union of the partitions is the table, exactly once",
          "[odbc][parallel]") {
    const TempDb db;
    const int partitions = GENERATE(1, 3, 4);
    check_partitions(db.options(), db.connection(), partitions, sqlite_hex);
}

TEST_CASE("odbc partitions (SQLite): explicit boundaries, NULL keys, bad boundaries",
          "[odbc][parallel]") {
    const TempDb db;
    execute_sql(db.connection(),
                {"CREATE TABLE nk (k INTEGER, v VARCHAR(8))",
                 "INSERT INTO nk VALUES (1, 'a'), (5, 'b'), (NULL, 'c'), (10, 'd'), (20, 'e')"});
    auto options = db.options();
    options["parallel"] = {{"nk", {{"key", {"k"}}, {"boundaries", {{5}, {"20"}}}}}};
    const auto source = source_for(options);
    std::multiset<std::string> values;
    std::vector<std::size_t> sizes;
    for (int index = 0; index < 3; ++index) {
        const auto part = read_stream(source, "nk", {{"params", {{"partition", index}}}});
        sizes.push_back(part.rows.size());
        for (const auto& row : part.rows) {
            values.insert(row.at("v"));
        }
    }
    // [.., 5) with the NULL key, [5, 20), [20, ..).
    CHECK(sizes == std::vector<std::size_t>{2, 2, 1});
    CHECK(values == std::multiset<std::string>{"a", "b", "c", "d", "e"});

    auto descending = db.options();
    descending["parallel"] = {{"nk", {{"key", {"k"}}, {"boundaries", {{20}, {5}}}}}};
    auto reader = source_for(descending).open_stream("nk", {{"params", {{"partition", 0}}}});
    REQUIRE_FALSE(reader.ok());
    CHECK_THAT(reader.status().to_string(),
               Catch::Contains("parallel boundary 1 of \"nk\" is not above the one before it"));
    auto no_key = db.options();
    no_key["parallel"] = {{"nk", {{"partitions", 2}}}};
    auto keyless = source_for(no_key).open_stream("nk", {{"params", {{"partition", 0}}}});
    REQUIRE_FALSE(keyless.ok());
    CHECK_THAT(keyless.status().to_string(), Catch::Contains("need a \"key\""));
}

TEST_CASE("odbc keyset paging (SQLite): every row exactly once across pages, and resume",
          "[odbc][paging]") {
    const TempDb db;
    // Composite keys with long equal prefixes: pages end inside one first-column value.
    std::string insert = "INSERT INTO pg2 VALUES ";
    for (int row = 0; row < 1000; ++row) {
        insert += (row ? ", " : "") + std::string("('") + (row < 900 ? "same" : "other") + "', " +
                  std::to_string(row % 900) + ", 'v" + std::to_string(row) + "')";
    }
    execute_sql(db.connection(),
                {"CREATE TABLE pg2 (a VARCHAR(10) NOT NULL, b INTEGER NOT NULL, v VARCHAR(10), "
                 "PRIMARY KEY (a, b))",
                 insert});
    auto options = db.options();
    options["page_rows"] = GENERATE(1, 7, 100, 1000, 5000);
    const auto source = source_for(options);
    const auto all = read_stream(source, "pg2", {{"batch_rows", 64}});
    std::set<std::string> seen;
    for (const auto& row : all.rows) {
        CHECK(seen.insert(row.at("v")).second);
    }
    CHECK(seen.size() == 1000);
    const auto head = read_stream(source, "pg2", {{"batch_rows", 99}}, 3);
    const auto tail =
        read_stream(source, "pg2", {{"resume", nlohmann::json::parse(head.checkpoints.back())}});
    CHECK(head.rows.size() + tail.rows.size() == 1000);
    CHECK(tail.record_nos.front() == 298);
}
