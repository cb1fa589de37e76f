// SPDX-License-Identifier: Apache-2.0
// transforms_text_test.cpp — the text family: trim … to_text.
#include <limits>
#include <re2/re2.h>

#include <catch2/catch.hpp>

#include "ferry/transform.h"

#include "transform_test_support.h"

using namespace ferry;
using ferry::testing::run_text;
using ferry::testing::run_transform;
using ferry::testing::text_column;
using ferry::testing::value_column;
using json = nlohmann::json;

namespace {

using Cells = std::vector<std::optional<std::string>>;

/// The output cells as text; null becomes "<null>".
std::vector<std::string> texts(const testing::TransformRun& run) {
    std::vector<std::string> out;
    for (const Value& value : run.out) {
        out.push_back(value.is_null() ? "<null>" : value.to_string());
    }
    return out;
}

using Strings = std::vector<std::string>;

/// Runs a text step that must be created without error.
testing::TransformRun ok_text(const std::string& op, const json& args, const Cells& cells) {
    testing::TransformRun run = run_text(op, args, cells);
    INFO(run.status.to_string());
    REQUIRE(run.status.ok());
    return run;
}

Column int_column(std::vector<Value> cells) {
    return value_column(DataType::int64(), cells);
}

} // namespace

TEST_CASE("trim removes spaces, the full-width space, or given characters", "[transform][text]") {
    CHECK(texts(ok_text("trim", {},
                        {"  a b \t\r\n", "\xE3\x80\x80张三\xE3\x80\x80", "", "   ",
                         std::nullopt})) == Strings{"a b", "张三", "", "", "<null>"});
    CHECK(texts(ok_text("trim", {{"side", "left"}}, {"  x  "})) == Strings{"x  "});
    CHECK(texts(ok_text("trim", {{"side", "right"}}, {"  x  "})) == Strings{"  x"});
    CHECK(texts(ok_text("trim", {{"chars", "0＊"}}, {"00＊12＊0", "＊＊", "1"})) ==
          Strings{"12", "", "1"});
    // 丮 (e4 b8 ae) and 中 (e4 b8 ad) share two bytes: only the whole character is trimmed.
    CHECK(texts(ok_text("trim", {{"chars", "丮"}}, {"丮中丮"})) == Strings{"中"});
    CHECK(texts(ok_text("trim", {{"chars", "中"}}, {"丮中"})) == Strings{"丮"});
    CHECK(run_text("trim", {{"side", "middle"}}, {"x"}).status.field() == "/side");
    CHECK(run_text("trim", {{"chars", ""}}, {"x"}).status.field() == "/chars");
    CHECK(run_text("trim", {{"nope", 1}}, {"x"}).status.code() == StatusCode::InvalidArgument);
    const auto wrong_type = run_transform("trim", {}, {int_column({Value::int64(1)})});
    CHECK(wrong_type.status.code() == StatusCode::InvalidArgument);
    CHECK(wrong_type.status.field().empty());
    CHECK_THAT(wrong_type.status.message(), Catch::Contains("needs text input, got int64"));
}

TEST_CASE("pad counts characters, not bytes", "[transform][text]") {
    CHECK(texts(ok_text("pad", {{"length", 6}, {"char", "0"}},
                        {"123", "1234567", "", std::nullopt})) ==
          Strings{"000123", "1234567", "000000", "<null>"});
    CHECK(texts(ok_text("pad", {{"length", 4}}, {"张三"})) == Strings{"  张三"});
    CHECK(texts(ok_text("pad", {{"length", 4}, {"char", "\xE3\x80\x80"}, {"side", "right"}},
                        {"张三"})) == Strings{"张三\xE3\x80\x80\xE3\x80\x80"});
    CHECK(run_text("pad", {{"length", 0}}, {"x"}).status.field() == "/length");
    CHECK(run_text("pad", {}, {"x"}).status.code() == StatusCode::InvalidArgument);
    CHECK(run_text("pad", {{"length", 3}, {"char", "ab"}}, {"x"}).status.field() == "/char");
    CHECK(run_text("pad", {{"length", 3}, {"side", "both"}}, {"x"}).status.field() == "/side");
}

TEST_CASE("upper and lower change ASCII letters only", "[transform][text]") {
    CHECK(texts(ok_text("upper", {}, {"11010519491231002x", "abc张三ß", std::nullopt})) ==
          Strings{"11010519491231002X", "ABC张三ß", "<null>"});
    CHECK(texts(ok_text("lower", {}, {"AbC-Z", "ÀB"})) == Strings{"abc-z", "Àb"});
    CHECK_FALSE(run_text("upper", {{"x", 1}}, {"a"}).status.ok());
}

TEST_CASE("halfwidth folds full-width ASCII forms and the ideographic space", "[transform][text]") {
    CHECK(
        texts(ok_text("halfwidth", {}, {"ＡＢＣ１２３！～ｚ", "张\xE3\x80\x80三", "plain", ""})) ==
        Strings{"ABC123!~z", "张 三", "plain", ""});
    // Outside U+FF01..U+FF5E: half-width katakana, full-width yen and the CJK comma stay.
    CHECK(texts(ok_text("halfwidth", {}, {"ｱ￥、"})) == Strings{"ｱ￥、"});
    CHECK(texts(ok_text("halfwidth", {}, {"１１０１０５１９４９１２３１００２Ｘ"})) ==
          Strings{"11010519491231002X"});
}

TEST_CASE("substring slices by character and never rejects", "[transform][text]") {
    CHECK(texts(ok_text("substring", {{"start", 0}, {"length", 6}},
                        {"110105194912310021", "1101", std::nullopt})) ==
          Strings{"110105", "1101", "<null>"});
    CHECK(texts(ok_text("substring", {{"start", 2}, {"length", 2}}, {"北京市朝阳区"})) ==
          Strings{"市朝"});
    CHECK(texts(ok_text("substring", {{"start", 3}}, {"北京市朝阳区", "ab"})) ==
          Strings{"朝阳区", ""});
    CHECK(texts(ok_text("substring", {{"start", 1}, {"length", 0}}, {"abc"})) == Strings{""});
    CHECK(run_text("substring", {{"start", -1}}, {"x"}).status.field() == "/start");
    CHECK(run_text("substring", {{"start", 0}, {"length", -1}}, {"x"}).status.field() == "/length");
    CHECK(run_text("substring", {}, {"x"}).status.code() == StatusCode::InvalidArgument);
}

TEST_CASE("concat joins inputs, with nulls making null unless skipped", "[transform][text]") {
    const std::vector<Column> inputs{text_column({"张", "张", std::nullopt, "a"}),
                                     text_column({"三", std::nullopt, std::nullopt, ""})};
    auto run = run_transform("concat", {{"separator", "·"}}, inputs);
    REQUIRE(run.status.ok());
    CHECK(texts(run) == Strings{"张·三", "<null>", "<null>", "a·"});
    run = run_transform("concat", {{"skip_nulls", true}}, inputs);
    CHECK(texts(run) == Strings{"张三", "张", "<null>", "a"});
    const std::vector<Column> three{text_column({"a"}), text_column({std::nullopt}),
                                    text_column({"c"})};
    CHECK(texts(run_transform("concat", {{"separator", "-"}, {"skip_nulls", true}}, three)) ==
          Strings{"a-c"});
    CHECK_THAT(run_transform("concat", {}, {text_column({"a"})}).status.message(),
               Catch::Contains("takes 2 to 16 inputs"));
    CHECK_FALSE(
        run_transform("concat", {}, std::vector<Column>(17, text_column({"a"}))).status.ok());
    CHECK(run_transform("concat", {}, std::vector<Column>(16, text_column({"a"}))).status.ok());
    const auto mixed =
        run_transform("concat", {}, {text_column({"a"}), int_column({Value::int64(1)})});
    CHECK(mixed.status.code() == StatusCode::InvalidArgument);
    CHECK(mixed.status.field().empty());
    CHECK(run_transform("concat", {{"skip_nulls", "yes"}}, inputs).status.field() == "/skip_nulls");
}

TEST_CASE("split picks one part, from either end", "[transform][text]") {
    const Cells cells{"a|b|c", "abc", "", "|", std::nullopt};
    CHECK(texts(ok_text("split", {{"separator", "|"}, {"index", 0}}, cells)) ==
          Strings{"a", "abc", "", "", "<null>"});
    CHECK(texts(ok_text("split", {{"separator", "|"}, {"index", 1}}, cells)) ==
          Strings{"b", "<null>", "<null>", "", "<null>"});
    CHECK(texts(ok_text("split", {{"separator", "|"}, {"index", -1}}, cells)) ==
          Strings{"c", "abc", "", "", "<null>"});
    CHECK(texts(ok_text("split", {{"separator", "|"}, {"index", -3}}, cells)) ==
          Strings{"a", "<null>", "<null>", "<null>", "<null>"});
    CHECK(texts(ok_text("split", {{"separator", "|"}, {"index", 3}}, {"a|b|c"})) ==
          Strings{"<null>"});
    CHECK(texts(ok_text("split", {{"separator", "、"}, {"index", 1}}, {"张三、李四、王五"})) ==
          Strings{"李四"});
    CHECK(texts(ok_text("split", {{"separator", "::"}, {"index", -2}}, {"a::b::c"})) ==
          Strings{"b"});
    CHECK(run_text("split", {{"separator", ""}, {"index", 0}}, {"x"}).status.field() ==
          "/separator");
    CHECK(run_text("split", {{"separator", "|"}}, {"x"}).status.code() ==
          StatusCode::InvalidArgument);
}

TEST_CASE("default fills nulls with a value of the input type", "[transform][text]") {
    auto run = ok_text("default", {{"value", "未知"}}, {std::nullopt, "x", ""});
    CHECK(texts(run) == Strings{"未知", "x", ""});
    CHECK(run.output_type == DataType::utf8());

    const DataType money = DataType::decimal128(14, 2).value();
    const Column amounts =
        value_column(money, {Value::null(), Value::decimal(Decimal::parse("12.50").value())});
    run = run_transform("default", {{"value", "0.00"}}, {amounts});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == money);
    CHECK(texts(run) == Strings{"0.00", "12.50"});
    CHECK(run_transform("default", {{"value", "0.001"}}, {amounts}).status.field() == "/value");
    CHECK(run_transform("default", {{"value", 0}}, {amounts}).status.field() == "/value");

    run = run_transform("default", {{"value", -1}}, {int_column({Value::null(), Value::int64(7)})});
    CHECK(texts(run) == Strings{"-1", "7"});
    CHECK(
        run_transform("default", {{"value", 1.5}}, {int_column({Value::null()})}).status.field() ==
        "/value");
    CHECK(
        run_transform("default", {{"value", "1"}}, {int_column({Value::null()})}).status.field() ==
        "/value");

    const Column dates = value_column(DataType::date32(), {Value::null()});
    CHECK(texts(run_transform("default", {{"value", "1900-01-01"}}, {dates})) ==
          Strings{"1900-01-01"});
    CHECK(run_transform("default", {{"value", "1990-02-30"}}, {dates}).status.field() == "/value");
    const Column stamps = value_column(DataType::timestamp_micros(), {Value::null()});
    CHECK(texts(run_transform("default", {{"value", "2024-01-02T03:04:05"}}, {stamps})) ==
          Strings{"2024-01-02T03:04:05"});
    const Column flags = value_column(DataType::boolean(), {Value::null(), Value::boolean(true)});
    CHECK(texts(run_transform("default", {{"value", false}}, {flags})) == Strings{"false", "true"});
    CHECK(run_transform("default", {{"value", "false"}}, {flags}).status.field() == "/value");
    CHECK(run_text("default", {{"value", 3}}, {"x"}).status.field() == "/value");
    CHECK(run_text("default", {}, {"x"}).status.code() == StatusCode::InvalidArgument);
}

TEST_CASE("null_if turns listed or blank values into null", "[transform][text]") {
    const Cells cells{"NULL", "-", "x", "  ", "\xE3\x80\x80", "", std::nullopt, " NULL"};
    CHECK(texts(ok_text("null_if", {{"values", {"NULL", "-"}}}, cells)) ==
          Strings{"<null>", "<null>", "x", "  ", "\xE3\x80\x80", "", "<null>", " NULL"});
    CHECK(texts(ok_text("null_if", {{"blank", true}}, cells)) ==
          Strings{"NULL", "-", "x", "<null>", "<null>", "<null>", "<null>", " NULL"});
    CHECK(run_text("null_if", {}, {"x"}).status.field() == "/values");
    CHECK(run_text("null_if", {{"values", {1}}}, {"x"}).status.code() ==
          StatusCode::InvalidArgument);
    CHECK_FALSE(
        run_transform("null_if", {{"blank", true}}, {int_column({Value::int64(1)})}).status.ok());
}

TEST_CASE("required rejects null and empty text", "[transform][text]") {
    auto run = ok_text("required", {}, {"x", "", std::nullopt, " "});
    CHECK(texts(run) == Strings{"x", "<null>", "<null>", " "});
    CHECK(run.rejects == std::map<std::int64_t, std::string>{{1, "required: value is missing"},
                                                             {2, "required: value is missing"}});
    run = run_transform("required", {}, {int_column({Value::int64(0), Value::null()})});
    CHECK(run.output_type == DataType::int64());
    CHECK(texts(run) == Strings{"0", "<null>"});
    CHECK(run.rejects.size() == 1);
    CHECK_FALSE(run_text("required", {{"x", true}}, {"x"}).status.ok());
}

TEST_CASE("regex_extract outputs the first match or a group", "[transform][text]") {
    const json year = {{"pattern", R"((\d{4})年)"}};
    auto run = ok_text("regex_extract", year, {"出生于1949年10月", "no year", std::nullopt});
    CHECK(texts(run) == Strings{"1949", "<null>", "<null>"});
    CHECK(run.rejects ==
          std::map<std::int64_t, std::string>{{1, "regex_extract: does not match the pattern"}});
    CHECK(texts(ok_text("regex_extract", {{"pattern", R"(\d+)"}, {"group", 0}}, {"ab12cd345"})) ==
          Strings{"12"});
    run = ok_text("regex_extract", {{"pattern", R"(\d+)"}, {"group", 0}, {"on_mismatch", "null"}},
                  {"none", "7"});
    CHECK(texts(run) == Strings{"<null>", "7"});
    CHECK(run.rejects.empty());
    // A group that takes no part in the match.
    run = ok_text("regex_extract", {{"pattern", "(a)?b"}}, {"b", "ab"});
    CHECK(texts(run) == Strings{"<null>", "a"});
    CHECK(run.rejects.at(0) == "regex_extract: group 1 did not take part");
    CHECK(texts(ok_text("regex_extract", {{"pattern", "(.)市"}}, {"北京市"})) == Strings{"京"});

    const auto bad = run_text("regex_extract", {{"pattern", "(ab"}}, {"x"});
    CHECK(bad.status.field() == "/pattern");
    CHECK_THAT(bad.status.message(), Catch::Contains("missing )"));
    CHECK(run_text("regex_extract", {{"pattern", "(a)"}, {"group", 2}}, {"x"}).status.field() ==
          "/group");
    CHECK(run_text("regex_extract", {{"pattern", "a"}}, {"x"}).status.field() == "/group");
    CHECK(run_text("regex_extract", {{"pattern", "(a)"}, {"on_mismatch", "skip"}}, {"x"})
              .status.field() == "/on_mismatch");
}

TEST_CASE("matches passes whole matches and rejects the rest", "[transform][text]") {
    auto run = ok_text("matches", {{"pattern", R"(\d{6})"}}, {"123456", "1234567", "12345"});
    CHECK(texts(run) == Strings{"123456", "<null>", "<null>"});
    CHECK(run.rejects.at(1) == R"(matches: does not match the pattern \d{6})");
    run = ok_text("matches", {{"pattern", "[0-9]{17}[0-9X]"}, {"message", "not an ID number"}},
                  {"11010519491231002X", "secret-value"});
    CHECK(run.rejects.at(1) == "matches: not an ID number");
    CHECK(run.rejects.at(1).find("secret") == std::string::npos);
    CHECK(run_text("matches", {{"pattern", "[z-a]"}}, {"x"}).status.field() == "/pattern");
    CHECK(run_text("matches", {}, {"x"}).status.code() == StatusCode::InvalidArgument);
}

TEST_CASE("replace rewrites every match like RE2::GlobalReplace", "[transform][text]") {
    CHECK(texts(ok_text("replace", {{"pattern", "-"}, {"with", ""}}, {"1101-05-19", "x", ""})) ==
          Strings{"11010519", "x", ""});
    CHECK(texts(ok_text("replace", {{"pattern", R"((\d+)/(\d+))"}, {"with", R"(\2-\1)"}},
                        {"12/2024 and 1/99"})) == Strings{"2024-12 and 99-1"});
    CHECK(texts(ok_text("replace", {{"pattern", R"(\s+)"}, {"with", " "}}, {"  北京\t 朝阳  "})) ==
          Strings{" 北京 朝阳 "});
    // Empty matches, anchors and multi-byte text agree with RE2's own GlobalReplace.
    const std::vector<std::pair<std::string, std::string>> cases{
        {"a*", "-"},     {"", "-"},         {"^", ">"},   {"$", "<"},
        {"b*", "[\\0]"}, {"(.)", "\\1\\1"}, {"\\b", "|"}, {"京*", "_"}};
    const Strings inputs{"baaa", "", "张三a", "abc", "京京a京"};
    for (const auto& [pattern, rewrite] : cases) {
        RE2 re(pattern);
        for (const std::string& input : inputs) {
            std::string expected = input;
            RE2::GlobalReplace(&expected, re, rewrite);
            INFO(pattern << " / " << rewrite << " on " << input);
            CHECK(texts(ok_text("replace", {{"pattern", pattern}, {"with", rewrite}}, {input})) ==
                  Strings{expected});
        }
    }
    CHECK(run_text("replace", {{"pattern", "(a)"}, {"with", R"(\2)"}}, {"x"}).status.field() ==
          "/with");
    CHECK(run_text("replace", {{"pattern", "a"}, {"with", R"(\q)"}}, {"x"}).status.field() ==
          "/with");
    CHECK(run_text("replace", {{"pattern", "a"}}, {"x"}).status.code() ==
          StatusCode::InvalidArgument);
}

TEST_CASE("to_text formats every scalar like Value::to_string", "[transform][text]") {
    const DataType money = DataType::decimal128(38, 10).value();
    std::vector<Value> decimals;
    for (const char* text : {"4129.90", "-0.05", "0", "0.00", "12", "-1234567.8900000000",
                             "99999999999999999999999999.9999999999", "0.0000000001"}) {
        decimals.push_back(Value::decimal(Decimal::parse(text).value()));
    }
    decimals.push_back(Value::null());
    auto run = run_transform("to_text", {}, {value_column(money, decimals)});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::utf8());
    for (std::size_t i = 0; i + 1 < decimals.size(); ++i) {
        CHECK(run.out[i].as_text() == decimals[i].as_decimal().to_string());
    }
    CHECK(run.out.back().is_null());
    CHECK(run.out[0].as_text() == "4129.90");

    run = run_transform("to_text", {},
                        {int_column({Value::int64(-42), Value::int64(0),
                                     Value::int64(std::numeric_limits<std::int64_t>::min())})});
    CHECK(texts(run) == Strings{"-42", "0", "-9223372036854775808"});
    const Column dates =
        value_column(DataType::date32(), {Value::date(Date::from_ymd(1949, 10, 1).value())});
    CHECK(texts(run_transform("to_text", {}, {dates})) == Strings{"1949-10-01"});
    std::vector<Value> stamps;
    for (const char* text : {"2024-01-02T03:04:05", "1969-12-31T23:59:59.999999",
                             "2000-02-29T00:00:00.5", "0001-01-01T00:00:00"}) {
        stamps.push_back(Value::timestamp(Timestamp::parse_iso(text).value()));
    }
    run = run_transform("to_text", {}, {value_column(DataType::timestamp_micros(), stamps)});
    for (std::size_t i = 0; i < stamps.size(); ++i) {
        CHECK(run.out[i].as_text() == stamps[i].as_timestamp().to_string());
    }
    const Column flags =
        value_column(DataType::boolean(), {Value::boolean(true), Value::boolean(false)});
    CHECK(texts(run_transform("to_text", {}, {flags})) == Strings{"true", "false"});
    CHECK(texts(ok_text("to_text", {}, {"张三"})) == Strings{"张三"});
    const Column raw = value_column(DataType::binary(), {Value::bytes("\xD6\xD0")});
    const auto bytes = run_transform("to_text", {}, {raw});
    CHECK(bytes.status.code() == StatusCode::InvalidArgument);
    CHECK(bytes.status.field().empty());
    CHECK_FALSE(run_text("to_text", {{"scale", 2}}, {"x"}).status.ok());
}
