// SPDX-License-Identifier: Apache-2.0
// sql_dialect.h — the few SQL spellings that differ between database systems: row limits and a
// binary (code-point) sort order for text, chosen by SQL_DBMS_NAME.
#pragma once

#include <cstdint>
#include <string>

#include "odbc_handles.h"
#include "type_mapping.h"

namespace ferry::odbc {

/// Where a row limit goes in a SELECT: right after the SELECT keyword (TOP n, FIRST n) or at the
/// end (LIMIT n, FETCH FIRST n ROWS ONLY). One of the two is empty.
struct RowLimit {
    std::string after_select; ///< e.g. "TOP 1000 "
    std::string at_end;       ///< e.g. " LIMIT 1000"
};

/// The row limit for `conn`'s database: LIMIT (SQLite, PostgreSQL, MySQL, MariaDB, KingbaseES,
/// GBase, OceanBase), TOP (SQL Server, Sybase), FIRST (Informix), else the SQL:2008 standard
/// FETCH FIRST n ROWS ONLY (Oracle 12c+, DB2, DM, PostgreSQL).
RowLimit row_limit(const Connection& conn, std::int64_t rows);

/// `quoted_column` in an ORDER BY that sorts text by code point (what std::string comparison of
/// UTF-8 does): COLLATE "C" on PostgreSQL, utf8mb4_nopad_bin on MariaDB/MySQL, COLLATE BINARY
/// on SQLite; other systems and non-text columns keep their own order (the caller checks it).
std::string binary_order(const Connection& conn, const std::string& quoted_column, FetchKind kind);

} // namespace ferry::odbc
