// SPDX-License-Identifier: Apache-2.0
// table_read.h — a table read in key order: resume after a key, an optional range predicate
// (a partition) and optional keyset paging.
#pragma once

#include <functional>
#include <memory>
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
    std::function<void(nlohmann::json& checkpoint)> decorate_checkpoint;
};

/// "SELECT … FROM t [WHERE …] ORDER BY key [limit]" on `conn`, which the stream then owns.
Result<std::unique_ptr<plugin::Stream>> open_table_read(std::unique_ptr<Connection> conn,
                                                        const TableInfo& table,
                                                        const std::vector<ColumnMapping>& columns,
                                                        TableRead read,
                                                        const SourceConfig& config);

/// Schema indices of `names` in `table` (case-insensitive), or InvalidArgument naming `what`.
Result<std::vector<std::size_t>>
key_indices(const TableInfo& table, const std::vector<std::string>& names, const std::string& what);

} // namespace ferry::odbc
