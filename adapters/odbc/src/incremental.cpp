// SPDX-License-Identifier: Apache-2.0
// incremental.cpp — incremental reads that never lose a row.
//
// Rows are read in (cursor, tie-breaker) order. Without an overlap, a run resumes strictly after
// the last (cursor, key) it handled, so equal cursor values never drop a row. Rows whose cursor
// is newer than now - lag are left for a later run: a transaction that commits late with an
// older cursor value is still read if it commits within the lag. With an overlap, a run re-reads
// from (last cursor - overlap) and drops the rows it already handled, whose keys the state keeps
// for that window: out-of-order commits within the overlap are caught even without a lag.
#include "incremental.h"

#include <ctime>
#include <memory>
#include <optional>
#include <set>

#include "keyset.h"
#include "select_stream.h"
#include "table_read.h"

namespace ferry::odbc {

namespace {

// "YYYY-MM-DD HH:MM:SS[.ffffff]": sorts as text in time order (what the state stores and what
// the queries bind, as the column's SQL type).
std::string canonical(Timestamp stamp) {
    std::string text = stamp.to_string(); // "YYYY-MM-DDTHH:MM:SS[.ffffff]"
    if (text.size() > 10 && text[10] == 'T') {
        text[10] = ' ';
    }
    return text;
}

std::optional<Timestamp> parse_iso(std::string_view view) {
    while (!view.empty() && view.back() == ' ') {
        view.remove_suffix(1);
    }
    Result<Timestamp> stamp = Timestamp::parse_iso(view);
    if (!stamp.ok()) {
        return std::nullopt;
    }
    return *stamp;
}

/// How cursor values are read and written: a timestamp column's own values (canonical text), or
/// legacy text/number columns holding yyyyMMddHHmmss or yyyyMMdd digits, which sort as text in
/// time order and are bound back in the same form.
struct CursorCodec {
    std::size_t digits = 0; ///< 0: a timestamp column; else 14 or 8

    std::optional<Timestamp> parse(const std::string& text) const {
        if (digits == 0) {
            return parse_iso(text);
        }
        std::string_view view = text;
        while (!view.empty() && view.front() == ' ') {
            view.remove_prefix(1);
        }
        while (!view.empty() && view.back() == ' ') {
            view.remove_suffix(1);
        }
        // A number column may render 20260101 as 20260101.00.
        if (const std::size_t dot = view.find('.');
            dot != std::string_view::npos &&
            view.find_first_not_of('0', dot + 1) == std::string_view::npos) {
            view = view.substr(0, dot);
        }
        if (view.size() != digits ||
            view.find_first_not_of("0123456789") != std::string_view::npos) {
            return std::nullopt;
        }
        std::string iso = std::string(view.substr(0, 4)) + "-" + std::string(view.substr(4, 2)) +
                          "-" + std::string(view.substr(6, 2));
        iso += digits == 14
                   ? "T" + std::string(view.substr(8, 2)) + ":" + std::string(view.substr(10, 2)) +
                         ":" + std::string(view.substr(12, 2))
                   : std::string("T00:00:00");
        return parse_iso(iso);
    }

    std::string render(Timestamp stamp) const {
        const std::string text = canonical(stamp);
        if (digits == 0) {
            return text;
        }
        std::string out;
        for (const char ch : text.substr(0, 19)) {
            if (ch >= '0' && ch <= '9') {
                out.push_back(ch);
            }
        }
        return out.substr(0, digits);
    }
};

std::string local_now() {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    localtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
    return text;
}

// `cursor` (in the codec's form) minus `seconds`, in the codec's form; `cursor` itself when it
// does not parse.
std::string
minus_seconds(const CursorCodec& codec, const std::string& cursor, std::int64_t seconds) {
    const std::optional<Timestamp> stamp = codec.parse(cursor);
    if (!stamp) {
        return cursor;
    }
    return codec.render(Timestamp::from_micros(stamp->micros_since_epoch() -
                                               seconds * Timestamp::kMicrosPerSecond));
}

/// What a run has seen so far; shared by the row filter and the checkpoint writer.
struct RunState {
    std::string cursor; ///< canonical cursor of the last handled row ("" none yet)
    nlohmann::json key; ///< its tie-breaker values
    std::set<std::pair<std::string, std::string>> seen; ///< (cursor, joined key) in the window
    std::int64_t overlap_seconds = 0;
    CursorCodec codec;
};

std::string joined(const nlohmann::json& key) {
    std::string out;
    for (const auto& part : key) {
        out += part.is_string() ? part.get<std::string>() : std::string("\x01null");
        out.push_back('\x1f');
    }
    return out;
}

} // namespace

Result<std::unique_ptr<plugin::Stream>> open_incremental(std::unique_ptr<Connection> conn,
                                                         const TableInfo& table,
                                                         const std::vector<ColumnMapping>& columns,
                                                         const IncrementalSpec& spec,
                                                         const plugin::StreamRequest& request,
                                                         const SourceConfig& config) {
    auto index_of = [&table](const std::string& name) -> std::optional<std::size_t> {
        for (std::size_t idx = 0; idx < table.columns.size(); ++idx) {
            const std::string& have = table.columns[idx].name;
            if (have.size() == name.size() &&
                std::equal(have.begin(), have.end(), name.begin(), [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) ==
                           std::tolower(static_cast<unsigned char>(b));
                })) {
                return idx;
            }
        }
        return std::nullopt;
    };
    if (spec.cursor.size() != 1) {
        return Status::invalid_argument("incremental reads take exactly one cursor column");
    }
    const std::optional<std::size_t> cursor_col = index_of(spec.cursor[0]);
    if (!cursor_col) {
        return Status::invalid_argument("cursor column \"" + spec.cursor[0] + "\" not in \"" +
                                        table.name + "\"");
    }
    CursorCodec codec;
    const FetchKind cursor_kind = columns[*cursor_col].kind;
    if (!spec.cursor_format.empty()) {
        if (spec.cursor_format == "yyyyMMddHHmmss" || spec.cursor_format == "yyyyMMdd") {
            codec.digits = spec.cursor_format.size();
        } else {
            return Status::invalid_argument("cursor_format \"" + spec.cursor_format + "\" of \"" +
                                            table.name + "\": use yyyyMMddHHmmss or yyyyMMdd");
        }
        if (cursor_kind != FetchKind::Text && cursor_kind != FetchKind::Int64 &&
            cursor_kind != FetchKind::Decimal) {
            return Status::invalid_argument(
                "cursor_format of \"" + table.name + "\" needs a text or number cursor column (\"" +
                spec.cursor[0] + "\" is " + columns[*cursor_col].field.type.to_string() + ")");
        }
    }
    const bool time_cursor = cursor_kind == FetchKind::Timestamp || codec.digits != 0;
    if (!time_cursor && (spec.lag_seconds > 0 || spec.overlap_seconds > 0)) {
        return Status::invalid_argument(
            "lag and overlap need a timestamp cursor column, or a \"cursor_format\" "
            "(yyyyMMddHHmmss, yyyyMMdd) for a text or number column holding times");
    }
    const std::vector<std::string>& tie_names =
        spec.tie_breaker.empty() ? table.primary_key : spec.tie_breaker;
    if (tie_names.empty()) {
        return Status::invalid_argument("incremental reads of \"" + table.name +
                                        "\" need a tie_breaker (the table has no primary key)");
    }
    std::vector<std::size_t> tie_cols;
    for (const std::string& name : tie_names) {
        const std::optional<std::size_t> idx = index_of(name);
        if (!idx) {
            return Status::invalid_argument("tie_breaker column \"" + name + "\" not in \"" +
                                            table.name + "\"");
        }
        tie_cols.push_back(*idx);
    }

    auto state = std::make_shared<RunState>();
    state->overlap_seconds = spec.overlap_seconds;
    state->codec = codec;
    const nlohmann::json& resume = request.resume;
    std::int64_t done = 0;
    if (resume.is_object()) {
        state->cursor = resume.value("cursor", std::string());
        state->key = resume.value("key", nlohmann::json());
        done = resume.value("record_no", std::int64_t{0});
        for (const auto& entry : resume.value("seen", nlohmann::json::array())) {
            if (entry.is_array() && entry.size() == 2 && entry[0].is_string() &&
                entry[1].is_string()) {
                state->seen.emplace(entry[0].get<std::string>(), entry[1].get<std::string>());
            }
        }
    }
    const std::string now = request.params.value("now", local_now());

    SelectPlan plan;
    plan.columns = columns;
    plan.key_columns = tie_cols;
    plan.first_record_no = done + 1;
    const ColumnInfo& cursor_info = table.columns[*cursor_col];
    const std::string cursor_sql = quote_identifier(*conn, cursor_info.name);
    std::string where;
    if (!state->cursor.empty() && spec.overlap_seconds > 0) {
        where = " WHERE " + cursor_sql + " >= ?";
        plan.params.push_back(
            Parameter::of(minus_seconds(codec, state->cursor, spec.overlap_seconds), cursor_info));
    } else if (!state->cursor.empty()) {
        std::vector<std::size_t> order_cols{*cursor_col};
        order_cols.insert(order_cols.end(), tie_cols.begin(), tie_cols.end());
        nlohmann::json after = nlohmann::json::array({state->cursor});
        for (const auto& part : state->key) {
            after.push_back(part);
        }
        FERRY_ASSIGN_OR_RETURN(where, keyset_after(*conn, table, order_cols, after, plan.params));
    }
    if (spec.lag_seconds > 0) {
        const std::optional<Timestamp> now_stamp = parse_iso(now);
        if (!now_stamp) {
            return Status::invalid_argument("params.now must be YYYY-MM-DD HH:MM:SS");
        }
        const std::string high = codec.render(Timestamp::from_micros(
            now_stamp->micros_since_epoch() - spec.lag_seconds * Timestamp::kMicrosPerSecond));
        // A day-only cursor takes whole days: a day still in progress may gain rows with smaller
        // keys, which a later run could not see behind its checkpoint.
        const std::string up_to = codec.digits == 8 ? " < ?" : " <= ?";
        if (where.empty()) {
            // The first run also takes rows without a cursor value (later runs cannot see them).
            where = " WHERE (" + cursor_sql + up_to + " OR " + cursor_sql + " IS NULL)";
        } else {
            where += " AND " + cursor_sql + up_to;
        }
        plan.params.push_back(Parameter::of(high, cursor_info));
    }
    std::string order_by = " ORDER BY " + cursor_sql;
    for (const std::size_t idx : tie_cols) {
        order_by += ", " + quote_identifier(*conn, table.columns[idx].name);
    }
    const std::string from = qualified_name(*conn, table);
    const Connection* c = conn.get();
    plan.sql = [c, columns, from, where, order_by](const std::vector<std::size_t>& order) {
        std::string sql = "SELECT ";
        for (std::size_t pos = 0; pos < order.size(); ++pos) {
            sql += (pos ? ", " : "") + quote_identifier(*c, columns[order[pos]].field.name);
        }
        return sql + " FROM " + from + where + order_by;
    };
    const std::size_t cursor_index = *cursor_col;
    plan.on_row = [state, tie_cols, cursor_index, time_cursor](RowsetReader& reader,
                                                               std::size_t row) {
        nlohmann::json key = nlohmann::json::array();
        for (const std::size_t idx : tie_cols) {
            const std::optional<std::string> text = reader.cell_text(row, idx);
            key.push_back(text ? nlohmann::json(*text) : nlohmann::json());
        }
        std::optional<std::string> cursor = reader.cell_text(row, cursor_index);
        if (cursor && state->codec.digits != 0 && !state->codec.parse(*cursor)) {
            // Such a row cannot be placed in time: rejected (on every run until fixed), never
            // delivered without a place in the state.
            reader.reject_next(Reject(reader.columns()[cursor_index].field.name, "cursor_format",
                                      "cursor value (" + std::to_string(cursor->size()) +
                                          " characters) is not " +
                                          (state->codec.digits == 14 ? std::string("yyyyMMddHHmmss")
                                                                     : std::string("yyyyMMdd"))));
            return true;
        }
        if (cursor && time_cursor) {
            const std::optional<Timestamp> stamp = state->codec.parse(*cursor);
            cursor = stamp ? std::optional<std::string>(state->codec.render(*stamp)) : std::nullopt;
        }
        // The same key with the same cursor value was handled by an earlier run (the overlap
        // re-reads it): not read again. A newer cursor value is a new version: read.
        const std::pair<std::string, std::string> version(cursor.value_or(std::string()),
                                                          joined(key));
        if (state->overlap_seconds > 0 && state->seen.count(version) != 0) {
            return false;
        }
        if (cursor && *cursor >= state->cursor) {
            state->cursor = *cursor;
            state->key = key;
        }
        if (state->overlap_seconds > 0) {
            state->seen.insert(version);
        }
        return true;
    };
    plan.decorate_checkpoint = [state](nlohmann::json& checkpoint) {
        checkpoint.erase("after");
        checkpoint["cursor"] = state->cursor;
        checkpoint["key"] = state->key;
        if (state->overlap_seconds > 0) {
            const std::string low =
                minus_seconds(state->codec, state->cursor, state->overlap_seconds);
            nlohmann::json seen = nlohmann::json::array();
            for (auto it = state->seen.begin(); it != state->seen.end();) {
                if (it->first < low) {
                    it = state->seen.erase(it);
                } else {
                    seen.push_back({it->first, it->second});
                    ++it;
                }
            }
            checkpoint["seen"] = std::move(seen);
        }
    };
    // With an overlap, rows seen by an earlier run are dropped uncounted: a count would not
    // describe what this stream reads.
    std::optional<std::int64_t> expected;
    if (config.count_rows && spec.overlap_seconds == 0) {
        FERRY_ASSIGN_OR_RETURN(expected,
                               snapshot_row_count(*conn, table.name, from, where, plan.params));
    }
    const std::int64_t resumed_after = plan.first_record_no - 1;
    FERRY_ASSIGN_OR_RETURN(auto stream, SelectStream::open(std::move(conn), std::move(plan),
                                                           config.text, config.rowset_bytes));
    if (expected) {
        declare_row_count(*stream, table.name, *expected, resumed_after);
    }
    return std::unique_ptr<plugin::Stream>(std::move(stream));
}

} // namespace ferry::odbc
