// SPDX-License-Identifier: Apache-2.0
// sql_dialect.cpp — see sql_dialect.h. The limit is an integer from the validated options, so
// it is written into the SQL (MariaDB's client-side prepare cannot bind LIMIT ? as text); key
// values never are.
#include "sql_dialect.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace ferry::odbc {

namespace {

bool starts_with_any(const std::string& dbms, std::initializer_list<std::string_view> names) {
    std::string lower = dbms;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return std::any_of(names.begin(), names.end(),
                       [&lower](std::string_view name) { return lower.rfind(name, 0) == 0; });
}

} // namespace

RowLimit row_limit(const Connection& conn, std::int64_t rows) {
    const std::string count = std::to_string(rows);
    const std::string& dbms = conn.dbms();
    if (starts_with_any(
            dbms, {"sqlite", "postgresql", "mysql", "mariadb", "kingbase", "gbase", "oceanbase"})) {
        return {"", " LIMIT " + count};
    }
    if (starts_with_any(dbms, {"microsoft sql server", "sybase", "adaptive server"})) {
        return {"TOP " + count + " ", ""};
    }
    if (starts_with_any(dbms, {"informix"})) {
        return {"FIRST " + count + " ", ""};
    }
    return {"", " FETCH FIRST " + count + " ROWS ONLY"};
}

std::string binary_order(const Connection& conn, const std::string& quoted_column, FetchKind kind) {
    if (kind != FetchKind::Text) {
        return quoted_column;
    }
    const std::string& dbms = conn.dbms();
    if (starts_with_any(dbms, {"postgresql"})) {
        return quoted_column + " COLLATE \"C\"";
    }
    if (starts_with_any(dbms, {"mysql", "mariadb"})) {
        // Converted first: a GBK or latin1 column has no utf8mb4 collation of its own.
        return "CONVERT(" + quoted_column + " USING utf8mb4) COLLATE utf8mb4_nopad_bin";
    }
    if (starts_with_any(dbms, {"sqlite"})) {
        return quoted_column + " COLLATE BINARY";
    }
    return quoted_column;
}

} // namespace ferry::odbc
