// SPDX-License-Identifier: Apache-2.0
// ferry/data_type.h — DataType, Field and Schema: the column types that cross the plugin ABI.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/arrow_c_data.h"
#include "ferry/result.h"
#include "ferry/value.h"

namespace ferry {

/// The Arrow C Data subset Ferry uses; each kind names its Arrow format string.
enum class TypeKind {
    Bool,            ///< "b"
    Int64,           ///< "l"
    Decimal128,      ///< "d:P,S" (precision 1..38, scale 0..P)
    Date32,          ///< "tdD" days since 1970-01-01
    TimestampMicros, ///< "tsu:" or "tsu:UTC" microseconds since the epoch
    Utf8,            ///< "u" UTF-8 text, int32 offsets
    Binary,          ///< "z" bytes, int32 offsets
    Struct,          ///< "+s"
};

struct Field;

/// A column type. Cheap to copy (struct children are shared, immutable).
class DataType {
public:
    static DataType boolean() { return DataType(TypeKind::Bool); }

    static DataType int64() { return DataType(TypeKind::Int64); }

    /// Validated: 1 <= precision <= 38, 0 <= scale <= precision.
    static Result<DataType> decimal128(std::int32_t precision, std::int32_t scale);

    static DataType date32() { return DataType(TypeKind::Date32); }

    /// `timezone` is "" (local wall time, as legacy systems store it) or "UTC".
    static DataType timestamp_micros(std::string timezone = {});

    static DataType utf8() { return DataType(TypeKind::Utf8); }

    static DataType binary() { return DataType(TypeKind::Binary); }

    static DataType struct_of(std::vector<Field> fields);

    TypeKind kind() const noexcept { return kind_; }

    std::int32_t precision() const noexcept { return precision_; }

    std::int32_t scale() const noexcept { return scale_; }

    const std::string& timezone() const noexcept { return timezone_; }

    /// Struct children; empty for other kinds.
    const std::vector<Field>& fields() const noexcept;

    /// The Value type a cell of this column reads as (Struct has none: Null).
    TypeId value_type() const noexcept;
    /// The Arrow C Data format string: "d:14,2", "tsu:UTC", …
    std::string arrow_format() const;
    /// Parses an Arrow format string of the supported subset (not "+s", which needs children).
    static Result<DataType> from_arrow_format(std::string_view format);
    /// "bool", "int64", "decimal(14,2)", "date", "timestamp", "text", "bytes", "struct".
    std::string to_string() const;
    /// Inverse of to_string for the scalar kinds (used by discovery JSON).
    static Result<DataType> parse(std::string_view text);

    friend bool operator==(const DataType& a, const DataType& b);

private:
    explicit DataType(TypeKind kind)
        : kind_(kind) {}

    TypeKind kind_;
    std::int32_t precision_ = 0;
    std::int32_t scale_ = 0;
    std::string timezone_;
    std::shared_ptr<const std::vector<Field>> children_;
};

struct Field {
    std::string name;
    DataType type;
    bool nullable = true;

    friend bool operator==(const Field& a, const Field& b) = default;
};

/// The fields of one stream's records, in order.
class Schema {
public:
    Schema() = default;

    explicit Schema(std::vector<Field> fields)
        : fields_(std::move(fields)) {}

    const std::vector<Field>& fields() const noexcept { return fields_; }

    std::size_t size() const noexcept { return fields_.size(); }

    const Field& field(std::size_t index) const { return fields_.at(index); }

    /// Case-insensitive ASCII match (legacy databases disagree on name case).
    std::optional<std::size_t> index_of(std::string_view name) const noexcept;

    /// Fills `out` (caller owns it, releases it once) with a "+s" ArrowSchema.
    void export_to(ArrowSchema* out) const;
    /// Reads a "+s" ArrowSchema without taking ownership of it.
    static Result<Schema> import_from(const ArrowSchema& schema);

    friend bool operator==(const Schema& a, const Schema& b) = default;

private:
    std::vector<Field> fields_;
};

} // namespace ferry
