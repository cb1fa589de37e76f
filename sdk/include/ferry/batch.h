// SPDX-License-Identifier: Apache-2.0
// ferry/batch.h — Batch and ColumnView: owning, typed read access to a FerryBatch.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "ferry/data_type.h"
#include "ferry/plugin_abi.h"
#include "ferry/result.h"
#include "ferry/value.h"

namespace ferry {

/// A read-only view of one column of a batch (or of a struct child). Cheap to copy; valid while
/// its Batch lives. Row accessors do not check the type: call them for the column's kind only.
class ColumnView {
public:
    ColumnView(const ArrowArray* array, const DataType* type)
        : array_(array)
        , type_(type) {}

    const DataType& type() const noexcept { return *type_; }

    std::int64_t length() const noexcept { return array_->length; }

    std::int64_t null_count() const noexcept { return array_->null_count; }

    bool is_null(std::int64_t row) const noexcept;
    bool boolean(std::int64_t row) const noexcept;
    std::int64_t int64(std::int64_t row) const noexcept;
    Decimal decimal(std::int64_t row) const noexcept;
    Date date(std::int64_t row) const noexcept;
    Timestamp timestamp(std::int64_t row) const noexcept;
    std::string_view text(std::int64_t row) const noexcept; ///< also bytes
    ColumnView child(std::size_t index) const;
    /// The cell as a Value (Null for a null cell; a struct column has no scalar Value: Null).
    Value value(std::int64_t row) const;

    /// The Arrow array behind the view, for bulk copies.
    const ArrowArray& raw() const noexcept { return *array_; }

private:
    const ArrowArray* array_;
    const DataType* type_;
};

/// How much of a batch validate_batch() checks.
enum class BatchCheck {
    Structure, ///< shapes, counts and the read = delivered + rejected invariant: O(columns)
    Full,      ///< also offsets, UTF-8 and lineage order: O(bytes); for tests and untrusted plugins
};

/// Checks a batch against the schema its stream announced.
Status validate_batch(const FerryBatch& batch, const Schema& schema, BatchCheck level);

/// Owns one FerryBatch (move-only) and releases it once. Keeps the plugin's code loaded through
/// `keep_alive` for as long as the batch lives (its release callback is plugin code).
class Batch {
public:
    Batch(FerryBatch&& raw, std::shared_ptr<const Schema> schema, std::shared_ptr<void> keep_alive);
    Batch(Batch&& other) noexcept;
    Batch& operator=(Batch&& other) noexcept;
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;
    ~Batch();

    const Schema& schema() const noexcept { return *schema_; }

    std::int64_t num_rows() const noexcept { return raw_.data.length; }

    std::int64_t records_read() const noexcept { return raw_.records_read; }

    /// Records read that hold no record by the source's rules (ABI 1.1; 0 from 1.0 plugins).
    std::int64_t records_skipped() const noexcept { return raw_.records_skipped; }

    /// Whether a delivered row lacks the field altogether (ABI 1.2): its value is null, and a
    /// JSON writer leaves the member out. Always false from plugins of 1.1 and older.
    bool absent(std::size_t field, std::int64_t row) const noexcept {
        return raw_.absent != nullptr && raw_.absent[field] != nullptr &&
               ((raw_.absent[field][row >> 3] >> (row & 7)) & 1) != 0;
    }

    /// Whether any row of the batch lacks a field.
    bool has_absent() const noexcept { return raw_.absent != nullptr; }

    /// The 1-based source record number of a delivered row.
    std::int64_t record_no(std::int64_t row) const noexcept { return raw_.record_nos[row]; }

    std::span<const FerryReject> rejects() const noexcept;
    std::optional<std::string_view> checkpoint() const noexcept;
    ColumnView column(std::size_t index) const;

    /// The underlying struct, still owned by this Batch.
    const FerryBatch& raw() const noexcept { return raw_; }

private:
    void reset() noexcept;

    FerryBatch raw_{};
    std::shared_ptr<const Schema> schema_;
    std::shared_ptr<void> keep_alive_;
};

} // namespace ferry
