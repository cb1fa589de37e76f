// SPDX-License-Identifier: Apache-2.0
// reconciliation_test.cpp — the verdict at the end of a stream: declared figures against counts,
// the sentences that name a difference, skipped records, and the report's JSON both ways.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "ferry/batch.h"
#include "ferry/batch_builder.h"
#include "ferry/json_schema.h"
#include "ferry/plugin/accounting.h"
#include "ferry/reconciliation.h"

#ifndef FERRY_SOURCE_DIR
#    define FERRY_SOURCE_DIR "."
#endif

namespace {

ferry::StreamReport report_of(const ferry::plugin::StreamAccounting& accounting) {
    return ferry::StreamReport::parse(accounting.to_json()).value();
}

} // namespace

TEST_CASE("a trailer count that matches what was read reconciles", "[reconciliation]") {
    ferry::plugin::StreamAccounting accounting;
    accounting.declare_records(200, "trailer record 202 (TRL-COUNT)");
    const ferry::Reconciliation verdict = ferry::reconcile(report_of(accounting), {200, 198, 2, 0});
    CHECK(verdict.verdict == ferry::Verdict::Reconciled);
    REQUIRE(verdict.checks.size() == 1);
    CHECK(verdict.checks[0].sentence ==
          "trailer record 202 (TRL-COUNT) counts 200 records and 200 were read");
}

TEST_CASE("each differing figure is named", "[reconciliation]") {
    ferry::plugin::StreamAccounting accounting;
    accounting.declare_records(201, "trailer");
    accounting.declare_sum("AMOUNT", ferry::Decimal::parse("1000.50").value(), "trailer");
    REQUIRE(accounting.add_to_sum("AMOUNT", ferry::Decimal::parse("1000.5").value()).ok());
    accounting.declare_bytes(4096, "the file's size");
    accounting.observe_bytes(4000);
    const ferry::Reconciliation verdict = ferry::reconcile(report_of(accounting), {200, 200, 0, 0});
    CHECK(verdict.verdict == ferry::Verdict::Unreconciled);
    CHECK(verdict.summary() ==
          "trailer counts 201 records, 200 were read; the file's size says 4096 bytes, 4000 "
          "were read");
    CHECK(verdict.checks[1].matches); // 1000.50 == 1000.5: compared as decimals
    const nlohmann::json json = verdict.to_json();
    CHECK(json["verdict"] == "unreconciled");
    CHECK(json["figures"].size() == 3);
}

TEST_CASE("segments and sums are compared with what the stream observed", "[reconciliation]") {
    ferry::plugin::StreamAccounting accounting;
    accounting.declare_records(60, "trailer", "D");
    accounting.count_segment("D", 59);
    accounting.count_segment("H");
    accounting.declare_sum("AMOUNT", ferry::Decimal::parse("12.34").value(), "trailer");
    REQUIRE(accounting.add_to_sum("AMOUNT", ferry::Decimal::parse("12.30").value()).ok());
    const ferry::Reconciliation verdict = ferry::reconcile(report_of(accounting), {60, 60, 0, 0});
    CHECK(verdict.verdict == ferry::Verdict::Unreconciled);
    CHECK(verdict.summary() == "trailer counts 60 records of segment D, 59 were read; trailer "
                               "totals AMOUNT at 12.34, the records read total 12.30");
}

TEST_CASE("skipped records count only where the source's count includes them", "[reconciliation]") {
    ferry::plugin::StreamAccounting accounting;
    accounting.count_skipped("blank_line", 2);
    accounting.declare_records(10, "trailer");
    CHECK(ferry::reconcile(report_of(accounting), {12, 10, 0, 2}).verdict ==
          ferry::Verdict::Reconciled);
    accounting.declare_records(12, "the DBF header", {}, /*includes_skipped=*/true);
    CHECK(ferry::reconcile(report_of(accounting), {12, 10, 0, 2}).verdict ==
          ferry::Verdict::Reconciled);
    SECTION("skip reasons must add up to the batches' skipped records") {
        const ferry::Reconciliation verdict =
            ferry::reconcile(report_of(accounting), {13, 10, 0, 3});
        CHECK(verdict.verdict == ferry::Verdict::Unreconciled);
        CHECK(verdict.summary() ==
              "the stream's report gives reasons for 2 records skipped, its batches skipped 3");
    }
}

TEST_CASE("a resumed stream adds the records before the resume point", "[reconciliation]") {
    ferry::plugin::StreamAccounting accounting;
    accounting.declare_records(1000, "the header");
    accounting.set_resumed_after(900);
    const auto verdict = ferry::reconcile(report_of(accounting), {100, 100, 0, 0});
    CHECK(verdict.verdict == ferry::Verdict::Reconciled);
    CHECK(ferry::reconcile(report_of(accounting), {99, 99, 0, 0}).summary() ==
          "the header counts 1000 records, 999 were read (900 records before the resume point)");
}

TEST_CASE("nothing declared, or stopped early, is unverified", "[reconciliation]") {
    ferry::plugin::StreamAccounting accounting;
    auto verdict = ferry::reconcile(report_of(accounting), {5, 5, 0, 0});
    CHECK(verdict.verdict == ferry::Verdict::Unverified);
    CHECK(verdict.summary() == "the source declares no figures to check");
    accounting.declare_records(500, "page total");
    nlohmann::json json = accounting.to_json();
    json["stopped_early"] = "the request's limit ended the stream";
    verdict = ferry::reconcile(ferry::StreamReport::parse(json).value(), {5, 5, 0, 0});
    CHECK(verdict.verdict == ferry::Verdict::Unverified);
    CHECK(verdict.note == "not checked: the request's limit ended the stream");
}

TEST_CASE("malformed reports are refused with the member named", "[reconciliation]") {
    using nlohmann::json;
    CHECK(!ferry::StreamReport::parse(json::array()).ok());
    const auto bad_figure =
        ferry::StreamReport::parse(json{{"declared", {{{"figure", "rows"}, {"value", "1"}}}}});
    REQUIRE(!bad_figure.ok());
    CHECK(bad_figure.status().message().find("unknown figure \"rows\"") != std::string::npos);
    CHECK(
        !ferry::StreamReport::parse(json{{"declared", {{{"figure", "records"}, {"value", "-1"}}}}})
             .ok());
    CHECK(!ferry::StreamReport::parse(json{{"declared", {{{"figure", "sum"}, {"value", "1"}}}}})
               .ok()); // no column
    CHECK(!ferry::StreamReport::parse(json{{"skipped", {{"blank", -2}}}}).ok());
    CHECK(!ferry::StreamReport::parse(json{{"observed", {{"sums", {{"A", "x"}}}}}}).ok());
}

TEST_CASE("the accounting's report matches the published schema", "[reconciliation]") {
    ferry::plugin::StreamAccounting accounting;
    accounting.declare_records(3, "trailer", "D");
    accounting.declare_records(5, "header", {}, true);
    accounting.declare_sum("AMOUNT", ferry::Decimal::parse("-1.25").value(), "trailer");
    accounting.declare_bytes(100, "size");
    accounting.observe_bytes(100);
    accounting.count_segment("D", 3);
    REQUIRE(accounting.add_to_sum("AMOUNT", ferry::Decimal::parse("-1.25").value()).ok());
    accounting.count_skipped("blank_line", 1);
    accounting.set_expected_total(5, 100);
    accounting.set_resumed_after(2);
    std::ifstream file(std::string(FERRY_SOURCE_DIR) + "/schemas/stream-report.schema.json");
    std::ostringstream text;
    text << file.rdbuf();
    const auto schema = ferry::JsonSchema::parse_text(text.str(), "stream-report.schema.json");
    REQUIRE(schema.ok());
    nlohmann::json json = accounting.to_json();
    CHECK(schema->validate(json, "report").ok());
    const ferry::StreamReport parsed = ferry::StreamReport::parse(json).value();
    CHECK(parsed.to_json() == json);
}

TEST_CASE("skipped records keep read = delivered + rejected + skipped", "[reconciliation]") {
    ferry::BatchBuilder builder(ferry::Schema({{"n", ferry::DataType::int64(), false}}));
    const ferry::Value one = ferry::Value::int64(1);
    REQUIRE(builder.append_record(1, {&one, 1}).ok());
    REQUIRE(builder.skip_record(2, "blank_line").ok());
    REQUIRE(builder.skip_record(3, "blank_line").ok());
    REQUIRE(builder.reject(4, {"n", "number", "not a number"}).ok());
    CHECK(!builder.skip_record(5, "").ok());
    CHECK(builder.skipped_by_reason().at("blank_line") == 2);
    FerryBatch raw{};
    REQUIRE(builder.finish(&raw).ok());
    CHECK(raw.records_read == 4);
    CHECK(raw.records_skipped == 2);
    const auto schema = std::make_shared<const ferry::Schema>(builder.schema());
    CHECK(ferry::validate_batch(raw, *schema, ferry::BatchCheck::Full).ok());
    raw.records_skipped = 1; // a plugin that lost a record
    CHECK(!ferry::validate_batch(raw, *schema, ferry::BatchCheck::Full).ok());
    raw.records_skipped = 2;
    ferry::Batch batch(std::move(raw), schema, nullptr);
    CHECK(batch.records_skipped() == 2);
    CHECK(builder.skipped_by_reason().empty());
}
