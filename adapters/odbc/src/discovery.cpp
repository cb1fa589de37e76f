// SPDX-License-Identifier: Apache-2.0
// discovery.cpp — the ODBC catalog functions, read through the W API.
#include "discovery.h"

#include <algorithm>
#include <cctype>

#include "text_decoding.h"

namespace ferry::odbc {

namespace {

bool iequals(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// A catalog-function argument: the wide text, or a null pointer for "any".
struct WideArg {
    std::basic_string<SQLWCHAR> text;
    bool present = false;

    explicit WideArg(const std::string& value, bool use = true)
        : text(to_sqlwchar(value))
        , present(use) {}

    SQLWCHAR* ptr() { return present ? text.data() : nullptr; }

    SQLSMALLINT len() const { return present ? static_cast<SQLSMALLINT>(text.size()) : 0; }
};

std::string text_or(const std::optional<std::string>& value) {
    return value.value_or(std::string());
}

std::int64_t int_or(const std::optional<std::string>& value, std::int64_t fallback) {
    if (!value || value->empty()) {
        return fallback;
    }
    try {
        return std::stoll(*value);
    } catch (const std::exception&) {
        return fallback;
    }
}

} // namespace

Result<std::vector<std::vector<std::optional<std::string>>>> read_all_text(Statement& stmt) {
    std::vector<std::vector<std::optional<std::string>>> rows;
    SQLSMALLINT columns = 0;
    FERRY_RETURN_IF_ERROR(
        stmt.check(SQLNumResultCols(stmt.handle(), &columns), "SQLNumResultCols"));
    // Catalog result sets are small; bounded all the same.
    for (int guard = 0; guard < 1'000'000; ++guard) {
        const SQLRETURN rc = SQLFetch(stmt.handle());
        if (rc == SQL_NO_DATA) {
            return rows;
        }
        FERRY_RETURN_IF_ERROR(stmt.check(rc, "SQLFetch"));
        std::vector<std::optional<std::string>> row;
        for (SQLSMALLINT col = 1; col <= columns; ++col) {
            SQLWCHAR buffer[1024];
            SQLLEN length = 0;
            const SQLRETURN got = SQLGetData(stmt.handle(), static_cast<SQLUSMALLINT>(col),
                                             SQL_C_WCHAR, buffer, sizeof buffer, &length);
            if (!succeeded(got) || length == SQL_NULL_DATA) {
                row.emplace_back(std::nullopt);
                continue;
            }
            const std::size_t units =
                std::min<std::size_t>(length == SQL_NO_TOTAL ? std::size(buffer) - 1
                                                             : static_cast<std::size_t>(length) / 2,
                                      std::size(buffer) - 1);
            std::string text;
            (void)utf16_to_utf8(buffer, units, text);
            row.emplace_back(std::move(text));
        }
        rows.push_back(std::move(row));
    }
    return Status::data("catalog result set has more than 1,000,000 rows");
}

Result<std::vector<TableInfo>> list_tables(const Connection& connection,
                                           const std::string& schema) {
    FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(connection));
    WideArg schema_arg(schema, !schema.empty());
    WideArg any_table("%");
    WideArg types("TABLE,VIEW");
    FERRY_RETURN_IF_ERROR(
        stmt.check(SQLTablesW(stmt.handle(), nullptr, 0, schema_arg.ptr(), schema_arg.len(),
                              any_table.ptr(), any_table.len(), types.ptr(), types.len()),
                   "SQLTables"));
    FERRY_ASSIGN_OR_RETURN(auto rows, read_all_text(stmt));
    std::vector<TableInfo> tables;
    for (const auto& row : rows) {
        if (row.size() < 4 || !row[2]) {
            continue;
        }
        TableInfo table;
        table.catalog = text_or(row[0]);
        table.schema = text_or(row[1]);
        table.name = *row[2];
        table.type = text_or(row[3]);
        if (table.name.rfind("sqlite_", 0) == 0 || table.schema == "information_schema" ||
            table.schema == "pg_catalog") {
            continue;
        }
        tables.push_back(std::move(table));
    }
    return tables;
}

Status describe_table(const Connection& connection, TableInfo& table) {
    WideArg catalog_arg(table.catalog, !table.catalog.empty());
    WideArg schema_arg(table.schema, !table.schema.empty());
    WideArg table_arg(table.name);
    {
        FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(connection));
        FERRY_RETURN_IF_ERROR(stmt.check(
            SQLColumnsW(stmt.handle(), catalog_arg.ptr(), catalog_arg.len(), schema_arg.ptr(),
                        schema_arg.len(), table_arg.ptr(), table_arg.len(), nullptr, 0),
            "SQLColumns"));
        FERRY_ASSIGN_OR_RETURN(auto rows, read_all_text(stmt));
        table.columns.clear();
        for (const auto& row : rows) {
            if (row.size() < 11 || !row[3]) {
                continue;
            }
            ColumnInfo col;
            col.name = *row[3];
            col.sql_type = static_cast<SQLSMALLINT>(int_or(row[4], SQL_UNKNOWN_TYPE));
            col.type_name = text_or(row[5]);
            col.column_size = int_or(row[6], 0);
            col.decimal_digits = static_cast<std::int32_t>(int_or(row[8], 0));
            col.nullable = int_or(row[10], SQL_NULLABLE) != SQL_NO_NULLS;
            table.columns.push_back(std::move(col));
        }
        if (table.columns.empty()) {
            return Status::not_found("table \"" + table.name + "\" has no columns visible")
                .with_location("SQLColumns");
        }
    }
    {
        FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(connection));
        const SQLRETURN rc =
            SQLPrimaryKeysW(stmt.handle(), catalog_arg.ptr(), catalog_arg.len(), schema_arg.ptr(),
                            schema_arg.len(), table_arg.ptr(), table_arg.len());
        table.primary_key.clear();
        if (succeeded(rc)) { // views and some drivers have none: no key, not an error
            FERRY_ASSIGN_OR_RETURN(auto rows, read_all_text(stmt));
            std::vector<std::pair<std::int64_t, std::string>> keyed;
            for (const auto& row : rows) {
                if (row.size() >= 5 && row[3]) {
                    keyed.emplace_back(int_or(row[4], 0), *row[3]);
                }
            }
            std::sort(keyed.begin(), keyed.end());
            for (auto& entry : keyed) {
                table.primary_key.push_back(std::move(entry.second));
            }
        }
    }
    {
        FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(connection));
        const SQLRETURN rc = SQLStatisticsW(stmt.handle(), catalog_arg.ptr(), catalog_arg.len(),
                                            schema_arg.ptr(), schema_arg.len(), table_arg.ptr(),
                                            table_arg.len(), SQL_INDEX_ALL, SQL_QUICK);
        table.indexed.clear();
        if (succeeded(rc)) {
            FERRY_ASSIGN_OR_RETURN(auto rows, read_all_text(stmt));
            for (const auto& row : rows) {
                // ORDINAL_POSITION 1: the leading column of an index can drive a range scan.
                if (row.size() >= 9 && row[8] && int_or(row[7], 0) == 1) {
                    const std::string& name = *row[8];
                    if (std::find(table.indexed.begin(), table.indexed.end(), name) ==
                        table.indexed.end()) {
                        table.indexed.push_back(name);
                    }
                }
            }
        }
    }
    return {};
}

Result<TableInfo>
find_table(const Connection& connection, const std::string& schema, const std::string& name) {
    FERRY_ASSIGN_OR_RETURN(std::vector<TableInfo> tables, list_tables(connection, schema));
    const TableInfo* match = nullptr;
    for (const TableInfo& table : tables) {
        if (table.name == name) {
            match = &table;
            break;
        }
    }
    if (match == nullptr) {
        for (const TableInfo& table : tables) {
            if (iequals(table.name, name)) {
                match = &table;
                break;
            }
        }
    }
    if (match == nullptr) {
        return Status::not_found("no table or view \"" + name + "\"");
    }
    TableInfo table = *match;
    FERRY_RETURN_IF_ERROR(describe_table(connection, table));
    return table;
}

Result<std::vector<ColumnInfo>> describe_result(Statement& stmt) {
    SQLSMALLINT count = 0;
    FERRY_RETURN_IF_ERROR(stmt.check(SQLNumResultCols(stmt.handle(), &count), "SQLNumResultCols"));
    std::vector<ColumnInfo> columns;
    for (SQLSMALLINT col = 1; col <= count; ++col) {
        SQLWCHAR name[256] = {};
        SQLSMALLINT name_len = 0;
        SQLSMALLINT type = 0;
        SQLULEN size = 0;
        SQLSMALLINT digits = 0;
        SQLSMALLINT nullable = SQL_NULLABLE_UNKNOWN;
        FERRY_RETURN_IF_ERROR(
            stmt.check(SQLDescribeColW(stmt.handle(), static_cast<SQLUSMALLINT>(col), name,
                                       static_cast<SQLSMALLINT>(std::size(name)), &name_len, &type,
                                       &size, &digits, &nullable),
                       "SQLDescribeCol"));
        ColumnInfo info;
        (void)utf16_to_utf8(
            name,
            std::min<std::size_t>(static_cast<std::size_t>(std::max<SQLSMALLINT>(name_len, 0)),
                                  std::size(name) - 1),
            info.name);
        info.sql_type = type;
        info.column_size = static_cast<std::int64_t>(size);
        info.decimal_digits = digits;
        info.nullable = nullable != SQL_NO_NULLS;
        // The declared type name, which the SQLite driver needs for NUMBER(p,s).
        SQLWCHAR type_name[128] = {};
        SQLSMALLINT type_len = 0;
        if (succeeded(SQLColAttributeW(stmt.handle(), static_cast<SQLUSMALLINT>(col),
                                       SQL_DESC_TYPE_NAME, type_name, sizeof type_name, &type_len,
                                       nullptr))) {
            (void)utf16_to_utf8(
                type_name,
                std::min<std::size_t>(static_cast<std::size_t>(std::max<SQLSMALLINT>(type_len, 0)) /
                                          2,
                                      std::size(type_name) - 1),
                info.type_name);
        }
        columns.push_back(std::move(info));
    }
    return columns;
}

std::string quote_identifier(const Connection& connection, const std::string& name) {
    const std::string& quote = connection.quote();
    if (quote.empty()) {
        return name;
    }
    std::string out = quote;
    for (const char ch : name) {
        out.push_back(ch);
        if (std::string(1, ch) == quote) {
            out.push_back(ch);
        }
    }
    out += quote;
    return out;
}

std::string qualified_name(const Connection& connection, const TableInfo& table) {
    if (table.schema.empty()) {
        return quote_identifier(connection, table.name);
    }
    return quote_identifier(connection, table.schema) + "." +
           quote_identifier(connection, table.name);
}

} // namespace ferry::odbc
