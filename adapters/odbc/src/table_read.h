// SPDX-License-Identifier: Apache-2.0
// table_read.h — a table read in key order: resume after a key, an optional range predicate
// (a partition) and optional keyset paging.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/plugin/stream.h"

#include "discovery.h"
#include "select_stream.h"
#include "source_config.h"

namespace ferry::odbc {

/// What open_table_read reads.
struct TableRead {
    std::vector<std::size_t> key_columns; ///< ORDER BY and paging key (empty: no order)
    std::string where;                    ///< a predicate ANDed to every page ("" none)
    std::vector<Parameter> where_params;  ///< its parameters
    nlohmann::json resume;                ///< a checkpoint of an earlier read, or null
    std::int64_t page_rows = 0;           ///< keyset paging (needs key_columns)
    bool count_rows = false; ///< declare a COUNT(*) in the read's snapshot (where there is one)
    std::function<void(nlohmann::json& checkpoint)> decorate_checkpoint;
};

/// "SELECT … FROM t [WHERE …] ORDER BY key [limit]" on `conn`, which the stream then owns.
Result<std::unique_ptr<plugin::Stream>> open_table_read(std::unique_ptr<Connection> conn,
                                                        const TableInfo& table,
                                                        const std::vector<ColumnMapping>& columns,
                                                        TableRead read,
                                                        const SourceConfig& config);

/// Where `conn` gives one consistent snapshot (Connection::has_snapshot_reads), starts it and
/// returns "SELECT COUNT(*) FROM `from` `where`" in it; nullopt elsewhere. Every statement the
/// read runs later on `conn` sees the same rows.
Result<std::optional<std::int64_t>> snapshot_row_count(Connection& conn,
                                                       const std::string& table_name,
                                                       const std::string& from,
                                                       const std::string& where,
                                                       std::vector<Parameter> params);

/// Declares `count` rows after the resume point plus the `resumed_after` records earlier
/// streams read (StreamAccounting::declare_records, set_resumed_after).
void declare_row_count(plugin::Stream& stream,
                       const std::string& table_name,
                       std::int64_t count,
                       std::int64_t resumed_after);

/// Schema indices of `names` in `table` (case-insensitive), or InvalidArgument naming `what`.
Result<std::vector<std::size_t>>
key_indices(const TableInfo& table, const std::vector<std::string>& names, const std::string& what);

} // namespace ferry::odbc
