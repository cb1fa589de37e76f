// SPDX-License-Identifier: Apache-2.0
// type_mapping_test.cpp — legacy column types map faithfully onto Ferry's types.
#include <catch2/catch.hpp>

#include "type_mapping.h"

using ferry::odbc::ColumnInfo;
using ferry::odbc::FetchKind;
using ferry::odbc::map_column;

namespace {

ColumnInfo column(SQLSMALLINT sql_type,
                  std::string type_name,
                  std::int64_t size = 0,
                  std::int32_t digits = 0) {
    return ColumnInfo{"C", sql_type, std::move(type_name), size, digits, true};
}

} // namespace

TEST_CASE("NUMBER(p,s) is an exact decimal even when the driver says VARCHAR", "[odbc][types]") {
    // The SQLite driver reports NUMBER(14,2) as SQL_VARCHAR of size 2.
    const auto amount = map_column(column(SQL_VARCHAR, "NUMBER(14,2)", 2, 10));
    CHECK(amount.kind == FetchKind::Decimal);
    CHECK(amount.field.type.to_string() == "decimal(14,2)");
    CHECK(amount.source_type == "NUMBER(14,2)");
    CHECK(map_column(column(SQL_VARCHAR, "NUMBER(6)", 6)).field.type.to_string() == "decimal(6,0)");
    CHECK(map_column(column(SQL_DOUBLE, "numeric( 6 , 4 )")).field.type.to_string() ==
          "decimal(6,4)");
}

TEST_CASE("reported DECIMAL/NUMERIC use size and digits", "[odbc][types]") {
    const auto pg = map_column(column(SQL_NUMERIC, "numeric", 14, 2));
    CHECK(pg.field.type.to_string() == "decimal(14,2)");
    CHECK(pg.source_type == "numeric(14,2)");
    // Unconstrained NUMBER: the widest exact decimal.
    CHECK(map_column(column(SQL_NUMERIC, "numeric", 1000, 6)).field.type.to_string() ==
          "decimal(38,6)");
}

TEST_CASE("integers, dates, timestamps, text and floats", "[odbc][types]") {
    CHECK(map_column(column(SQL_INTEGER, "INTEGER", 10)).kind == FetchKind::Int64);
    CHECK(map_column(column(SQL_BIGINT, "BIGINT", 19)).field.type.to_string() == "int64");
    CHECK(map_column(column(SQL_TYPE_DATE, "DATE", 10)).kind == FetchKind::Date);
    CHECK(map_column(column(SQL_TYPE_TIMESTAMP, "TIMESTAMP", 26)).field.type.to_string() ==
          "timestamp");
    const auto name = map_column(column(SQL_WVARCHAR, "VARCHAR2(60)", 60));
    CHECK(name.kind == FetchKind::Text);
    CHECK(name.width == 60);
    CHECK_FALSE(name.long_data);
    // A DATE kept as CHAR(8) stays text for the mapping to parse.
    CHECK(map_column(column(SQL_CHAR, "CHAR(8)", 8)).field.type.to_string() == "text");
    // Never a lossy double: floats arrive as the driver's text.
    CHECK(map_column(column(SQL_DOUBLE, "DOUBLE", 15)).kind == FetchKind::Text);
    CHECK(map_column(column(SQL_BIT, "BIT", 1)).kind == FetchKind::Bool);
}

TEST_CASE("long columns are read with SQLGetData", "[odbc][types]") {
    CHECK(map_column(column(SQL_LONGVARCHAR, "TEXT", 0)).long_data);
    CHECK(map_column(column(SQL_WVARCHAR, "CLOB", 0)).long_data);
    CHECK(map_column(column(SQL_WVARCHAR, "VARCHAR(100000)", 100000)).long_data);
    CHECK(map_column(column(SQL_LONGVARBINARY, "BLOB", 0)).long_data);
}
