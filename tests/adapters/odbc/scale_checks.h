// SPDX-License-Identifier: Apache-2.0
// scale_checks.h — the scenarios every database runs for snapshot diffs, key-range partitions
// and keyset paging (SQLite in the unit tests, PostgreSQL and MariaDB in the integration ones).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "odbc_test_support.h"

namespace ferry::odbc::test {

/// One snapshot-diff run: what it delivered and rejected, and the state its last batch carried
/// (null when no batch came, i.e. nothing changed).
struct DiffRun {
    std::vector<std::map<std::string, std::string>> rows;
    std::vector<RejectInfo> rejects;
    nlohmann::json state;
    std::size_t batches = 0;
};

DiffRun diff_run(const SourceHandle& source,
                 const std::string& dataset,
                 const nlohmann::json& state,
                 std::int64_t batch_rows = 4096,
                 std::optional<int> stop_after = std::nullopt);

/// key -> _change of a run's rows.
std::map<std::string, std::string> changes_of(const DiffRun& run, const std::string& key_field);

/// Inserts, updates and deletes between runs of table `sd` (created here through `writable`),
/// a run without changes emitting nothing, and a run cut short (a crash) leaving the state
/// where it was. Names are lower case so PostgreSQL's folding does not matter.
void check_snapshot_diff(nlohmann::json options, const std::string& writable);

/// Table `pt` with a composite (text, integer) key, heavily skewed (most rows share one text
/// prefix) and text with non-ASCII characters, read as `partitions` partition streams at once
/// on separate threads: their union is the table, each row exactly once.
/// `text_literal` spells a UTF-8 string as SQL (SQLite's driver mangles non-ASCII SQL text sent
/// through the W API, so its tests spell it in hex).
void check_partitions(nlohmann::json options,
                      const std::string& writable,
                      int partitions,
                      const std::function<std::string(const std::string&)>& text_literal);

/// 'text' as a plain SQL string literal.
std::string quoted(const std::string& text);
/// CAST(X'…' AS TEXT): UTF-8 bytes SQLite stores as they are.
std::string sqlite_hex(const std::string& text);

/// Peak RSS (KiB) of a child process that reads `dataset` to its end with `options`; `rows`
/// receives the rows it read (-1 on a failure).
long peak_rss_kib(const nlohmann::json& options, const std::string& dataset, std::int64_t& rows);

} // namespace ferry::odbc::test
