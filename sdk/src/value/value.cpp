// SPDX-License-Identifier: Apache-2.0
// value.cpp — Value construction, checked access and display.
#include "ferry/value.h"

#include <utility>

#include "ferry/text.h"

namespace ferry {

const char* type_id_name(TypeId type) noexcept {
    switch (type) {
    case TypeId::Null:
        return "null";
    case TypeId::Bool:
        return "bool";
    case TypeId::Int64:
        return "int64";
    case TypeId::Decimal:
        return "decimal";
    case TypeId::Date:
        return "date";
    case TypeId::Timestamp:
        return "timestamp";
    case TypeId::Text:
        return "text";
    case TypeId::Bytes:
        return "bytes";
    }
    return "unknown";
}

Value Value::boolean(bool v) {
    return {TypeId::Bool, Storage(std::in_place_type<bool>, v)};
}

Value Value::int64(std::int64_t v) {
    return {TypeId::Int64, Storage(std::in_place_type<std::int64_t>, v)};
}

Value Value::decimal(Decimal v) {
    return {TypeId::Decimal, Storage(std::in_place_type<Decimal>, v)};
}

Value Value::date(Date v) {
    return {TypeId::Date, Storage(std::in_place_type<Date>, v)};
}

Value Value::timestamp(Timestamp v) {
    return {TypeId::Timestamp, Storage(std::in_place_type<Timestamp>, v)};
}

Result<Value> Value::text(std::string utf8) {
    FERRY_RETURN_IF_ERROR(validate_utf8(utf8));
    return Value(TypeId::Text, Storage(std::in_place_type<std::string>, std::move(utf8)));
}

Value Value::bytes(std::string raw) {
    return {TypeId::Bytes, Storage(std::in_place_type<std::string>, std::move(raw))};
}

void Value::expect(TypeId wanted) const {
    if (type_ != wanted) {
        throw BadResultAccess(Status::internal(std::string("value is ") + type_id_name(type_) +
                                               ", not " + type_id_name(wanted)));
    }
}

bool Value::as_bool() const {
    expect(TypeId::Bool);
    return std::get<bool>(storage_);
}

std::int64_t Value::as_int64() const {
    expect(TypeId::Int64);
    return std::get<std::int64_t>(storage_);
}

const Decimal& Value::as_decimal() const {
    expect(TypeId::Decimal);
    return std::get<Decimal>(storage_);
}

Date Value::as_date() const {
    expect(TypeId::Date);
    return std::get<Date>(storage_);
}

Timestamp Value::as_timestamp() const {
    expect(TypeId::Timestamp);
    return std::get<Timestamp>(storage_);
}

std::string_view Value::as_text() const {
    expect(TypeId::Text);
    return std::get<std::string>(storage_);
}

std::string_view Value::as_bytes() const {
    expect(TypeId::Bytes);
    return std::get<std::string>(storage_);
}

std::string Value::to_string() const {
    switch (type_) {
    case TypeId::Null:
        return "null";
    case TypeId::Bool:
        return std::get<bool>(storage_) ? "true" : "false";
    case TypeId::Int64:
        return std::to_string(std::get<std::int64_t>(storage_));
    case TypeId::Decimal:
        return std::get<Decimal>(storage_).to_string();
    case TypeId::Date:
        return std::get<Date>(storage_).to_string();
    case TypeId::Timestamp:
        return std::get<Timestamp>(storage_).to_string();
    case TypeId::Text:
        return std::get<std::string>(storage_);
    case TypeId::Bytes: {
        const std::string& raw = std::get<std::string>(storage_);
        return to_hex(raw, raw.size()); // display all of it; callers cut long values themselves
    }
    }
    return "unknown";
}

bool operator==(const Value& a, const Value& b) {
    // Same type implies the same variant alternative, whose == is numeric for Decimal.
    return a.type_ == b.type_ && a.storage_ == b.storage_;
}

} // namespace ferry
