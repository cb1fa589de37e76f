// SPDX-License-Identifier: Apache-2.0
// text_test.cpp — strict UTF-8 validation, hex dumps, trimming and message quoting.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "ferry/text.h"

namespace {

using ferry::find_invalid_utf8;
using ferry::kAllValid;

using namespace std::string_view_literals;

std::string utf8_error(std::string_view bytes) {
    const ferry::Status status = ferry::validate_utf8(bytes);
    return status.ok() ? "ok" : status.message();
}

} // namespace

TEST_CASE("Valid UTF-8 is accepted", "[text][utf8]") {
    const std::string_view valid[] = {
        ""sv,
        "hello, world"sv,
        "\xe4\xb8\xad\xe6\x96\x87"sv, // 中文
        "name=\xe5\xbc\xa0\xe4\xb8\x89;"sv,
        "a\0b"sv,             // NUL is a valid code point
        "\xc2\x80"sv,         // U+0080, smallest 2-byte
        "\xdf\xbf"sv,         // U+07FF
        "\xe0\xa0\x80"sv,     // U+0800, smallest 3-byte
        "\xed\x9f\xbf"sv,     // U+D7FF, just below the surrogates
        "\xee\x80\x80"sv,     // U+E000, just above them
        "\xef\xbf\xbf"sv,     // U+FFFF
        "\xf0\x90\x80\x80"sv, // U+10000, smallest 4-byte
        "\xf0\x9f\x98\x80"sv, // U+1F600 emoji
        "\xf4\x8f\xbf\xbf"sv, // U+10FFFF, the last code point
    };
    for (std::string_view bytes : valid) {
        CAPTURE(ferry::to_hex(bytes));
        CHECK(find_invalid_utf8(bytes) == kAllValid);
        CHECK(ferry::is_valid_utf8(bytes));
        CHECK(ferry::validate_utf8(bytes).ok());
    }
    CHECK(std::string("中文") == "\xe4\xb8\xad\xe6\x96\x87");
}

TEST_CASE("Invalid UTF-8 is located and explained", "[text][utf8]") {
    struct Case {
        std::string_view bytes;
        std::size_t offset;
        const char* message;
    };

    const Case cases[] = {
        // GBK for 中 / 中文: a valid-looking lead byte followed by a non-continuation byte.
        {"\xd6\xd0"sv, 0, "invalid UTF-8 at byte 0: d6 d0 (bad continuation byte)"},
        {"id=\xd6\xd0\xce\xc4"sv, 3, "invalid UTF-8 at byte 3: d6 d0 (bad continuation byte)"},
        {"\xc0\xaf"sv, 0, "invalid UTF-8 at byte 0: c0 (overlong encoding)"},
        {"\xc1\xbf"sv, 0, "invalid UTF-8 at byte 0: c1 (overlong encoding)"},
        {"\xe0\x80\xaf"sv, 0, "invalid UTF-8 at byte 0: e0 80 (overlong encoding)"},
        {"\xf0\x8f\xbf\xbf"sv, 0, "invalid UTF-8 at byte 0: f0 8f (overlong encoding)"},
        {"\xed\xa0\x80"sv, 0, "invalid UTF-8 at byte 0: ed a0 (UTF-16 surrogate)"},
        {"x\xed\xbf\xbf"sv, 1, "invalid UTF-8 at byte 1: ed bf (UTF-16 surrogate)"},
        {"\xf4\x90\x80\x80"sv, 0, "invalid UTF-8 at byte 0: f4 90 (code point above U+10FFFF)"},
        {"\xf5\x80\x80\x80"sv, 0, "invalid UTF-8 at byte 0: f5 (invalid lead byte)"},
        {"\xff"sv, 0, "invalid UTF-8 at byte 0: ff (invalid lead byte)"},
        {"ab\x80"sv, 2, "invalid UTF-8 at byte 2: 80 (unexpected continuation byte)"},
        {"abc\xe4\xb8"sv, 3, "invalid UTF-8 at byte 3: e4 b8 (truncated sequence)"},
        {"\xf0\x9f\x98"sv, 0, "invalid UTF-8 at byte 0: f0 9f 98 (truncated sequence)"},
        {"\xc3"sv, 0, "invalid UTF-8 at byte 0: c3 (truncated sequence)"},
        {"\xe4\xb8\x41"sv, 0, "invalid UTF-8 at byte 0: e4 b8 41 (bad continuation byte)"},
        {"\xe4\xb8\xad\xe4\xb8"sv, 3, "invalid UTF-8 at byte 3: e4 b8 (truncated sequence)"},
    };
    for (const Case& expected : cases) {
        CAPTURE(ferry::to_hex(expected.bytes));
        CHECK(find_invalid_utf8(expected.bytes) == expected.offset);
        CHECK_FALSE(ferry::is_valid_utf8(expected.bytes));
        const ferry::Status status = ferry::validate_utf8(expected.bytes);
        REQUIRE_FALSE(status.ok());
        CHECK(status.code() == ferry::StatusCode::Data);
        CHECK(status.message() == expected.message);
    }
}

TEST_CASE("UTF-8 errors are found at any offset, past the ASCII fast path", "[text][utf8]") {
    for (std::size_t pos = 0; pos <= 40; ++pos) {
        CAPTURE(pos);
        std::string bytes(40, 'a');
        bytes.insert(pos, "\xff");
        CHECK(find_invalid_utf8(bytes) == pos);

        // A multi-byte character straddling an 8-byte boundary stays valid.
        std::string chinese(40, 'a');
        chinese.insert(pos, "\xe4\xb8\xad");
        CHECK(find_invalid_utf8(chinese) == kAllValid);

        // Truncated at the very end, after a long ASCII run.
        CHECK(find_invalid_utf8(std::string(pos, 'z') + "\xe4\xb8") == pos);
    }
    CHECK(utf8_error(std::string(1000, 'x')) == "ok");
}

TEST_CASE("to_hex dumps bytes in lower case", "[text]") {
    CHECK(ferry::to_hex("") == "");
    CHECK(ferry::to_hex("\xe4\xb8\xad") == "e4 b8 ad");
    CHECK(ferry::to_hex("\x00\xff\x0a"sv) == "00 ff 0a");
    CHECK(ferry::to_hex("AZ") == "41 5a");
    CHECK(ferry::to_hex("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"sv, 4) ==
          "00 01 02 03 \u2026(+6 bytes)");
    CHECK(ferry::to_hex("abc", 0) == "\u2026(+3 bytes)");
    CHECK(ferry::to_hex("abc", 3) == "61 62 63");
    CHECK(ferry::to_hex(std::string(100, 'a')).size() ==
          64 * 3 - 1 + std::string(" \u2026(+36 bytes)").size());
}

TEST_CASE("trim_ascii_spaces trims ASCII whitespace only", "[text]") {
    CHECK(ferry::trim_ascii_spaces("  a b \t\r\n") == "a b");
    CHECK(ferry::trim_ascii_spaces("\n\tx") == "x");
    CHECK(ferry::trim_ascii_spaces("x") == "x");
    CHECK(ferry::trim_ascii_spaces("") == "");
    CHECK(ferry::trim_ascii_spaces(" \t\r\n ") == "");
    CHECK(ferry::trim_ascii_spaces("\va\f") == "\va\f"); // vertical tab and form feed are kept
    // U+3000 IDEOGRAPHIC SPACE is not ASCII: left alone.
    CHECK(ferry::trim_ascii_spaces("\xe3\x80\x80\xe4\xb8\xad ") == "\xe3\x80\x80\xe4\xb8\xad");
}

TEST_CASE("quote_for_message makes any bytes safe for a one-line message", "[text]") {
    CHECK(ferry::quote_for_message("abc") == "\"abc\"");
    CHECK(ferry::quote_for_message("") == "\"\"");
    CHECK(ferry::quote_for_message("say \"hi\"\\") == R"("say \"hi\"\\")");
    CHECK(ferry::quote_for_message("a\nb\tc") == R"("a\x0ab\x09c")");
    CHECK(ferry::quote_for_message("\xe4\xb8\xad\xe6\x96\x87") == "\"\xe4\xb8\xad\xe6\x96\x87\"");
    CHECK(ferry::quote_for_message("\xd6\xd0") == R"("\xd6\xd0")");
    CHECK(ferry::quote_for_message("abcdef", 3) == "\"abc\"\u2026");
    CHECK(ferry::quote_for_message(std::string(200, 'x')).size() == 64 + 2 + 3);

    CHECK(ferry::describe_char('.') == "'.'");
    CHECK(ferry::describe_char('\xd6') == "byte 0xd6");
    CHECK(ferry::describe_char('\n') == "byte 0x0a");
}
