// SPDX-License-Identifier: Apache-2.0
// table_read.cpp — table streams in key order. With page_rows, each page is its own statement,
// "… WHERE key > ? ORDER BY key LIMIT n", so a driver that buffers whole results (MariaDB
// Connector/ODBC) holds one page at a time instead of the table.
#include "table_read.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "keyset.h"
#include "sql_dialect.h"

namespace ferry::odbc {

namespace {

bool same_name(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string select_list(const Connection& conn,
                        const std::vector<ColumnMapping>& columns,
                        const std::vector<std::size_t>& order) {
    std::string sql;
    for (std::size_t pos = 0; pos < order.size(); ++pos) {
        sql += (pos ? ", " : "") + quote_identifier(conn, columns[order[pos]].field.name);
    }
    return sql;
}

} // namespace

Result<std::vector<std::size_t>> key_indices(const TableInfo& table,
                                             const std::vector<std::string>& names,
                                             const std::string& what) {
    std::vector<std::size_t> out;
    for (const std::string& name : names) {
        const auto found =
            std::find_if(table.columns.begin(), table.columns.end(),
                         [&name](const ColumnInfo& col) { return same_name(col.name, name); });
        if (found == table.columns.end()) {
            return Status::invalid_argument(what + ": column \"" + name + "\" is not in \"" +
                                            table.name + "\"")
                .with_field(name);
        }
        out.push_back(static_cast<std::size_t>(found - table.columns.begin()));
    }
    return out;
}

Result<std::optional<std::int64_t>> snapshot_row_count(Connection& conn,
                                                       const std::string& table_name,
                                                       const std::string& from,
                                                       const std::string& where,
                                                       std::vector<Parameter> params) {
    if (!conn.has_snapshot_reads()) {
        return std::optional<std::int64_t>();
    }
    // The count runs first and in the same transaction as every later statement of the read,
    // so both see one snapshot: rows committed meanwhile are neither counted nor read.
    FERRY_RETURN_IF_ERROR(conn.begin_snapshot());
    FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(conn));
    const std::basic_string<SQLWCHAR> sql = to_sqlwchar("SELECT COUNT(*) FROM " + from + where);
    FERRY_RETURN_IF_ERROR(stmt.check(SQLPrepareW(stmt.handle(), const_cast<SQLWCHAR*>(sql.data()),
                                                 static_cast<SQLINTEGER>(sql.size())),
                                     "SQLPrepare (row count)"));
    FERRY_RETURN_IF_ERROR(bind_parameters(stmt, params));
    FERRY_RETURN_IF_ERROR(stmt.check(SQLExecute(stmt.handle()), "SQLExecute (row count)"));
    SQLBIGINT count = 0;
    SQLLEN indicator = 0;
    FERRY_RETURN_IF_ERROR(
        stmt.check(SQLBindCol(stmt.handle(), 1, SQL_C_SBIGINT, &count, sizeof(count), &indicator),
                   "SQLBindCol (row count)"));
    FERRY_RETURN_IF_ERROR(stmt.check(SQLFetch(stmt.handle()), "SQLFetch (row count)"));
    stmt.close_cursor();
    if (indicator == SQL_NULL_DATA || count < 0) {
        return Status::io("SELECT COUNT(*) of \"" + table_name + "\" returned no count");
    }
    return std::optional<std::int64_t>(static_cast<std::int64_t>(count));
}

void declare_row_count(plugin::Stream& stream,
                       const std::string& table_name,
                       std::int64_t count,
                       std::int64_t resumed_after) {
    std::string by = "SELECT COUNT(*) of \"" + table_name + "\" in the read's snapshot";
    if (resumed_after > 0) {
        by += " (rows after the resume point, plus " + std::to_string(resumed_after) +
              " read before)";
    }
    stream.accounting().declare_records(count + resumed_after, std::move(by));
    stream.accounting().set_resumed_after(resumed_after);
}

Result<std::unique_ptr<plugin::Stream>> open_table_read(std::unique_ptr<Connection> conn,
                                                        const TableInfo& table,
                                                        const std::vector<ColumnMapping>& columns,
                                                        TableRead read,
                                                        const SourceConfig& config) {
    SelectPlan plan;
    plan.columns = columns;
    plan.key_columns = read.key_columns;
    plan.decorate_checkpoint = std::move(read.decorate_checkpoint);
    nlohmann::json after;
    if (read.resume.is_object()) {
        const std::int64_t done = read.resume.value("record_no", std::int64_t{0});
        plan.first_record_no = done + 1;
        after = read.resume.value("after", nlohmann::json());
        if (done == 0 && !after.is_array()) {
            after = nullptr; // nothing was read yet: from the start
        } else if (read.key_columns.empty()) {
            // Without a key the read has no order: skipping rows would skip or repeat some.
            return Status::invalid_argument(
                "\"" + table.name +
                "\" has no primary key, so it cannot resume by row count: read it from the "
                "start, or declare \"incremental\" with a cursor and tie_breaker");
        } else if (!after.is_array() || after.size() != read.key_columns.size()) {
            return Status::invalid_argument("resume checkpoint of \"" + table.name +
                                            "\" has no \"after\" key of " +
                                            std::to_string(read.key_columns.size()) + " value(s)");
        }
    }
    const std::string from = qualified_name(*conn, table);
    std::string order_by;
    for (const std::size_t key : read.key_columns) {
        order_by += (order_by.empty() ? " ORDER BY " : ", ") +
                    quote_identifier(*conn, table.columns[key].name);
    }
    std::optional<std::int64_t> expected;
    if (read.count_rows) {
        std::vector<Parameter> params = read.where_params;
        std::string where = read.where.empty() ? "" : " WHERE " + read.where;
        if (!after.is_null()) {
            FERRY_ASSIGN_OR_RETURN(
                std::string next,
                keyset_predicate(*conn, table, read.key_columns, after, KeyCompare::After, params));
            where += (where.empty() ? " WHERE " : " AND ") + next;
        }
        FERRY_ASSIGN_OR_RETURN(
            expected, snapshot_row_count(*conn, table.name, from, where, std::move(params)));
    }
    const std::int64_t resumed_after = plan.first_record_no - 1;
    const Connection* c = conn.get();
    if (read.page_rows > 0 && !read.key_columns.empty()) {
        plan.page_rows = read.page_rows;
        plan.first_after = after;
        plan.page = [c, columns, from, order_by, table,
                     read](const std::vector<std::size_t>& order,
                           const nlohmann::json& last) -> Result<PageQuery> {
            PageQuery page;
            page.params = read.where_params;
            std::string where = read.where.empty() ? "" : " WHERE " + read.where;
            if (!last.is_null()) {
                FERRY_ASSIGN_OR_RETURN(std::string next,
                                       keyset_predicate(*c, table, read.key_columns, last,
                                                        KeyCompare::After, page.params));
                where += (where.empty() ? " WHERE " : " AND ") + next;
            }
            const RowLimit limit = row_limit(*c, read.page_rows);
            page.sql = "SELECT " + limit.after_select + select_list(*c, columns, order) + " FROM " +
                       from + where + order_by + limit.at_end;
            return page;
        };
    } else {
        std::string where = read.where.empty() ? "" : " WHERE " + read.where;
        plan.params = read.where_params;
        if (!after.is_null()) {
            FERRY_ASSIGN_OR_RETURN(std::string next,
                                   keyset_predicate(*conn, table, read.key_columns, after,
                                                    KeyCompare::After, plan.params));
            where += (where.empty() ? " WHERE " : " AND ") + next;
        }
        plan.sql = [c, columns, from, where, order_by](const std::vector<std::size_t>& order) {
            return "SELECT " + select_list(*c, columns, order) + " FROM " + from + where + order_by;
        };
    }
    FERRY_ASSIGN_OR_RETURN(auto stream, SelectStream::open(std::move(conn), std::move(plan),
                                                           config.text, config.rowset_bytes));
    if (expected) {
        declare_row_count(*stream, table.name, *expected, resumed_after);
    }
    return std::unique_ptr<plugin::Stream>(std::move(stream));
}

} // namespace ferry::odbc
