// SPDX-License-Identifier: Apache-2.0
// ndjson_test.cpp — NDJSON rendering: exact decimals as strings, escaping, base64, lineage.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ferry/batch_builder.h"
#include "ferry/ndjson.h"

TEST_CASE("records render as NDJSON that any JSON parser reads back exactly", "[ndjson]") {
    const ferry::Schema schema({{"id", ferry::DataType::utf8(), false},
                                {"wage", ferry::DataType::decimal128(38, 2).value(), true},
                                {"born", ferry::DataType::date32(), true},
                                {"photo", ferry::DataType::binary(), true},
                                {"n", ferry::DataType::int64(), true},
                                {"ok", ferry::DataType::boolean(), true}});
    ferry::BatchBuilder builder(schema);
    const ferry::Value first[] = {
        ferry::Value::text("11010519491231002X \"quoted\"\n\ttab\x01").value(),
        ferry::Value::decimal(
            ferry::Decimal::parse("123456789012345678901234567890123456.78").value()),
        ferry::Value::date(ferry::Date::from_ymd(1949, 12, 31).value()),
        ferry::Value::bytes("Man"),
        ferry::Value::int64(-9007199254740993),
        ferry::Value::boolean(false)};
    REQUIRE(builder.append_record(41, first).ok());
    const std::vector<ferry::Value> second(6, ferry::Value::null());
    std::vector<ferry::Value> second_row = second;
    second_row[0] = ferry::Value::text("王").value();
    second_row[3] = ferry::Value::bytes("Ma");
    REQUIRE(builder.append_record(42, second_row).ok());
    FerryBatch raw{};
    REQUIRE(builder.finish(&raw).ok());
    const ferry::Batch batch(std::move(raw), std::make_shared<const ferry::Schema>(schema),
                             nullptr);

    std::string out;
    ferry::append_ndjson(batch, out, {.lineage = true});
    const auto newline = out.find('\n');
    REQUIRE(newline != std::string::npos);
    const auto line1 = nlohmann::json::parse(out.substr(0, newline));
    const auto line2 = nlohmann::json::parse(out.substr(newline + 1));
    CHECK(line1["_record_no"] == 41);
    CHECK(line1["id"] == "11010519491231002X \"quoted\"\n\ttab\x01");
    CHECK(line1["wage"] == "123456789012345678901234567890123456.78");
    CHECK(line1["born"] == "1949-12-31");
    CHECK(line1["photo"] == "TWFu");
    CHECK(line1["n"] == -9007199254740993);
    CHECK(line1["ok"] == false);
    CHECK(line2["_record_no"] == 42);
    CHECK(line2["id"] == "王");
    CHECK(line2["wage"].is_null());
    CHECK(line2["photo"] == "TWE=");
    CHECK(out.back() == '\n');
}

TEST_CASE("NDJSON strings round-trip whatever sits where in the word-at-a-time scan", "[ndjson]") {
    // Every special byte (controls, quote, backslash) at every position of strings up to 40
    // bytes long, between ASCII and multi-byte UTF-8: parsing the output gives the text back.
    const std::vector<std::string> specials{
        "\"", "\\", "\n", "\r", "\t", std::string(1, '\0'), "\x1f", "\x01", "\x7f", "/"};
    const std::vector<std::string> fillers{"a", "é", "王"};
    for (const auto& filler : fillers) {
        for (const auto& special : specials) {
            for (std::size_t length = 0; length <= 40; ++length) {
                for (std::size_t at = 0; at <= length; ++at) {
                    std::string text;
                    for (std::size_t idx = 0; idx < length; ++idx) {
                        text += idx == at ? special : filler;
                    }
                    std::string out;
                    ferry::append_json_string(text, out);
                    INFO("filler " << filler << " length " << length << " at " << at);
                    REQUIRE(nlohmann::json::parse(out).get<std::string>() == text);
                }
            }
        }
    }
}

TEST_CASE("a field the record lacks is left out of its object, a null is written as null",
          "[ndjson][absent]") {
    const ferry::Schema schema({{"id", ferry::DataType::utf8(), true},
                                {"city", ferry::DataType::utf8(), true},
                                {"n", ferry::DataType::int64(), true}});
    ferry::BatchBuilder builder(schema);
    auto record = [&](std::int64_t record_no, bool id_absent, bool city_absent) {
        REQUIRE(builder.begin_record(record_no).ok());
        id_absent ? builder.column(0).append_absent()
                  : builder.column(0).append_text_unchecked("a");
        city_absent ? builder.column(1).append_absent() : builder.column(1).append_null();
        builder.column(2).append_int64(record_no);
        REQUIRE(builder.commit_record().ok());
    };
    record(1, false, true);
    record(2, true, false);
    // A rejected record's absent cells go with it: record 4 reuses the row.
    REQUIRE(builder.begin_record(3).ok());
    builder.column(0).append_absent();
    builder.column(1).append_absent();
    builder.reject_record(ferry::Reject("n", "type", "not an integer"));
    record(4, false, false);
    FerryBatch raw{};
    REQUIRE(builder.finish(&raw).ok());
    REQUIRE(raw.absent != nullptr);
    CHECK(ferry::validate_batch(raw, schema, ferry::BatchCheck::Full).ok());
    const ferry::Batch batch(std::move(raw), std::make_shared<const ferry::Schema>(schema),
                             nullptr);
    CHECK(batch.absent(1, 0));
    CHECK(batch.absent(0, 1));
    CHECK_FALSE(batch.absent(0, 2));
    CHECK_FALSE(batch.absent(1, 2));
    CHECK(batch.column(1).is_null(2));

    std::string out;
    ferry::append_ndjson(batch, out, {});
    CHECK(
        out ==
        "{\"id\":\"a\",\"n\":1}\n{\"city\":null,\"n\":2}\n{\"id\":\"a\",\"city\":null,\"n\":4}\n");
    out.clear();
    ferry::append_ndjson(batch, out, {.lineage = true});
    CHECK(out.substr(0, out.find('\n')) == "{\"_record_no\":1,\"id\":\"a\",\"n\":1}");

    SECTION("the next batch starts with no absent values") {
        record(5, false, false);
        FerryBatch next{};
        REQUIRE(builder.finish(&next).ok());
        CHECK(next.absent == nullptr);
        next.release(&next);
    }
}

TEST_CASE("a value marked absent that is not null is a malformed batch", "[ndjson][absent]") {
    const ferry::Schema schema({{"id", ferry::DataType::utf8(), true}});
    ferry::BatchBuilder builder(schema);
    REQUIRE(builder.begin_record(1).ok());
    builder.column(0).append_text_unchecked("a");
    REQUIRE(builder.commit_record().ok());
    FerryBatch raw{};
    REQUIRE(builder.finish(&raw).ok());
    const std::uint8_t bits[] = {1};
    const std::uint8_t* fields[] = {bits};
    raw.absent = fields; // as a faulty plugin would
    const ferry::Status checked = ferry::validate_batch(raw, schema, ferry::BatchCheck::Structure);
    CHECK_FALSE(checked.ok());
    CHECK(checked.message().find("\"id\" of row 0 is marked absent but holds a value") !=
          std::string::npos);
    raw.absent = nullptr;
    raw.release(&raw);
}
