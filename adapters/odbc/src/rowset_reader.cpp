// SPDX-License-Identifier: Apache-2.0
// rowset_reader.cpp — array binding, per-cell conversion, truncation re-reads, long columns.
#include "rowset_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>

#include "ferry/text.h"

#include "text_decoding.h"

namespace ferry::odbc {

namespace {

constexpr std::size_t kMaxRowsetRows = 16384;
constexpr std::size_t kLongChunkBytes = 64 * 1024;
constexpr std::size_t kMaxLongBytes = 256u * 1024 * 1024; // a bounded read, even of a CLOB

std::string_view trim(std::string_view text) {
    return trim_ascii_spaces(text);
}

// "YYYY-MM-DD", optionally followed by a midnight time (drivers render DATE as TIMESTAMP).
std::optional<Date> parse_date(std::string_view text) {
    text = trim(text);
    if (text.size() > 10) {
        const std::string_view rest = text.substr(10);
        if (rest.find_first_not_of(" T0:.") != std::string_view::npos) {
            return std::nullopt;
        }
        text = text.substr(0, 10);
    }
    Result<Date> date = Date::parse_iso(text);
    if (!date.ok()) {
        return std::nullopt;
    }
    return *date;
}

std::optional<Timestamp> parse_timestamp(std::string_view text) {
    text = trim(text);
    if (text.size() == 10) {
        const std::optional<Date> date = parse_date(text);
        if (!date) {
            return std::nullopt;
        }
        return Timestamp::from_micros(std::int64_t{date->days_since_epoch()} *
                                      Timestamp::kMicrosPerDay);
    }
    Result<Timestamp> stamp = Timestamp::parse_iso(text);
    if (!stamp.ok()) {
        return std::nullopt;
    }
    return *stamp;
}

// The common case of a decimal cell, without the general parser: "[-]digits[.digits]" with at
// most 18 significant digits, rounded half-up to `scale`. nullopt sends the cell to the general
// path (exponents, long values, garbage), which decides between a value and a reject.
std::optional<std::int64_t>
fast_unscaled(std::string_view text, std::int32_t scale, std::int32_t precision) {
    bool negative = false;
    std::size_t pos = 0;
    if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
        negative = text[pos] == '-';
        ++pos;
    }
    std::int64_t value = 0;
    int digits = 0;
    int fraction = 0;
    bool seen_point = false;
    bool any_digit = false;
    int round_digit = -1;
    for (; pos < text.size(); ++pos) {
        const char ch = text[pos];
        if (ch == '.' && !seen_point) {
            seen_point = true;
            continue;
        }
        if (ch < '0' || ch > '9') {
            return std::nullopt;
        }
        any_digit = true;
        if (seen_point && fraction >= scale) {
            if (round_digit < 0) {
                round_digit = ch - '0';
            }
            continue; // digits past the one that rounds do not matter for half-up
        }
        if (digits >= 18) {
            return std::nullopt;
        }
        value = value * 10 + (ch - '0');
        if (value != 0) {
            ++digits;
        }
        if (seen_point) {
            ++fraction;
        }
    }
    if (!any_digit) {
        return std::nullopt;
    }
    for (; fraction < scale; ++fraction) {
        if (digits >= 18) {
            return std::nullopt;
        }
        value *= 10;
        if (value != 0) {
            ++digits;
        }
    }
    if (round_digit >= 5) {
        ++value;
    }
    static constexpr std::array<std::int64_t, 19> kLimits = [] {
        std::array<std::int64_t, 19> limits{};
        std::int64_t power = 1;
        for (auto& limit : limits) {
            limit = power;
            power = power <= INT64_MAX / 10 ? power * 10 : power;
        }
        return limits;
    }();
    if (precision >= 0 && precision <= 18 &&
        value >= kLimits[static_cast<std::size_t>(precision)]) {
        return std::nullopt; // the general path reports it
    }
    return negative ? -value : value;
}

SQLSMALLINT c_type_for(FetchKind kind, bool wide_text) {
    switch (kind) {
    case FetchKind::Text:
        return wide_text ? SQL_C_WCHAR : SQL_C_CHAR;
    case FetchKind::Bool:
        return SQL_C_BIT;
    case FetchKind::Bytes:
        return SQL_C_BINARY;
    default:
        return SQL_C_CHAR;
    }
}

} // namespace

/// The buffers of one bound column: `rows` cells of `cell_bytes` each, plus indicators.
struct RowsetReader::Bound {
    SQLSMALLINT c_type = SQL_C_CHAR;
    SQLLEN cell_bytes = 0;
    bool bound = false;
    std::vector<char> data;
    std::vector<SQLLEN> indicators;

    const char* cell(std::size_t row) const {
        return data.data() + row * static_cast<std::size_t>(cell_bytes);
    }

    // Bytes of content the buffer holds for a cell whose indicator is `length`, or nullopt
    // when the driver had more (01004): the terminator takes 1 byte (2 for SQL_C_WCHAR).
    std::optional<std::size_t> fitted(SQLLEN length) const {
        const SQLLEN terminator = c_type == SQL_C_WCHAR ? 2 : (c_type == SQL_C_CHAR ? 1 : 0);
        if (length == SQL_NO_TOTAL || length > cell_bytes - terminator) {
            return std::nullopt;
        }
        return static_cast<std::size_t>(length);
    }
};

Result<std::unique_ptr<RowsetReader>> RowsetReader::create(std::vector<ColumnMapping> columns,
                                                           const TextEncoding& encoding,
                                                           std::size_t rowset_bytes,
                                                           bool keep_order) {
    std::unique_ptr<RowsetReader> reader(new RowsetReader());
    const bool wide = encoding.code_page.empty();
    if (!wide) {
        FERRY_ASSIGN_OR_RETURN(CodePage page, CodePage::open(encoding.code_page));
        reader->code_page_.emplace(std::move(page));
    }
    const bool any_long = std::any_of(columns.begin(), columns.end(),
                                      [](const ColumnMapping& col) { return col.long_data; });
    std::size_t row_bytes = 0;
    for (std::size_t idx = 0; idx < columns.size(); ++idx) {
        auto bound = std::make_unique<Bound>();
        const ColumnMapping& col = columns[idx];
        bound->c_type = c_type_for(col.kind, wide);
        bound->bound = !col.long_data && !(keep_order && any_long);
        if (bound->bound) {
            std::int64_t width = std::max<std::int64_t>(col.width, 1);
            if (col.kind == FetchKind::Text) {
                // Declared sizes are hints (SQLite stores longer values): a little headroom
                // avoids most truncation re-reads.
                width = std::max<std::int64_t>(width, 16);
                bound->cell_bytes = static_cast<SQLLEN>(wide ? (width + 1) * 2 : width * 4 + 1);
            } else if (col.kind == FetchKind::Bool || col.kind == FetchKind::Bytes) {
                bound->cell_bytes = static_cast<SQLLEN>(width);
            } else {
                bound->cell_bytes = static_cast<SQLLEN>(width + 1);
            }
            row_bytes += static_cast<std::size_t>(bound->cell_bytes) + sizeof(SQLLEN);
        }
        reader->bound_.push_back(std::move(bound));
    }
    for (std::size_t idx = 0; idx < columns.size(); ++idx) {
        if (reader->bound_[idx]->bound) {
            reader->select_order_.push_back(idx);
        }
    }
    for (std::size_t idx = 0; idx < columns.size(); ++idx) {
        if (!reader->bound_[idx]->bound) {
            reader->select_order_.push_back(idx);
        }
    }
    if (keep_order) {
        reader->select_order_.clear();
        for (std::size_t idx = 0; idx < columns.size(); ++idx) {
            reader->select_order_.push_back(idx);
        }
    }
    // SQLGetData reads the current row only: a rowset of one row when any column is long.
    reader->rowset_rows_ =
        any_long ? 1
                 : std::clamp<std::size_t>(rowset_bytes / std::max<std::size_t>(row_bytes, 1), 1,
                                           kMaxRowsetRows);
    for (auto& bound : reader->bound_) {
        if (bound->bound) {
            bound->data.resize(reader->rowset_rows_ * static_cast<std::size_t>(bound->cell_bytes));
            bound->indicators.resize(reader->rowset_rows_);
        }
    }
    reader->row_status_.resize(reader->rowset_rows_);
    reader->has_long_ = any_long;
    reader->columns_ = std::move(columns);
    return reader;
}

RowsetReader::~RowsetReader() = default;

Status RowsetReader::bind(Statement& stmt) {
    SQLHSTMT handle = stmt.handle();
    FERRY_RETURN_IF_ERROR(
        stmt.check(SQLSetStmtAttr(handle, SQL_ATTR_ROW_BIND_TYPE,
                                  reinterpret_cast<SQLPOINTER>(SQL_BIND_BY_COLUMN), 0),
                   "SQLSetStmtAttr(SQL_ATTR_ROW_BIND_TYPE)"));
    FERRY_RETURN_IF_ERROR(stmt.check(SQLSetStmtAttr(handle, SQL_ATTR_ROW_ARRAY_SIZE,
                                                    reinterpret_cast<SQLPOINTER>(rowset_rows_), 0),
                                     "SQLSetStmtAttr(SQL_ATTR_ROW_ARRAY_SIZE)"));
    FERRY_RETURN_IF_ERROR(
        stmt.check(SQLSetStmtAttr(handle, SQL_ATTR_ROW_STATUS_PTR, row_status_.data(), 0),
                   "SQLSetStmtAttr(SQL_ATTR_ROW_STATUS_PTR)"));
    FERRY_RETURN_IF_ERROR(
        stmt.check(SQLSetStmtAttr(handle, SQL_ATTR_ROWS_FETCHED_PTR, &rows_fetched_, 0),
                   "SQLSetStmtAttr(SQL_ATTR_ROWS_FETCHED_PTR)"));
    for (std::size_t pos = 0; pos < select_order_.size(); ++pos) {
        Bound& bound = *bound_[select_order_[pos]];
        if (!bound.bound) {
            continue;
        }
        FERRY_RETURN_IF_ERROR(
            stmt.check(SQLBindCol(handle, static_cast<SQLUSMALLINT>(pos + 1), bound.c_type,
                                  bound.data.data(), bound.cell_bytes, bound.indicators.data()),
                       "SQLBindCol"));
    }
    return {};
}

Result<bool> RowsetReader::fetch(Statement& stmt) {
    rows_fetched_ = 0;
    const SQLRETURN rc = SQLFetch(stmt.handle());
    if (rc == SQL_NO_DATA) {
        return false;
    }
    if (!succeeded(rc)) {
        return stmt.error("SQLFetch");
    }
    // SQL_SUCCESS_WITH_INFO: truncations (01004) show in the indicators and are re-read per
    // cell; per-row errors show in the row status and become rejects in convert().
    return rows_fetched_ > 0;
}

Status RowsetReader::read_long(Statement& stmt,
                               std::size_t select_pos,
                               std::size_t column,
                               std::string& bytes,
                               bool& is_null) {
    const Bound& bound = *bound_[column];
    bytes.clear();
    is_null = false;
    const SQLSMALLINT c_type = bound.c_type;
    const std::size_t terminator = c_type == SQL_C_WCHAR ? 2 : (c_type == SQL_C_CHAR ? 1 : 0);
    char chunk[kLongChunkBytes];
    for (std::size_t round = 0; bytes.size() <= kMaxLongBytes; ++round) {
        SQLLEN length = 0;
        const SQLRETURN rc = SQLGetData(stmt.handle(), static_cast<SQLUSMALLINT>(select_pos + 1),
                                        c_type, chunk, sizeof chunk, &length);
        if (rc == SQL_NO_DATA) {
            return {};
        }
        if (!succeeded(rc)) {
            return stmt.error("SQLGetData");
        }
        if (length == SQL_NULL_DATA) {
            is_null = true;
            return {};
        }
        const std::size_t room = sizeof chunk - terminator;
        if (rc == SQL_SUCCESS_WITH_INFO &&
            (length == SQL_NO_TOTAL || static_cast<std::size_t>(length) > room)) {
            // 01004: this piece filled the buffer; the rest follows in the next call.
            std::size_t piece = room;
            if (c_type == SQL_C_WCHAR) {
                piece -= piece % 2;
            }
            bytes.append(chunk, piece);
            continue;
        }
        bytes.append(chunk, static_cast<std::size_t>(length));
        return {};
    }
    return Status::data("long column \"" + columns_[column].field.name + "\" exceeds " +
                        std::to_string(kMaxLongBytes) + " bytes")
        .with_field(columns_[column].field.name);
}

std::optional<std::string> RowsetReader::cell_text(std::size_t row, std::size_t column) {
    const Bound& bound = *bound_[column];
    if (!bound.bound) {
        return std::nullopt;
    }
    const SQLLEN length = bound.indicators[row];
    if (length == SQL_NULL_DATA) {
        return std::nullopt;
    }
    const std::size_t bytes = bound.fitted(length).value_or(
        static_cast<std::size_t>(bound.cell_bytes) - (bound.c_type == SQL_C_WCHAR ? 2 : 1));
    std::string out;
    if (bound.c_type == SQL_C_WCHAR) {
        (void)utf16_to_utf8(reinterpret_cast<const std::uint16_t*>(bound.cell(row)), bytes / 2,
                            out);
    } else if (bound.c_type == SQL_C_CHAR && code_page_ &&
               columns_[column].kind == FetchKind::Text) {
        (void)code_page_->decode(std::string_view(bound.cell(row), bytes), out);
    } else {
        out.assign(bound.cell(row), bytes);
    }
    return out;
}

Status
RowsetReader::convert(Statement& stmt, std::size_t row, std::int64_t record_no, BatchBuilder& out) {
    FERRY_RETURN_IF_ERROR(out.begin_record(record_no));
    record_no_ = record_no;
    row_ = row;
    if (pending_reject_) {
        reject(out, std::move(*pending_reject_));
        pending_reject_.reset();
        long_loaded_ = false;
        return {};
    }
    if (row_status_[row] == SQL_ROW_ERROR) {
        reject(out, Reject("", "driver_row_error",
                           "the driver could not convert this row (SQL_ROW_ERROR)"));
        return {};
    }
    // Unbound (long) columns are read with SQLGetData in select-list order, before any other
    // cell of the row can reject it, so the cursor is never left mid-row.
    if (!long_loaded_) {
        FERRY_RETURN_IF_ERROR(load_long(stmt, record_no));
    }
    long_loaded_ = false;

    for (std::size_t column = 0; column < columns_.size(); ++column) {
        const ColumnMapping& col = columns_[column];
        const Bound& bound = *bound_[column];
        ColumnBuilder& builder = out.column(column);
        std::string_view raw;
        if (bound.bound) {
            const SQLLEN length = bound.indicators[row];
            if (length == SQL_NULL_DATA) {
                if (!col.field.nullable) {
                    reject(out, Reject(col.field.name, "not_null",
                                       "NULL in a column declared NOT NULL"));
                    return {};
                }
                builder.append_null();
                continue;
            }
            const std::optional<std::size_t> fitted = bound.fitted(length);
            if (fitted && bound.c_type == SQL_C_WCHAR && col.kind == FetchKind::Text &&
                (bound.cell(row)[*fitted] != 0 || bound.cell(row)[*fitted + 1] != 0)) {
                // Drivers end a bound string with a terminator right after the length they
                // report. Characters there mean the driver wrote more than it reported (MariaDB
                // Connector/ODBC 3.1 with GBK text through UTF-16 reports one character short):
                // its length cannot be trusted, so neither can the value.
                reject(out, Reject(col.field.name, "truncated",
                                   "the driver reported " + std::to_string(*fitted / 2) +
                                       " UTF-16 units but wrote more: its length is wrong (read "
                                       "such tables as code-page bytes, e.g. CHARSET=gbk with "
                                       "text_encoding GBK)"));
                return {};
            }
            if (fitted) {
                raw = std::string_view(bound.cell(row), *fitted);
            } else {
                // 01004: the value is longer than the bound cell. Re-read it whole with
                // SQLGetData on this row of the rowset; never keep a truncated value.
                std::size_t pos = 0;
                while (select_order_[pos] != column) {
                    ++pos;
                }
                bool is_null = false;
                const SQLRETURN rc = SQLSetPos(stmt.handle(), static_cast<SQLSETPOSIROW>(row + 1),
                                               SQL_POSITION, SQL_LOCK_NO_CHANGE);
                if (!succeeded(rc) || !read_long(stmt, pos, column, long_scratch_, is_null).ok()) {
                    reject(
                        out,
                        Reject(
                            col.field.name, "truncated",
                            "value longer than the bound buffer (" +
                                std::to_string(bound.cell_bytes) +
                                " bytes) and the driver cannot re-read it (SQLSetPos/SQLGetData)"));
                    return {};
                }
                raw = long_scratch_;
            }
        } else {
            const auto found =
                std::find_if(long_cells_.begin(), long_cells_.end(),
                             [column](const LongCell& cell) { return cell.column == column; });
            if (found == long_cells_.end() || found->is_null) {
                builder.append_null();
                continue;
            }
            raw = found->bytes;
        }

        switch (col.kind) {
        case FetchKind::Text: {
            std::optional<DecodeFailure> failure;
            std::string_view text = scratch_;
            if (bound.c_type == SQL_C_WCHAR) {
                scratch_.clear();
                if (raw.size() % 2 != 0) {
                    failure = DecodeFailure{raw.size() - 1, "odd number of bytes in UTF-16 text"};
                } else {
                    failure = utf16_to_utf8(reinterpret_cast<const std::uint16_t*>(raw.data()),
                                            raw.size() / 2, scratch_);
                }
                text = scratch_;
            } else {
                failure = code_page_->decode_view(raw, scratch_, text);
            }
            if (failure) {
                reject(out,
                       Reject(col.field.name, "decode",
                              "text does not decode" +
                                  (code_page_ ? " as " + code_page_->name()
                                              : std::string(" as UTF-16")) +
                                  ": " + failure->reason)); // the reason names the byte (from 1)
                return {};
            }
            builder.append_text_unchecked(text);
            break;
        }
        case FetchKind::Decimal: {
            const std::string_view text = trim(raw);
            if (const std::optional<std::int64_t> unscaled =
                    fast_unscaled(text, col.field.type.scale(), col.field.type.precision())) {
                // Already at the column's scale: appended as it is when it fits the precision.
                if (builder.append_decimal_unscaled(*unscaled)) {
                    break;
                }
            }
            Result<Decimal> parsed = Decimal::parse(text);
            if (!parsed.ok()) {
                reject(out, Reject(col.field.name, "decimal",
                                   "not a decimal number (" + std::to_string(text.size()) +
                                       " characters)"));
                return {};
            }
            // SQLite keeps NUMERIC(14,2) as REAL: round to the declared scale, as Oracle does on
            // insert; a value with more integer digits than declared is a reject.
            Result<Decimal> fitted_value = parsed->to_type(
                col.field.type.precision(), col.field.type.scale(), RoundingMode::HalfUp);
            if (!fitted_value.ok()) {
                reject(out, Reject(col.field.name, "decimal",
                                   "value does not fit " + col.field.type.to_string()));
                return {};
            }
            FERRY_RETURN_IF_ERROR(builder.append_decimal(*fitted_value));
            break;
        }
        case FetchKind::Int64: {
            const std::string_view text = trim(raw);
            std::int64_t value = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec != std::errc() || end != text.data() + text.size()) {
                reject(out, Reject(col.field.name, "integer", "not an integer that fits int64"));
                return {};
            }
            builder.append_int64(value);
            break;
        }
        case FetchKind::Date: {
            const std::optional<Date> date = parse_date(raw);
            if (!date) {
                reject(out, Reject(col.field.name, "date",
                                   "not a valid calendar date in YYYY-MM-DD form"));
                return {};
            }
            builder.append_date(*date);
            break;
        }
        case FetchKind::Timestamp: {
            const std::optional<Timestamp> stamp = parse_timestamp(raw);
            if (!stamp) {
                reject(out, Reject(col.field.name, "timestamp",
                                   "not a valid timestamp (YYYY-MM-DD HH:MM:SS[.ffffff])"));
                return {};
            }
            builder.append_timestamp(*stamp);
            break;
        }
        case FetchKind::Bool:
            builder.append_bool(!raw.empty() && raw[0] != 0);
            break;
        case FetchKind::Bytes:
            builder.append_bytes(raw);
            break;
        }
    }
    if (trailing_text_) {
        out.column(columns_.size()).append_text_unchecked(*trailing_text_);
    }
    return out.commit_record();
}

Status RowsetReader::load_long(Statement& stmt, std::int64_t record_no) {
    long_cells_.clear();
    for (std::size_t pos = 0; has_long_ && pos < select_order_.size(); ++pos) {
        const std::size_t column = select_order_[pos];
        if (bound_[column]->bound) {
            continue;
        }
        std::string bytes;
        bool is_null = false;
        FERRY_RETURN_IF_ERROR(
            read_long(stmt, pos, column, bytes, is_null).with_record_no(record_no));
        long_cells_.push_back({column, is_null, std::move(bytes)});
    }
    long_loaded_ = true;
    return {};
}

RowsetReader::CellState
RowsetReader::raw_cell(std::size_t row, std::size_t column, std::string_view& bytes) const {
    const Bound& bound = *bound_[column];
    if (!bound.bound) {
        for (const LongCell& cell : long_cells_) {
            if (cell.column == column) {
                if (cell.is_null) {
                    return CellState::Null;
                }
                bytes = cell.bytes;
                return CellState::Value;
            }
        }
        return CellState::Null;
    }
    const SQLLEN length = bound.indicators[row];
    if (length == SQL_NULL_DATA) {
        return CellState::Null;
    }
    const std::optional<std::size_t> fitted = bound.fitted(length);
    if (fitted) {
        bytes = std::string_view(bound.cell(row), *fitted);
        return CellState::Value;
    }
    bytes = std::string_view(bound.cell(row), static_cast<std::size_t>(bound.cell_bytes) -
                                                  (bound.c_type == SQL_C_WCHAR ? 2 : 1));
    return CellState::Truncated;
}

} // namespace ferry::odbc
