// SPDX-License-Identifier: Apache-2.0
// select_stream.cpp — executes one SELECT and pumps its rowsets into batches.
#include "select_stream.h"

namespace ferry::odbc {

Parameter Parameter::of(const std::string& utf8, const ColumnInfo& column) {
    Parameter param;
    param.text = to_sqlwchar(utf8);
    param.length = static_cast<SQLLEN>(param.text.size() * sizeof(SQLWCHAR));
    switch (column.sql_type) {
    case SQL_CHAR:
    case SQL_VARCHAR:
    case SQL_LONGVARCHAR:
    case SQL_WCHAR:
    case SQL_WVARCHAR:
    case SQL_WLONGVARCHAR:
    case SQL_UNKNOWN_TYPE:
        param.sql_type = SQL_WVARCHAR;
        param.column_size = std::max<SQLULEN>(param.text.size(), 1);
        break;
    case SQL_TYPE_TIMESTAMP:
    case SQL_TIMESTAMP:
        // Drivers report odd sizes here (SQLite: 3); the text form needs 26 characters.
        param.sql_type = SQL_TYPE_TIMESTAMP;
        param.column_size = 26;
        param.decimal_digits = 6;
        break;
    case SQL_TYPE_DATE:
    case SQL_DATE:
        param.sql_type = SQL_TYPE_DATE;
        param.column_size = 10;
        break;
    default:
        param.sql_type = column.sql_type;
        param.column_size = column.column_size > 0 ? static_cast<SQLULEN>(column.column_size)
                                                   : std::max<SQLULEN>(param.text.size(), 1);
        param.decimal_digits = static_cast<SQLSMALLINT>(column.decimal_digits);
        break;
    }
    return param;
}

Status bind_parameters(Statement& stmt, std::vector<Parameter>& params) {
    for (std::size_t idx = 0; idx < params.size(); ++idx) {
        Parameter& param = params[idx];
        FERRY_RETURN_IF_ERROR(stmt.check(
            SQLBindParameter(stmt.handle(), static_cast<SQLUSMALLINT>(idx + 1), SQL_PARAM_INPUT,
                             SQL_C_WCHAR, param.sql_type, param.column_size, param.decimal_digits,
                             param.text.data(), param.length, &param.length),
            "SQLBindParameter"));
    }
    return {};
}

Status RowPump::skip(Statement& stmt, std::int64_t rows) {
    std::int64_t skipped = 0;
    while (skipped < rows) {
        FERRY_ASSIGN_OR_RETURN(bool more, reader_.fetch(stmt));
        if (!more) {
            ended_ = true;
            return {};
        }
        const auto available = static_cast<std::int64_t>(reader_.rows_in_rowset());
        if (skipped + available > rows) {
            row_ = static_cast<std::size_t>(rows - skipped);
            skipped = rows;
            // The rest of this rowset is still to be read.
            pending_ = true;
            break;
        }
        skipped += available;
    }
    return {};
}

Result<bool> RowPump::pump(Statement& stmt,
                           BatchBuilder& out,
                           const plugin::Stream& self,
                           const std::function<bool(std::size_t row)>& on_row) {
    last_row_.reset();
    while (!ended_ && !out.full() && !self.cancelled()) {
        if (!pending_ || row_ >= reader_.rows_in_rowset()) {
            if (last_row_) {
                // The rows of the previous rowset are about to be overwritten; stop here so the
                // caller can take its checkpoint from them.
                return true;
            }
            FERRY_ASSIGN_OR_RETURN(bool more, reader_.fetch(stmt));
            if (!more) {
                ended_ = true;
                break;
            }
            pending_ = true;
            row_ = 0;
        }
        const std::size_t row = row_++;
        ++rows_handled_;
        if (on_row && !on_row(row)) {
            continue;
        }
        FERRY_RETURN_IF_ERROR(reader_.convert(stmt, row, next_record_no_++, out));
        last_row_ = row;
    }
    return !ended_;
}

Schema schema_of(const std::vector<ColumnMapping>& columns) {
    std::vector<Field> fields;
    fields.reserve(columns.size());
    for (const ColumnMapping& col : columns) {
        fields.push_back(col.field);
    }
    return Schema(std::move(fields));
}

SelectStream::SelectStream(Schema schema, std::unique_ptr<Connection> connection, SelectPlan plan)
    : plugin::Stream(std::move(schema))
    , connection_(std::move(connection))
    , plan_(std::move(plan)) {}

SelectStream::~SelectStream() {
    pump_.reset();
    stmt_.reset(); // before the connection
}

Result<std::unique_ptr<SelectStream>> SelectStream::open(std::unique_ptr<Connection> connection,
                                                         SelectPlan plan,
                                                         const TextEncoding& encoding,
                                                         std::size_t rowset_bytes) {
    Schema schema = schema_of(plan.columns); // before plan moves (argument order is unspecified)
    std::unique_ptr<SelectStream> stream(
        new SelectStream(std::move(schema), std::move(connection), std::move(plan)));
    SelectPlan& p = stream->plan_;
    FERRY_ASSIGN_OR_RETURN(stream->reader_,
                           RowsetReader::create(p.columns, encoding, rowset_bytes, p.keep_order));
    stream->reader_->set_key_columns(p.key_columns);
    FERRY_ASSIGN_OR_RETURN(Statement stmt, Statement::allocate(*stream->connection_));
    stream->stmt_.emplace(std::move(stmt));
    if (p.page_rows > 0) {
        FERRY_ASSIGN_OR_RETURN(PageQuery first,
                               p.page(stream->reader_->select_order(), p.first_after));
        stream->last_key_ = p.first_after;
        FERRY_RETURN_IF_ERROR(
            stream->execute(first.sql, std::move(first.params), p.first_record_no));
        return stream;
    }
    FERRY_RETURN_IF_ERROR(stream->execute(p.sql(stream->reader_->select_order()),
                                          std::move(p.params), p.first_record_no));
    if (p.skip_rows > 0) {
        FERRY_RETURN_IF_ERROR(stream->pump_->skip(*stream->stmt_, p.skip_rows));
    }
    return stream;
}

Result<bool> prepare_and_execute(Statement& stmt,
                                 const std::string& sql,
                                 std::vector<Parameter>& params,
                                 RowsetReader& reader) {
    const std::basic_string<SQLWCHAR> wide = to_sqlwchar(sql);
    FERRY_RETURN_IF_ERROR(stmt.check(SQLPrepareW(stmt.handle(), const_cast<SQLWCHAR*>(wide.data()),
                                                 static_cast<SQLINTEGER>(wide.size())),
                                     "SQLPrepare"));
    FERRY_RETURN_IF_ERROR(bind_parameters(stmt, params));
    FERRY_RETURN_IF_ERROR(reader.bind(stmt));
    const SQLRETURN rc = SQLExecute(stmt.handle());
    if (rc == SQL_NO_DATA) {
        return false;
    }
    FERRY_RETURN_IF_ERROR(stmt.check(rc, "SQLExecute"));
    return true;
}

Status SelectStream::execute(const std::string& sql,
                             std::vector<Parameter> params,
                             std::int64_t first_record_no) {
    Statement& s = *stmt_;
    if (pump_) {
        // The next page: end the previous result set and drop its parameter bindings before
        // their buffers go.
        s.close_cursor();
        FERRY_RETURN_IF_ERROR(s.check(SQLFreeStmt(s.handle(), SQL_RESET_PARAMS), "SQLFreeStmt"));
    }
    params_ = std::move(params);
    FERRY_RETURN_IF_ERROR(prepare_and_execute(s, sql, params_, *reader_).status());
    pump_ = std::make_unique<RowPump>(*reader_, first_record_no);
    return {};
}

Result<bool> SelectStream::fill(BatchBuilder& out) {
    Statement& s = *stmt_;
    std::function<bool(std::size_t)> on_row;
    if (plan_.on_row) {
        on_row = [this](std::size_t row) { return plan_.on_row(*reader_, row); };
    }
    bool more = true;
    // One pump call stops at a rowset boundary when rows were handled, so the key of the last
    // row can still be read from the buffers; keep pumping until the batch is full.
    while (more && !out.full() && !cancelled()) {
        FERRY_ASSIGN_OR_RETURN(more, pump_->pump(s, out, *this, on_row));
        if (pump_->last_row() && !plan_.key_columns.empty()) {
            nlohmann::json key = nlohmann::json::array();
            for (const std::size_t column : plan_.key_columns) {
                const std::optional<std::string> text =
                    reader_->cell_text(*pump_->last_row(), column);
                key.push_back(text ? nlohmann::json(*text) : nlohmann::json());
            }
            last_key_ = std::move(key);
        }
        if (!more && plan_.page_rows > 0 && pump_->rows_handled() >= plan_.page_rows &&
            !last_key_.is_null()) {
            // A full page: the rows after its last key come in the next one (an empty page
            // ends the stream).
            FERRY_ASSIGN_OR_RETURN(PageQuery next, plan_.page(reader_->select_order(), last_key_));
            FERRY_RETURN_IF_ERROR(
                execute(next.sql, std::move(next.params), pump_->next_record_no()));
            more = true;
        }
    }
    nlohmann::json checkpoint{{"record_no", pump_->next_record_no() - 1}};
    if (!last_key_.is_null()) {
        checkpoint["after"] = last_key_;
    }
    if (plan_.decorate_checkpoint) {
        plan_.decorate_checkpoint(checkpoint);
    }
    out.set_checkpoint(checkpoint.dump());
    if (cancelled()) {
        return false;
    }
    return more;
}

} // namespace ferry::odbc
