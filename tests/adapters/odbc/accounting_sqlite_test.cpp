// SPDX-License-Identifier: Apache-2.0
// accounting_sqlite_test.cpp — source accounting on SQLite: table reads declare a COUNT(*) taken
// in the read's own transaction, so whole, partitioned and resumed reads end "reconciled", and
// rows a writer commits during the read are neither counted nor read.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <tuple>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "ferry/batch_reader.h"

#include "odbc_test_support.h"
#include "server_support.h"

using namespace ferry::odbc::test;

TEST_CASE("SQLite: a table read declares its row count and ends reconciled",
          "[odbc][estate][accounting]") {
    const auto source = source_for(estate_options());
    const auto full = read_stream(source, "AC08", {{"batch_rows", 500}});
    CHECK(full.verdict == "reconciled");
    INFO(full.reconciliation);
    CHECK(full.read > 0);

    SECTION("turned off, the read declares nothing") {
        nlohmann::json options = estate_options();
        options["count_rows"] = false;
        const auto plain = read_stream(source_for(options), "AC08", {{"batch_rows", 500}});
        CHECK(plain.verdict == "unverified");
        CHECK(plain.read == full.read);
    }
    SECTION("a resumed read counts the rows after its key plus those read before") {
        const auto first = read_stream(source, "AC08", {{"batch_rows", 250}}, 2);
        REQUIRE(first.checkpoints.size() == 2);
        const auto rest = read_stream(
            source, "AC08",
            {{"batch_rows", 250}, {"resume", nlohmann::json::parse(first.checkpoints.back())}});
        CHECK(rest.verdict == "reconciled");
        CHECK(first.read + rest.read == full.read);
    }
    SECTION("each key-range partition counts its own range") {
        nlohmann::json options = estate_options();
        options["parallel"] = {{"AC08", {{"partitions", 3}}}};
        const auto parallel = source_for(options);
        std::int64_t total = 0;
        for (int index = 0; index < 3; ++index) {
            const auto piece = read_stream(parallel, "AC08", {{"params", {{"partition", index}}}});
            CHECK(piece.verdict == "reconciled");
            total += piece.read;
        }
        CHECK(total == full.read);
    }
}

TEST_CASE("SQLite: rows committed during a paged read are neither counted nor read",
          "[odbc][accounting]") {
    const std::filesystem::path db = std::filesystem::temp_directory_path() /
                                     ("ferry_odbc_count_" + std::to_string(::getpid()) + ".sqlite");
    std::filesystem::remove(db);
    // WAL lets the writer commit while the reader's transaction holds its snapshot; the short
    // timeout bounds the test if it did not.
    const std::string conn = "Driver=SQLite3;Database=" + db.string() + ";Timeout=2000";
    std::vector<std::string> setup = {"PRAGMA journal_mode=WAL",
                                      "CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(20))",
                                      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                      "FROM n WHERE i < 200) INSERT INTO t SELECT i, 'row' || i "
                                      "FROM n"};
    execute_sql(conn, setup);

    auto read_with_writer = [&](bool count_rows) {
        nlohmann::json options = {{"connection", conn + ";StepAPI=1"},
                                  {"text_encoding", "UTF-8"},
                                  {"page_rows", 50},
                                  {"count_rows", count_rows}};
        const auto source = source_for(options);
        auto reader = source.open_stream("t", {{"batch_rows", 50}});
        REQUIRE(reader.ok());
        std::int64_t read = 0;
        std::int64_t max_id = 0;
        for (int batches = 0; batches < 100; ++batches) {
            auto next = reader->next();
            INFO(next.status().to_string());
            REQUIRE(next.ok());
            if (!next->has_value()) {
                break;
            }
            if (batches == 0) {
                static int round = 0;
                const int base = 1000 * (++round);
                execute_sql(conn, {"INSERT INTO t VALUES (" + std::to_string(base) +
                                   ", 'late'), (" + std::to_string(base + 1) + ", 'late')"});
            }
            read += (*next)->records_read();
            for (std::int64_t row = 0; row < (*next)->num_rows(); ++row) {
                max_id = std::max<std::int64_t>(
                    max_id, std::stoll((*next)->column(0).value(row).to_string()));
            }
        }
        REQUIRE(reader->reconciliation().has_value());
        return std::make_tuple(read, max_id,
                               std::string(to_string(reader->reconciliation()->verdict)));
    };

    const auto [read, max_id, verdict] = read_with_writer(true);
    CHECK(verdict == "reconciled");
    CHECK(read == 200);
    CHECK(max_id == 200);
    // The negative control: without the snapshot the later pages see the writer's rows.
    const auto [plain_read, plain_max, plain_verdict] = read_with_writer(false);
    CHECK(plain_verdict == "unverified");
    CHECK(plain_read == 204);
    CHECK(plain_max > 1000);
    std::filesystem::remove(db);
    std::filesystem::remove(db.string() + "-wal");
    std::filesystem::remove(db.string() + "-shm");
}
