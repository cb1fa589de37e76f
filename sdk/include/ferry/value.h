// SPDX-License-Identifier: Apache-2.0
// ferry/value.h — Value: one scalar of Ferry's value model (null, bool, int64, decimal, date, …).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "ferry/date.h"
#include "ferry/decimal.h"
#include "ferry/result.h"

namespace ferry {

/// The scalar types a cell can hold.
enum class TypeId { Null, Bool, Int64, Decimal, Date, Timestamp, Text, Bytes };

/// "null", "bool", "int64", "decimal", "date", "timestamp", "text", "bytes".
const char* type_id_name(TypeId type) noexcept;

/// One scalar. Text is always valid UTF-8 (checked by Value::text); Bytes are arbitrary.
/// Copyable and movable; a default-constructed Value is null.
class Value {
public:
    /// Null.
    Value() = default;

    static Value null() { return {}; }

    static Value boolean(bool v);
    static Value int64(std::int64_t v);
    static Value decimal(Decimal v);
    static Value date(Date v);
    static Value timestamp(Timestamp v);
    /// Data error (see validate_utf8) when `utf8` is not valid UTF-8.
    static Result<Value> text(std::string utf8);
    static Value bytes(std::string raw);

    TypeId type() const noexcept { return type_; }

    bool is_null() const noexcept { return type_ == TypeId::Null; }

    // The accessors below throw BadResultAccess carrying Status::internal("value is text, not
    // int64") when the Value holds another type: asking for the wrong type is a programmer error.
    bool as_bool() const;
    std::int64_t as_int64() const;
    const Decimal& as_decimal() const;
    Date as_date() const;
    Timestamp as_timestamp() const;
    /// Valid UTF-8; the view lives as long as this Value is neither modified nor destroyed.
    std::string_view as_text() const;
    /// The view lives as long as this Value is neither modified nor destroyed.
    std::string_view as_bytes() const;

    /// Display form: "null", "true"/"false", "42", the decimal text ("4129.90"), ISO date or
    /// timestamp, the text itself, space-separated hex for bytes ("de ad").
    std::string to_string() const;

    /// Same type and same value. Decimals compare numerically (1.0 == 1.00) and null equals null
    /// (this is value identity, not SQL's three-valued logic); int64 42 != decimal 42.
    friend bool operator==(const Value& a, const Value& b);

private:
    using Storage =
        std::variant<std::monostate, bool, std::int64_t, Decimal, Date, Timestamp, std::string>;

    Value(TypeId type, Storage storage)
        : type_(type)
        , storage_(std::move(storage)) {}

    void expect(TypeId wanted) const;

    TypeId type_ = TypeId::Null;
    Storage storage_; // Text and Bytes share the std::string alternative; type_ tells them apart
};

} // namespace ferry
