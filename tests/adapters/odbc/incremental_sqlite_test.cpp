// SPDX-License-Identifier: Apache-2.0
// incremental_sqlite_test.cpp — incremental reads while another connection inserts rows: equal
// cursor values (one-second timestamps), out-of-order commits (rows committed with an older
// cursor), and runs that resume from the previous run's checkpoint. Every row exactly once.
#include <atomic>
#include <chrono>
#include <ctime>
#include <map>
#include <thread>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "odbc_handles.h"
#include "odbc_test_support.h"

using namespace ferry::odbc;
using ferry::odbc::test::execute_sql;
using ferry::odbc::test::odbc_plugin;
using ferry::odbc::test::read_stream;
using ferry::odbc::test::run_sql;

namespace {

std::string local_time(std::time_t when) {
    std::tm parts{};
    localtime_r(&when, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
    return text;
}

struct Scenario {
    const char* name;
    nlohmann::json incremental;
};

constexpr int kRows = 300;

/// Incremental runs, each resuming from the last one's checkpoint, while another connection
/// inserts kRows rows; how often each row was delivered.
std::map<std::string, int> sync_while_inserting(const nlohmann::json& incremental) {
    const std::string path = "/tmp/ferry-odbc-incremental-" + std::to_string(::getpid()) + ".db";
    std::remove(path.c_str());
    const std::string connection = "Driver=SQLite3;Database=" + path + ";Timeout=5000";
    auto env = Environment::create();
    REQUIRE(env.ok());
    auto writer_conn = Connection::open(*env, connection, Timeouts{}, false);
    REQUIRE(writer_conn.ok());
    run_sql(*writer_conn, "PRAGMA journal_mode=WAL");
    run_sql(*writer_conn, "CREATE TABLE EV (ID VARCHAR(20) NOT NULL PRIMARY KEY, CHANGED TIMESTAMP "
                          "NOT NULL, AMOUNT NUMBER(10,2))");

    nlohmann::json options = {{"connection", connection},
                              {"text_encoding", "UTF-8"},
                              {"incremental", {{"EV", incremental}}}};
    auto source = odbc_plugin().create_source(options);
    INFO(source.status().to_string() << " options " << options.dump());
    REQUIRE(source.ok());
    std::atomic<bool> writing{true};
    std::string writer_failure; // read only after the join
    std::thread writer([&] {
        for (int row = 0; row < kRows; ++row) {
            // Every seventh row commits with a cursor 2 s in the past (a slow transaction);
            // the rest share one-second timestamps (equal cursor values).
            const std::time_t when = std::time(nullptr) - (row % 7 == 3 ? 2 : 0);
            char id[24];
            std::snprintf(id, sizeof id, "E%05d", (row * 7919) % 100000); // not in cursor order
            // No Catch macro on this thread (Catch is not thread-safe): the first failure is
            // kept and checked after the join.
            const ferry::Status inserted = execute_sql(
                *writer_conn, std::string("INSERT INTO EV VALUES ('") + id + "', '" +
                                  local_time(when) + "', " + std::to_string(row) + ".25)");
            if (!inserted.ok() && writer_failure.empty()) {
                writer_failure = inserted.to_string();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        writing = false;
    });

    std::map<std::string, int> delivered;
    nlohmann::json state;
    int runs = 0;
    auto one_run = [&](const nlohmann::json& params) {
        nlohmann::json request = {{"params", params}, {"batch_rows", 64}};
        if (!state.is_null()) {
            request["resume"] = state;
        }
        const auto contents = read_stream(*source, "EV", request);
        CHECK(contents.rejects.empty());
        // Each run counts its window in its own snapshot, while the writer goes on; with an
        // overlap the rows it drops as already seen are not counted, so it declares nothing.
        CHECK(contents.verdict ==
              (incremental.value("overlap_seconds", 0) > 0 ? "unverified" : "reconciled"));
        for (const auto& row : contents.rows) {
            ++delivered[row.at("ID")];
        }
        if (!contents.checkpoints.empty()) {
            state = nlohmann::json::parse(contents.checkpoints.back());
        }
        ++runs;
    };
    for (int guard = 0; guard < 1000 && writing; ++guard) {
        one_run({{"incremental", true}});
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
    }
    writer.join();
    INFO(writer_failure);
    CHECK(writer_failure.empty());
    // After the writers stop, a run whose clock is past the lag window drains it.
    one_run({{"incremental", true}, {"now", "2999-01-01 00:00:00"}});
    one_run({{"incremental", true}, {"now", "2999-01-01 00:00:00"}}); // nothing new: no repeats
    CHECK(runs > 5);
    std::remove(path.c_str());
    std::remove((path + "-wal").c_str());
    std::remove((path + "-shm").c_str());
    return delivered;
}

} // namespace

TEST_CASE("incremental reads while rows are inserted: every row exactly once",
          "[odbc][incremental]") {
    const Scenario scenario = GENERATE(
        Scenario{"overlap and dedupe",
                 nlohmann::json::parse(R"({"cursor": ["CHANGED"], "overlap_seconds": 5})")},
        Scenario{"lag window",
                 nlohmann::json::parse(R"({"cursor": ["CHANGED"], "lag_seconds": 3})")});
    INFO("scenario: " << scenario.name);
    const std::map<std::string, int> delivered = sync_while_inserting(scenario.incremental);
    CHECK(delivered.size() == kRows);
    for (const auto& [id, count] : delivered) {
        INFO("row " << id);
        CHECK(count == 1);
    }
}

TEST_CASE("incremental reads without lag or overlap lose the late commits (negative control)",
          "[odbc][incremental]") {
    // The same writer, with a plain "after the last cursor" sync: the rows committed with an
    // older cursor land behind a checkpoint and are never read. This is what the scenarios
    // above must prevent, and it shows the test can see a loss.
    const std::map<std::string, int> delivered =
        sync_while_inserting(nlohmann::json::parse(R"({"cursor": ["CHANGED"]})"));
    CHECK(delivered.size() < kRows);
    for (const auto& [id, count] : delivered) {
        CHECK(count == 1);
    }
}

TEST_CASE("text cursors with a format: the lag window is computed in that format",
          "[odbc][incremental]") {
    const std::string path = "/tmp/ferry-odbc-textcursor-" + std::to_string(::getpid()) + ".db";
    std::remove(path.c_str());
    const std::string connection = "Driver=SQLite3;Database=" + path;
    {
        auto env = Environment::create();
        REQUIRE(env.ok());
        auto conn = Connection::open(*env, connection, Timeouts{}, false);
        REQUIRE(conn.ok());
        run_sql(*conn, "CREATE TABLE TX (ID VARCHAR(8) NOT NULL PRIMARY KEY, CHG VARCHAR(14), "
                       "DAY CHAR(8))");
        run_sql(*conn, "INSERT INTO TX VALUES ('a', '20260101100000', '20251231'), "
                       "('b', '20260101105000', '20260101'), ('c', '20260101105001', '20260101'), "
                       "('d', NULL, 'someday')");
    }
    const auto ids_read = [&](const nlohmann::json& spec) {
        auto source = odbc_plugin().create_source({{"connection", connection},
                                                   {"text_encoding", "UTF-8"},
                                                   {"incremental", {{"TX", spec}}}});
        REQUIRE(source.ok());
        const auto contents = read_stream(
            *source, "TX", {{"params", {{"incremental", true}, {"now", "2026-01-01 11:00:00"}}}});
        std::string ids;
        for (const auto& row : contents.rows) {
            ids += row.at("ID");
        }
        for (const auto& reject : contents.rejects) {
            ids += "!" + reject.field + "/" + reject.rule + "/" + reject.location;
        }
        return ids;
    };
    // now - 600 s = 10:50:00: rows up to that second are read.
    CHECK(ids_read(
              {{"cursor", {"CHG"}}, {"lag_seconds", 600}, {"cursor_format", "yyyyMMddHHmmss"}}) ==
          "dab"); // the first run also takes the row without a cursor value
    // A day cursor reads only the days complete at now - lag.
    CHECK(ids_read({{"cursor", {"DAY"}}, {"lag_seconds", 60}, {"cursor_format", "yyyyMMdd"}}) ==
          "a");
    // A value that is not a day is a reject naming the row, never a row without a place in the
    // state.
    CHECK(ids_read({{"cursor", {"DAY"}}, {"overlap_seconds", 60}, {"cursor_format", "yyyyMMdd"}}) ==
          "abc!DAY/cursor_format/record 4, key ID=d");
    // Without a format a text cursor cannot have a lag, and the message says what to add.
    auto plain = odbc_plugin().create_source(
        {{"connection", connection},
         {"incremental", {{"TX", {{"cursor", {"CHG"}}, {"lag_seconds", 60}}}}}});
    REQUIRE(plain.ok());
    const auto refused = plain->open_stream("TX", {{"params", {{"incremental", true}}}});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().message().find("cursor_format") != std::string::npos);
    std::remove(path.c_str());
}
