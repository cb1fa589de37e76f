// SPDX-License-Identifier: Apache-2.0
// odbc_test_support.h — the ODBC adapter linked in, and a reader that collects whole streams.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/plugin_library.h"

#include "odbc_handles.h"

namespace ferry::odbc::test {

/// The adapter, linked statically (FerryPluginOdbcInit).
const PluginLibrary& odbc_plugin();

/// Runs `sql` on `conn` (a writer's own connection); fails the test with the diagnostics.
/// Runs one statement; safe on any thread (no Catch assertion inside).
Status execute_sql(Connection& conn, const std::string& sql);
/// The same, REQUIREd to succeed: main test thread only (Catch is not thread-safe).
void run_sql(Connection& conn, const std::string& sql);

/// A source of the adapter with `options`; fails the test (with the reason) if it cannot.
SourceHandle source_for(const nlohmann::json& options);

/// Options for the sample estate's SQLite database.
nlohmann::json estate_options();

struct RejectInfo {
    std::int64_t record_no = 0;
    std::string field;
    std::string rule;
    std::string reason;
    std::string location;
};

/// Everything a stream delivered: rows as field -> Value::to_string() ("null" for NULL).
struct StreamContents {
    std::int64_t read = 0;
    std::vector<std::map<std::string, std::string>> rows;
    std::vector<std::int64_t> record_nos;
    std::vector<RejectInfo> rejects;
    std::vector<std::string> checkpoints; ///< one per batch
    std::string verdict;                  ///< "reconciled", "unverified" (empty if stopped early)
    std::string reconciliation;           ///< its summary
};

/// Reads `dataset` to its end (bounded), failing the test on an error. With `stop_after`, stops
/// after that many batches.
StreamContents read_stream(const SourceHandle& source,
                           const std::string& dataset,
                           const nlohmann::json& request = nullptr,
                           std::optional<int> stop_after = std::nullopt);

} // namespace ferry::odbc::test
