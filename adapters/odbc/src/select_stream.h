// SPDX-License-Identifier: Apache-2.0
// select_stream.h — a stream over one SELECT: parameters, execution, rowsets into batches, and
// checkpoints that carry the last key read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/plugin/stream.h"

#include "odbc_handles.h"
#include "rowset_reader.h"

namespace ferry::odbc {

/// One statement parameter, always sent as UTF-16 text with the target column's SQL type, so
/// the driver converts (never SQL built from values).
struct Parameter {
    std::basic_string<SQLWCHAR> text;
    SQLSMALLINT sql_type = SQL_WVARCHAR;
    SQLULEN column_size = 0;
    SQLSMALLINT decimal_digits = 0;
    SQLLEN length = 0;

    static Parameter of(const std::string& utf8, const ColumnInfo& column);
};

/// Binds `params` (which must outlive the execution) to `stmt`.
Status bind_parameters(Statement& stmt, std::vector<Parameter>& params);

/// Prepares `sql` on `stmt`, binds `params` (which must outlive the execution) and `reader`'s
/// buffers, and executes it. Returns false when the statement has no rows (SQL_NO_DATA).
Result<bool> prepare_and_execute(Statement& stmt,
                                 const std::string& sql,
                                 std::vector<Parameter>& params,
                                 RowsetReader& reader);

/// Turns the rows of an executed statement into records, rowset by rowset.
class RowPump {
public:
    RowPump(RowsetReader& reader, std::int64_t first_record_no)
        : reader_(reader)
        , next_record_no_(first_record_no) {}

    /// Skips `rows` rows without delivering them (resume of a stream without a key).
    Status skip(Statement& stmt, std::int64_t rows);

    /// Fills `out` until it is full, the data ends (returns false) or `stop()` says so.
    /// `on_row(row)` is called for each row before it is converted; returning false drops the
    /// row without counting it (incremental dedupe).
    Result<bool> pump(Statement& stmt,
                      BatchBuilder& out,
                      const plugin::Stream& self,
                      const std::function<bool(std::size_t row)>& on_row = {});

    /// Row index in the current rowset of the last row handled, or nullopt.
    std::optional<std::size_t> last_row() const noexcept { return last_row_; }

    std::int64_t next_record_no() const noexcept { return next_record_no_; }

    /// Rows taken from the result set so far (delivered, rejected or dropped by on_row).
    std::int64_t rows_handled() const noexcept { return rows_handled_; }

    bool ended() const noexcept { return ended_; }

private:
    RowsetReader& reader_;
    std::int64_t next_record_no_;
    std::int64_t rows_handled_ = 0;
    std::size_t row_ = 0;
    bool ended_ = false;
    bool pending_ = false; ///< the current rowset has rows left at row_
    std::optional<std::size_t> last_row_;
};

/// One page of a keyset-paged read: its SQL (ending with the row limit) and parameters.
struct PageQuery {
    std::string sql;
    std::vector<Parameter> params;
};

/// What a SelectStream runs.
struct SelectPlan {
    std::vector<ColumnMapping> columns; ///< schema order
    bool keep_order = false;            ///< a named query's select list (see RowsetReader)
    /// Builds the SQL from the select-list order the reader chose (schema indices).
    std::function<std::string(const std::vector<std::size_t>& select_order)> sql;
    std::vector<Parameter> params;
    std::vector<std::size_t> key_columns; ///< schema indices carried in checkpoints
    std::int64_t first_record_no = 1;
    std::int64_t skip_rows = 0;
    /// Extra checkpoint content (incremental state), called at each batch end.
    std::function<void(nlohmann::json& checkpoint)> decorate_checkpoint;
    std::function<bool(RowsetReader& reader, std::size_t row)> on_row;
    /// Keyset paging (page_rows > 0, key_columns set): `page` builds the query of the page after
    /// `after` (the last key read, as checkpoints carry it; null: the first page). A page that
    /// returns page_rows rows is followed by the next one; `sql` and `params` are then unused.
    std::int64_t page_rows = 0;
    std::function<Result<PageQuery>(const std::vector<std::size_t>& select_order,
                                    const nlohmann::json& after)>
        page;
    nlohmann::json first_after; ///< the key the first page starts after (resume), or null
};

/// A stream over one SELECT on its own connection.
class SelectStream : public plugin::Stream {
public:
    static Result<std::unique_ptr<SelectStream>> open(std::unique_ptr<Connection> connection,
                                                      SelectPlan plan,
                                                      const TextEncoding& encoding,
                                                      std::size_t rowset_bytes);
    ~SelectStream() override;

    Result<bool> fill(BatchBuilder& out) override;

    RowsetReader& reader() { return *reader_; }

private:
    SelectStream(Schema schema, std::unique_ptr<Connection> connection, SelectPlan plan);

    /// Prepares and executes `sql` with `params` (kept alive in params_) on the statement, and
    /// starts a pump whose first record is `first_record_no`.
    Status
    execute(const std::string& sql, std::vector<Parameter> params, std::int64_t first_record_no);

    std::unique_ptr<Connection> connection_;
    std::optional<Statement> stmt_;
    std::unique_ptr<RowsetReader> reader_;
    SelectPlan plan_;
    std::unique_ptr<RowPump> pump_;
    std::vector<Parameter> params_; ///< bound to stmt_ while it executes
    nlohmann::json last_key_;
};

/// Schema of a list of column mappings.
Schema schema_of(const std::vector<ColumnMapping>& columns);

} // namespace ferry::odbc
