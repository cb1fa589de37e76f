// SPDX-License-Identifier: Apache-2.0
// json_schema_test.cpp — JSON Schema validation and JSON syntax errors with line and column.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ferry/json_schema.h"
#include "ferry/text.h"

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

TEST_CASE("a misspelt property gets a hint naming the closest allowed one", "[json]") {
    auto schema = ferry::JsonSchema::parse_text(
        R"({"type": "object", "additionalProperties": false,
            "definitions": {"retry": {"type": "object", "additionalProperties": false,
                                      "properties": {"max_attempts": {"type": "integer"}}}},
            "properties": {
              "count": {"type": "integer"}, "dsn": {"type": "string"},
              "retry": {"$ref": "#/definitions/retry"},
              "columns": {"type": "array", "items": {"type": "object",
                          "additionalProperties": false,
                          "properties": {"name": {"type": "string"}, "type": {"type": "string"}}}},
              "tls": {"anyOf": [{"type": "boolean"},
                                {"type": "object", "additionalProperties": false,
                                 "properties": {"ca_file": {"type": "string"}}}]}}})",
        "plugin x options_schema");
    REQUIRE(schema.ok());

    const ferry::Status top = schema->validate({{"dns", "typo"}}, "options");
    CHECK(top.code() == ferry::StatusCode::InvalidArgument);
    CHECK_THAT(top.message(), Catch::EndsWith("'dns'. (did you mean \"dsn\"?)"));

    // Nested objects name their own properties: through a $ref, array items and anyOf.
    const ferry::Status nested = schema->validate({{"retry", {{"max_atempts", 1}}}}, "options");
    CHECK_THAT(nested.message(),
               Catch::Contains("/retry: ") && Catch::EndsWith("(did you mean \"max_attempts\"?)"));
    const auto unknown_key = [](const std::vector<ferry::JsonSchemaViolation>& found) {
        for (const ferry::JsonSchemaViolation& violation : found) {
            if (violation.message.find("could not be validated") != std::string::npos) {
                return violation;
            }
        }
        return ferry::JsonSchemaViolation{};
    };
    const auto items =
        unknown_key(schema->violations({{"columns", {{{"name", "a"}, {"typ", "text"}}}}}));
    CHECK(items.pointer == "/columns/0");
    CHECK_THAT(items.message, Catch::EndsWith("(did you mean \"type\"?)"));
    const auto tls = unknown_key(schema->violations({{"tls", {{"cafile", "x.pem"}}}}));
    CHECK(tls.pointer == "/tls");
    CHECK_THAT(tls.message, Catch::EndsWith("(did you mean \"ca_file\"?)"));

    // Nothing close enough: no hint, rather than a wrong one.
    const ferry::Status far = schema->validate({{"zzzzzzzz", 1}}, "options");
    CHECK_THAT(far.message(), Catch::EndsWith("'zzzzzzzz'."));
}

TEST_CASE("closest_name finds typos and nothing else", "[json]") {
    const std::vector<std::string> names{"count", "seed", "dirty_every", "region"};
    CHECK(ferry::closest_name("cuont", names) == "count");
    CHECK(ferry::closest_name("dirty_evry", names) == "dirty_every");
    CHECK(ferry::closest_name("naem", {"name", "gender"}) == "name"); // a swap is one edit
    CHECK(ferry::closest_name("dns", {"dsn"}) == "dsn");
    CHECK(ferry::closest_name("colour", names).empty());
    CHECK(ferry::closest_name("x", {}).empty());
}
