// SPDX-License-Identifier: Apache-2.0
// json_schema_test.cpp — JSON Schema validation and JSON syntax errors with line and column.
#include <catch2/catch.hpp>

#include "ferry/json_schema.h"

TEST_CASE("violations are listed with JSON pointers", "[json]") {
    auto schema = ferry::JsonSchema::parse_text(
        R"({"type":"object","additionalProperties":false,
            "properties":{"count":{"type":"integer","minimum":0},"dsn":{"type":"string"}}})",
        "test schema");
    REQUIRE(schema.ok());
    CHECK(schema->validate({{"count", 3}, {"dsn", "x"}}, "options").ok());
    const ferry::Status status = schema->validate({{"count", -1}}, "options");
    CHECK(status.code() == ferry::StatusCode::InvalidArgument);
    CHECK(status.message().find("options do not match test schema: /count:") != std::string::npos);
    CHECK_FALSE(schema->validate({{"dns", "typo"}}, "options").ok());
}

TEST_CASE("JSON syntax errors name the line and column", "[json]") {
    auto parsed = ferry::parse_json("{\n  \"a\": 1,\n  \"b\": ]\n}", "mapping.json");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().location() == "mapping.json:3:8");
    CHECK(ferry::parse_json("{\"a\": 1 /* comments are allowed */}", "x").ok());
}

TEST_CASE("a broken schema is reported as such", "[json]") {
    CHECK_FALSE(ferry::JsonSchema::parse_text("{\"type\": 12}", "plugin x options_schema").ok());
    CHECK_FALSE(ferry::JsonSchema::parse_text("{", "plugin x options_schema").ok());
}
