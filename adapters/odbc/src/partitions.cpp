// SPDX-License-Identifier: Apache-2.0
// partitions.cpp — key-range partitions. The ranges [b(i-1), b(i)) cover the key space whatever
// the boundaries are, so every row is in exactly one partition even if the table changed since
// they were found: the boundaries only decide the balance. NTILE gives equal row counts, so
// skewed keys (dense runs, long common prefixes, text) balance as well as serial numbers do.
#include "partitions.h"

#include "keyset.h"

namespace ferry::odbc {

Result<std::vector<nlohmann::json>> find_boundaries(const Connection& conn,
                                                    const TableInfo& table,
                                                    const std::vector<std::size_t>& key_columns,
                                                    std::int64_t partitions) {
    std::string keys;
    for (const std::size_t col : key_columns) {
        keys += (keys.empty() ? "" : ", ") + quote_identifier(conn, table.columns[col].name);
    }
    // The tile count is an integer from the validated options; nothing else is written in.
    const std::string sql =
        "SELECT " + keys + " FROM (SELECT " + keys +
        ", ROW_NUMBER() OVER (PARTITION BY ferry_tile ORDER BY " + keys +
        ") AS ferry_rn, ferry_tile FROM (SELECT " + keys + ", NTILE(" + std::to_string(partitions) +
        ") OVER (ORDER BY " + keys + ") AS ferry_tile FROM " + qualified_name(conn, table) +
        ") ferry_a) ferry_b WHERE ferry_rn = 1 AND ferry_tile > 1 ORDER BY " + keys;
    FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(conn));
    const std::basic_string<SQLWCHAR> wide = to_sqlwchar(sql);
    FERRY_RETURN_IF_ERROR(
        stmt.check(SQLExecDirectW(stmt.handle(), const_cast<SQLWCHAR*>(wide.data()),
                                  static_cast<SQLINTEGER>(wide.size())),
                   "SQLExecDirect")
            .with_context("finding the partition boundaries of \"" + table.name + "\""));
    FERRY_ASSIGN_OR_RETURN(auto rows, read_all_text(stmt));
    std::vector<nlohmann::json> out;
    for (const auto& row : rows) {
        nlohmann::json key = nlohmann::json::array();
        for (const auto& cell : row) {
            if (!cell) {
                // NTILE orders NULLs first or last by dialect: such a boundary would be
                // ambiguous, so it is left out (the first partition also takes NULL keys).
                key = nullptr;
                break;
            }
            key.push_back(*cell);
        }
        if (!key.is_null()) {
            out.push_back(std::move(key));
        }
    }
    return out;
}

Result<std::string> range_predicate(const Connection& conn,
                                    const TableInfo& table,
                                    const std::vector<std::size_t>& key_columns,
                                    const nlohmann::json& from,
                                    const nlohmann::json& to,
                                    std::vector<Parameter>& params) {
    if (from.is_null() && to.is_null()) {
        return std::string(); // one partition: the whole table
    }
    std::string sql;
    if (!from.is_null()) {
        FERRY_ASSIGN_OR_RETURN(
            sql, keyset_predicate(conn, table, key_columns, from, KeyCompare::AtOrAfter, params));
    }
    if (!to.is_null()) {
        FERRY_ASSIGN_OR_RETURN(std::string before, keyset_predicate(conn, table, key_columns, to,
                                                                    KeyCompare::Before, params));
        sql += (sql.empty() ? "" : " AND ") + before;
    }
    // A NULL in a key column compares neither below nor above a boundary: the first partition
    // takes every row with one, and the others exclude them, so none is lost or read twice.
    std::string nulls;
    std::string not_nulls;
    for (const std::size_t col : key_columns) {
        if (table.columns[col].nullable) {
            const std::string name = quote_identifier(conn, table.columns[col].name);
            nulls += " OR " + name + " IS NULL";
            not_nulls += " AND " + name + " IS NOT NULL";
        }
    }
    if (nulls.empty()) {
        return sql;
    }
    if (from.is_null()) {
        return "(" + sql + nulls + ")";
    }
    return "(" + sql + not_nulls + ")";
}

} // namespace ferry::odbc
