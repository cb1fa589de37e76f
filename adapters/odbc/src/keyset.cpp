// SPDX-License-Identifier: Apache-2.0
// keyset.cpp — row-value comparisons spelled out with AND/OR, which every SQL dialect accepts.
#include "keyset.h"

namespace ferry::odbc {

Result<std::string> keyset_after(const Connection& conn,
                                 const TableInfo& table,
                                 const std::vector<std::size_t>& key_columns,
                                 const nlohmann::json& after,
                                 std::vector<Parameter>& params,
                                 const std::string& prefix) {
    if (!after.is_array() || after.size() != key_columns.size()) {
        return Status::invalid_argument("checkpoint \"after\" must list one value per key column");
    }
    for (const auto& value : after) {
        if (!value.is_string()) {
            return Status::invalid_argument("checkpoint \"after\" values must be strings");
        }
    }
    std::string sql = prefix + "(";
    for (std::size_t depth = 0; depth < key_columns.size(); ++depth) {
        sql += depth ? " OR (" : "(";
        for (std::size_t pos = 0; pos <= depth; ++pos) {
            const ColumnInfo& col = table.columns[key_columns[pos]];
            sql += (pos ? " AND " : "") + quote_identifier(conn, col.name) +
                   (pos == depth ? " > ?" : " = ?");
            params.push_back(Parameter::of(after[pos].get<std::string>(), col));
        }
        sql += ")";
    }
    return sql + ")";
}

} // namespace ferry::odbc
