// SPDX-License-Identifier: Apache-2.0
// accounting_integration_test.cpp — the row count a table read declares, on PostgreSQL
// (REPEATABLE READ) and MariaDB (InnoDB consistent read): taken in the read's own snapshot, so a
// writer committing rows while the read pages through the table changes neither the count nor
// the rows read. Without the count (the negative control) the later pages see the new rows.
#include <algorithm>
#include <string>
#include <tuple>

#include <catch2/catch.hpp>

#include "ferry/batch_reader.h"

#include "odbc_test_support.h"
#include "server_support.h"

using namespace ferry::odbc::test;

namespace {

constexpr int kRows = 400;

// Reads "ferry_count_t" page by page; after the first batch a writer commits two rows with keys
// after every existing one. Returns {records read, largest id read, verdict}.
std::tuple<std::int64_t, std::int64_t, std::string>
read_with_writer(nlohmann::json options, bool count_rows, int round) {
    const std::string writer = connection_string_of(options);
    options["page_rows"] = 100;
    options["count_rows"] = count_rows;
    const auto source = source_for(options);
    auto reader = source.open_stream("ferry_count_t", {{"batch_rows", 100}});
    INFO(reader.status().to_string());
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
            const std::string base = std::to_string(1000 * round);
            execute_sql(writer, {"INSERT INTO ferry_count_t VALUES (" + base + ", 'late'), (" +
                                 base + " + 1, 'late')"});
        }
        read += (*next)->records_read();
        for (std::int64_t row = 0; row < (*next)->num_rows(); ++row) {
            max_id = std::max<std::int64_t>(max_id,
                                            std::stoll((*next)->column(0).value(row).to_string()));
        }
    }
    REQUIRE(reader->reconciliation().has_value());
    return {read, max_id, std::string(to_string(reader->reconciliation()->verdict))};
}

void check_snapshot_count(const nlohmann::json& options, const std::string& create) {
    const std::string writer = connection_string_of(options);
    execute_sql(writer, {"DROP TABLE IF EXISTS ferry_count_t", create});
    std::string insert = "INSERT INTO ferry_count_t VALUES ";
    for (int id = 1; id <= kRows; ++id) {
        insert += (id > 1 ? ", (" : "(") + std::to_string(id) + ", 'row')";
    }
    execute_sql(writer, {insert});

    const auto [read, max_id, verdict] = read_with_writer(options, true, 1);
    CHECK(verdict == "reconciled");
    CHECK(read == kRows);
    CHECK(max_id == kRows);
    const auto [plain_read, plain_max, plain_verdict] = read_with_writer(options, false, 2);
    CHECK(plain_verdict == "unverified");
    CHECK(plain_read == kRows + 4);
    CHECK(plain_max > 2000);
    execute_sql(writer, {"DROP TABLE ferry_count_t"});
}

} // namespace

TEST_CASE("PostgreSQL: the declared row count holds in the read's snapshot",
          "[odbc][integration][postgres][accounting]") {
    check_snapshot_count(postgres_options(),
                         "CREATE TABLE ferry_count_t (id integer PRIMARY KEY, v varchar(20))");
}

TEST_CASE("MariaDB: a MyISAM table has no snapshot, and the count shows the rows it gained",
          "[odbc][integration][mariadb][accounting]") {
    // The negative control of the comparison itself: MyISAM ignores transactions, so the rows a
    // writer commits after the count reach the later pages, and the stream fails unreconciled.
    const nlohmann::json options = mariadb_options();
    const std::string writer = connection_string_of(options);
    execute_sql(writer,
                {"DROP TABLE IF EXISTS ferry_count_m",
                 "CREATE TABLE ferry_count_m (id integer PRIMARY KEY, v varchar(20)) ENGINE=MyISAM",
                 "INSERT INTO ferry_count_m SELECT seq, 'row' FROM seq_1_to_400"});
    nlohmann::json paged = options;
    paged["page_rows"] = 100;
    const auto source = source_for(paged);
    auto reader = source.open_stream("ferry_count_m", {{"batch_rows", 100}});
    INFO(reader.status().to_string());
    REQUIRE(reader.ok());
    ferry::Status failed;
    for (int batches = 0; batches < 100 && failed.ok(); ++batches) {
        auto next = reader->next();
        if (!next.ok()) {
            failed = next.status();
        } else if (!next->has_value()) {
            break;
        }
        if (batches == 0) {
            execute_sql(writer,
                        {"INSERT INTO ferry_count_m VALUES (5000, 'late'), (5001, 'late')"});
        }
    }
    CHECK(failed.code() == ferry::StatusCode::Data);
    CHECK(failed.message().find("unreconciled") != std::string::npos);
    CHECK(failed.message().find("counts 400 records") != std::string::npos);
    execute_sql(writer, {"DROP TABLE ferry_count_m"});
}

TEST_CASE("MariaDB: the declared row count holds in the read's snapshot",
          "[odbc][integration][mariadb][accounting]") {
    check_snapshot_count(
        mariadb_options(),
        "CREATE TABLE ferry_count_t (id integer PRIMARY KEY, v varchar(20)) ENGINE=InnoDB");
}
