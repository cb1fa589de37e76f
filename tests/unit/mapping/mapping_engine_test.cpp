// SPDX-License-Identifier: Apache-2.0
// mapping_engine_test.cpp — mapping batches: values, rejects, lineage, counts, parallel order.
#include <catch2/catch.hpp>

#include "ferry/batch_builder.h"
#include "ferry/mapped_reader.h"
#include "ferry/ndjson.h"

#include "mapping_test_support.h"

using namespace ferry;
using ferry::testing::compile_mapping;
using ferry::testing::render;
using ferry::testing::text_batch;

namespace {

const char* const kPersonMapping = R"json({
  // A mapping as an integrator writes it: comments allowed.
  "id": "test.person",
  "source": {
    "dataset": "AC01",
    "fields": {"AAC001": "text", "AAC002": "text", "AAC003": "text", "AAC004": "text",
               "AAC006": "text", "AAC040": "text"}
  },
  "target": "person",
  "crosswalks": {
    "sex": {"to_table": "gender", "from_system": "legacy.aac004",
            "map": {"1": "1", "2": "2", "M": "1", "F": "2"}}
  },
  "fields": {
    "person_id": {"from": "AAC001", "transforms": ["trim"]},
    "id_number": {"from": "AAC002", "transforms": [{"op": "gb11643"}]},
    "name": {"from": "AAC003", "transforms": ["trim"]},
    "sex": {"from": "AAC004", "transforms": [{"op": "code", "crosswalk": "sex"}]},
    "birth_date": {"from": "AAC006", "transforms": [{"op": "date", "format": "yyyyMMdd"}]},
    "wage": {"from": "AAC040", "transforms": [{"op": "decimal", "precision": 14, "scale": 2}]},
    "region": {"value": "110105"}
  },
  "rejects": {"max_count": 3}
})json";

const std::vector<std::string> kFields{"AAC001", "AAC002", "AAC003", "AAC004", "AAC006", "AAC040"};

} // namespace

TEST_CASE("a clean record maps onto every target field", "[mapping]") {
    std::vector<Diagnostic> diagnostics;
    Result<Mapping> mapping = compile_mapping(kPersonMapping, diagnostics);
    INFO(render(diagnostics));
    REQUIRE(mapping.ok());
    CHECK(mapping->output_schema().size() == 7);
    Batch input = text_batch(
        kFields, {{" 1000000001 ", "11010519900307101x", "张三 ", "M", "19900307", "8000.5"}});
    Result<Batch> output = mapping->apply(input);
    REQUIRE(output.ok());
    REQUIRE(output->num_rows() == 1);
    std::string json;
    append_ndjson(*output, json, {true});
    CHECK(json ==
          R"json({"_record_no":1,"person_id":"1000000001","id_number":"11010519900307101X",)json"
          R"json("name":"张三","sex":"1","birth_date":"1990-03-07","wage":"8000.50",)json"
          R"json("region":"110105"})json"
          "\n");
}

TEST_CASE("dirty records are rejected with field, rule and reason; counts reconcile", "[mapping]") {
    std::vector<Diagnostic> diagnostics;
    Result<Mapping> mapping = compile_mapping(kPersonMapping, diagnostics);
    REQUIRE(mapping.ok());
    Batch input = text_batch(
        kFields,
        {
            {"1", "110105199003071239", "a", "1", "19900307", "1"},      // clean
            {"2", "110105199003071234", "b", "1", "19900307", "1"},      // check digit
            {"3", "110105199003071239", "c", "X", "19900307", "1"},      // unknown code
            {"4", "110105199003071239", "d", "2", "19900230", "1"},      // impossible date
            {"5", "110105199003071239", "e", "2", "19900307", "1.234"},  // needs rounding
            {"6", "\x01", "f", "2", "19900307", "1"},                    // required missing
            {"7", "110105199003071239", "\x01", "\x01", "\x01", "\x01"}, // optional nulls
        },
        101);
    Result<Batch> output = mapping->apply(input);
    REQUIRE(output.ok());
    CHECK(output->records_read() == 7);
    CHECK(output->num_rows() == 2);
    REQUIRE(output->rejects().size() == 5);
    CHECK(output->num_rows() + static_cast<std::int64_t>(output->rejects().size()) ==
          input.records_read());
    CHECK(output->record_no(0) == 101);
    CHECK(output->record_no(1) == 107);
    const auto rejects = output->rejects();
    CHECK(rejects[0].record_no == 102);
    CHECK(std::string(rejects[0].field) == "id_number");
    CHECK(std::string(rejects[0].rule) == "gb11643");
    CHECK(rejects[0].raw == nullptr); // id_number is sensitive: never its value
    CHECK(std::string(rejects[1].field) == "sex");
    CHECK(std::string(rejects[1].rule) == "code");
    REQUIRE(rejects[1].raw != nullptr); // sex is not sensitive: the raw code helps operators
    CHECK(std::string(static_cast<const char*>(rejects[1].raw),
                      static_cast<std::size_t>(rejects[1].raw_size)) == "X");
    CHECK_THAT(std::string(rejects[1].location), Catch::Contains("test.mapping.json:"));
    // The person's key is sensitive (pseudonymised), so no reject names it.
    CHECK_THAT(std::string(rejects[1].location), !Catch::Contains("key"));
    CHECK(std::string(rejects[2].field) == "birth_date");
    CHECK(std::string(rejects[3].field) == "wage");
    CHECK(std::string(rejects[4].field) == "id_number");
    CHECK(std::string(rejects[4].rule) == "required");
    for (const FerryReject& reject : rejects) {
        INFO(reject.reason);
        CHECK(std::string(reject.reason).find("1990") == std::string::npos); // no values
    }
}

TEST_CASE("rejects of the source pass through in record order", "[mapping]") {
    std::vector<Diagnostic> diagnostics;
    Result<Mapping> mapping = compile_mapping(kPersonMapping, diagnostics);
    REQUIRE(mapping.ok());
    Schema schema({{"AAC001", DataType::utf8(), true},
                   {"AAC002", DataType::utf8(), true},
                   {"AAC003", DataType::utf8(), true},
                   {"AAC004", DataType::utf8(), true},
                   {"AAC006", DataType::utf8(), true},
                   {"AAC040", DataType::utf8(), true}});
    BatchBuilder builder(schema, 10);
    auto row = [](const char* id) {
        return std::vector<Value>{
            Value::text(id).value(),         Value::text("110105199003071239").value(),
            Value::text("n").value(),        Value::text("1").value(),
            Value::text("19900307").value(), Value::text("1").value()};
    };
    REQUIRE(builder.append_record(1, row("a")).ok());
    REQUIRE(builder.reject(2, Reject("", "ragged_row", "7 fields, expected 6", "f.csv:3")).ok());
    REQUIRE(builder.append_record(3, row("c")).ok());
    FerryBatch raw{};
    REQUIRE(builder.finish(&raw).ok());
    Batch input(std::move(raw), std::make_shared<const Schema>(schema), nullptr);
    Result<Batch> output = mapping->apply(input);
    REQUIRE(output.ok());
    CHECK(output->records_read() == 3);
    REQUIRE(output->rejects().size() == 1);
    CHECK(output->rejects()[0].record_no == 2);
    CHECK(std::string(output->rejects()[0].rule) == "ragged_row");
    CHECK(std::string(output->rejects()[0].location) == "f.csv:3");
}

TEST_CASE("a mapped reader keeps source order on several threads and reconciles counts",
          "[mapping]") {
    std::vector<Diagnostic> diagnostics;
    std::string text = kPersonMapping;
    text.replace(text.find("\"max_count\": 3"), 14, "\"max_count\": 100000");
    Result<Mapping> mapping = compile_mapping(text, diagnostics);
    REQUIRE(mapping.ok());
    constexpr int kBatches = 40;
    constexpr int kRows = 50;
    int produced = 0;
    BatchSource source = [&]() -> Result<std::optional<Batch>> {
        if (produced == kBatches) {
            return std::optional<Batch>();
        }
        std::vector<std::vector<std::string>> rows;
        for (int idx = 0; idx < kRows; ++idx) {
            const bool dirty = idx % 10 == 3;
            rows.push_back({std::to_string(produced * kRows + idx),
                            dirty ? "110105199003071234" : "110105199003071239", "n", "1",
                            "19900307", "10"});
        }
        const std::int64_t first = std::int64_t{produced} * kRows + 1;
        ++produced;
        return std::optional<Batch>(text_batch(kFields, rows, first));
    };
    MappedReader reader(source, *mapping, 4);
    std::int64_t expected_record = 1;
    std::int64_t delivered = 0;
    while (true) {
        Result<std::optional<Batch>> batch = reader.next();
        REQUIRE(batch.ok());
        if (!*batch) {
            break;
        }
        for (std::int64_t row = 0; row < (*batch)->num_rows(); ++row) {
            CHECK((*batch)->record_no(row) >= expected_record);
            expected_record = (*batch)->record_no(row) + 1;
        }
        delivered += (*batch)->num_rows();
    }
    CHECK(reader.records_read() == kBatches * kRows);
    CHECK(reader.records_rejected() == kBatches * kRows / 10);
    CHECK(reader.records_delivered() == delivered);
    CHECK(reader.records_read() == reader.records_delivered() + reader.records_rejected());
}

TEST_CASE("the reject policy stops a stream after the batch that crossed it", "[mapping]") {
    std::vector<Diagnostic> diagnostics;
    Result<Mapping> mapping = compile_mapping(kPersonMapping, diagnostics); // max_count 3
    REQUIRE(mapping.ok());
    int produced = 0;
    BatchSource source = [&]() -> Result<std::optional<Batch>> {
        ++produced;
        std::vector<std::vector<std::string>> rows(
            4, {"1", "110105199003071234", "n", "1", "19900307", "1"});
        return std::optional<Batch>(text_batch(kFields, rows, produced * 10));
    };
    MappedReader reader(source, *mapping, 1);
    Result<std::optional<Batch>> first = reader.next();
    REQUIRE(first.ok());
    CHECK((*first)->rejects().size() == 4); // delivered to the caller: nothing is lost
    Result<std::optional<Batch>> second = reader.next();
    REQUIRE_FALSE(second.ok());
    CHECK(second.status().code() == StatusCode::Data);
    CHECK_THAT(second.status().message(), Catch::Contains("rejects.max_count"));
}
