// SPDX-License-Identifier: Apache-2.0
// value_test.cpp — Value: construction per type, checked access, display and equality.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "ferry/value.h"

namespace {

using ferry::Date;
using ferry::Decimal;
using ferry::Timestamp;
using ferry::TypeId;
using ferry::Value;

using namespace std::string_literals;

Decimal dec(std::string_view text) {
    return Decimal::parse(text).value();
}

Value text(std::string utf8) {
    return Value::text(std::move(utf8)).value();
}

/// The message of the BadResultAccess thrown by `access`, or "no throw".
template <typename Access>
std::string access_error(Access&& access) {
    try {
        access();
    } catch (const ferry::BadResultAccess& error) {
        CHECK(error.status().code() == ferry::StatusCode::Internal);
        return error.status().message();
    }
    return "no throw";
}

} // namespace

TEST_CASE("Type ids have stable names", "[value]") {
    CHECK(std::string(ferry::type_id_name(TypeId::Null)) == "null");
    CHECK(std::string(ferry::type_id_name(TypeId::Bool)) == "bool");
    CHECK(std::string(ferry::type_id_name(TypeId::Int64)) == "int64");
    CHECK(std::string(ferry::type_id_name(TypeId::Decimal)) == "decimal");
    CHECK(std::string(ferry::type_id_name(TypeId::Date)) == "date");
    CHECK(std::string(ferry::type_id_name(TypeId::Timestamp)) == "timestamp");
    CHECK(std::string(ferry::type_id_name(TypeId::Text)) == "text");
    CHECK(std::string(ferry::type_id_name(TypeId::Bytes)) == "bytes");
}

TEST_CASE("Each factory makes a Value of its type", "[value]") {
    const Value null_value;
    CHECK(null_value.type() == TypeId::Null);
    CHECK(null_value.is_null());
    CHECK(null_value.to_string() == "null");
    CHECK(Value::null().is_null());

    const Value flag = Value::boolean(true);
    CHECK(flag.type() == TypeId::Bool);
    CHECK_FALSE(flag.is_null());
    CHECK(flag.as_bool());
    CHECK(flag.to_string() == "true");
    CHECK(Value::boolean(false).to_string() == "false");

    const Value count = Value::int64(-42);
    CHECK(count.type() == TypeId::Int64);
    CHECK(count.as_int64() == -42);
    CHECK(count.to_string() == "-42");

    const Value amount = Value::decimal(dec("4129.90"));
    CHECK(amount.type() == TypeId::Decimal);
    CHECK(amount.as_decimal().scale() == 2);
    CHECK(amount.to_string() == "4129.90");

    const Value day = Value::date(Date::from_ymd(1969, 7, 20).value());
    CHECK(day.type() == TypeId::Date);
    CHECK(day.as_date().days_since_epoch() == -165);
    CHECK(day.to_string() == "1969-07-20");

    const Value instant = Value::timestamp(Timestamp::from_micros(1710510330123456));
    CHECK(instant.type() == TypeId::Timestamp);
    CHECK(instant.as_timestamp().micros_since_epoch() == 1710510330123456);
    CHECK(instant.to_string() == "2024-03-15T13:45:30.123456");

    const Value name = text("\xe4\xb8\xad\xe6\x96\x87");
    CHECK(name.type() == TypeId::Text);
    CHECK(name.as_text() == "\xe4\xb8\xad\xe6\x96\x87");
    CHECK(name.to_string() == "\xe4\xb8\xad\xe6\x96\x87");

    // Bytes hold anything, including GBK that is not UTF-8, and display as hex.
    const Value raw = Value::bytes("\xd6\xd0\x00\xff"s);
    CHECK(raw.type() == TypeId::Bytes);
    CHECK(raw.as_bytes().size() == 4);
    CHECK(raw.as_bytes() == "\xd6\xd0\x00\xff"s);
    CHECK(raw.to_string() == "d6 d0 00 ff");
    CHECK(Value::bytes("").to_string() == "");
    CHECK(Value::bytes(std::string(100, 'a')).to_string().size() == 299); // never truncated
}

TEST_CASE("Value::text accepts only valid UTF-8", "[value]") {
    const auto gbk = Value::text("\xd6\xd0\xce\xc4"); // 中文 in GBK
    REQUIRE_FALSE(gbk.ok());
    CHECK(gbk.status().code() == ferry::StatusCode::Data);
    CHECK(gbk.status().message() == "invalid UTF-8 at byte 0: d6 d0 (bad continuation byte)");
    CHECK_FALSE(Value::text("\xed\xa0\x80").ok());
    CHECK(Value::text("").ok());
    CHECK(Value::text("plain ascii").value().as_text() == "plain ascii");
}

TEST_CASE("Accessing the wrong type throws BadResultAccess", "[value]") {
    const Value name = text("abc");
    CHECK_THROWS_AS(name.as_int64(), ferry::BadResultAccess);
    CHECK(access_error([&] { (void)name.as_int64(); }) == "value is text, not int64");
    CHECK(access_error([&] { (void)name.as_bytes(); }) == "value is text, not bytes");
    CHECK(access_error([] { (void)Value().as_bool(); }) == "value is null, not bool");
    CHECK(access_error([] { (void)Value::int64(1).as_decimal(); }) ==
          "value is int64, not decimal");
    CHECK(access_error([] { (void)Value::bytes("x").as_text(); }) == "value is bytes, not text");
    CHECK(access_error([] { (void)Value::boolean(true).as_date(); }) == "value is bool, not date");
    CHECK(access_error([] { (void)Value::date(Date()).as_timestamp(); }) ==
          "value is date, not timestamp");
    CHECK(access_error([] { (void)Value::timestamp(Timestamp()).as_int64(); }) ==
          "value is timestamp, not int64");
    CHECK(access_error([] { (void)Value::int64(7).as_int64(); }) == "no throw");
}

TEST_CASE("Values are equal when type and value match", "[value]") {
    CHECK(Value() == Value::null());
    CHECK(Value::int64(42) == Value::int64(42));
    CHECK_FALSE(Value::int64(42) == Value::int64(43));
    CHECK_FALSE(Value::int64(42) == Value::decimal(Decimal::from_int64(42)));
    CHECK(Value::decimal(dec("1.0")) == Value::decimal(dec("1.00")));
    CHECK_FALSE(text("ab") == Value::bytes("ab"));
    CHECK(text("ab") == text("ab"));
    CHECK_FALSE(Value::boolean(false) == Value());
    CHECK(Value::date(Date::from_days(-1)) == Value::date(Date::from_ymd(1969, 12, 31).value()));
    CHECK(Value::timestamp(Timestamp::from_micros(-1)) ==
          Value::timestamp(Timestamp::parse_iso("1969-12-31T23:59:59.999999").value()));
}

TEST_CASE("Values copy and move like ordinary values", "[value]") {
    std::vector<Value> row = {Value::int64(1), text("\xe4\xb8\xad"), Value(),
                              Value::decimal(dec("-0.05")), Value::bytes("\x01")};
    const std::vector<Value> copy = row;
    CHECK(copy == row);
    Value moved = std::move(row[1]);
    CHECK(moved.as_text() == "\xe4\xb8\xad");
    row[1] = moved;
    CHECK(row == copy);
    row[0] = Value::boolean(true);
    CHECK(row[0].type() == TypeId::Bool);
    CHECK_FALSE(row == copy);
}
