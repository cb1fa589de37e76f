// SPDX-License-Identifier: Apache-2.0
// ferry/batch_builder.h — builds FerryBatch values (Arrow C Data layout + lineage + rejects).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ferry/data_type.h"
#include "ferry/plugin_abi.h"
#include "ferry/result.h"
#include "ferry/value.h"

namespace ferry {

namespace detail {
struct ColumnBuffers;
} // namespace detail

/// Why one source record was not delivered. `raw` holds the original bytes unless the record
/// carries sensitive values, in which case the adapter leaves it empty.
struct Reject {
    Reject() = default;

    Reject(std::string field_name,
           std::string rule_name,
           std::string why,
           std::string where = {},
           std::optional<std::string> raw_bytes = std::nullopt,
           StatusCode status_code = StatusCode::Data)
        : field(std::move(field_name))
        , rule(std::move(rule_name))
        , reason(std::move(why))
        , location(std::move(where))
        , raw(std::move(raw_bytes))
        , code(status_code) {}

    std::string field;  ///< empty: the whole record
    std::string rule;   ///< short machine name: "utf8", "ragged_row", "check_digit"
    std::string reason; ///< one line for a human, never a sensitive value
    std::string location;
    std::optional<std::string> raw;
    StatusCode code = StatusCode::Data;
};

/// Appends the cells of one column. Every append adds exactly one cell; the typed appends must
/// match the column's kind (a mismatch is a programmer error and throws BadResultAccess).
class ColumnBuilder {
public:
    explicit ColumnBuilder(DataType type);
    ColumnBuilder(ColumnBuilder&&) noexcept;
    ColumnBuilder& operator=(ColumnBuilder&&) noexcept;
    ~ColumnBuilder();

    const DataType& type() const noexcept { return type_; }

    std::int64_t length() const noexcept { return length_; }

    /// Room for `cells` more cells and, for text and bytes, `bytes` more bytes of content.
    void reserve(std::int64_t cells, std::size_t bytes = 0);

    void append_null();
    /// A null the source record does not hold at all (an optional XML element left out), as
    /// opposed to one it sends as null (xsi:nil): hosts of ABI 1.2 leave the member out of the
    /// JSON they write; older hosts read a null. Kept for a batch's own fields; in a member of a
    /// struct it is a plain null.
    void append_absent();
    void append_bool(bool value);
    void append_int64(std::int64_t value);
    /// Rescales exactly to the column's scale; a value that would need rounding or exceeds the
    /// precision is a Data error (round explicitly beforehand with Decimal::to_type).
    Status append_decimal(const Decimal& value);
    /// The fast path for decoders (packed, zoned, binary fields) that produce the unscaled
    /// integer already at the column's own scale: false, and nothing appended, when it does not
    /// fit the column's precision.
    [[nodiscard]] bool append_decimal_unscaled(Int128 unscaled);
    void append_date(Date value);
    void append_timestamp(Timestamp value);
    /// Validates UTF-8; invalid bytes are a Data error naming the offset.
    Status append_text(std::string_view utf8);
    /// For text already known to be valid UTF-8 (for example iconv output).
    void append_text_unchecked(std::string_view utf8);
    void append_bytes(std::string_view bytes);
    /// Marks one struct cell valid; then append one cell to every child.
    void append_struct();
    ColumnBuilder& child(std::size_t index);
    /// Any scalar Value; its type must match the column (Null always does).
    Status append_value(const Value& value);

private:
    friend class BatchBuilder;

    void set_valid(bool valid);
    void truncate(std::int64_t length);
    /// Moves the cells into `out` (an ArrowArray owned by the caller) and starts empty again.
    void finish_into(ArrowArray* out);
    /// The absent bitmap of the cells so far (length() bits), or empty when none is absent;
    /// call before finish_into, which forgets it.
    std::vector<std::uint8_t> take_absent();

    DataType type_;
    std::int64_t length_ = 0;
    std::int64_t null_count_ = 0;
    std::unique_ptr<detail::ColumnBuffers> buffers_;
    std::vector<ColumnBuilder> children_;
    std::vector<std::uint8_t> absent_; // bit-packed, materialised at the first absent cell
};

/// Builds one batch at a time. Each source record goes through begin_record() and then either
/// commit_record() (delivered) or reject_record() (rejected), so delivered + rejected = read
/// holds by construction. Not thread-safe; one builder per stream.
class BatchBuilder {
public:
    /// `capacity` is the number of records (delivered + rejected) a batch should hold.
    explicit BatchBuilder(Schema schema, std::int64_t capacity = 4096);

    const Schema& schema() const noexcept { return schema_; }

    std::int64_t capacity() const noexcept { return capacity_; }

    void set_capacity(std::int64_t capacity) noexcept { capacity_ = capacity; }

    bool full() const noexcept { return records_read_ >= capacity_; }

    bool empty() const noexcept { return records_read_ == 0; }

    ColumnBuilder& column(std::size_t index) { return root_.child(index); }

    /// Starts a record. The previous one must have been committed or rejected.
    Status begin_record(std::int64_t record_no);
    /// Delivers the current record; every column must hold exactly one new cell.
    Status commit_record();
    /// Rejects the current record, discarding any cells already appended for it.
    void reject_record(Reject reject);

    /// begin + one Value per field + commit. On a Value that does not fit its column the record
    /// is rolled back (not rejected) and the error returned, so the caller decides.
    Status append_record(std::int64_t record_no, std::span<const Value> values);
    /// The bulk form of begin + commit for columnar producers (the mapping engine): first append
    /// record_nos.size() cells to every column, then call this once. Internal error (and nothing
    /// committed) if a column did not grow by exactly that many cells or a record is open.
    Status commit_records(std::span<const std::int64_t> record_nos);
    /// begin + reject, for a record that could not even be parsed.
    Status reject(std::int64_t record_no, Reject reject);
    /// Counts a source record that holds no record by the source's own rules (a blank line at
    /// the end of a file, a deleted DBF row, a filler record): read, but neither delivered nor
    /// rejected. `reason` is a short machine name ("blank_line", "deleted"); the stream's report
    /// counts skipped records by reason.
    Status skip_record(std::int64_t record_no, std::string_view reason);
    /// Carries over `count` records another batch skipped (their reasons stay with the stream
    /// that skipped them), e.g. when a mapping rebuilds a source batch.
    void carry_skipped(std::int64_t count) noexcept;

    std::int64_t num_skipped() const noexcept { return skipped_; }

    /// Skipped records of the batch being built, by reason; cleared by finish().
    const std::map<std::string, std::int64_t, std::less<>>& skipped_by_reason() const noexcept {
        return skip_reasons_;
    }

    std::int64_t num_rows() const noexcept { return rows_; }

    std::int64_t num_rejects() const noexcept { return static_cast<std::int64_t>(rejects_.size()); }

    std::int64_t records_read() const noexcept { return records_read_; }

    /// Where a stream resumes after this batch (JSON text); cleared by finish().
    void set_checkpoint(std::string json) { checkpoint_ = std::move(json); }

    /// The same from a JSON value, as open_stream's "resume" will hand it back.
    void set_checkpoint(const nlohmann::json& checkpoint);

    /// Moves the batch into `out` (owned by the caller afterwards) and starts a new one.
    Status finish(FerryBatch* out);

private:
    void rollback_open_record();

    Schema schema_;
    std::int64_t capacity_;
    ColumnBuilder root_; // a struct column whose children are the schema's fields
    std::vector<std::int64_t> record_nos_;
    std::vector<Reject> rejects_;
    std::vector<std::int64_t> reject_record_nos_;
    std::optional<std::string> checkpoint_;
    std::map<std::string, std::int64_t, std::less<>> skip_reasons_;
    std::int64_t skipped_ = 0;
    std::int64_t rows_ = 0;
    std::int64_t records_read_ = 0;
    std::int64_t open_record_no_ = -1;
};

} // namespace ferry
