// SPDX-License-Identifier: Apache-2.0
// samples_test.cpp — the sample estate's flat files, read through the adapter and then through
// their mappings (samples/mappings/estate_file_*.mapping.json): counts reconcile, the dirty
// records are the rejects the generator planted, and the mapped records are delivered.
#include <cstdlib>

#include <catch2/catch.hpp>

#include "ferry/mapped_reader.h"
#include "ferry/mapping.h"

#include "flatfile_test_support.h"

using namespace ferry::flatfile::testing;

namespace {

const std::string kFiles = FERRY_SAMPLE_FILES;
const std::string kMappings = FERRY_SAMPLE_MAPPINGS;

nlohmann::json withholding_options() {
    return {{"format", "delimited"},
            {"path", kFiles + "/bank_withholding_20261129.txt"},
            {"delimiter", "|"},
            {"header", false},
            {"dataset", "withholding"},
            {"columns",
             {"serial",
              "AAC001",
              "AAC003",
              "AAC002",
              "AAE140",
              {{"name", "AAE002"}, {"type", "decimal(6,0)"}},
              {{"name", "AAE082"}, {"type", "decimal(14,2)"}},
              {{"name", "deducted_on"}, {"type", "date"}}}},
            {"summary",
             {{"line", "first"},
              {"count_field", 1},
              {"amount_field", 2},
              {"amount_column", "AAE082"}}}};
}

nlohmann::json persons_options() {
    return {{"format", "fixed"},
            {"path", kFiles + "/persons_export.txt"},
            {"dataset", "persons"},
            {"fields",
             {{{"name", "AAC001"}, {"start", 1}, {"length", 15}},
              {{"name", "AAC002"}, {"start", 16}, {"length", 18}},
              {{"name", "AAC003"}, {"start", 34}, {"length", 20}},
              {{"name", "AAC004"}, {"start", 54}, {"length", 1}},
              {{"name", "AAC006"}, {"start", 55}, {"length", 8}, {"type", "date"}},
              {{"name", "AAC040"},
               {"start", 63},
               {"length", 10},
               {"type", "decimal(14,2)"},
               {"implied_decimals", true}}}}};
}

nlohmann::json benefits_options() {
    return {{"format", "copybook"},
            {"path", kFiles + "/benefit_payments.ebcdic"},
            {"copybook", kFiles + "/benefit_payments.cpy"},
            {"encoding", "IBM1388"},
            {"dataset", "benefits"}};
}

/// Reads `dataset` through the mapping file; returns {read, delivered, rejected}.
std::array<std::int64_t, 3> mapped_counts(const nlohmann::json& options,
                                          const std::string& dataset,
                                          const std::string& mapping_file) {
    ::setenv("FERRY_PSEUDONYM_KEY", "sample key, not a secret", 0);
    std::vector<ferry::Diagnostic> findings;
    auto mapping = ferry::Mapping::load(kMappings + "/" + mapping_file, {}, findings);
    INFO(mapping.status().to_string());
    REQUIRE(mapping.ok());
    auto source = flatfile_plugin().create_source(options);
    REQUIRE(source.ok());
    auto reader = source->open_stream(dataset);
    REQUIRE(reader.ok());
    ferry::MappedReader mapped(ferry::batch_source(std::move(*reader)), std::move(*mapping));
    for (int guard = 0; guard < 1000; ++guard) {
        auto batch = mapped.next();
        INFO(batch.status().to_string());
        REQUIRE(batch.ok());
        if (!*batch) {
            break;
        }
    }
    return {mapped.records_read(), mapped.records_delivered(), mapped.records_rejected()};
}

} // namespace

TEST_CASE("samples: the bank withholding batch (GBK, summary line)", "[flatfile][samples]") {
    auto contents = read_all(withholding_options(), nullptr, "withholding");
    REQUIRE(contents.ok());
    INFO(contents->end_status.to_string());
    CHECK(contents->end_status.ok()); // count and total match, the rejected line included
    CHECK(contents->read == 30);
    REQUIRE(contents->rejects.size() == 1);
    CHECK(contents->rejects[0].record_no == 17);
    CHECK(contents->rejects[0].rule == "code_page");
    CHECK(contents->rejects[0].field == "AAC003");
    const auto counts = mapped_counts(withholding_options(), "withholding",
                                      "estate_file_withholding.contribution.mapping.json");
    CHECK(counts[0] == 30);
    CHECK(counts[1] + counts[2] == 30);
    CHECK(counts[1] >= 29 - 8); // 03 (unemployment) lines map too; only bad names drop
}

TEST_CASE("samples: the fixed-width GBK person export", "[flatfile][samples]") {
    auto contents = read_all(persons_options(), nullptr, "persons");
    REQUIRE(contents.ok());
    CHECK(contents->read == 40);
    REQUIRE(contents->rejects.size() == 1);
    CHECK(contents->rejects[0].rule == "record_length");
    CHECK(contents->cell(0, "AAC003") == "李洋");
    const auto counts =
        mapped_counts(persons_options(), "persons", "estate_file_persons.person.mapping.json");
    CHECK(counts[0] == 40);
    CHECK(counts[1] == 39);
}

TEST_CASE("samples: the IBM1388 benefit-payment extract", "[flatfile][samples]") {
    auto source = flatfile_plugin().create_source(benefits_options());
    REQUIRE(source.ok());
    auto discovered = source->discover(); // checked against discovery.schema.json by the host
    INFO(discovered.status().to_string());
    REQUIRE(discovered.ok());
    const auto& fields = (*discovered)["datasets"][0]["fields"];
    REQUIRE(fields.size() == 10); // 8 from the copybook, then the two lineage columns
    CHECK(fields[8]["name"] == "_source_file");
    CHECK(fields[9]["name"] == "_byte_offset");
    CHECK(fields[9]["type"] == "int64");
    CHECK(fields[5]["name"] == "PAY-AMOUNT");
    CHECK(fields[5]["type"] == "decimal(11,2)");
    CHECK(fields[5]["source_type"] == "PIC S9(9)V99 COMP-3");
    CHECK((*discovered)["datasets"][0]["extensions"]["record_length"] == 68);

    auto contents = read_all(benefits_options(), nullptr, "benefits");
    REQUIRE(contents.ok());
    CHECK(contents->read == 25);
    REQUIRE(contents->rejects.size() == 1);
    CHECK(contents->rejects[0].field == "PAY-AMOUNT");
    CHECK_THAT(contents->rejects[0].reason, Catch::Contains("raw 40 40 40 40 40 40"));
    bool saw_zhe = false; // 喆 is in IBM1388, not in IBM935
    for (std::size_t row = 0; row < contents->rows.size(); ++row) {
        saw_zhe |= contents->cell(row, "PERSON-NAME").find("喆") != std::string::npos;
    }
    CHECK(saw_zhe);
    const auto counts = mapped_counts(benefits_options(), "benefits",
                                      "estate_file_benefits.benefit_payment.mapping.json");
    CHECK(counts[0] == 25);
    CHECK(counts[1] + counts[2] == 25);
}
