// SPDX-License-Identifier: Apache-2.0
// legacy_cells_test.cpp — legacy text cells into Values or rejects: YYYYMMDD/YYMMDD dates,
// implied-decimal numbers, logicals and fixed-width text, dirty cells first.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "ferry/legacy_cells.h"

namespace {

using ferry::Value;
using namespace std::string_literals;

/// The cell's value as text ("2023-01-15", "123.45", "null"), or "error: <message>".
std::string read(const ferry::Result<Value>& result) {
    return result.ok() ? result->to_string() : "error: " + result.status().message();
}

std::string date(std::string_view cell, ferry::DateCellOptions options = {}) {
    return read(ferry::parse_yyyymmdd(cell, options));
}

std::string short_date(std::string_view cell, ferry::DateCellOptions options = {}) {
    return read(ferry::parse_yymmdd(cell, options));
}

std::string number(std::string_view cell, ferry::NumberCellOptions options = {}) {
    return read(ferry::parse_number_cell(cell, options));
}

std::string logical(std::string_view cell) {
    return read(ferry::parse_logical_cell(cell));
}

std::string text(std::string_view cell, ferry::TextCellOptions options = {}) {
    const auto result = ferry::parse_text_cell(cell, options);
    if (result.ok() && !result->is_null()) {
        return "\"" + std::string(result->as_text()) + "\"";
    }
    return read(result);
}

ferry::NumberCellOptions implied(std::int32_t decimals) {
    ferry::NumberCellOptions options;
    options.implied_decimals = decimals;
    return options;
}

} // namespace

TEST_CASE("YYYYMMDD cells read as dates", "[legacy_cells]") {
    CHECK(date("20230115") == "2023-01-15");
    CHECK(date("20000229") == "2000-02-29"); // 2000 is a leap year
    CHECK(date("20240229") == "2024-02-29");
    CHECK(date(" 19991231  ") == "1999-12-31"); // padding around the digits is ignored
    CHECK(date("20230115\0\0"s) == "2023-01-15");
    CHECK(ferry::parse_yyyymmdd("20230115")->type() == ferry::TypeId::Date);
}

TEST_CASE("impossible and malformed YYYYMMDD cells are rejects naming the offset",
          "[legacy_cells]") {
    CHECK(date("20230230") == "error: date: offset 6: day is outside the month");
    CHECK(date("19000229") == "error: date: offset 6: day is outside the month"); // not leap
    CHECK(date("20231301") == "error: date: offset 4: month is outside 01..12");
    CHECK(date("20230001") == "error: date: offset 4: month is outside 01..12");
    CHECK(date("20230100") == "error: date: offset 6: day is 00");
    CHECK(date("00000101") == "error: date: offset 0: year is outside 0001..9999");
    CHECK(date("2023 1 1") == "error: date: offset 4: not a digit");
    CHECK(date("2023-01-15") == "error: date: offset 4: not a digit");
    CHECK(date("2023011") == "error: date: offset 7: ends after 7 digits, expected 8");
    CHECK(date("  202301") == "error: date: offset 8: ends after 6 digits, expected 8");
    CHECK(date("202301151") == "error: date: offset 8: more than 8 digits");
    // GBK full-width digits (０ is a3 b0) are not digits; the offset is the byte's.
    CHECK(date("\xa3\xb2\xa3\xb0\xa3\xb2\xa3\xb3") == "error: date: offset 0: not a digit");
    CHECK(date("2023\xa3\xb1") == "error: date: offset 4: not a digit");
    // Reasons never carry the value itself.
    CHECK(ferry::parse_yyyymmdd("20230230").status().message().find("2023") == std::string::npos);
    CHECK(ferry::parse_yyyymmdd("x").status().code() == ferry::StatusCode::Data);
}

TEST_CASE("blank dates are null; all-zero dates are null or a reject", "[legacy_cells]") {
    CHECK(date("") == "null");
    CHECK(date("        ") == "null");
    CHECK(date("\0\0\0\0\0\0\0\0"s) == "null");
    CHECK(date("00000000") == "null");
    ferry::DateCellOptions strict;
    strict.zeros = ferry::ZeroDate::Reject;
    CHECK(date("00000000", strict) == "error: date: offset 0: all zeros (no date)");
    CHECK(date("  00000000", strict) == "error: date: offset 2: all zeros (no date)");
    CHECK(date("        ", strict) == "null"); // blank is not zero
    CHECK(short_date("000000", strict) == "error: date: offset 0: all zeros (no date)");
    CHECK(short_date("000000") == "null");
}

TEST_CASE("YYMMDD cells take their century from the pivot year", "[legacy_cells]") {
    CHECK(short_date("680131") == "1968-01-31"); // default pivot 1950: 50..99 are 19xx
    CHECK(short_date("230101") == "2023-01-01"); // 00..49 are 20xx
    CHECK(short_date("491231") == "2049-12-31");
    CHECK(short_date("500101") == "1950-01-01");
    ferry::DateCellOptions births;
    births.pivot_year = 1900; // people born 1900..1999
    CHECK(short_date("230101", births) == "1923-01-01");
    CHECK(short_date("000229") == "2000-02-29");
    CHECK(short_date("000229", births) == "error: date: offset 4: day is outside the month");
    CHECK(short_date("231301") == "error: date: offset 2: month is outside 01..12");
    CHECK(short_date("23011") == "error: date: offset 5: ends after 5 digits, expected 6");
    CHECK(short_date("20230101") == "error: date: offset 6: more than 6 digits");
    births.pivot_year = 0;
    CHECK(ferry::parse_yymmdd("230101", births).status().code() ==
          ferry::StatusCode::InvalidArgument);
}

TEST_CASE("number cells read implied decimals and signs exactly", "[legacy_cells]") {
    CHECK(number("0012345", implied(2)) == "123.45");
    CHECK(number("-0012345", implied(2)) == "-123.45");
    CHECK(number("0012345-", implied(2)) == "-123.45"); // trailing sign (COBOL reports)
    CHECK(number("+0012345", implied(2)) == "123.45");
    CHECK(number("   5", implied(2)) == "0.05");
    CHECK(number("0000000", implied(2)) == "0.00");
    CHECK(number("  123.4500") == "123.4500"); // the text's own scale is kept
    CHECK(number("42") == "42");
    CHECK(number(".5") == "0.5");
    CHECK(number(std::string(2, '\0') + "123" + '\0') == "123"); // NULs pad like spaces
    CHECK(ferry::parse_number_cell("1.50")->type() == ferry::TypeId::Decimal);

    ferry::NumberCellOptions money = implied(2);
    money.precision = 14;
    money.scale = 2;
    CHECK(number("12345", money) == "123.45");
    money.implied_decimals = 0;
    CHECK(number("7", money) == "7.00"); // raised to the column's scale
}

TEST_CASE("blank number cells are null unless told otherwise", "[legacy_cells]") {
    CHECK(number("") == "null");
    CHECK(number("      ") == "null");
    CHECK(number("\0\0\0"s) == "null");
    CHECK(number("\0 \t\r\n \0"s) == "null");
    CHECK(number("\0 \0 12 \0"s) == "12");
    ferry::NumberCellOptions strict;
    strict.blank_is_null = false;
    CHECK(number("   ", strict) == "error: number: offset 0: blank");
}

TEST_CASE("dirty number cells are rejects naming the byte offset", "[legacy_cells]") {
    CHECK(number("12a4") == "error: number: offset 2: not a digit");
    CHECK(number("  12x") == "error: number: offset 4: not a digit");
    // GBK bytes: full-width digits (１ is a3 b1) and a stray 中 (d6 d0) in an amount.
    CHECK(number("\xa3\xb1\xa3\xb2") == "error: number: offset 0: not a digit");
    CHECK(number("12\xd6\xd0") == "error: number: offset 2: not a digit");
    CHECK(number("1,234.50") == "error: number: offset 1: not a digit"); // separators are off
    CHECK(number("-12-") == "error: number: offset 3: a sign at both ends");
    CHECK(number("-") == "error: number: offset 1: no digits");
    CHECK(number(".") == "error: number: offset 0: no digits");
    CHECK(number("1.2.3") == "error: number: offset 3: not a digit");
    CHECK(number("123.45", implied(2)) ==
          "error: number: offset 3: a decimal point, but the number has implied decimals");
    ferry::NumberCellOptions no_trailing;
    no_trailing.trailing_sign = false;
    CHECK(number("12-", no_trailing) == "error: number: offset 2: not a digit");
    CHECK(ferry::parse_number_cell("12a4").status().code() == ferry::StatusCode::Data);
}

TEST_CASE("thousands separators are read only when asked for", "[legacy_cells]") {
    ferry::NumberCellOptions grouped;
    grouped.thousands = ',';
    CHECK(number("1,234.50", grouped) == "1234.50");
    CHECK(number("1,234,567-", grouped) == "-1234567");
    CHECK(number("12,34", grouped) == "error: number: offset 2: misplaced thousands separator");
    CHECK(number(",123", grouped) == "error: number: offset 0: misplaced thousands separator");
    grouped.thousands = '.';
    CHECK(ferry::parse_number_cell("1", grouped).status().code() ==
          ferry::StatusCode::InvalidArgument); // the point cannot also be the separator
}

TEST_CASE("numbers beyond the precision and decimals beyond the scale are rejects",
          "[legacy_cells]") {
    const std::string digits38(38, '9');
    CHECK(number(digits38) == digits38);
    CHECK(number(digits38 + "9") ==
          "error: number: offset 0: needs 39 digits at scale 0, the precision is 38");
    // 38 digits with 2 implied decimals fit decimal(38,2); 40 do not.
    CHECK(number("1" + std::string(37, '0'), implied(2)) == "1" + std::string(35, '0') + ".00");
    CHECK(number("  1" + std::string(39, '0'), implied(2)) ==
          "error: number: offset 2: needs 40 digits at scale 2, the precision is 38");
    CHECK(number("000" + std::string(38, '7'), implied(2)) == std::string(36, '7') + ".77");
    ferry::NumberCellOptions narrow = implied(2);
    narrow.precision = 10;
    narrow.scale = 2;
    CHECK(number("123456789012", narrow) ==
          "error: number: offset 0: needs 12 digits at scale 2, the precision is 10");
    narrow.implied_decimals = 0;
    CHECK(number("1.005", narrow) ==
          "error: number: offset 4: has more than 2 decimals (rounding is unnecessary)");
    narrow.rounding = ferry::RoundingMode::HalfUp;
    CHECK(number("1.005", narrow) == "1.01");
    CHECK(number("99999999.995", narrow) ==
          "error: number: offset 0: needs 11 digits at scale 2, the precision is 10");
    // Options outside the decimal model are the caller's bug, not the cell's.
    CHECK(ferry::parse_number_cell("1", implied(39)).status().code() ==
          ferry::StatusCode::InvalidArgument);
    ferry::NumberCellOptions bad;
    bad.precision = 5;
    bad.scale = 6;
    CHECK(ferry::parse_number_cell("1", bad).status().code() == ferry::StatusCode::InvalidArgument);
}

TEST_CASE("logical cells read T/F/Y/N/1/0/是/否, and ? or blank as null", "[legacy_cells]") {
    for (const char* yes : {"T", "t", "Y", "y", "1", "是", " T ", "Y\0"}) {
        INFO(yes);
        CHECK(logical(yes) == "true");
    }
    for (const char* no : {"F", "f", "N", "n", "0", "否", "  F"}) {
        INFO(no);
        CHECK(logical(no) == "false");
    }
    CHECK(logical("?") == "null");
    CHECK(logical(" ") == "null");
    CHECK(logical("") == "null");
    CHECK(logical("\0"s) == "null");
    CHECK(logical("X") == "error: logical: offset 0: not a logical (T, F, Y, N, 1, 0, 是, 否, ? "
                          "or blank)");
    CHECK(logical(" TT") == "error: logical: offset 1: not a logical (T, F, Y, N, 1, 0, 是, 否, "
                            "? or blank)");
    CHECK(logical("\xca\xc7").starts_with("error: logical: offset 0:")); // 是 in GBK: decode first
}

TEST_CASE("fixed-width text loses its trailing padding, and leading spaces when asked",
          "[legacy_cells]") {
    CHECK(text("张三    ") == "\"张三\"");
    CHECK(text("  ab  ") == "\"  ab\"");
    CHECK(text("ab\0\0\0"s) == "\"ab\"");
    CHECK(text("ab \0 \0"s) == "\"ab\"");
    CHECK(text("a b  ") == "\"a b\"");
    CHECK(text("      ") == "\"\"");
    ferry::TextCellOptions options;
    options.trim_leading = true;
    CHECK(text("  ab  ", options) == "\"ab\"");
    options.blank_is_null = true;
    CHECK(text("   ", options) == "null");
    CHECK(text("ab\xd6\xd0  ") == "error: utf8: offset 2: not valid UTF-8");
}

TEST_CASE("fixed-width text decodes a legacy code page before trimming", "[legacy_cells]") {
    auto gbk = ferry::CodePage::open("GBK");
    REQUIRE(gbk.ok());
    ferry::TextCellOptions options;
    options.code_page = &*gbk;
    CHECK(text("\xd5\xc5\xc8\xfd    ", options) == "\"张三\"");
    CHECK(text("a\xff\xff  ", options) == "error: charset: offset 1: byte 1 is not valid GBK");
    auto ebcdic = ferry::CodePage::open("CP037");
    REQUIRE(ebcdic.ok());
    options.code_page = &*ebcdic;
    CHECK(text("\xc8\xc5\xd3\xd3\xd6\x40\x40\x40", options) == "\"HELLO\""); // 0x40 pads
}

TEST_CASE("cell_reject turns a failed cell into a Reject in one line", "[legacy_cells]") {
    const auto born = ferry::parse_yyyymmdd("20230230");
    REQUIRE_FALSE(born.ok());
    const ferry::Reject reject = ferry::cell_reject("birth_date", born.status(), "20230230");
    CHECK(reject.field == "birth_date");
    CHECK(reject.rule == "date");
    CHECK(reject.reason == "offset 6: day is outside the month");
    CHECK(reject.raw == std::optional<std::string>("20230230"));
    CHECK(reject.code == ferry::StatusCode::Data);

    const ferry::Reject amount =
        ferry::cell_reject("amount", ferry::parse_number_cell("12a4").status());
    CHECK(amount.rule == "number");
    CHECK(amount.reason == "offset 2: not a digit");
    CHECK_FALSE(amount.raw.has_value());

    // A Status from elsewhere keeps its whole message as the reason.
    const ferry::Reject other = ferry::cell_reject("x", ferry::Status::data("odd: thing"));
    CHECK(other.rule.empty());
    CHECK(other.reason == "odd: thing");
}
