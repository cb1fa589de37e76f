// SPDX-License-Identifier: Apache-2.0
// text_decoding_test.cpp — UTF-16 from the W API to UTF-8 and back.
#include <catch2/catch.hpp>

#include "text_decoding.h"

using ferry::odbc::utf16_to_utf8;
using ferry::odbc::utf8_to_utf16;

TEST_CASE("UTF-16 round trip, including characters outside the BMP", "[odbc][text]") {
    const std::string text = "张三 abc 䶮 𠀀"; // 䶮 is outside GBK, 𠀀 needs a surrogate pair
    const auto units = utf8_to_utf16(text);
    CHECK(units.size() == 11); // 𠀀 takes two units
    std::string back;
    CHECK_FALSE(utf16_to_utf8(units.data(), units.size(), back).has_value());
    CHECK(back == text);
}

TEST_CASE("a lone surrogate is a failure with its byte offset", "[odbc][text]") {
    const std::uint16_t units[] = {u'a', 0xD800, u'b'};
    std::string out = "kept";
    const auto failure = utf16_to_utf8(units, 3, out);
    REQUIRE(failure.has_value());
    CHECK(failure->offset == 2);
    CHECK(out == "kept");
    const std::uint16_t low[] = {0xDC00};
    CHECK(utf16_to_utf8(low, 1, out).has_value());
}
