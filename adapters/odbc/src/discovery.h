// SPDX-License-Identifier: Apache-2.0
// discovery.h — tables, columns, primary keys and indexed columns through the catalog functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

#include "odbc_handles.h"
#include "type_mapping.h"

namespace ferry::odbc {

struct TableInfo {
    std::string catalog;
    std::string schema;
    std::string name;
    std::string type; ///< "TABLE" or "VIEW"
    std::vector<ColumnInfo> columns;
    std::vector<std::string> primary_key; ///< in key order
    std::vector<std::string> indexed;     ///< first columns of indexes: cursor candidates
};

/// Every row of the current result set of `stmt` as text (NULL -> nullopt), for the small
/// result sets of the catalog functions.
Result<std::vector<std::vector<std::optional<std::string>>>> read_all_text(Statement& stmt);

/// Tables and views (SQLTables) in `schema` (empty: every schema the driver lists), without the
/// driver's system tables.
Result<std::vector<TableInfo>> list_tables(const Connection& connection, const std::string& schema);

/// Fills columns (SQLColumns), primary_key (SQLPrimaryKeys) and indexed (SQLStatistics).
Status describe_table(const Connection& connection, TableInfo& table);

/// Finds a table by exact name, else by a case-insensitive match (PostgreSQL folds to lower case,
/// MariaDB keeps case); NotFound otherwise.
Result<TableInfo>
find_table(const Connection& connection, const std::string& schema, const std::string& name);

/// The columns of a prepared or executed statement (SQLDescribeCol), for named queries.
Result<std::vector<ColumnInfo>> describe_result(Statement& stmt);

/// `"name"` quoted with the driver's identifier quote (doubled inside); bare if it has none.
std::string quote_identifier(const Connection& connection, const std::string& name);

/// schema.table, quoted.
std::string qualified_name(const Connection& connection, const TableInfo& table);

} // namespace ferry::odbc
