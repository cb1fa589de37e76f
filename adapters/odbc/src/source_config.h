// SPDX-License-Identifier: Apache-2.0
// source_config.h — the adapter's options: connection, secrets, timeouts, datasets, tuning.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/result.h"
#include "ferry/retry.h"

#include "odbc_handles.h"
#include "rowset_reader.h"

namespace ferry::odbc {

/// A read-only query offered as a dataset.
struct NamedQuery {
    std::string name;
    std::string sql;
};

/// Per-table settings for incremental reads.
struct IncrementalSpec {
    std::vector<std::string> cursor;      ///< monotone-ish columns (a change timestamp, a serial)
    std::vector<std::string> tie_breaker; ///< unique key making the order total (default: PK)
    std::int64_t lag_seconds = 0;         ///< rows newer than now - lag wait for the next run
    std::int64_t overlap_seconds = 0;     ///< re-read this far behind the last cursor, deduped
    std::string cursor_format; ///< "" (a timestamp column), "yyyyMMddHHmmss" or "yyyyMMdd"
};

/// Per-table settings for parallel reads split by key ranges.
struct ParallelSpec {
    std::vector<std::string> key;           ///< the split key (default: the primary key)
    std::int64_t partitions = 0;            ///< NTILE-found ranges (when boundaries is empty)
    std::vector<nlohmann::json> boundaries; ///< explicit ascending boundaries, each key texts
};

/// Per-table settings for snapshot diffs by row hash.
struct SnapshotSpec {
    std::vector<std::string> key; ///< the row identity (default: the primary key)
};

struct SourceConfig {
    std::string connection_string; ///< with the password, when one is configured: never log it
    Timeouts timeouts;
    TextEncoding text;
    std::string schema;              ///< catalog schema filter (empty: any)
    std::vector<std::string> tables; ///< offered tables (empty: every table and view)
    std::vector<NamedQuery> queries;
    std::map<std::string, IncrementalSpec> incremental; ///< by dataset name
    std::map<std::string, ParallelSpec> parallel;       ///< by dataset name
    std::map<std::string, SnapshotSpec> snapshot;       ///< by dataset name
    std::int64_t page_rows = 0; ///< keyset paging of table reads (0: one statement)
    bool count_rows = true; ///< declare a COUNT(*) taken in the read's snapshot, where there is one
    std::size_t rowset_bytes = 4u << 20;
    std::size_t lookup_pool_size = 4;
    BackoffPolicy retry;

    /// Parses options already checked against kOptionsSchema; reads the password from its
    /// environment variable or file (InvalidArgument if missing, never quoting it).
    static Result<SourceConfig> parse(const nlohmann::json& options);
};

/// The JSON Schema of the options (the host validates them before create()).
extern const char kOptionsSchema[];

} // namespace ferry::odbc
