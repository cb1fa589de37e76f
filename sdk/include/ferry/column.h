// SPDX-License-Identifier: Apache-2.0
// ferry/column.h — Column: the typed, in-flight cells of one field of one batch, as a mapping
// transforms them a column at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/batch.h"
#include "ferry/data_type.h"
#include "ferry/decimal.h"
#include "ferry/value.h"

namespace ferry {

/// One column of cells, appended row by row and read by row index. The storage follows the
/// type's kind: bool/int64/date/timestamp in one int64 array, decimals as Decimal values (each
/// keeps its own scale until the mapping fits it to the target type), text and bytes as one byte
/// buffer with offsets (no allocation per cell). Struct columns are not supported.
///
/// Accessors do not check the kind: call the one that matches type().kind(). Not thread-safe;
/// a mapping gives each batch its own columns.
class Column {
public:
    explicit Column(DataType type);

    /// Copies a batch column (text and bytes in bulk).
    static Column from_view(const ColumnView& view);

    const DataType& type() const noexcept { return type_; }

    std::int64_t size() const noexcept { return static_cast<std::int64_t>(valid_.size()); }

    /// Bytes of text or bytes content held (0 for other kinds).
    std::size_t byte_size() const noexcept { return bytes_.size(); }

    /// Reserves room for `rows` cells and, for text and bytes, `bytes` bytes of content.
    void reserve(std::int64_t rows, std::size_t bytes = 0);

    bool is_null(std::int64_t row) const noexcept {
        return valid_[static_cast<std::size_t>(row)] == 0;
    }

    bool boolean(std::int64_t row) const noexcept {
        return ints_[static_cast<std::size_t>(row)] != 0;
    }

    std::int64_t int64(std::int64_t row) const noexcept {
        return ints_[static_cast<std::size_t>(row)];
    }

    const Decimal& decimal(std::int64_t row) const noexcept {
        return decimals_[static_cast<std::size_t>(row)];
    }

    Date date(std::int64_t row) const noexcept {
        return Date::from_days(static_cast<std::int32_t>(ints_[static_cast<std::size_t>(row)]));
    }

    Timestamp timestamp(std::int64_t row) const noexcept {
        return Timestamp::from_micros(ints_[static_cast<std::size_t>(row)]);
    }

    /// Text or bytes; valid until the next append.
    std::string_view text(std::int64_t row) const noexcept {
        const auto i = static_cast<std::size_t>(row);
        return std::string_view(bytes_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
    }

    /// The cell as a Value (slow path: messages, tests, the checker's samples).
    Value value(std::int64_t row) const;

    void append_null();
    void append_bool(bool value);
    void append_int64(std::int64_t value);
    void append_decimal(const Decimal& value);
    void append_date(Date value);
    void append_timestamp(Timestamp value);
    /// Precondition for a text column: `utf8` is valid UTF-8 (validate untrusted bytes first).
    void append_text(std::string_view utf8);

    void append_bytes(std::string_view bytes) { append_text(bytes); }

    /// Builds one text or bytes cell in place: append to the returned buffer, then call
    /// close_cell(). Nothing else may be appended in between. Saves a copy for transforms
    /// that produce their output piecewise (concat, masking, charset decoding).
    std::string& open_cell() noexcept { return bytes_; }

    void close_cell();
    /// Any scalar Value whose type matches the column's kind (Null always does); InvalidArgument
    /// otherwise.
    Status append_value(const Value& value);
    /// Appends `other`'s cell `row`; both columns must have the same kind.
    void append_from(const Column& other, std::int64_t row);

private:
    DataType type_;
    std::vector<std::uint8_t> valid_;
    std::vector<std::int64_t> ints_;
    std::vector<Decimal> decimals_;
    std::vector<std::uint32_t> offsets_{0};
    std::string bytes_;
};

} // namespace ferry
