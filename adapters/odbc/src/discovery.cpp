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

// Schemas (catalogs on the MySQL family) of the database itself: a normal account may not read
// them, and they are never legacy data.
bool system_schema(const std::string& name) {
    static const char* const kSystem[] = {
        "information_schema", "performance_schema", "mysql", "sys", "pg_catalog", "pg_toast"};
    return std::any_of(std::begin(kSystem), std::end(kSystem),
                       [&name](const char* system) { return iequals(name, system); });
}

// The database the connection is in (SQL_ATTR_CURRENT_CATALOG); empty if the driver has none.
std::string current_catalog(const Connection& connection) {
    SQLWCHAR buffer[256] = {};
    SQLINTEGER length = 0;
    if (!succeeded(SQLGetConnectAttrW(connection.handle(), SQL_ATTR_CURRENT_CATALOG, buffer,
                                      sizeof buffer, &length)) ||
        length <= 0) {
        return {};
    }
    std::string out;
    (void)utf16_to_utf8(
        buffer, std::min<std::size_t>(static_cast<std::size_t>(length) / 2, std::size(buffer) - 1),
        out);
    return out;
}

} // namespace

bool mysql_family(const Connection& connection) {
    const std::string& dbms = connection.dbms();
    std::string lower(dbms);
    for (char& ch : lower) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return lower.find("mysql") != std::string::npos || lower.find("mariadb") != std::string::npos;
}

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
    // The MySQL family has databases where others have schemas, and its drivers refuse a schema
    // argument ("Use CatalogName"): there `schema` is the catalog, by default the connection's
    // own database, so discovery never walks into databases the account cannot read.
    const bool catalogs = mysql_family(connection);
    const std::string catalog =
        catalogs ? (schema.empty() ? current_catalog(connection) : schema) : std::string();
    WideArg catalog_arg(catalog, !catalog.empty());
    WideArg schema_arg(schema, !catalogs && !schema.empty());
    WideArg any_table("%");
    WideArg types("TABLE,VIEW");
    FERRY_RETURN_IF_ERROR(stmt.check(SQLTablesW(stmt.handle(), catalog_arg.ptr(), catalog_arg.len(),
                                                schema_arg.ptr(), schema_arg.len(), any_table.ptr(),
                                                any_table.len(), types.ptr(), types.len()),
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
        const std::string& space = catalogs ? table.catalog : table.schema;
        if (table.name.rfind("sqlite_", 0) == 0 ||
            (system_schema(space) && !iequals(space, schema))) {
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

std::optional<std::string> closest_name(const std::vector<std::string>& names,
                                        const std::string& wanted) {
    // Case-insensitive Levenshtein distance, bounded: names are short.
    auto distance = [](const std::string& a, const std::string& b) {
        std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
        for (std::size_t j = 0; j <= b.size(); ++j) {
            prev[j] = j;
        }
        for (std::size_t i = 1; i <= a.size(); ++i) {
            cur[0] = i;
            for (std::size_t j = 1; j <= b.size(); ++j) {
                const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                  std::tolower(static_cast<unsigned char>(b[j - 1]));
                cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
            }
            std::swap(prev, cur);
        }
        return prev[b.size()];
    };
    if (wanted.size() > 256) {
        return std::nullopt;
    }
    const std::size_t limit = wanted.size() <= 4 ? 1 : 2;
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const std::string& name : names) {
        if (name.size() > 256) {
            continue;
        }
        const std::size_t d = iequals(name, wanted) ? 0 : distance(name, wanted);
        if (d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    return best;
}

Result<const TableInfo*> match_table(const std::vector<TableInfo>& tables,
                                     const std::string& name) {
    std::vector<const TableInfo*> folded;
    for (const TableInfo& table : tables) {
        if (table.name == name) {
            return &table;
        }
        if (iequals(table.name, name)) {
            folded.push_back(&table);
        }
    }
    if (folded.size() == 1) {
        return folded.front();
    }
    if (folded.size() > 1) {
        return Status::not_found("\"" + name + "\" matches " + std::to_string(folded.size()) +
                                 " tables that differ only in case (\"" + folded[0]->name +
                                 "\", \"" + folded[1]->name + "\"): name one exactly");
    }
    std::vector<std::string> names;
    for (const TableInfo& table : tables) {
        names.push_back(table.name);
    }
    std::string message = "no table or view \"" + name + "\"";
    if (const auto hint = closest_name(names, name)) {
        message += " (did you mean \"" + *hint + "\"?)";
    }
    return Status::not_found(message);
}

Result<TableInfo>
find_table(const Connection& connection, const std::string& schema, const std::string& name) {
    FERRY_ASSIGN_OR_RETURN(std::vector<TableInfo> tables, list_tables(connection, schema));
    FERRY_ASSIGN_OR_RETURN(const TableInfo* match, match_table(tables, name));
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
    if (!table.query_sql.empty()) {
        return "(" + table.query_sql + ") q";
    }
    if (table.schema.empty() && !table.catalog.empty() && mysql_family(connection)) {
        return quote_identifier(connection, table.catalog) + "." +
               quote_identifier(connection, table.name);
    }
    if (table.schema.empty()) {
        return quote_identifier(connection, table.name);
    }
    return quote_identifier(connection, table.schema) + "." +
           quote_identifier(connection, table.name);
}

} // namespace ferry::odbc
