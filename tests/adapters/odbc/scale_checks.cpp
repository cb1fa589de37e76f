// SPDX-License-Identifier: Apache-2.0
// scale_checks.cpp — see scale_checks.h.
#include "scale_checks.h"

#include <set>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "ferry/batch.h"
#include "ferry/batch_reader.h"

#include "server_support.h"

namespace ferry::odbc::test {

namespace {

std::string cell(const Batch& batch, std::int64_t row, const std::string& name) {
    for (std::size_t col = 0; col < batch.schema().size(); ++col) {
        if (batch.schema().field(col).name == name) {
            return batch.column(col).value(row).to_string();
        }
    }
    return "(missing)";
}

} // namespace

DiffRun diff_run(const SourceHandle& source,
                 const std::string& dataset,
                 const nlohmann::json& state,
                 std::int64_t batch_rows,
                 std::optional<int> stop_after) {
    nlohmann::json request = {{"params", {{"snapshot", true}}}, {"batch_rows", batch_rows}};
    if (!state.is_null()) {
        request["resume"] = state;
    }
    const StreamContents contents = read_stream(source, dataset, request, stop_after);
    DiffRun run;
    run.rows = contents.rows;
    run.rejects = contents.rejects;
    run.batches = contents.checkpoints.size();
    for (std::size_t idx = 0; idx < contents.checkpoints.size(); ++idx) {
        const bool last = idx + 1 == contents.checkpoints.size();
        // Only the last batch of a run carries the state: the host persists it after the run.
        INFO("batch " << idx);
        CHECK(contents.checkpoints[idx].empty() != (last && !stop_after));
        if (last && !contents.checkpoints[idx].empty()) {
            run.state = nlohmann::json::parse(contents.checkpoints[idx]);
        }
    }
    return run;
}

std::map<std::string, std::string> changes_of(const DiffRun& run, const std::string& key_field) {
    std::map<std::string, std::string> out;
    for (const auto& row : run.rows) {
        CHECK(out.emplace(row.at(key_field), row.at("_change")).second);
    }
    return out;
}

void check_snapshot_diff(nlohmann::json options, const std::string& writable) {
    execute_sql(writable,
                {"DROP TABLE IF EXISTS sd",
                 "CREATE TABLE sd (id VARCHAR(20) NOT NULL PRIMARY KEY, amount DECIMAL(10,2), "
                 "note VARCHAR(40))",
                 "INSERT INTO sd VALUES ('k001', 1.50, 'n1'), ('k002', 2.50, 'n2'), "
                 "('k003', 3.50, 'n3'), ('k004', 4.50, 'n4'), ('k005', 5.50, NULL), "
                 "('k006', 6.50, 'n6'), ('k007', 7.50, 'n7')"});
    options["snapshot"] = {{"sd", nlohmann::json::object()}};
    const SourceHandle source = source_for(options);

    const DiffRun first = diff_run(source, "sd", nullptr, 3);
    CHECK(first.rows.size() == 7);
    CHECK(first.rejects.empty());
    for (const auto& [key, change] : changes_of(first, "id")) {
        CHECK(change == "insert");
    }
    REQUIRE(first.state.is_object());
    CHECK(first.state["snapshot"]["rows"] == 7);

    execute_sql(writable, {"UPDATE sd SET amount = 2.75 WHERE id = 'k002'",
                           "UPDATE sd SET note = NULL WHERE id = 'k003'",
                           "UPDATE sd SET note = 'n5' WHERE id = 'k005'",
                           "DELETE FROM sd WHERE id IN ('k004', 'k007')",
                           "INSERT INTO sd VALUES ('k000', 0.50, 'first'), ('k009', 9.50, 'n9')"});
    const DiffRun second = diff_run(source, "sd", first.state, 2);
    CHECK(changes_of(second, "id") == std::map<std::string, std::string>{{"k000", "insert"},
                                                                         {"k002", "update"},
                                                                         {"k003", "update"},
                                                                         {"k004", "delete"},
                                                                         {"k005", "update"},
                                                                         {"k007", "delete"},
                                                                         {"k009", "insert"}});
    for (const auto& row : second.rows) {
        if (row.at("id") == "k002") {
            CHECK(row.at("amount") == "2.75");
        }
        if (row.at("_change") == "delete") {
            // A delete carries its key only.
            CHECK(row.at("amount") == "null");
            CHECK(row.at("note") == "null");
        }
    }
    CHECK(second.state["snapshot"]["rows"] == 7);

    // Nothing changed: no batch at all, and the state the host keeps is still right.
    const DiffRun idle = diff_run(source, "sd", second.state);
    CHECK(idle.batches == 0);
    CHECK(idle.rows.empty());

    // A crash after the first batch of a run: no state was handed out, so the host still has
    // the previous one; the next run delivers the same changes and ends in the same state as a
    // run that never crashed.
    execute_sql(writable, {"UPDATE sd SET note = 'changed' WHERE id IN ('k001', 'k006')",
                           "DELETE FROM sd WHERE id = 'k009'"});
    const DiffRun crashed = diff_run(source, "sd", second.state, 1, 1);
    CHECK(crashed.rows.size() == 1);
    CHECK(crashed.state.is_null());
    const DiffRun retried = diff_run(source, "sd", second.state, 1);
    const DiffRun uninterrupted = diff_run(source, "sd", second.state);
    CHECK(changes_of(retried, "id") == std::map<std::string, std::string>{{"k001", "update"},
                                                                          {"k006", "update"},
                                                                          {"k009", "delete"}});
    CHECK(retried.state == uninterrupted.state);
    CHECK(diff_run(source, "sd", retried.state).batches == 0);
}

std::string quoted(const std::string& text) {
    return "'" + text + "'";
}

std::string sqlite_hex(const std::string& text) {
    static const char* const kDigits = "0123456789ABCDEF";
    std::string out = "CAST(X'";
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        out.push_back(kDigits[byte >> 4]);
        out.push_back(kDigits[byte & 0xf]);
    }
    return out + "' AS TEXT)";
}

void check_partitions(nlohmann::json options,
                      const std::string& writable,
                      int partitions,
                      const std::function<std::string(const std::string&)>& text_literal) {
    // Skewed: 80% of the rows share region 'A' (equal first key parts, so boundaries fall
    // inside one prefix); the rest spread over ASCII, case variants and Chinese text.
    const std::vector<std::pair<std::string, int>> regions = {
        {"A", 4000},   {"Ab", 200},     {"a", 150}, {"B", 250},
        {"北京", 200}, {"北京市", 100}, {"Z", 100}};
    std::vector<std::string> statements = {
        "DROP TABLE IF EXISTS pt",
        "CREATE TABLE pt (region VARCHAR(20) NOT NULL, seq INTEGER NOT NULL, payload "
        "VARCHAR(40), PRIMARY KEY (region, seq))"};
    std::set<std::string> expected;
    int seq = 0;
    for (const auto& [region, count] : regions) {
        std::string insert;
        for (int row = 0; row < count; ++row, ++seq) {
            insert += (insert.empty() ? "INSERT INTO pt VALUES " : ", ") + std::string("(") +
                      text_literal(region) + ", " + std::to_string(seq) + ", 'p" +
                      std::to_string(seq) + "')";
            expected.insert(region + "|" + std::to_string(seq));
            if (row % 500 == 499 || row + 1 == count) {
                statements.push_back(insert);
                insert.clear();
            }
        }
    }
    execute_sql(writable, statements);
    options["parallel"] = {{"pt", {{"partitions", partitions}}}};
    const SourceHandle source = source_for(options);

    // Every partition on its own thread (and connection) at once.
    struct Result {
        std::vector<std::string> keys;
        std::string error;
    };

    std::vector<Result> results(static_cast<std::size_t>(partitions));
    std::vector<std::thread> threads;
    for (int index = 0; index < partitions; ++index) {
        threads.emplace_back([&source, &results, index] {
            Result& out = results[static_cast<std::size_t>(index)];
            auto reader =
                source.open_stream("pt", {{"params", {{"partition", index}}}, {"batch_rows", 333}});
            if (!reader.ok()) {
                out.error = reader.status().to_string();
                return;
            }
            for (;;) {
                auto next = reader->next();
                if (!next.ok()) {
                    out.error = next.status().to_string();
                    return;
                }
                if (!next->has_value()) {
                    return;
                }
                const Batch& batch = **next;
                for (std::int64_t row = 0; row < batch.num_rows(); ++row) {
                    out.keys.push_back(cell(batch, row, "region") + "|" + cell(batch, row, "seq"));
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::multiset<std::string> seen;
    for (int index = 0; index < partitions; ++index) {
        const Result& result = results[static_cast<std::size_t>(index)];
        INFO("partition " << index << ": " << result.error);
        REQUIRE(result.error.empty());
        // NTILE balances by rows, whatever the skew.
        CHECK(result.keys.size() * static_cast<std::size_t>(partitions) >= expected.size() / 2);
        seen.insert(result.keys.begin(), result.keys.end());
    }
    CHECK(seen.size() == expected.size());
    CHECK(std::set<std::string>(seen.begin(), seen.end()) == expected);
    for (const std::string& key : expected) {
        if (seen.count(key) != 1) {
            FAIL_CHECK("row " << key << " read " << seen.count(key) << " times");
        }
    }

    // A partition resumed from a checkpoint keeps its range and continues after its key.
    const int probe = partitions > 1 ? 1 : 0;
    const nlohmann::json params = {{"partition", probe}};
    const auto whole = read_stream(source, "pt", {{"params", params}});
    const auto part = read_stream(source, "pt", {{"params", params}, {"batch_rows", 50}}, 2);
    const auto checkpoint = nlohmann::json::parse(part.checkpoints.back());
    const auto rest = read_stream(source, "pt", {{"params", params}, {"resume", checkpoint}});
    CHECK(part.rows.size() + rest.rows.size() == whole.rows.size());
    CHECK(checkpoint["partition"]["index"] == probe);
    CHECK(checkpoint["partition"]["of"] == partitions);

    // Bad requests say what is wrong.
    auto bad = source.open_stream("pt", {{"params", {{"partition", partitions}}}});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message().find("must be an integer from 0 to") != std::string::npos);
    if (partitions > 1) {
        auto elsewhere =
            source.open_stream("pt", {{"params", {{"partition", 0}}}, {"resume", checkpoint}});
        REQUIRE_FALSE(elsewhere.ok());
        CHECK(elsewhere.status().message().find("not one of partition 0") != std::string::npos);
    }
}

long peak_rss_kib(const nlohmann::json& options, const std::string& dataset, std::int64_t& rows) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // No Catch2 here: the child only reports its row count.
        ::close(fds[0]);
        std::int64_t count = -1;
        auto source = odbc_plugin().create_source(options);
        if (source.ok()) {
            auto reader = source->open_stream(dataset, nlohmann::json::object());
            if (reader.ok()) {
                std::int64_t read = 0;
                for (;;) {
                    auto next = reader->next();
                    if (!next.ok()) {
                        read = -1;
                        break;
                    }
                    if (!next->has_value()) {
                        break;
                    }
                    read += (**next).num_rows();
                }
                count = read;
            }
        }
        (void)!::write(fds[1], &count, sizeof count);
        ::_exit(0);
    }
    ::close(fds[1]);
    rows = -1;
    REQUIRE(::read(fds[0], &rows, sizeof rows) == static_cast<ssize_t>(sizeof rows));
    ::close(fds[0]);
    int status = 0;

    struct rusage usage {};

    REQUIRE(::wait4(child, &status, 0, &usage) == child);
    return usage.ru_maxrss;
}

} // namespace ferry::odbc::test
