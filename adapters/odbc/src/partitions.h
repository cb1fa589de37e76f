// SPDX-License-Identifier: Apache-2.0
// partitions.h — one table split into key ranges read by separate streams (each on its own
// connection): boundaries from an NTILE query or the options, and each range as a predicate.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "discovery.h"
#include "select_stream.h"

namespace ferry::odbc {

/// The first key of tiles 2..`partitions` of the table in key order (NTILE over the key), each a
/// JSON array of key texts: `partitions` - 1 ascending boundaries (fewer when the table has
/// fewer rows). Works on any database with window functions (SQLite 3.25, PostgreSQL, MariaDB
/// 10.2, Oracle, DB2, DM).
Result<std::vector<nlohmann::json>> find_boundaries(const Connection& conn,
                                                    const TableInfo& table,
                                                    const std::vector<std::size_t>& key_columns,
                                                    std::int64_t partitions);

/// The range [from, to) as a predicate (null `from`: from the start, and rows whose key has a
/// NULL; null `to`: to the end). The values are parameters appended to `params`.
Result<std::string> range_predicate(const Connection& conn,
                                    const TableInfo& table,
                                    const std::vector<std::size_t>& key_columns,
                                    const nlohmann::json& from,
                                    const nlohmann::json& to,
                                    std::vector<Parameter>& params);

} // namespace ferry::odbc
