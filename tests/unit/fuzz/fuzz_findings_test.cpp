// SPDX-License-Identifier: Apache-2.0
// fuzz_findings_test.cpp — what the fuzz targets (tests/fuzz) found, kept as plain tests; each
// input is also in tests/fuzz/corpus/<target>/crash-*.
#include <string>

#include <catch2/catch.hpp>

#include "ferry/codepage.h"
#include "ferry/json_schema.h"
#include "ferry/text.h"

TEST_CASE("a number beyond double's range is a JSON error, not an exception", "[fuzz]") {
    // crash-number-overflow: nlohmann throws out_of_range 406, not parse_error.
    const auto parsed = ferry::parse_json("{\n  \"max_ratio\": 1e309\n}", "m.json");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == ferry::StatusCode::InvalidArgument);
    CHECK(parsed.status().message() == "number overflow parsing '1e309'");
    CHECK(parsed.status().location() == "m.json:2:20"); // the number's last digit
    CHECK_FALSE(ferry::JsonSchema::parse_text("{\"minimum\": 1e309}", "schema").ok());
}

TEST_CASE("a JSON error message is UTF-8 even when the text is not", "[fuzz]") {
    // crash-parse-error-invalid-utf8: nlohmann quotes the raw bytes it read last.
    const auto parsed = ferry::parse_json("{\"target\": tr\xd6ue}", "m.json");
    REQUIRE_FALSE(parsed.ok());
    CHECK(ferry::is_valid_utf8(parsed.status().message()));
    CHECK(parsed.status().message().find("tr\\xd6'") != std::string::npos);
}

TEST_CASE("a schema error is UTF-8 even when a $ref decodes to other bytes", "[fuzz]") {
    // crash-ref-percent-decoded-byte: valijson %-decodes "%fa" and quotes the byte it gets.
    const auto schema = ferry::JsonSchema::parse_text(R"({"$ref": "#/d%fa"})", "schema");
    REQUIRE_FALSE(schema.ok());
    CHECK(ferry::is_valid_utf8(schema.status().message()));
    CHECK(schema.status().message().find("d\\xfa") != std::string::npos);
}

TEST_CASE("a pattern std::regex rejects makes the schema unusable", "[fuzz]") {
    // crash-invalid-pattern-regex: valijson compiled it only in validate(), which threw.
    const auto schema =
        ferry::JsonSchema::parse_text(R"({"properties": {"code": {"pattern": "["}}})", "schema");
    REQUIRE_FALSE(schema.ok());
    CHECK(schema.status().message().find("/properties/code/pattern: invalid regular expression") !=
          std::string::npos);
    CHECK_FALSE(
        ferry::JsonSchema::parse_text(R"({"patternProperties": {"(": {}}})", "schema").ok());
    // crash-regex-huge-*: libstdc++ 12 overflows a long reading such counts (undefined).
    for (const char* text :
         {R"({"pattern": "[0-9]{2055555555555555555555}"})", R"({"pattern": "a{1,99999999999}"})",
          R"({"pattern": "(a)\\99999999999999999999"})"}) {
        INFO(text);
        const auto huge = ferry::JsonSchema::parse_text(text, "schema");
        REQUIRE_FALSE(huge.ok());
        CHECK(huge.status().message().find("of more than 9 digits") != std::string::npos);
    }
    // A pattern that compiles, and a "pattern" that is a property's name or data, are fine.
    const auto good = ferry::JsonSchema::parse_text(
        R"({"properties": {"pattern": {"type": "string", "pattern": "^[0-9]{2}$",
                                       "default": {"pattern": "["}}}})",
        "schema");
    REQUIRE(good.ok());
    CHECK(good->validate({{"pattern", "12"}}, "doc").ok());
    CHECK_FALSE(good->validate({{"pattern", "1x"}}, "doc").ok());
    // Long digit runs that are no counts: a literal number, braces inside a class.
    const auto literal = ferry::JsonSchema::parse_text(
        R"({"pattern": "^(13800138000|[{]12345678901[}])$"})", "schema");
    REQUIRE(literal.ok());
    CHECK(literal->validate("13800138000", "doc").ok());
    CHECK(literal->validate("{12345678901}", "doc").ok());
}

TEST_CASE("a cycle of $refs makes the schema unusable instead of overflowing the stack", "[fuzz]") {
    // crash-ref-cycle-*: valijson follows such references until the stack overflows.
    for (const char* text : {
             R"({"$ref": "#"})",
             R"({"$ref": "+/definitions?m/ssing"})",
             R"({"$ref": "other.json"})",
             R"({"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/b"},
                                                           "b": {"$ref": "#/definitions/a/"}}})",
         }) {
        INFO(text);
        const auto schema = ferry::JsonSchema::parse_text(text, "schema");
        REQUIRE_FALSE(schema.ok());
        CHECK(schema.status().message().find("a cycle of references") != std::string::npos);
    }
    // A recursive schema is not a cycle: each $ref reaches a schema with constraints.
    const auto tree = ferry::JsonSchema::parse_text(
        R"({"type": "object", "properties": {"child": {"$ref": "#"}, "n": {"type": "integer"}}})",
        "schema");
    REQUIRE(tree.ok());
    CHECK(tree->validate(nlohmann::json::parse(R"({"child": {"child": {"n": 1}}})"), "doc").ok());
    CHECK_FALSE(
        tree->validate(nlohmann::json::parse(R"({"child": {"child": {"n": "x"}}})"), "doc").ok());
}

TEST_CASE("multipleOf is a number above 0, checked without int64 truncation", "[fuzz]") {
    // crash-multipleof-*: valijson divides int64 by it (0 and -1 trap) after truncating the
    // value to int64 (undefined for 1e300; 2.5 passed as a multiple of 2).
    for (const char* text : {R"({"multipleOf": 0})", R"({"multipleOf": -1})",
                             R"({"properties": {"n": {"multipleOf": "2"}}})"}) {
        INFO(text);
        const auto schema = ferry::JsonSchema::parse_text(text, "schema");
        REQUIRE_FALSE(schema.ok());
        CHECK(schema.status().message().find("multipleOf: must be a number greater than 0") !=
              std::string::npos);
    }
    const auto even = ferry::JsonSchema::parse_text(R"({"multipleOf": 2})", "schema");
    REQUIRE(even.ok());
    CHECK(even->validate(4, "doc").ok());
    CHECK(even->validate(1e300, "doc").ok());
    CHECK_FALSE(even->validate(3, "doc").ok());
    CHECK_FALSE(even->validate(2.5, "doc").ok());
}

TEST_CASE("a format applies to strings only, and a non-string does not throw", "[fuzz]") {
    // crash-format-*: valijson read any value under "format" as a string and threw for an array
    // or an object; the SOAP adapter's options have {"type": "string", "format": "date"}.
    const auto schema = ferry::JsonSchema::parse_text(
        R"({"properties": {"start": {"type": "string", "format": "date"},
                           "any": {"format": "date"}}})",
        "schema");
    REQUIRE(schema.ok());
    const auto status_of = [&](const char* document) {
        return schema->validate(nlohmann::json::parse(document), "options");
    };
    CHECK(status_of(R"({"start": "2024-01-31", "any": ["x"]})").ok());
    const ferry::Status array = status_of(R"({"start": ["2024-01-01"]})");
    CHECK(array.code() == ferry::StatusCode::InvalidArgument);
    CHECK(array.message().find("/start: Value type not permitted") != std::string::npos);
    const ferry::Status bad_date = status_of(R"({"start": "2024-13-01"})");
    CHECK(bad_date.code() == ferry::StatusCode::InvalidArgument);
    CHECK(bad_date.message().find("/start: ") != std::string::npos);
    CHECK(bad_date.message().find("conditional") == std::string::npos);
}

TEST_CASE("encode fails on characters glibc substitutes or drops silently", "[fuzz]") {
    // crash-ibm935-encode-*: glibc writes SUB (0x3F) without counting it as irreversible;
    // crash-gbk-encode-tag-character: it drops U+E0000..U+E007F on every page but GB18030.
    struct Case {
        const char* page;
        std::string utf8;
        std::size_t offset;
    };

    const Case cases[] = {{"IBM935", "AB\x0e", 2},
                          {"IBM935", "\x0f", 0},
                          {"IBM1388", "x\u00a0y", 1},
                          {"GBK", "A\U000E0001B", 1},
                          {"CP037", "\U000E0001", 0}};
    for (const Case& test : cases) {
        INFO(test.page << " " << ferry::to_hex(test.utf8));
        auto page = ferry::CodePage::open(test.page);
        REQUIRE(page.ok());
        std::string out = "kept";
        const auto failure = page->encode(test.utf8, out);
        REQUIRE(failure.has_value());
        CHECK(failure->offset == test.offset);
        CHECK(out == "kept");
    }
    auto ibm935 = ferry::CodePage::open("IBM935");
    REQUIRE(ibm935.ok());
    std::string out;
    REQUIRE_FALSE(ibm935->encode("中文 ABC", out));
    CHECK(ferry::to_hex(out) == "0e 5b cf 57 c3 0f 40 c1 c2 c3");
}
