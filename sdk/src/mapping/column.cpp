// SPDX-License-Identifier: Apache-2.0
// column.cpp — in-flight columns: typed appends, bulk copies from batches.
#include "ferry/column.h"

#include <cstring>
#include <stdexcept>

namespace ferry {

namespace {

bool uses_bytes(TypeKind kind) noexcept {
    return kind == TypeKind::Utf8 || kind == TypeKind::Binary;
}

} // namespace

Column::Column(DataType type)
    : type_(std::move(type)) {
    if (type_.kind() == TypeKind::Struct) {
        throw BadResultAccess(Status::internal("a Column cannot hold a struct"));
    }
}

Column Column::from_view(const ColumnView& view) {
    Column column(view.type());
    const std::int64_t rows = view.length();
    const TypeKind kind = column.type_.kind();
    column.valid_.resize(static_cast<std::size_t>(rows));
    for (std::int64_t row = 0; row < rows; ++row) {
        column.valid_[static_cast<std::size_t>(row)] = view.is_null(row) ? 0 : 1;
    }
    if (uses_bytes(kind)) {
        const ArrowArray& raw = view.raw();
        const auto* offsets = static_cast<const std::int32_t*>(raw.buffers[1]);
        const auto first = static_cast<std::uint32_t>(offsets[0]);
        const auto last = static_cast<std::uint32_t>(offsets[rows]);
        column.bytes_.assign(static_cast<const char*>(raw.buffers[2]) + first, last - first);
        column.offsets_.resize(static_cast<std::size_t>(rows) + 1);
        for (std::int64_t row = 0; row <= rows; ++row) {
            column.offsets_[static_cast<std::size_t>(row)] =
                static_cast<std::uint32_t>(offsets[row]) - first;
        }
        return column;
    }
    if (kind == TypeKind::Decimal128) {
        column.decimals_.reserve(static_cast<std::size_t>(rows));
        for (std::int64_t row = 0; row < rows; ++row) {
            column.decimals_.push_back(view.is_null(row) ? Decimal() : view.decimal(row));
        }
        return column;
    }
    column.ints_.reserve(static_cast<std::size_t>(rows));
    for (std::int64_t row = 0; row < rows; ++row) {
        std::int64_t v = 0;
        switch (kind) {
        case TypeKind::Bool:
            v = view.boolean(row) ? 1 : 0;
            break;
        case TypeKind::Int64:
            v = view.int64(row);
            break;
        case TypeKind::Date32:
            v = view.date(row).days_since_epoch();
            break;
        default:
            v = view.timestamp(row).micros_since_epoch();
            break;
        }
        column.ints_.push_back(v);
    }
    return column;
}

void Column::reserve(std::int64_t rows, std::size_t bytes) {
    const auto n = static_cast<std::size_t>(rows);
    valid_.reserve(n);
    const TypeKind kind = type_.kind();
    if (uses_bytes(kind)) {
        offsets_.reserve(n + 1);
        bytes_.reserve(bytes);
    } else if (kind == TypeKind::Decimal128) {
        decimals_.reserve(n);
    } else {
        ints_.reserve(n);
    }
}

void Column::append_null() {
    valid_.push_back(0);
    const TypeKind kind = type_.kind();
    if (uses_bytes(kind)) {
        offsets_.push_back(static_cast<std::uint32_t>(bytes_.size()));
    } else if (kind == TypeKind::Decimal128) {
        decimals_.emplace_back();
    } else {
        ints_.push_back(0);
    }
}

void Column::append_bool(bool value) {
    valid_.push_back(1);
    ints_.push_back(value ? 1 : 0);
}

void Column::append_int64(std::int64_t value) {
    valid_.push_back(1);
    ints_.push_back(value);
}

void Column::append_decimal(const Decimal& value) {
    valid_.push_back(1);
    decimals_.push_back(value);
}

void Column::append_date(Date value) {
    valid_.push_back(1);
    ints_.push_back(value.days_since_epoch());
}

void Column::append_timestamp(Timestamp value) {
    valid_.push_back(1);
    ints_.push_back(value.micros_since_epoch());
}

void Column::append_text(std::string_view utf8) {
    bytes_.append(utf8);
    close_cell();
}

void Column::close_cell() {
    valid_.push_back(1);
    offsets_.push_back(static_cast<std::uint32_t>(bytes_.size()));
}

Value Column::value(std::int64_t row) const {
    if (is_null(row)) {
        return Value::null();
    }
    switch (type_.kind()) {
    case TypeKind::Bool:
        return Value::boolean(boolean(row));
    case TypeKind::Int64:
        return Value::int64(int64(row));
    case TypeKind::Decimal128:
        return Value::decimal(decimal(row));
    case TypeKind::Date32:
        return Value::date(date(row));
    case TypeKind::TimestampMicros:
        return Value::timestamp(timestamp(row));
    case TypeKind::Utf8:
        return Value::text(std::string(text(row))).value();
    case TypeKind::Binary:
        return Value::bytes(std::string(text(row)));
    case TypeKind::Struct:
        break;
    }
    return Value::null();
}

Status Column::append_value(const Value& value) {
    if (value.is_null()) {
        append_null();
        return {};
    }
    if (value.type() != type_.value_type()) {
        return Status::invalid_argument(std::string("a ") + type_id_name(value.type()) +
                                        " value does not fit a " + type_.to_string() + " column");
    }
    switch (value.type()) {
    case TypeId::Bool:
        append_bool(value.as_bool());
        break;
    case TypeId::Int64:
        append_int64(value.as_int64());
        break;
    case TypeId::Decimal:
        append_decimal(value.as_decimal());
        break;
    case TypeId::Date:
        append_date(value.as_date());
        break;
    case TypeId::Timestamp:
        append_timestamp(value.as_timestamp());
        break;
    case TypeId::Text:
        append_text(value.as_text());
        break;
    case TypeId::Bytes:
        append_bytes(value.as_bytes());
        break;
    case TypeId::Null:
        break;
    }
    return {};
}

void Column::append_from(const Column& other, std::int64_t row) {
    if (other.is_null(row)) {
        append_null();
        return;
    }
    const TypeKind kind = type_.kind();
    if (uses_bytes(kind)) {
        append_text(other.text(row));
    } else if (kind == TypeKind::Decimal128) {
        append_decimal(other.decimal(row));
    } else {
        valid_.push_back(1);
        ints_.push_back(other.ints_[static_cast<std::size_t>(row)]);
    }
}

} // namespace ferry
