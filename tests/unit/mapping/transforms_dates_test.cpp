// SPDX-License-Identifier: Apache-2.0
// transforms_dates_test.cpp — date, datetime, period and format_date.
#include <chrono>
#include <cstdio>

#include <catch2/catch.hpp>

#include "ferry/date.h"
#include "ferry/decimal.h"
#include "ferry/transform.h"

#include "transform_test_support.h"

using namespace ferry;
using ferry::testing::run_text;
using ferry::testing::run_transform;
using ferry::testing::text_column;
using ferry::testing::value_column;
using nlohmann::json;

namespace {

Value day(const char* iso) {
    return Value::date(Date::parse_iso(iso).value());
}

Value instant(const char* iso) {
    return Value::timestamp(Timestamp::parse_iso(iso).value());
}

Value text(const char* utf8) {
    return Value::text(utf8).value();
}

Value dec(const char* digits) {
    return Value::decimal(Decimal::parse(digits).value());
}

DataType decimal_type(std::int32_t precision, std::int32_t scale) {
    return DataType::decimal128(precision, scale).value();
}

} // namespace

TEST_CASE("date reads compact and separated text layouts", "[transform][dates]") {
    auto run = run_text("date", {{"format", "yyyyMMdd"}},
                        {"20230105", "  19900228 ", std::nullopt, "20000229"});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::date32());
    CHECK(run.out == std::vector<Value>{day("2023-01-05"), day("1990-02-28"), Value::null(),
                                        day("2000-02-29")});
    CHECK(run.rejects.empty());

    run = run_text("date", {{"format", "yyyy-MM-dd"}}, {"2023-01-05"});
    CHECK(run.out == std::vector<Value>{day("2023-01-05")});

    run = run_text("date", {{"format", "yyyy年M月d日"}},
                   {"2023年1月5日", "2023年12月25日", "2023年01月05日"});
    CHECK(run.out == std::vector<Value>{day("2023-01-05"), day("2023-12-25"), day("2023-01-05")});
    CHECK(run.rejects.empty());

    run = run_text("date", {{"format", "dd-MMM-yy"}}, {"05-JAN-23", "28-feb-90", "01-Dec-49"});
    CHECK(run.out == std::vector<Value>{day("2023-01-05"), day("1990-02-28"), day("2049-12-01")});
}

TEST_CASE("date places two-digit years in the pivot window", "[transform][dates]") {
    auto run = run_text("date", {{"format", "yyMMdd"}}, {"230105", "500101", "491231", "991231"});
    CHECK(run.out == std::vector<Value>{day("2023-01-05"), day("1950-01-01"), day("2049-12-31"),
                                        day("1999-12-31")});
    run = run_text("date", {{"format", "yyMMdd"}, {"pivot_year", 1930}}, {"290101", "300101"});
    CHECK(run.out == std::vector<Value>{day("2029-01-01"), day("1930-01-01")});
}

TEST_CASE("date rejects dirty values without quoting them", "[transform][dates]") {
    const auto run = run_text(
        "date", {{"format", "yyyyMMdd"}},
        {"20231305", "19900230", "2023010", "202301055", "2023-1-5", "20230100", "", "00000101"});
    REQUIRE(run.status.ok());
    CHECK(run.out == std::vector<Value>(8, Value::null()));
    REQUIRE(run.rejects.size() == 7);
    CHECK(run.rejects.at(0) == "date: month is outside 01..12");
    CHECK(run.rejects.at(1) == "date: day is outside the month");
    CHECK(run.rejects.at(2) == "date: does not match yyyyMMdd: ends after 7 characters, expected "
                               "a digit (dd)");
    CHECK(run.rejects.at(3) ==
          "date: does not match yyyyMMdd: unexpected characters from character 9");
    CHECK(run.rejects.at(4) ==
          "date: does not match yyyyMMdd: expected a digit (MM) at character 5");
    CHECK(run.rejects.at(5) == "date: day is 00");
    CHECK(run.rejects.count(6) == 0); // blank is null, as for numbers
    CHECK(run.rejects.at(7) == "date: year is outside 0001..9999");

    // Positions count characters, not bytes.
    const auto chinese = run_text("date", {{"format", "yyyy年M月d日"}}, {"2023年1月5号"});
    CHECK(chinese.rejects.at(0) ==
          "date: does not match yyyy年M月d日: expected '日' at character 9");
    const auto month = run_text("date", {{"format", "dd-MMM-yy"}}, {"05-JXN-23"});
    CHECK_THAT(month.rejects.at(0), Catch::Contains("month abbreviation"));
    CHECK_THAT(month.rejects.at(0), !Catch::Contains("JXN"));
}

TEST_CASE("date turns sentinels into nulls and checks min and max", "[transform][dates]") {
    auto run =
        run_text("date", {{"format", "yyyyMMdd"}, {"null_values", {"00000000", "99991231", ""}}},
                 {"00000000", "99991231", "  ", "20230105"});
    CHECK(run.out ==
          std::vector<Value>{Value::null(), Value::null(), Value::null(), day("2023-01-05")});
    CHECK(run.rejects.empty());

    run = run_text("date", {{"format", "yyyyMMdd"}, {"min", "1900-01-01"}, {"max", "2099-12-31"}},
                   {"18991231", "19000101", "21000101"});
    CHECK(run.out == std::vector<Value>{Value::null(), day("1900-01-01"), Value::null()});
    CHECK(run.rejects.at(0) == "date: is before the minimum 1900-01-01");
    CHECK(run.rejects.at(2) == "date: is after the maximum 2099-12-31");
}

TEST_CASE("date reads numbers, padding the zeros NUMBER columns drop", "[transform][dates]") {
    auto run = run_transform(
        "date", {{"format", "yyyyMMdd"}},
        {value_column(DataType::int64(), {Value::int64(20230105), Value::int64(-20230105),
                                          Value::int64(20231301), Value::null()})});
    REQUIRE(run.status.ok());
    CHECK(run.out ==
          std::vector<Value>{day("2023-01-05"), Value::null(), Value::null(), Value::null()});
    CHECK(run.rejects.at(1) == "date: is negative");
    CHECK(run.rejects.at(2) == "date: month is outside 01..12");

    run = run_transform("date", {{"format", "yyMMdd"}},
                        {value_column(DataType::int64(), {Value::int64(50105)})});
    CHECK(run.out == std::vector<Value>{day("2005-01-05")});

    run = run_transform("date", {{"format", "yyyyMMdd"}, {"null_values", {"0"}}},
                        {value_column(decimal_type(8, 0), {dec("20230105"), dec("0")})});
    CHECK(run.out == std::vector<Value>{day("2023-01-05"), Value::null()});
    CHECK(run.rejects.empty());

    // 00000000 matches the padded form too.
    run = run_transform("date", {{"format", "yyyyMMdd"}, {"null_values", {"00000000"}}},
                        {value_column(DataType::int64(), {Value::int64(0)})});
    CHECK(run.out == std::vector<Value>{Value::null()});
    CHECK(run.rejects.empty());
}

TEST_CASE("date takes the day of dates and timestamps", "[transform][dates]") {
    auto run = run_transform("date", json::object(),
                             {value_column(DataType::timestamp_micros(),
                                           {instant("2023-01-05T23:59:59"),
                                            instant("1969-12-31T12:00:00"), Value::null()})});
    REQUIRE(run.status.ok());
    CHECK(run.out == std::vector<Value>{day("2023-01-05"), day("1969-12-31"), Value::null()});
    run = run_transform("date", {{"max", "2000-01-01"}},
                        {value_column(DataType::date32(), {day("1999-01-01"), day("2001-01-01")})});
    CHECK(run.out == std::vector<Value>{day("1999-01-01"), Value::null()});
    CHECK(run.rejects.size() == 1);
}

TEST_CASE("date refuses bad arguments and input types", "[transform][dates]") {
    const auto field_of = [](const json& args) {
        return run_text("date", args, {"20230105"}).status.field();
    };
    CHECK(field_of(json::object()) == "/format"); // text needs a format
    CHECK(field_of({{"format", ""}}) == "/format");
    CHECK(field_of({{"format", "yyyyMMddHHmm"}}) == "/format"); // time fields
    CHECK(field_of({{"format", "yyyMMdd"}}) == "/format");
    CHECK(field_of({{"format", "yyyyMM"}}) == "/format"); // no day
    CHECK(field_of({{"format", "yyyyMMddyy"}}) == "/format");
    CHECK(field_of({{"format", "yyyyMMdd"}, {"min", "2023-13-01"}}) == "/min");
    CHECK(field_of({{"format", "yyyyMMdd"}, {"min", "2023-01-01"}, {"max", "2022-01-01"}}) ==
          "/max");
    CHECK(field_of({{"format", "yyyyMMdd"}, {"pivot_year", "1950"}}) == "/pivot_year");
    CHECK(field_of({{"format", "yyyyMMdd"}, {"nope", 1}}) != "");

    const auto bad_type = run_transform("date", {{"format", "yyyyMMdd"}},
                                        {value_column(DataType::boolean(), {Value::null()})});
    CHECK(bad_type.status.code() == StatusCode::InvalidArgument);
    CHECK(bad_type.status.field().empty());
    const auto fractional = run_transform("date", {{"format", "yyyyMMdd"}},
                                          {value_column(decimal_type(10, 2), {Value::null()})});
    CHECK_THAT(fractional.status.message(), Catch::Contains("decimal(10,2)"));
    CHECK(fractional.status.field().empty());
}

TEST_CASE("datetime reads the legacy 19-character form and others", "[transform][dates]") {
    auto run = run_text("datetime", json::object(),
                        {"2023-01-05 10:20:30", "2023-01-05 24:00:00", "2023-01-05T10:20:30",
                         std::nullopt, "2023-01-05 10:60:00", "2023-01-05 10:20:61"});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::timestamp_micros());
    CHECK(run.out[0] == instant("2023-01-05T10:20:30"));
    CHECK(run.out[3].is_null());
    CHECK(run.rejects.at(1) == "datetime: hour is outside 00..23");
    CHECK(run.rejects.at(2) == "datetime: does not match yyyy-MM-dd HH:mm:ss: expected ' ' at "
                               "character 11");
    CHECK(run.rejects.at(4) == "datetime: minute is outside 00..59");
    CHECK(run.rejects.at(5) == "datetime: second is outside 00..59");

    run = run_text("datetime", {{"format", "yyyyMMddHHmmssSSS"}}, {"20230105102030123"});
    CHECK(run.out == std::vector<Value>{instant("2023-01-05T10:20:30.123")});
    run = run_text("datetime", {{"format", "yyyy-MM-ddTHH:mm:ss.SSSSSS"}},
                   {"2023-01-05T10:20:30.000001"});
    CHECK(run.out == std::vector<Value>{instant("2023-01-05T10:20:30.000001")});
    run = run_text("datetime", {{"format", "yyyy/M/d"}}, {"2023/1/5"});
    CHECK(run.out == std::vector<Value>{instant("2023-01-05T00:00:00")});

    run = run_transform("datetime", {{"format", "yyyyMMddHHmmss"}},
                        {value_column(DataType::int64(), {Value::int64(20230105102030)})});
    CHECK(run.out == std::vector<Value>{instant("2023-01-05T10:20:30")});
    run = run_transform("datetime", json::object(),
                        {value_column(DataType::date32(), {day("2023-01-05")})});
    CHECK(run.out == std::vector<Value>{instant("2023-01-05T00:00:00")});
    run = run_text("datetime", {{"null_values", {"0000-00-00 00:00:00"}}}, {"0000-00-00 00:00:00"});
    CHECK(run.out == std::vector<Value>{Value::null()});
    CHECK(run.rejects.empty());
}

TEST_CASE("datetime refuses bad formats", "[transform][dates]") {
    const auto field_of = [](const json& args) {
        return run_text("datetime", args, {"x"}).status.field();
    };
    CHECK(field_of({{"format", "yyyy-MM-dd mm:ss"}}) == "/format"); // mm without HH
    CHECK(field_of({{"format", "yyyy-MM-dd HH:mm:ss.SSSSSSS"}}) == "/format");
    CHECK(field_of({{"format", "yyyy-MM-dd H:mm"}}) == "/format");
    CHECK(field_of({{"min", "2023-01-01"}}) != "/format"); // datetime has no min
    CHECK(run_transform("datetime", json::object(),
                        {value_column(DataType::boolean(), {Value::null()})})
              .status.field()
              .empty());
}

TEST_CASE("period turns yyyymm into ISO year-month", "[transform][dates]") {
    auto run =
        run_text("period", json::object(), {"201802", " 201812 ", "201813", "201800", "2018"});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::utf8());
    CHECK(run.out[0] == text("2018-02"));
    CHECK(run.out[1] == text("2018-12"));
    CHECK(run.rejects.at(2) == "period: month is outside 01..12");
    CHECK(run.rejects.at(3) == "period: month is outside 01..12");
    CHECK_THAT(run.rejects.at(4), Catch::StartsWith("period: does not match yyyyMM"));

    run = run_text("period", {{"format", "yyyy年M月"}}, {"2018年2月"});
    CHECK(run.out == std::vector<Value>{text("2018-02")});
    run = run_text("period", {{"format", "yyyy-MM"}}, {"2018-02"});
    CHECK(run.out == std::vector<Value>{text("2018-02")});
    run = run_text("period", {{"format", "yyMM"}}, {"1802", "9912"});
    CHECK(run.out == std::vector<Value>{text("2018-02"), text("1999-12")});

    run = run_transform("period", json::object(),
                        {value_column(DataType::int64(), {Value::int64(201802)})});
    CHECK(run.out == std::vector<Value>{text("2018-02")});
    run = run_transform("period", json::object(),
                        {value_column(decimal_type(6, 0), {dec("201803"), Value::null()})});
    CHECK(run.out == std::vector<Value>{text("2018-03"), Value::null()});

    run = run_text("period", {{"min", "2000-01"}, {"max", "2018-12"}},
                   {"199912", "200001", "201901"});
    CHECK(run.out == std::vector<Value>{Value::null(), text("2000-01"), Value::null()});
    CHECK(run.rejects.at(0) == "period: is before the minimum 2000-01");
    CHECK(run.rejects.at(2) == "period: is after the maximum 2018-12");

    run = run_text("period", {{"null_values", {"000000"}}}, {"000000"});
    CHECK(run.out == std::vector<Value>{Value::null()});
    CHECK(run.rejects.empty());
}

TEST_CASE("period refuses bad arguments and input types", "[transform][dates]") {
    const auto field_of = [](const json& args) {
        return run_text("period", args, {"201802"}).status.field();
    };
    CHECK(field_of({{"format", "yyyyMMdd"}}) == "/format");
    CHECK(field_of({{"min", "2018-2"}}) == "/min");
    CHECK(field_of({{"max", "2018-13"}}) == "/max");
    CHECK(field_of({{"min", "2019-01"}, {"max", "2018-01"}}) == "/max");
    const auto bad_type = run_transform("period", json::object(),
                                        {value_column(DataType::date32(), {Value::null()})});
    CHECK(bad_type.status.code() == StatusCode::InvalidArgument);
    CHECK(bad_type.status.field().empty());
}

TEST_CASE("format_date writes legacy layouts", "[transform][dates]") {
    const Column dates =
        value_column(DataType::date32(), {day("2023-01-05"), Value::null(), day("1999-12-31")});
    auto run = run_transform("format_date", {{"format", "yyyyMMdd"}}, {dates});
    REQUIRE(run.status.ok());
    CHECK(run.out == std::vector<Value>{text("20230105"), Value::null(), text("19991231")});
    run = run_transform("format_date", {{"format", "yyyy年M月d日"}}, {dates});
    CHECK(run.out[0] == text("2023年1月5日"));
    run = run_transform("format_date", {{"format", "dd-MMM-yy"}}, {dates});
    CHECK(run.out[2] == text("31-DEC-99"));

    const Column stamps =
        value_column(DataType::timestamp_micros(), {instant("2023-01-05T08:09:10.123456")});
    run = run_transform("format_date", {{"format", "yyyy-MM-dd HH:mm:ss.SSS"}}, {stamps});
    CHECK(run.out == std::vector<Value>{text("2023-01-05 08:09:10.123")});

    const Column far = value_column(DataType::date32(), {Value::date(Date::from_days(3'000'000))});
    run = run_transform("format_date", {{"format", "yyyyMMdd"}}, {far});
    CHECK(run.rejects.at(0) == "format_date: year is outside 0001..9999");
}

TEST_CASE("format_date refuses bad arguments and input types", "[transform][dates]") {
    const Column dates = value_column(DataType::date32(), {day("2023-01-05")});
    CHECK(run_transform("format_date", json::object(), {dates}).status.code() ==
          StatusCode::InvalidArgument); // the schema requires format
    CHECK(run_transform("format_date", {{"format", "yyyy-MM-dd HH"}}, {dates}).status.field() ==
          "/format");
    CHECK(run_transform("format_date", {{"format", "yyyyy"}}, {dates}).status.field() == "/format");
    const auto bad_type = run_text("format_date", {{"format", "yyyyMMdd"}}, {"20230105"});
    CHECK(bad_type.status.code() == StatusCode::InvalidArgument);
    CHECK(bad_type.status.field().empty());
}

TEST_CASE("date and format_date agree with Date across the calendar", "[transform][dates]") {
    std::vector<std::optional<std::string>> cells;
    std::vector<Value> days;
    const std::int32_t first = Date::parse_iso("0001-01-01").value().days_since_epoch();
    const std::int32_t last = Date::parse_iso("9999-12-31").value().days_since_epoch();
    for (std::int32_t n = first; n <= last; n += 997) {
        cells.emplace_back(Date::from_days(n).to_string());
        days.push_back(Value::date(Date::from_days(n)));
    }
    cells.emplace_back("9999-12-31");
    days.push_back(day("9999-12-31"));
    const auto parsed = run_text("date", {{"format", "yyyy-MM-dd"}}, cells);
    CHECK(parsed.out == days);
    const auto formatted = run_transform("format_date", {{"format", "yyyy-MM-dd"}},
                                         {value_column(DataType::date32(), days)});
    std::vector<Value> texts;
    for (const auto& cell : cells) {
        texts.push_back(text(cell->c_str()));
    }
    CHECK(formatted.out == texts);
}

TEST_CASE("date reads yyyyMMdd text fast", "[.][dates_perf]") {
    // Batches of 64k cells, as the engine runs them; prints cells per second.
    std::vector<std::optional<std::string>> cells;
    for (int i = 0; i < 65'536; ++i) {
        cells.emplace_back(std::to_string(19500101 + (i % 28) + 100 * (i % 12) + 10000 * (i % 70)));
    }
    const Column in = text_column(cells);
    const TransformRegistry registry = TransformRegistry::with_builtins();
    const json args = {{"format", "yyyyMMdd"}};
    const std::vector<DataType> types{DataType::utf8()};
    const TransformSetup setup{args, types, {}, {}, {}, {}};
    Result<BoundTransform> bound = registry.create("date", setup);
    REQUIRE(bound.ok());
    const Column* inputs[] = {&in};
    constexpr int kBatches = 64;
    const auto start = std::chrono::steady_clock::now();
    for (int batch = 0; batch < kBatches; ++batch) {
        Column out(DataType::date32());
        RowErrors errors(in.size());
        bound->transform->apply(inputs, out, errors);
        REQUIRE(errors.count() == 0);
    }
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    std::printf("date yyyyMMdd: %.1f M cells/s\n",
                static_cast<double>(kBatches) * 65'536 / seconds.count() / 1e6);
}
