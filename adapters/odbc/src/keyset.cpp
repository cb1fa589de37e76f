// SPDX-License-Identifier: Apache-2.0
// keyset.cpp — row-value comparisons spelled out with AND/OR, which every SQL dialect accepts
// (SQLite, MariaDB and PostgreSQL have (a, b) > (?, ?), but older Oracle, DB2 and DM do not).
#include "keyset.h"

namespace ferry::odbc {

Result<std::string> keyset_predicate(const Connection& conn,
                                     const TableInfo& table,
                                     const std::vector<std::size_t>& key_columns,
                                     const nlohmann::json& values,
                                     KeyCompare compare,
                                     std::vector<Parameter>& params,
                                     const std::vector<std::string>* expressions) {
    if (!values.is_array() || values.size() != key_columns.size() || key_columns.empty()) {
        return Status::invalid_argument("a key of \"" + table.name + "\" must list one value per " +
                                        "key column (" + std::to_string(key_columns.size()) + ")");
    }
    if (expressions != nullptr && expressions->size() != key_columns.size()) {
        return Status::internal("keyset_predicate: one expression per key column");
    }
    for (const auto& value : values) {
        if (!value.is_string()) {
            return Status::invalid_argument("key values of \"" + table.name +
                                            "\" must be strings, as checkpoints carry them");
        }
    }
    // Leading columns compare strictly; only the last one takes the "or equal".
    const char* strict = compare == KeyCompare::Before ? " < ?" : " > ?";
    const char* last = compare == KeyCompare::AtOrAfter ? " >= ?" : strict;
    std::string sql = "(";
    for (std::size_t depth = 0; depth < key_columns.size(); ++depth) {
        sql += depth ? " OR (" : "(";
        for (std::size_t pos = 0; pos <= depth; ++pos) {
            const ColumnInfo& col = table.columns[key_columns[pos]];
            const char* op =
                pos < depth ? " = ?" : (depth + 1 == key_columns.size() ? last : strict);
            const std::string operand =
                expressions != nullptr ? (*expressions)[pos] : quote_identifier(conn, col.name);
            sql += (pos ? " AND " : "") + operand + op;
            params.push_back(Parameter::of(values[pos].get<std::string>(), col));
        }
        sql += ")";
    }
    return sql + ")";
}

Result<std::string> keyset_after(const Connection& conn,
                                 const TableInfo& table,
                                 const std::vector<std::size_t>& key_columns,
                                 const nlohmann::json& after,
                                 std::vector<Parameter>& params,
                                 const std::string& prefix) {
    FERRY_ASSIGN_OR_RETURN(std::string predicate, keyset_predicate(conn, table, key_columns, after,
                                                                   KeyCompare::After, params));
    return prefix + predicate;
}

} // namespace ferry::odbc
