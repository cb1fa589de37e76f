// SPDX-License-Identifier: Apache-2.0
// estate_sqlite_test.cpp — the adapter over the sample estate (SQLite through the real SQLite3
// ODBC driver): discovery, exact decimals, every record delivered or rejected with its reason,
// resume, key lookups, named queries, secrets kept out of messages.
#include <cstdlib>
#include <set>

#include <catch2/catch.hpp>

#include "odbc_test_support.h"
#include "rowset_reader.h"

using ferry::odbc::test::estate_options;
using ferry::odbc::test::odbc_plugin;
using ferry::odbc::test::read_stream;

namespace {

ferry::SourceHandle estate() {
    auto source = odbc_plugin().create_source(estate_options());
    INFO(source.status().to_string());
    REQUIRE(source.ok());
    return *source;
}

const nlohmann::json* dataset_named(const nlohmann::json& discovery, const std::string& name) {
    for (const auto& dataset : discovery["datasets"]) {
        if (dataset["name"] == name) {
            return &dataset;
        }
    }
    return nullptr;
}

std::string field_type(const nlohmann::json& dataset, const std::string& name) {
    for (const auto& field : dataset["fields"]) {
        if (field["name"] == name) {
            return field["type"].get<std::string>();
        }
    }
    return "(missing)";
}

// The estate lists its dirty rows: {table, key, column, caught_by}.
struct DirtyRow {
    std::string table, key, column, caught_by;
};

std::vector<DirtyRow> dirty_rows(const ferry::SourceHandle& source) {
    std::vector<DirtyRow> rows;
    for (const auto& row : read_stream(source, "FERRY_ESTATE_DIRTY").rows) {
        rows.push_back(
            {row.at("TABLE_NAME"), row.at("ROW_KEY"), row.at("COLUMN_NAME"), row.at("CAUGHT_BY")});
    }
    return rows;
}

} // namespace

TEST_CASE("discovery reports exact legacy types, keys and cursor candidates", "[odbc][estate]") {
    const auto discovery = estate().discover();
    INFO(discovery.status().to_string());
    REQUIRE(discovery.ok());
    const nlohmann::json* ac08 = dataset_named(*discovery, "AC08");
    REQUIRE(ac08 != nullptr);
    CHECK((*ac08)["key"] == nlohmann::json{"AAZ083"});
    CHECK(field_type(*ac08, "AAE180") == "decimal(14,2)");
    CHECK(field_type(*ac08, "AAA041") == "decimal(6,4)");
    CHECK(field_type(*ac08, "AAE002") == "decimal(6,0)");
    CHECK(field_type(*ac08, "AAE036") == "timestamp");
    CHECK(field_type(*ac08, "AAC001") == "text");
    const auto candidates = (*ac08)["extensions"]["odbc"]["cursor_candidates"];
    CHECK(std::find(candidates.begin(), candidates.end(), "AAE036") != candidates.end());
    const nlohmann::json* ac01 = dataset_named(*discovery, "AC01");
    REQUIRE(ac01 != nullptr);
    CHECK(field_type(*ac01, "AAC006") == "date");
    const nlohmann::json* ac02 = dataset_named(*discovery, "AC02");
    REQUIRE(ac02 != nullptr);
    CHECK((*ac02)["key"] == nlohmann::json{"AAC001", "AAE140"});
}

TEST_CASE("every record is delivered or rejected with its reason, exactly once", "[odbc][estate]") {
    const auto source = estate();
    const std::vector<DirtyRow> dirty = dirty_rows(source);
    REQUIRE(dirty.size() >= 10);
    const std::map<std::string, std::string> key_of{
        {"AB01", "AAB001"}, {"AC01", "AAC001"}, {"AC08", "AAZ083"}};
    const std::map<std::string, std::int64_t> expected_rows{
        {"AB01", 20}, {"AC01", 200}, {"AC08", 2400}};
    for (const auto& [table, key] : key_of) {
        INFO("table " << table);
        const auto contents = read_stream(source, table, {{"batch_rows", 97}});
        CHECK(contents.read == expected_rows.at(table));
        CHECK(static_cast<std::int64_t>(contents.rows.size() + contents.rejects.size()) ==
              contents.read);
        std::set<std::int64_t> record_nos(contents.record_nos.begin(), contents.record_nos.end());
        for (const auto& reject : contents.rejects) {
            CHECK(record_nos.insert(reject.record_no).second);
            CHECK_FALSE(reject.reason.empty());
        }
        CHECK(static_cast<std::int64_t>(record_nos.size()) == contents.read);
        std::set<std::string> keys;
        for (const auto& row : contents.rows) {
            CHECK(keys.insert(row.at(key)).second);
        }
        // The adapter rejects exactly the rows the estate marks as unreadable, naming the column.
        std::multiset<std::string> expected_fields, rejected_fields;
        for (const DirtyRow& row : dirty) {
            if (row.table == table && row.caught_by == "adapter") {
                expected_fields.insert(row.column);
                CHECK(keys.count(row.key) == 0);
            } else if (row.table == table) {
                CHECK(keys.count(row.key) == 1);
            }
        }
        // Each reject names its row by the key, whatever the read order was.
        std::multiset<std::string> expected_keys, rejected_keys;
        for (const DirtyRow& row : dirty) {
            if (row.table == table && row.caught_by == "adapter") {
                expected_keys.insert("key " + key + "=" + row.key);
            }
        }
        for (const auto& reject : contents.rejects) {
            rejected_fields.insert(reject.field);
            const std::string record = "record " + std::to_string(reject.record_no) + ", ";
            CHECK(reject.location.rfind(record, 0) == 0);
            rejected_keys.insert(
                reject.location.substr(std::min(record.size(), reject.location.size())));
        }
        CHECK(rejected_fields == expected_fields);
        CHECK(rejected_keys == expected_keys);
    }
}

TEST_CASE("amounts are exact decimals rounded to the declared scale; CHAR padding is kept",
          "[odbc][estate]") {
    const auto source = estate();
    const auto ac08 = read_stream(source, "AC08", {{"lookup", {{"AAZ083", "2018010000002101"}}}});
    REQUIRE(ac08.rows.size() == 1);
    CHECK(ac08.rows[0].at("AAE020") == "1234.57"); // stored as the REAL 1234.567
    CHECK(ac08.rows[0].at("AAA041").size() == 6);  // "0.0800": scale 4 kept
    const auto ac01 = read_stream(source, "AC01", {{"lookup", {{"aac001", "1000000060"}}}});
    REQUIRE(ac01.rows.size() == 1);
    CHECK(ac01.rows[0].at("AAC003") == "张三  ");
}

TEST_CASE("key lookups: prepared, parameterised, composite keys, unknown keys",
          "[odbc][estate][lookup]") {
    const auto source = estate();
    for (int repeat = 0; repeat < 3; ++repeat) { // the pooled, prepared statement is reused
        const auto found =
            read_stream(source, "AC02", {{"lookup", {{"AAC001", "1000000007"}, {"AAE140", "01"}}}});
        REQUIRE(found.rows.size() == 1);
        CHECK(found.rows[0].at("AAB001") == "610100000007");
    }
    CHECK(read_stream(source, "AC08", {{"lookup", {{"AAZ083", "no such key"}}}}).read == 0);
    // A value that looks like SQL is only ever a parameter.
    CHECK(read_stream(source, "AC08", {{"lookup", {{"AAZ083", "x' OR '1'='1"}}}}).read == 0);
    auto missing = source.open_stream("AC02", {{"lookup", {{"AAC001", "1000000007"}}}});
    CHECK(missing.status().code() == ferry::StatusCode::InvalidArgument);
}

TEST_CASE("resume from any checkpoint reads the rest exactly once", "[odbc][estate][resume]") {
    const auto source = estate();
    const auto full = read_stream(source, "AC08", {{"batch_rows", 250}});
    const auto first = read_stream(source, "AC08", {{"batch_rows", 250}}, 3);
    REQUIRE(first.checkpoints.size() == 3);
    const auto checkpoint = nlohmann::json::parse(first.checkpoints.back());
    CHECK(checkpoint["record_no"] == 750);
    CHECK(checkpoint["after"].is_array());
    const auto rest = read_stream(source, "AC08", {{"batch_rows", 250}, {"resume", checkpoint}});
    CHECK(first.read + rest.read == full.read);
    CHECK(first.rows.size() + rest.rows.size() == full.rows.size());
    CHECK(rest.record_nos.front() > 750);
    std::set<std::string> seen;
    for (const auto* part : {&first, &rest}) {
        for (const auto& row : part->rows) {
            CHECK(seen.insert(row.at("AAZ083")).second);
        }
    }
    CHECK(seen.size() == full.rows.size());
}

TEST_CASE("named read-only queries are datasets", "[odbc][estate][query]") {
    auto options = estate_options();
    options["queries"] = {{{"name", "monthly_totals"},
                           {"sql", "SELECT AAE002, COUNT(*) AS N, SUM(AAE082) AS TOTAL FROM AC08 "
                                   "GROUP BY AAE002 ORDER BY AAE002"}}};
    auto source = odbc_plugin().create_source(options);
    REQUIRE(source.ok());
    const auto discovery = source->discover();
    REQUIRE(discovery.ok());
    REQUIRE(dataset_named(*discovery, "monthly_totals") != nullptr);
    const auto contents = read_stream(*source, "monthly_totals");
    CHECK(contents.read == 13); // 12 months and the dirty month 13
    // A query's order is not known to be total: skipping rows on resume could lose some.
    const auto resumed = source->open_stream("monthly_totals", {{"resume", {{"record_no", 10}}}});
    REQUIRE_FALSE(resumed.ok());
    CHECK(resumed.status().message().find("cannot resume by row count") != std::string::npos);
    const auto no_settings =
        source->open_stream("monthly_totals", {{"params", {{"incremental", true}}}});
    REQUIRE_FALSE(no_settings.ok());
    CHECK(no_settings.status().message().find("no \"incremental\" settings") != std::string::npos);
}

TEST_CASE("incremental reads of a named query follow its cursor and tie-breaker",
          "[odbc][estate][query][incremental]") {
    auto options = estate_options();
    // Ordered by key, not by the cursor: the adapter wraps the query and orders it itself.
    options["queries"] = {{{"name", "contributions"},
                           {"sql", "SELECT AAZ083, AAC001, AAE036 FROM AC08 ORDER BY AAZ083;"}}};
    options["incremental"] = {
        {"contributions", {{"cursor", {"AAE036"}}, {"tie_breaker", {"AAZ083"}}}}};
    auto source = odbc_plugin().create_source(options);
    INFO(source.status().to_string());
    REQUIRE(source.ok());
    const nlohmann::json params = {{"incremental", true}};
    const auto first =
        read_stream(*source, "contributions", {{"params", params}, {"batch_rows", 500}}, 2);
    REQUIRE(first.rows.size() + first.rejects.size() == 1000);
    std::pair<std::string, std::string> previous;
    for (const auto& row : first.rows) {
        const std::pair<std::string, std::string> now{row.at("AAE036"), row.at("AAZ083")};
        CHECK(previous <= now); // (cursor, tie-breaker) order, equal cursors included
        previous = now;
    }
    const auto state = nlohmann::json::parse(first.checkpoints.back());
    CHECK(state.contains("cursor"));
    const auto rest =
        read_stream(*source, "contributions", {{"params", params}, {"resume", state}});
    std::set<std::string> seen;
    for (const auto* part : {&first, &rest}) {
        for (const auto& row : part->rows) {
            CHECK(seen.insert(row.at("AAZ083")).second);
        }
    }
    CHECK(first.read + rest.read == 2400);
    // Nothing new: a run from the last state delivers nothing; the row whose cursor is not a
    // timestamp ('yesterday') cannot advance the state and is rejected again, never dropped.
    const auto idle = read_stream(
        *source, "contributions",
        {{"params", params}, {"resume", nlohmann::json::parse(rest.checkpoints.back())}});
    CHECK(idle.rows.empty());
    REQUIRE(idle.rejects.size() == 1);
    CHECK(idle.rejects[0].field == "AAE036");
    CHECK(idle.rejects[0].location == "record 2401, key AAZ083=2018010000000901");
}

TEST_CASE("secrets never reach an error message", "[odbc][secrets]") {
    ::setenv("FERRY_ODBC_TEST_SECRET", "s3cr3t-Pa55;word", 1);
    auto source =
        odbc_plugin().create_source({{"connection", "Driver=FerryNoSuchDriver;Database=none"},
                                     {"user", "someone"},
                                     {"password", {{"env", "FERRY_ODBC_TEST_SECRET"}}},
                                     {"retry", {{"max_attempts", 1}}}});
    REQUIRE(source.ok());
    const auto discovery = source->discover();
    REQUIRE_FALSE(discovery.ok());
    CHECK(discovery.status().message().find("s3cr3t") == std::string::npos);
    CHECK(discovery.status().to_string().find("s3cr3t") == std::string::npos);
    CHECK_FALSE(discovery.status().sqlstate().empty());
    auto unset = odbc_plugin().create_source(
        {{"connection", "Driver=SQLite3;Database=none"}, {"password", {{"env", "FERRY_UNSET_X"}}}});
    CHECK(unset.status().code() == ferry::StatusCode::InvalidArgument);

    // A password inside the connection string is refused, with the way to pass it instead.
    for (const char* connection : {"Driver=SQLite3;Database=none;PWD=s3cr3t-Pa55",
                                   "Driver=SQLite3; password = {s3cr3t;Pa55}; Database=none"}) {
        INFO(connection);
        auto inline_password = odbc_plugin().create_source({{"connection", connection}});
        REQUIRE_FALSE(inline_password.ok());
        CHECK(inline_password.status().code() == ferry::StatusCode::InvalidArgument);
        CHECK(inline_password.status().to_string().find("s3cr3t") == std::string::npos);
        CHECK(inline_password.status().message().find("\"password\": {\"env\"") !=
              std::string::npos);
    }
    // Braces may hold "PWD=" as part of another value.
    auto braced = odbc_plugin().create_source(
        {{"connection", "Driver=SQLite3;Database={a;PWD=b.db};StepAPI=1"}});
    CHECK(braced.ok());
}

TEST_CASE("dataset names: case-insensitive when unambiguous, unknown tables are errors",
          "[odbc][estate][names]") {
    const auto source = estate();
    const auto lower = read_stream(source, "ab01");
    CHECK(lower.read == 20);
    const auto typo = source.open_stream("AC8");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.status().code() == ferry::StatusCode::NotFound);
    CHECK(typo.status().message().find("did you mean \"AC08\"") != std::string::npos);
    auto options = estate_options();
    options["tables"] = {"AC01", "AC99"};
    auto listed = odbc_plugin().create_source(options);
    REQUIRE(listed.ok());
    const auto discovery = listed->discover();
    REQUIRE_FALSE(discovery.ok());
    CHECK(discovery.status().message().find("\"AC99\"") != std::string::npos);
    options["tables"] = {"ac01", "AC08"};
    auto folded = odbc_plugin().create_source(options);
    REQUIRE(folded.ok());
    const auto ok = folded->discover();
    INFO(ok.status().to_string());
    REQUIRE(ok.ok());
    CHECK((*ok)["datasets"].size() == 2);
}

TEST_CASE("ID-number key columns are never shown in reject locations", "[odbc][reject]") {
    using ferry::odbc::looks_like_id_number;
    for (const char* name : {"AAC002", "aac002", "ID_CARD", "IdCardNo", "SFZHM", "person_ssn",
                             "ZJHM", "passport_no"}) {
        INFO(name);
        CHECK(looks_like_id_number(name));
    }
    for (const char* name : {"AAZ083", "AAC001", "AAB001", "id", "seq_no"}) {
        INFO(name);
        CHECK_FALSE(looks_like_id_number(name));
    }
}
