// SPDX-License-Identifier: Apache-2.0
// transforms_numbers_test.cpp — the numbers family: decimal, round, integer, boolean, multiply.
#include <random>

#include <catch2/catch.hpp>

#include "ferry/transform.h"

#include "transform_test_support.h"

using namespace ferry;
using ferry::testing::run_text;
using ferry::testing::run_transform;
using ferry::testing::value_column;
using json = nlohmann::json;

namespace {

using Cells = std::vector<std::optional<std::string>>;
using Strings = std::vector<std::string>;
using Rejects = std::map<std::int64_t, std::string>;

std::vector<std::string> texts(const testing::TransformRun& run) {
    std::vector<std::string> out;
    for (const Value& value : run.out) {
        out.push_back(value.is_null() ? "<null>" : value.to_string());
    }
    return out;
}

testing::TransformRun ok_text(const std::string& op, const json& args, const Cells& cells) {
    testing::TransformRun run = run_text(op, args, cells);
    INFO(run.status.to_string());
    REQUIRE(run.status.ok());
    return run;
}

Value dec(const char* text) {
    return Value::decimal(Decimal::parse(text).value());
}

Column decimals(std::int32_t precision, std::int32_t scale, std::vector<Value> cells) {
    return value_column(DataType::decimal128(precision, scale).value(), cells);
}

Column ints(std::vector<Value> cells) {
    return value_column(DataType::int64(), cells);
}

const json kMoney = {{"precision", 14}, {"scale", 2}};

json money_with(const char* key, const json& value) {
    json args = kMoney;
    args[key] = value;
    return args;
}

} // namespace

TEST_CASE("decimal parses legacy amount text exactly", "[transform][numbers]") {
    auto run = ok_text("decimal", kMoney,
                       {"4129.90", " 4129.9 ", "123.45-", "-7", "+1", ".5", "5.", "0", "-0.00", "",
                        "   ", std::nullopt, "000000000001.10"});
    CHECK(run.output_type == DataType::decimal128(14, 2).value());
    CHECK(texts(run) == Strings{"4129.90", "4129.90", "-123.45", "-7.00", "1.00", "0.50", "5.00",
                                "0.00", "0.00", "<null>", "<null>", "<null>", "1.10"});
    CHECK(run.rejects.empty());
    // Each output keeps exactly the target scale.
    CHECK(run.out[1].as_decimal().scale() == 2);
    CHECK(run.out[1].as_decimal().unscaled() == 412990);
}

TEST_CASE("decimal reads implied decimals and trailing signs", "[transform][numbers]") {
    auto run = ok_text("decimal", money_with("implied_scale", 2),
                       {"000012345", "0001234-", "5", "000000000", "123.45"});
    CHECK(texts(run) == Strings{"123.45", "-12.34", "0.05", "0.00", "<null>"});
    CHECK(run.rejects == Rejects{{4, "decimal: has a decimal point, but implied_scale is 2"}});
    run = ok_text("decimal", {{"precision", 10}, {"scale", 4}, {"implied_scale", 2}}, {"12345"});
    CHECK(texts(run) == Strings{"123.4500"});
    run = ok_text("decimal", money_with("allow_trailing_sign", false), {"12-", "-12"});
    CHECK(texts(run) == Strings{"<null>", "-12.00"});
    CHECK(run.rejects == Rejects{{0, "decimal: character 3 is not a digit"}});
    run = ok_text("decimal", kMoney, {"-12-", "+", "-", "."});
    CHECK(run.rejects == Rejects{{0, "decimal: has a sign at both ends"},
                                 {1, "decimal: has no digits"},
                                 {2, "decimal: has no digits"},
                                 {3, "decimal: has no digits"}});
}

TEST_CASE("decimal checks thousands separators", "[transform][numbers]") {
    auto run = ok_text("decimal", money_with("thousands", ","),
                       {"1,234,567.89", "123", "1234.5", "-12,345", "1,23", "12,34,567", ",123",
                        "1234,567", "1,234.5,6", "1,,234", "1,234,"});
    CHECK(texts(run) == Strings{"1234567.89", "123.00", "1234.50", "-12345.00", "<null>", "<null>",
                                "<null>", "<null>", "<null>", "<null>", "<null>"});
    CHECK(run.rejects == Rejects{{4, "decimal: thousands separator at character 2 is misplaced"},
                                 {5, "decimal: thousands separator at character 6 is misplaced"},
                                 {6, "decimal: thousands separator at character 1 is misplaced"},
                                 {7, "decimal: thousands separator at character 5 is misplaced"},
                                 {8, "decimal: character 8 is not a digit"},
                                 {9, "decimal: thousands separator at character 3 is misplaced"},
                                 {10, "decimal: thousands separator at character 6 is misplaced"}});
    // A full-width comma as the separator; without the argument a comma is just a bad character.
    CHECK(texts(ok_text("decimal", money_with("thousands", "，"), {"1，234"})) ==
          Strings{"1234.00"});
    CHECK(ok_text("decimal", kMoney, {"1,234"}).rejects ==
          Rejects{{0, "decimal: character 2 is not a digit"}});
}

TEST_CASE("decimal rejects what it cannot represent, without quoting it", "[transform][numbers]") {
    auto run = ok_text("decimal", kMoney,
                       {"123456789012.34", "1234567890123.4", "1.005", "1.000", "1e5", "12a",
                        "金额12", "１２", "1 234", "00000000000000000000000000000000000000000001",
                        "999999999999999999999999999999999999999999.5"});
    CHECK(texts(run) == Strings{"123456789012.34", "<null>", "<null>", "1.00", "<null>", "<null>",
                                "<null>", "<null>", "<null>", "1.00", "<null>"});
    CHECK(run.rejects ==
          Rejects{{1, "decimal: value needs 13 integer digits, decimal(14,2) allows 12"},
                  {2, "decimal: needs rounding to 2 decimals (rounding is unnecessary)"},
                  {4, "decimal: character 2 is not a digit"},
                  {5, "decimal: character 3 is not a digit"},
                  {6, "decimal: character 1 is not a digit"},
                  {7, "decimal: character 1 is not a digit"},
                  {8, "decimal: character 2 is not a digit"},
                  {10, "decimal: value needs 42 integer digits, decimal(14,2) allows 12"}});
    for (const auto& [row, reason] : run.rejects) {
        CHECK(reason.find("1234567890") == std::string::npos);
        CHECK(reason.find("1.005") == std::string::npos);
    }
    // Rounding up can carry into one digit too many.
    run = ok_text("decimal", {{"precision", 5}, {"scale", 2}, {"rounding", "half_up"}},
                  {"999.995", "999.994"});
    CHECK(texts(run) == Strings{"<null>", "999.99"});
    CHECK(run.rejects ==
          Rejects{{0, "decimal: value needs 4 integer digits, decimal(5,2) allows 3"}});
}

TEST_CASE("decimal rounds text in every mode", "[transform][numbers]") {
    const Cells cells{"2.345", "-2.345", "2.355", "2.3451", "2.349", "-2.341", "2.340"};
    const std::map<std::string, Strings> expected{
        {"half_up", {"2.35", "-2.35", "2.36", "2.35", "2.35", "-2.34", "2.34"}},
        {"half_even", {"2.34", "-2.34", "2.36", "2.35", "2.35", "-2.34", "2.34"}},
        {"down", {"2.34", "-2.34", "2.35", "2.34", "2.34", "-2.34", "2.34"}},
        {"up", {"2.35", "-2.35", "2.36", "2.35", "2.35", "-2.35", "2.34"}},
        {"floor", {"2.34", "-2.35", "2.35", "2.34", "2.34", "-2.35", "2.34"}},
        {"ceiling", {"2.35", "-2.34", "2.36", "2.35", "2.35", "-2.34", "2.34"}},
    };
    for (const auto& [mode, outputs] : expected) {
        INFO(mode);
        CHECK(texts(ok_text("decimal", money_with("rounding", mode), cells)) == outputs);
    }
    CHECK(texts(ok_text("decimal", {{"precision", 3}, {"scale", 0}, {"rounding", "half_even"}},
                        {"0.5", "1.5", "0.0000001", ".49999"})) == Strings{"0", "2", "0", "0"});
    CHECK(texts(ok_text("decimal", {{"precision", 3}, {"scale", 1}, {"rounding", "up"}},
                        {"0.0000001", "-0.0000001"})) == Strings{"0.1", "-0.1"});
}

TEST_CASE("decimal agrees with Decimal::parse and to_type on random text", "[transform][numbers]") {
    std::mt19937 random(20240601);
    std::uniform_int_distribution<int> digit(0, 9);
    std::uniform_int_distribution<int> length(0, 12);
    Cells cells;
    for (int i = 0; i < 400; ++i) {
        std::string text = i % 3 == 0 ? "-" : "";
        for (int n = length(random) + 1; n > 0; --n) {
            text.push_back(static_cast<char>('0' + digit(random)));
        }
        if (i % 2 == 0) {
            text.push_back('.');
            for (int n = length(random); n > 0; --n) {
                text.push_back(static_cast<char>('0' + digit(random)));
            }
        }
        cells.emplace_back(text);
    }
    for (const char* mode :
         {"half_up", "half_even", "down", "up", "floor", "ceiling", "unnecessary"}) {
        for (const auto& [precision, scale] : {std::pair{14, 2}, {9, 0}, {20, 6}, {6, 6}}) {
            const auto run = ok_text(
                "decimal", {{"precision", precision}, {"scale", scale}, {"rounding", mode}}, cells);
            for (std::size_t row = 0; row < cells.size(); ++row) {
                const Result<Decimal> oracle =
                    Decimal::parse(*cells[row])
                        .value()
                        .to_type(precision, scale, parse_rounding_mode(mode).value());
                INFO(*cells[row] << " " << mode << " decimal(" << precision << "," << scale << ")");
                REQUIRE(run.out[row].is_null() == !oracle.ok());
                if (oracle.ok()) {
                    CHECK(run.out[row].as_decimal().unscaled() == oracle->unscaled());
                    CHECK(run.out[row].as_decimal().scale() == scale);
                }
            }
        }
    }
}

TEST_CASE("decimal fits int64 and decimal input", "[transform][numbers]") {
    auto run = run_transform("decimal", kMoney,
                             {ints({Value::int64(12345), Value::null(), Value::int64(-1),
                                    Value::int64(std::numeric_limits<std::int64_t>::max())})});
    REQUIRE(run.status.ok());
    CHECK(texts(run) == Strings{"12345.00", "<null>", "-1.00", "<null>"});
    CHECK(run.rejects ==
          Rejects{{3, "decimal: value needs 19 integer digits, decimal(14,2) allows 12"}});
    run = run_transform("decimal", money_with("implied_scale", 2), {ints({Value::int64(412990)})});
    CHECK(texts(run) == Strings{"4129.90"});

    const Column rates = decimals(10, 3, {dec("1.235"), dec("1.230"), dec("-0.005")});
    run = run_transform("decimal", kMoney, {rates});
    CHECK(texts(run) == Strings{"<null>", "1.23", "<null>"});
    CHECK(run.rejects.at(0) == "decimal: needs rounding to 2 decimals (rounding is unnecessary)");
    run = run_transform("decimal", money_with("rounding", "half_even"), {rates});
    CHECK(texts(run) == Strings{"1.24", "1.23", "0.00"});
    CHECK(run_transform("decimal", money_with("implied_scale", 1), {rates}).status.field() ==
          "/implied_scale");
}

TEST_CASE("decimal checks its arguments and input type", "[transform][numbers]") {
    CHECK(run_text("decimal", {{"precision", 14}, {"scale", 15}}, {"1"}).status.field() ==
          "/scale");
    CHECK(run_text("decimal", {{"precision", 0}, {"scale", 0}}, {"1"}).status.field() ==
          "/precision");
    CHECK(run_text("decimal", {{"precision", 39}, {"scale", 0}}, {"1"}).status.field() ==
          "/precision");
    CHECK(run_text("decimal", {{"scale", 0}}, {"1"}).status.code() == StatusCode::InvalidArgument);
    CHECK(run_text("decimal", money_with("rounding", "bankers"), {"1"}).status.field() ==
          "/rounding");
    CHECK(run_text("decimal", money_with("thousands", "."), {"1"}).status.field() == "/thousands");
    CHECK(run_text("decimal", money_with("thousands", ",,"), {"1"}).status.field() == "/thousands");
    CHECK(run_text("decimal", money_with("implied_scale", -1), {"1"}).status.field() ==
          "/implied_scale");
    const auto flags =
        run_transform("decimal", kMoney, {value_column(DataType::boolean(), {Value::null()})});
    CHECK(flags.status.code() == StatusCode::InvalidArgument);
    CHECK(flags.status.field().empty());
    CHECK_THAT(flags.status.message(), Catch::Contains("needs text, int64 or decimal input"));
}

TEST_CASE("round rounds decimals to a scale", "[transform][numbers]") {
    const Column values = decimals(
        14, 4,
        {dec("1.2345"), dec("2.3450"), dec("-2.3450"), Value::null(), dec("9999999999.9999")});
    auto run = run_transform("round", {{"scale", 2}}, {values});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::decimal128(12, 2).value());
    CHECK(texts(run) == Strings{"1.23", "2.35", "-2.35", "<null>", "<null>"});
    CHECK(run.rejects ==
          Rejects{{4, "round: value needs 11 integer digits, decimal(12,2) allows 10"}});
    run = run_transform("round", {{"scale", 2}, {"rounding", "half_even"}, {"precision", 13}},
                        {values});
    CHECK(run.output_type == DataType::decimal128(13, 2).value());
    CHECK(texts(run) == Strings{"1.23", "2.34", "-2.34", "<null>", "10000000000.00"});
    run = run_transform("round", {{"scale", 3}, {"rounding", "unnecessary"}}, {values});
    CHECK(texts(run) == Strings{"<null>", "2.345", "-2.345", "<null>", "<null>"});
    CHECK(run.rejects.at(0) == "round: needs rounding to 3 decimals (rounding is unnecessary)");
    // Raising the scale keeps the integer digits: decimal(14,4) to 6 decimals is decimal(16,6).
    run = run_transform("round", {{"scale", 6}}, {values});
    CHECK(run.output_type == DataType::decimal128(16, 6).value());
    CHECK(texts(run)[0] == "1.234500");
    CHECK(run_transform("round", {{"scale", 38}}, {values}).output_type ==
          DataType::decimal128(38, 38).value());
    CHECK(run_transform("round", {{"scale", 0}}, {decimals(2, 2, {dec("0.5")})}).output_type ==
          DataType::decimal128(1, 0).value());

    CHECK(run_transform("round", {{"scale", 3}, {"precision", 2}}, {values}).status.field() ==
          "/precision");
    CHECK(run_transform("round", {{"scale", 39}}, {values}).status.field() == "/scale");
    CHECK(run_transform("round", {}, {values}).status.code() == StatusCode::InvalidArgument);
    CHECK(
        run_transform("round", {{"scale", 2}, {"rounding", "nearest"}}, {values}).status.field() ==
        "/rounding");
    const auto text = run_text("round", {{"scale", 2}}, {"1.5"});
    CHECK(text.status.code() == StatusCode::InvalidArgument);
    CHECK(text.status.field().empty());
}

TEST_CASE("integer parses digits and whole decimals into int64", "[transform][numbers]") {
    auto run = ok_text("integer", {},
                       {" 42 ", "-9223372036854775808", "9223372036854775807", "+7", "007", "",
                        std::nullopt, "9223372036854775808", "-9223372036854775809",
                        "99999999999999999999", "12.0", "+", "1e3", "４２"});
    CHECK(run.output_type == DataType::int64());
    CHECK(texts(run) == Strings{"42", "-9223372036854775808", "9223372036854775807", "7", "7",
                                "<null>", "<null>", "<null>", "<null>", "<null>", "<null>",
                                "<null>", "<null>", "<null>"});
    CHECK(run.rejects == Rejects{{7, "integer: value is outside the int64 range"},
                                 {8, "integer: value is outside the int64 range"},
                                 {9, "integer: value is outside the int64 range"},
                                 {10, "integer: character 3 is not a digit"},
                                 {11, "integer: has no digits"},
                                 {12, "integer: character 2 is not a digit"},
                                 {13, "integer: character 1 is not a digit"}});
    run = run_transform("integer", {},
                        {decimals(38, 2,
                                  {dec("42.00"), dec("-3"), dec("42.50"),
                                   dec("92233720368547758080"), Value::null()})});
    CHECK(texts(run) == Strings{"42", "-3", "<null>", "<null>", "<null>"});
    CHECK(run.rejects == Rejects{{2, "integer: has a nonzero fraction"},
                                 {3, "integer: value is outside the int64 range"}});
    run = run_transform("integer", {}, {ints({Value::int64(5), Value::null()})});
    CHECK(texts(run) == Strings{"5", "<null>"});
    CHECK_FALSE(run_text("integer", {{"base", 10}}, {"1"}).status.ok());
    const auto dates = run_transform("integer", {}, {value_column(DataType::date32(), {})});
    CHECK(dates.status.code() == StatusCode::InvalidArgument);
    CHECK(dates.status.field().empty());
}

TEST_CASE("boolean maps flag text, blank to null", "[transform][numbers]") {
    auto run = ok_text("boolean", {},
                       {"1", "Y", "y", "true", "是", "0", "N", "n", "false", "否", " Y ", "",
                        std::nullopt, "yes", "TRUE"});
    CHECK(run.output_type == DataType::boolean());
    CHECK(texts(run) == Strings{"true", "true", "true", "true", "true", "false", "false", "false",
                                "false", "false", "true", "<null>", "<null>", "<null>", "<null>"});
    CHECK(run.rejects == Rejects{{13, "boolean: is not one of the true or false values"},
                                 {14, "boolean: is not one of the true or false values"}});
    run = ok_text("boolean", {{"true", {"T"}}, {"false", {"F", ""}}}, {"T", "F", "", "1"});
    CHECK(texts(run) == Strings{"true", "false", "false", "<null>"});
    CHECK(run.rejects.size() == 1);
    CHECK(run_text("boolean", {{"true", {"1", "0"}}}, {"1"}).status.field() == "/false");
    CHECK(run_text("boolean", {{"true", json::array()}}, {"1"}).status.field() == "/true");
    CHECK(run_text("boolean", {{"true", "1"}}, {"1"}).status.field() == "/true");
    CHECK_FALSE(run_transform("boolean", {}, {ints({Value::int64(1)})}).status.ok());
}

TEST_CASE("multiply scales amounts in 分 and per-mille rates", "[transform][numbers]") {
    auto run = run_transform("multiply", {{"by", "0.01"}, {"precision", 14}, {"scale", 2}},
                             {ints({Value::int64(412990), Value::int64(-5), Value::null()})});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::decimal128(14, 2).value());
    CHECK(texts(run) == Strings{"4129.90", "-0.05", "<null>"});
    run = run_transform("multiply", {{"by", "0.001"}, {"precision", 6}, {"scale", 4}},
                        {decimals(6, 0, {dec("85"), dec("1000")})});
    CHECK(texts(run) == Strings{"0.0850", "1.0000"});
    run =
        run_transform("multiply", {{"by", "0.001"}, {"precision", 6}, {"scale", 2}},
                      {ints({Value::int64(12345), Value::int64(-12345), Value::int64(123456789)})});
    CHECK(texts(run) == Strings{"12.35", "-12.35", "<null>"});
    CHECK(run.rejects ==
          Rejects{{2, "multiply: value needs 6 integer digits, decimal(6,2) allows 4"}});
    run = run_transform("multiply",
                        {{"by", "0.001"}, {"precision", 6}, {"scale", 2}, {"rounding", "down"}},
                        {ints({Value::int64(12349)})});
    CHECK(texts(run) == Strings{"12.34"});
    run = run_transform("multiply", {{"by", "1e30"}, {"precision", 38}, {"scale", 0}},
                        {ints({Value::int64(std::numeric_limits<std::int64_t>::max())})});
    CHECK(run.rejects == Rejects{{0, "multiply: the exact product needs more than 38 digits"}});

    const Column one = ints({Value::int64(1)});
    CHECK(run_transform("multiply", {{"by", "abc"}, {"precision", 6}, {"scale", 2}}, {one})
              .status.field() == "/by");
    CHECK(run_transform("multiply", {{"by", 0.01}, {"precision", 6}, {"scale", 2}}, {one})
              .status.field() == "/by");
    CHECK(run_transform("multiply", {{"by", "2"}, {"precision", 6}, {"scale", 7}}, {one})
              .status.field() == "/scale");
    CHECK(run_transform("multiply", {{"by", "2"}, {"scale", 2}}, {one}).status.code() ==
          StatusCode::InvalidArgument);
    const auto text = run_text("multiply", {{"by", "2"}, {"precision", 6}, {"scale", 2}}, {"1"});
    CHECK(text.status.code() == StatusCode::InvalidArgument);
    CHECK(text.status.field().empty());
}
