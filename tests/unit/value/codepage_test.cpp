// SPDX-License-Identifier: Apache-2.0
// codepage_test.cpp — CodePage: exact conversion or a failure with its offset, never a
// replacement character; EBCDIC shift state never leaks from one field into the next.
#include <string>

#include <catch2/catch.hpp>

#include "ferry/codepage.h"

using ferry::CodePage;

namespace {

CodePage open(const char* name) {
    auto page = CodePage::open(name);
    REQUIRE(page.ok());
    return std::move(page).value();
}

std::string encoded(const char* page_name, const std::string& utf8) {
    CodePage page = open(page_name);
    std::string out;
    REQUIRE_FALSE(page.encode(utf8, out));
    return out;
}

std::string decoded(CodePage& page, const std::string& bytes) {
    std::string out;
    const auto failure = page.decode(bytes, out);
    INFO((failure ? failure->reason : std::string()));
    REQUIRE_FALSE(failure);
    return out;
}

} // namespace

TEST_CASE("CodePage opens by name, case-insensitively, and lists what it supports", "[codepage]") {
    CHECK(open("gbk").name() == "GBK");
    CHECK(open("cp037").ebcdic());
    CHECK(open("GB18030").ascii_compatible());
    const auto unknown = CodePage::open("EBCDIC-XX");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.status().message().find("IBM1388") != std::string::npos);
}

TEST_CASE("CodePage decodes and encodes Chinese code pages exactly", "[codepage]") {
    CodePage gbk = open("GBK");
    const std::string name = encoded("GBK", "张三丰");
    CHECK(name.size() == 6);
    CHECK(decoded(gbk, name) == "张三丰");
    CHECK(decoded(gbk, "ASCII only 123") == "ASCII only 123");

    // 䶮 has no GBK code; GB18030 has one.
    std::string out = "kept";
    const auto failure = gbk.encode("王䶮", out);
    REQUIRE(failure);
    CHECK(failure->offset == 3);
    CHECK(out == "kept");
    CodePage gb18030 = open("GB18030");
    CHECK(decoded(gb18030, encoded("GB18030", "王䶮")) == "王䶮");
}

TEST_CASE("CodePage reports where a field does not decode and leaves the output alone",
          "[codepage]") {
    CodePage gbk = open("GBK");
    std::string out = "prefix";
    auto failure = gbk.decode(std::string("A\xff\xff", 3), out);
    REQUIRE(failure);
    CHECK(failure->offset == 1);
    CHECK(failure->reason == "byte 1 is not valid GBK"); // the reason counts as offset does
    CHECK(out == "prefix");

    failure = gbk.decode(std::string("AB\xd5", 3), out);
    REQUIRE(failure);
    CHECK(failure->reason == "input ends inside a multi-byte character");

    CodePage utf8 = open("UTF-8");
    failure = utf8.decode(std::string("ok\xc3", 3), out);
    REQUIRE(failure);
    CHECK(failure->offset == 2);
    CHECK(failure->reason == "byte 2 is not valid UTF-8");

    failure = gbk.encode("AB\xe4\xb6\xae", out); // 䶮 has no GBK code
    REQUIRE(failure);
    CHECK(failure->offset == 2);
    CHECK(failure->reason == "the character at byte 2 has no GBK code");
}

TEST_CASE("CodePage handles EBCDIC single-byte and SO/SI double-byte pages", "[codepage]") {
    CodePage cp037 = open("CP037");
    CHECK(encoded("CP037", "HELLO 42") == "\xc8\xc5\xd3\xd3\xd6\x40\xf4\xf2");
    CHECK(decoded(cp037, "\xc8\xc5\xd3\xd3\xd6\x40\xf4\xf2") == "HELLO 42");

    const std::string mixed = encoded("IBM935", "AB张三C");
    CHECK(mixed.find('\x0e') != std::string::npos); // SO opens the double-byte run
    CHECK(mixed.find('\x0f') != std::string::npos); // SI closes it
    CodePage ibm935 = open("IBM935");
    CHECK(decoded(ibm935, mixed) == "AB张三C");

    // A field cut inside a double-byte run must not leave the next field shifted.
    const std::string cut = mixed.substr(0, mixed.find('\x0e') + 3);
    std::string ignored;
    (void)ibm935.decode(cut, ignored);
    CHECK(decoded(ibm935, encoded("IBM935", "XYZ")) == "XYZ");

    // 喆 is in IBM1388 but not in IBM935.
    std::string out;
    CHECK(ibm935.encode("李喆", out));
    CodePage ibm1388 = open("IBM1388");
    CHECK(decoded(ibm1388, encoded("IBM1388", "李喆")) == "李喆");
}

TEST_CASE("CodePage moves without closing the converter twice", "[codepage]") {
    CodePage first = open("GBK");
    CodePage second = std::move(first);
    CodePage third = open("CP037");
    third = std::move(second);
    CHECK(third.name() == "GBK");
    CHECK(decoded(third, encoded("GBK", "中")) == "中");
}

TEST_CASE("IBM935 and IBM1388 refuse shift codes that do not pair up, naming the byte",
          "[codepage]") {
    // iconv alone read an SO without its SI as double-byte text to the end of the field (EBCDIC
    // spaces became U+3000) and skipped a stray SI: a damaged field delivered as text.
    for (const char* name : {"IBM935", "IBM1388"}) {
        INFO(name);
        CodePage page = open(name);
        const std::string zhang = encoded(name, "张"); // SO xx xx SI
        REQUIRE(zhang.size() == 4);
        const std::string dbcs = zhang.substr(1, 2);

        struct Case {
            std::string bytes;
            std::size_t offset;
            const char* reason;
        };

        const Case cases[] = {
            {"\xc1\x0e" + dbcs + "\x40\x40", 1, "has no shift-in (SI) before the end of the field"},
            {"\xc1\x0f\xc2", 1, "without a shift-out (SO) before it"},
            {"\x0e" + dbcs + "\x40\x0f", 4, "odd number of bytes (3)"},
            {"\x0e" + dbcs + "\x0e" + dbcs + "\x0f", 3,
             "inside the double-byte run opened at byte 0"},
        };
        for (const Case& damaged : cases) {
            std::string out = "kept";
            const auto failure = page.decode(damaged.bytes, out);
            REQUIRE(failure);
            CHECK(failure->offset == damaged.offset);
            CHECK_THAT(failure->reason, Catch::Contains(damaged.reason));
            CHECK(out == "kept");
            std::string scratch;
            std::string_view text;
            CHECK(page.decode_view(damaged.bytes, scratch, text));
        }
        // Balanced runs, several in one field, and an empty one, still read.
        CHECK(decoded(page, "\xc1" + zhang + "\xc2" + zhang) == "A张B张");
        CHECK(decoded(page, "\xc1\x0e\x0f") == "A");
    }
}
