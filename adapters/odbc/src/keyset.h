// SPDX-License-Identifier: Apache-2.0
// keyset.h — row-value key comparisons ("after this key", "before that boundary") as SQL with
// parameters, for resume, incremental reads, keyset paging and key-range partitions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "discovery.h"
#include "select_stream.h"

namespace ferry::odbc {

/// How the row's key compares with the given key values.
enum class KeyCompare {
    After,     ///< key >  values
    AtOrAfter, ///< key >= values
    Before,    ///< key <  values
};

/// "(k1 > ?) OR (k1 = ? AND k2 > ?) …" (in parentheses) comparing the key columns with `values`
/// (JSON strings, as checkpoints carry them), appending the parameters to `params`. The values
/// are always parameters bound with their column's SQL type, never SQL text.
/// `expressions` (one per key column) replace the quoted column names, so the comparison can
/// follow an ORDER BY on the same expressions (a binary collation, say).
Result<std::string> keyset_predicate(const Connection& conn,
                                     const TableInfo& table,
                                     const std::vector<std::size_t>& key_columns,
                                     const nlohmann::json& values,
                                     KeyCompare compare,
                                     std::vector<Parameter>& params,
                                     const std::vector<std::string>* expressions = nullptr);

/// `prefix` + keyset_predicate(…, After, …): " WHERE ((k1 > ?) OR …)". `prefix` is " WHERE "
/// or " AND ".
Result<std::string> keyset_after(const Connection& conn,
                                 const TableInfo& table,
                                 const std::vector<std::size_t>& key_columns,
                                 const nlohmann::json& after,
                                 std::vector<Parameter>& params,
                                 const std::string& prefix = " WHERE ");

} // namespace ferry::odbc
