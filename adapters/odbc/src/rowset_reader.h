// SPDX-License-Identifier: Apache-2.0
// rowset_reader.h — column-wise array binding (SQL_ATTR_ROW_ARRAY_SIZE sized in bytes) and the
// conversion of each fetched row into a batch record or a reject.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ferry/batch_builder.h"
#include "ferry/codepage.h"
#include "ferry/result.h"

#include "odbc_handles.h"
#include "type_mapping.h"

namespace ferry::odbc {

/// How text cells arrive: UTF-16 through SQL_C_WCHAR (default), or bytes through SQL_C_CHAR
/// decoded with a code page (a legacy GBK database read with CHARSET=gbk, for instance).
struct TextEncoding {
    std::string code_page; ///< empty: UTF-16 (W API)
};

/// Binds the columns of one result set and turns its rows into records. One per statement.
class RowsetReader {
public:
    /// `columns` are in schema order. The select list must follow select_order(): bound columns
    /// first, then long ones (SQLGetData reads them, in column order), unless `keep_order`, in
    /// which case a long column makes every column unbound (a named query's own select list).
    static Result<std::unique_ptr<RowsetReader>> create(std::vector<ColumnMapping> columns,
                                                        const TextEncoding& encoding,
                                                        std::size_t rowset_bytes,
                                                        bool keep_order);
    ~RowsetReader();
    RowsetReader(const RowsetReader&) = delete;
    RowsetReader& operator=(const RowsetReader&) = delete;

    /// Schema indices in select-list order.
    const std::vector<std::size_t>& select_order() const noexcept { return select_order_; }

    const std::vector<ColumnMapping>& columns() const noexcept { return columns_; }

    /// Rows per SQLFetch.
    std::size_t rowset_rows() const noexcept { return rowset_rows_; }

    /// Sets the row array size and binds every bound column of `stmt` (before or after execute).
    Status bind(Statement& stmt);
    /// Fetches the next rowset; false at the end of the result set.
    Result<bool> fetch(Statement& stmt);

    std::size_t rows_in_rowset() const noexcept { return static_cast<std::size_t>(rows_fetched_); }

    /// Delivers or rejects one fetched row as `record_no`. Errors only when the stream cannot go
    /// on.
    Status convert(Statement& stmt, std::size_t row, std::int64_t record_no, BatchBuilder& out);

    /// The cell as text (decimal and date cells as the driver rendered them); nullopt for NULL or
    /// for a long column. Used for checkpoints and row hashes.
    std::optional<std::string> cell_text(std::size_t row, std::size_t column);

    /// What raw_cell() found.
    enum class CellState { Null, Value, Truncated };

    /// The cell's bytes as the driver delivered them (UTF-16 for SQL_C_WCHAR, code-page bytes or
    /// text for SQL_C_CHAR), without conversion: what row hashes are taken over. A long column
    /// needs load_long() first; Truncated gives the bound prefix (01004).
    CellState raw_cell(std::size_t row, std::size_t column, std::string_view& bytes) const;

    /// Reads the current row's long columns now (SQLGetData), so raw_cell() sees them; the next
    /// convert() of that row uses them instead of reading again.
    Status load_long(Statement& stmt, std::int64_t record_no);

    /// A text appended as one more, last column of every delivered record (a diff's `_change`);
    /// the batch schema then has columns().size() + 1 fields. nullopt: none.
    void set_trailing_text(std::optional<std::string> text) { trailing_text_ = std::move(text); }

    /// The row identity (schema indices: the primary key or a declared key) that every reject
    /// names in its location, `record 17, key AAZ083=2018010000000013`, so a reject can be found
    /// without knowing the read order. A key column that looks like an ID number is not shown.
    void set_key_columns(std::vector<std::size_t> key) { key_columns_ = std::move(key); }

    /// The next convert() rejects its row with `why` instead of converting it (a check made on
    /// the raw row before, such as an incremental cursor that does not parse).
    void reject_next(Reject why) { pending_reject_ = std::move(why); }

    /// The reject location of `row` as record `record_no` (see set_key_columns).
    std::string key_location(std::size_t row, std::int64_t record_no);

private:
    struct Bound;
    RowsetReader() = default;

    Status read_long(Statement& stmt,
                     std::size_t select_pos,
                     std::size_t column,
                     std::string& bytes,
                     bool& is_null);

    std::vector<ColumnMapping> columns_;
    std::vector<std::size_t> select_order_;
    std::vector<std::unique_ptr<Bound>> bound_; // per schema column
    std::optional<CodePage> code_page_;
    std::size_t rowset_rows_ = 1;
    SQLULEN rows_fetched_ = 0;
    std::vector<SQLUSMALLINT> row_status_;
    std::string scratch_;
    std::string long_scratch_;

    struct LongCell {
        std::size_t column;
        bool is_null;
        std::string bytes;
    };

    bool has_long_ = false;
    bool long_loaded_ = false;         ///< long_cells_ already hold the current row's
    std::vector<LongCell> long_cells_; ///< the current row's long columns
    std::optional<std::string> trailing_text_;
    std::vector<std::size_t> key_columns_;
    std::optional<Reject> pending_reject_;
    std::int64_t record_no_ = 0; ///< of the row convert() is on
    std::size_t row_ = 0;

    void reject(BatchBuilder& out, Reject why);
};

/// Whether a key column's name says it holds an ID-card, passport or social-security number
/// (`AAC002`, `ID_CARD`, `SFZH`, …): such values never go into a reject's location.
bool looks_like_id_number(std::string_view column_name);

} // namespace ferry::odbc
