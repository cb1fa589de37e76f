// SPDX-License-Identifier: Apache-2.0
// type_mapping.h — source column metadata to Ferry types, and how each column is fetched.
#pragma once

#include <cstdint>
#include <string>

#include <sql.h>
#include <sqlext.h>

#include "ferry/data_type.h"

namespace ferry::odbc {

/// What SQLColumns / SQLDescribeCol say about one column.
struct ColumnInfo {
    std::string name;
    SQLSMALLINT sql_type = SQL_UNKNOWN_TYPE;
    std::string type_name; ///< as declared: "NUMBER(14,2)", "VARCHAR2(60)", "numeric"
    std::int64_t column_size = 0;
    std::int32_t decimal_digits = 0;
    bool nullable = true;
};

/// How a column travels from the driver into a batch.
enum class FetchKind {
    Int64,     ///< SQL_C_CHAR digits, parsed (dirty text in an integer column is a reject)
    Decimal,   ///< SQL_C_CHAR number text, rounded half-up to the declared scale
    Date,      ///< SQL_C_CHAR "YYYY-MM-DD", parsed (an impossible date is a reject)
    Timestamp, ///< SQL_C_CHAR "YYYY-MM-DD HH:MM:SS[.ffffff]", parsed
    Text,      ///< SQL_C_WCHAR (UTF-16) or SQL_C_CHAR bytes in the configured code page
    Bool,      ///< SQL_C_BIT
    Bytes,     ///< SQL_C_BINARY
};

/// The Ferry type of a column plus how to fetch it.
struct ColumnMapping {
    Field field{"", DataType::utf8(), true};
    FetchKind kind = FetchKind::Text;
    /// Characters (text) or bytes (binary) a bound cell holds; 0 for long columns.
    std::int64_t width = 0;
    /// Read with SQLGetData in pieces instead of an array binding.
    bool long_data = false;
    /// The declared type for discovery's "source_type".
    std::string source_type;
};

/// Above this many characters a text column is read with SQLGetData.
inline constexpr std::int64_t kMaxBoundChars = 4000;

/// Faithful legacy mapping: NUMBER(p,s)/NUMERIC/DECIMAL -> decimal(p,s) (also when the driver
/// reports them as text, as the SQLite driver does); integers -> int64; DATE -> date;
/// TIMESTAMP -> timestamp; CHAR/VARCHAR (padding kept) -> text; binaries -> bytes; floats, times
/// and anything unknown -> text (the driver's own rendering), never a lossy double.
ColumnMapping map_column(const ColumnInfo& info);

} // namespace ferry::odbc
