// SPDX-License-Identifier: Apache-2.0
// data_type_test.cpp — type names, Arrow format strings and their limits.
#include <catch2/catch.hpp>

#include "ferry/data_type.h"

TEST_CASE("Arrow format strings round-trip for every supported type", "[types]") {
    const std::vector<ferry::DataType> types = {
        ferry::DataType::boolean(),
        ferry::DataType::int64(),
        ferry::DataType::decimal128(38, 10).value(),
        ferry::DataType::date32(),
        ferry::DataType::timestamp_micros(),
        ferry::DataType::timestamp_micros("UTC"),
        ferry::DataType::utf8(),
        ferry::DataType::binary(),
    };
    for (const auto& type : types) {
        INFO(type.arrow_format());
        auto back = ferry::DataType::from_arrow_format(type.arrow_format());
        REQUIRE(back.ok());
        CHECK(*back == type);
        auto parsed = ferry::DataType::parse(type.to_string());
        REQUIRE(parsed.ok());
        CHECK(*parsed == type);
    }
    CHECK(ferry::DataType::from_arrow_format("d:14,2,128").value() ==
          ferry::DataType::decimal128(14, 2).value());
}

TEST_CASE("unsupported or invalid types say what is wrong", "[types]") {
    CHECK(ferry::DataType::decimal128(39, 2).status().code() == ferry::StatusCode::InvalidArgument);
    CHECK(ferry::DataType::decimal128(10, 11).status().message().find("scale") !=
          std::string::npos);
    CHECK(ferry::DataType::from_arrow_format("f").status().code() ==
          ferry::StatusCode::NotImplemented);
    CHECK(ferry::DataType::from_arrow_format("d:14,2,256").status().code() ==
          ferry::StatusCode::NotImplemented);
    CHECK(ferry::DataType::from_arrow_format("tsu:Asia/Shanghai").status().code() ==
          ferry::StatusCode::NotImplemented);
    CHECK(ferry::DataType::parse("decimal(14)").status().code() ==
          ferry::StatusCode::InvalidArgument);
    CHECK(ferry::DataType::parse("varchar").status().message() == "unknown type \"varchar\"");
}

TEST_CASE("field lookup ignores ASCII case, as legacy databases do", "[types]") {
    const ferry::Schema schema(
        {{"AAC001", ferry::DataType::utf8(), false}, {"aac003", ferry::DataType::utf8(), true}});
    CHECK(schema.index_of("aac001") == std::optional<std::size_t>(0));
    CHECK(schema.index_of("AAC003") == std::optional<std::size_t>(1));
    CHECK_FALSE(schema.index_of("AAC004").has_value());
}
