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
    /// A named query read like a table (incremental reads): its SQL, a derived table in FROM.
    std::string query_sql;
};

/// Every row of the current result set of `stmt` as text (NULL -> nullopt), for the small
/// result sets of the catalog functions.
Result<std::vector<std::vector<std::optional<std::string>>>> read_all_text(Statement& stmt);

/// MySQL or MariaDB (SQL_DBMS_NAME): databases are catalogs, and schema arguments are refused.
bool mysql_family(const Connection& connection);

/// Tables and views (SQLTables) in `schema` (empty: every schema the driver lists; on the MySQL
/// family `schema` is the catalog, by default the connection's database), without the system
/// schemas (information_schema, performance_schema, mysql, sys, pg_catalog) unless asked for.
Result<std::vector<TableInfo>> list_tables(const Connection& connection, const std::string& schema);

/// Fills columns (SQLColumns), primary_key (SQLPrimaryKeys) and indexed (SQLStatistics).
Status describe_table(const Connection& connection, TableInfo& table);

/// The name in `names` equal to `wanted` ignoring case, else the closest by edit distance (at
/// most 1 for names up to 4 characters, 2 otherwise): the "did you mean" of an unknown name.
std::optional<std::string> closest_name(const std::vector<std::string>& names,
                                        const std::string& wanted);

/// The table named `name`, exactly, else by the only case-insensitive match (PostgreSQL folds to
/// lower case, MariaDB keeps case); NotFound with "did you mean" when there is none, or naming
/// the candidates when several differ only in case.
Result<const TableInfo*> match_table(const std::vector<TableInfo>& tables, const std::string& name);

/// match_table() over the tables of `schema`, described.
Result<TableInfo>
find_table(const Connection& connection, const std::string& schema, const std::string& name);

/// The columns of a prepared or executed statement (SQLDescribeCol), for named queries.
Result<std::vector<ColumnInfo>> describe_result(Statement& stmt);

/// `"name"` quoted with the driver's identifier quote (doubled inside); bare if it has none.
std::string quote_identifier(const Connection& connection, const std::string& name);

/// schema.table, quoted; a named query's `(sql) q`.
std::string qualified_name(const Connection& connection, const TableInfo& table);

} // namespace ferry::odbc
