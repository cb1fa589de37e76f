// SPDX-License-Identifier: Apache-2.0
// verdict_test.cpp — the source's verdict in the bridge: an unreconciled source fails the
// record stream (error line) and the export (no complete-looking file, the manifest says why);
// pages the bridge cut itself carry no verdict; skipped records are counted once, by reason.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "ferry/plugin/accounting.h"
#include "ferry/reconciliation.h"

#include "bridge_context.h"
#include "bridge_test_support.h"
#include "export_mode.h"
#include "metrics.h"
#include "record_stream.h"

namespace fb = ferry::bridge;
namespace fs = std::filesystem;
using fb::testing::TempDir;
using nlohmann::json;

namespace {

class NullSink : public fb::ChunkSink {
public:
    bool write(std::string_view chunk) override {
        bytes += chunk.size();
        return true;
    }

    std::size_t bytes = 0;
};

// A bridge over the example adapter with 1000 persons (every 25th dirty) and `options` merged
// into the source's options.
class Bridge {
public:
    explicit Bridge(const json& options, int mapping_threads = 1) {
        json extra = json::object();
        extra["sources"]["synthetic"]["options"] = options;
        extra["limits"]["mapping_threads"] = mapping_threads;
        auto config =
            fb::load_config(fb::testing::write_synthetic_config(dir_.path(), 1000, extra), {});
        REQUIRE(config.ok());
        auto context = fb::BridgeContext::open(std::move(*config));
        REQUIRE(context.ok());
        context_ = std::move(*context);
    }

    fb::PullOutcome pull(const fb::Cursor& start, std::optional<std::int64_t> limit) {
        auto dataset = context_->datasets().find("persons");
        auto policy = context_->policy(*context_->consumers()->find("full"), *dataset);
        REQUIRE(policy.ok());
        fb::PullOptions options;
        options.start = start;
        options.start.dataset = "persons";
        options.limit = limit;
        NullSink sink;
        return fb::pull_records(*context_, *dataset, **policy, options, sink);
    }

    fb::BridgeContext& context() { return *context_; }

    fs::path out() const { return dir_.path() / "out"; }

    std::vector<json> audit_events() const {
        std::ifstream in(dir_.path() / "state" / "audit.jsonl");
        std::vector<json> events;
        for (std::string line; std::getline(in, line);) {
            events.push_back(json::parse(line));
        }
        return events;
    }

private:
    TempDir dir_;
    std::unique_ptr<fb::BridgeContext> context_;
};

json read_json(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

constexpr const char* kShortBy = "the register's header counts 1001 records, 1000 were read";

} // namespace

TEST_CASE("a full read of an unreconciled source ends with the error line", "[bridge][verdict]") {
    // With mapping workers the source's end is read ahead of the batches handed out.
    const int threads = GENERATE(1, 2);
    INFO("mapping threads " << threads);
    Bridge bridge(json{{"declared_count", 1001}}, threads);
    const fb::PullOutcome outcome = bridge.pull({}, std::nullopt);
    REQUIRE_FALSE(outcome.status.ok());
    CHECK(outcome.status.code() == ferry::StatusCode::Data);
    CHECK(outcome.status.message() == std::string("unreconciled: ") + kShortBy);
    CHECK_FALSE(outcome.complete);
    CHECK(outcome.unreconciled());
    CHECK(outcome.delivered + outcome.rejected == 1000); // every record went out first

    const json line = json::parse(fb::summary_line(bridge.context(), outcome));
    CHECK(line["_complete"] == false);
    CHECK(line["_verdict"] == "unreconciled");
    CHECK(line["_error"]["code"] == "data");
    CHECK(line["_error"]["message"] == std::string("unreconciled: ") + kShortBy);
}

TEST_CASE("pages the bridge cut itself carry no verdict, the page reaching the end does",
          "[bridge][verdict]") {
    for (const int declared : {1000, 1001}) {
        Bridge bridge(json{{"declared_count", declared}});
        fb::Cursor since;
        fb::PullOutcome page;
        int pages = 0;
        for (; pages < 100; ++pages) {
            page = bridge.pull(since, 333);
            if (!page.status.ok() || page.complete) {
                break;
            }
            CHECK_FALSE(page.reconciliation); // stopped by its limit: nothing to judge
            CHECK(json::parse(fb::summary_line(bridge.context(), page)).count("_verdict") == 0);
            since = page.next;
        }
        INFO("declared " << declared << ", page " << pages);
        REQUIRE(page.reconciliation);
        if (declared == 1000) {
            // The resumed stream counts the records before its resume point.
            CHECK(page.status.ok());
            CHECK(page.reconciliation->verdict == ferry::Verdict::Reconciled);
        } else {
            CHECK(page.unreconciled());
            // "… 1000 were read (640 records before the resume point)"
            CHECK_THAT(page.status.message(),
                       Catch::StartsWith(std::string("unreconciled: ") + kShortBy) &&
                           Catch::Contains("before the resume point"));
        }
    }
}

TEST_CASE("vacant slots are skipped, counted once and the stream reconciles", "[bridge][verdict]") {
    Bridge bridge(json{{"vacant_every", 10}});
    const fb::PullOutcome all = bridge.pull({}, std::nullopt);
    REQUIRE(all.status.ok());
    REQUIRE(all.reconciliation);
    CHECK(all.reconciliation->verdict == ferry::Verdict::Reconciled);
    CHECK(all.skipped == 100);
    CHECK(all.reconciliation->skipped == std::map<std::string, std::int64_t>{{"vacant_slot", 100}});
    // Multiples of 25 are dirty unless vacant (multiples of 50): 20 rejects.
    CHECK(all.rejected == 20);
    CHECK(all.delivered == 880);

    for (const std::int64_t limit : {37, 64, 500}) {
        fb::Cursor since;
        std::int64_t skipped = 0;
        std::int64_t delivered = 0;
        for (int pages = 0; pages < 100; ++pages) {
            const fb::PullOutcome page = bridge.pull(since, limit);
            REQUIRE(page.status.ok());
            skipped += page.skipped;
            delivered += page.delivered;
            since = page.next;
            if (page.complete) {
                break;
            }
        }
        INFO("limit " << limit);
        CHECK(skipped == 100);
        CHECK(delivered == 880);
    }
}

TEST_CASE("an unreconciled dataset fails the export and leaves no complete-looking file",
          "[bridge][verdict][export]") {
    Bridge bridge(json{{"declared_count", 1001}});
    const fs::path out = bridge.out();

    auto exported = fb::run_export(bridge.context(), out, "masked", {});
    REQUIRE(exported.ok()); // it ran: the failure is in the result and the manifest
    REQUIRE_FALSE(exported->status.ok());
    CHECK(exported->status.code() == ferry::StatusCode::Data);
    CHECK_THAT(exported->status.message(),
               Catch::Contains("exporting \"persons\"") && Catch::Contains(kShortBy));

    CHECK_FALSE(fs::exists(out)); // nothing that looks like an export, staged or not
    for (const auto& entry : fs::directory_iterator(out.parent_path())) {
        CHECK(entry.path().filename().string().rfind(".out.staging", 0) != 0);
    }
    const json& manifest = exported->manifest;
    CHECK(manifest["status"] == "failed");
    CHECK(manifest["error"]["dataset"] == "persons");
    CHECK(manifest["error"]["message"] == std::string("unreconciled: ") + kShortBy);
    const json& entry = manifest["datasets"][0];
    CHECK(entry["status"] == "failed");
    CHECK(entry["file"].is_null());
    CHECK(entry.count("sha256") == 0);
    CHECK(entry["verdict"] == "unreconciled");
    CHECK(entry["read"] == 1000);
    const json& figure = entry["reconciliation"]["figures"][0];
    CHECK(figure["declared"] == "1001");
    CHECK(figure["observed"] == "1000");
    CHECK(figure["matches"] == false);
    CHECK(manifest["totals"]["delivered"] == 0);

    const json event = bridge.audit_events().back();
    CHECK(event["route"] == "export");
    CHECK(event["result"] == "unreconciled");
    CHECK(event["verdict"] == "unreconciled");
    CHECK(event["records"] == 0);
}

TEST_CASE("the manifest shows skipped records by reason and the verdict",
          "[bridge][verdict][export]") {
    Bridge bridge(json{{"vacant_every", 10}});
    auto exported = fb::run_export(bridge.context(), bridge.out(), "masked", {"persons"});
    REQUIRE(exported.ok());
    REQUIRE(exported->status.ok());
    const json manifest = read_json(bridge.out() / "manifest.json");
    CHECK(manifest["status"] == "complete");
    CHECK(manifest.count("error") == 0);
    const json& entry = manifest["datasets"][0];
    CHECK(entry["status"] == "complete");
    CHECK(entry["file"] == "persons.ndjson");
    CHECK(entry["read"] == 1000);
    CHECK(entry["delivered"] == 880);
    CHECK(entry["rejected"] == 20);
    CHECK(entry["skipped"] == 100);
    CHECK(entry["skipped_by_reason"] == json{{"vacant_slot", 100}});
    CHECK(entry["verdict"] == "reconciled");
    CHECK(entry["reconciliation"]["figures"][0]["matches"] == true);
    CHECK(fs::file_size(bridge.out() / "persons.ndjson") == entry["bytes"].get<std::uintmax_t>());
    CHECK(manifest["totals"] ==
          json{{"read", 1000}, {"delivered", 880}, {"rejected", 20}, {"skipped", 100}});

    const json event = bridge.audit_events().back();
    CHECK(event["result"] == "ok");
    CHECK(event["datasets"][0]["verdict"] == "reconciled");
}

TEST_CASE("metrics count streams by verdict and skipped records", "[bridge][verdict]") {
    fb::Metrics metrics;
    metrics.add_records("persons", 880, 20, 100);
    metrics.add_stream_verdict("persons", ferry::Verdict::Unreconciled);
    metrics.add_stream_verdict("persons", ferry::Verdict::Reconciled);
    metrics.add_stream_verdict("persons", ferry::Verdict::Reconciled);
    const std::string text = metrics.render();
    CHECK_THAT(text,
               Catch::Contains("ferry_bridge_records_skipped_total{dataset=\"persons\"} 100"));
    CHECK_THAT(text, Catch::Contains("ferry_bridge_stream_verdicts_total{dataset=\"persons\","
                                     "verdict=\"reconciled\"} 2"));
    CHECK_THAT(text, Catch::Contains("ferry_bridge_stream_verdicts_total{dataset=\"persons\","
                                     "verdict=\"unreconciled\"} 1"));
    CHECK_THAT(text, Catch::Contains("ferry_bridge_stream_verdicts_total{dataset=\"persons\","
                                     "verdict=\"unverified\"} 0"));
}

TEST_CASE("a consumer reads a differing control total by its column, never its amounts",
          "[bridge][verdict]") {
    ferry::plugin::StreamAccounting accounting;
    accounting.declare_records(3, "batch.txt:1 (summary count)");
    accounting.declare_sum("amount", ferry::Decimal::parse("4129.91").value(),
                           "batch.txt:1 (summary total)");
    accounting.observe_sum("amount", ferry::Decimal::parse("4129.90").value());
    const ferry::Reconciliation verdict =
        ferry::reconcile(ferry::StreamReport::parse(accounting.to_json()).value(), {4, 4, 0, 0});
    REQUIRE(verdict.verdict == ferry::Verdict::Unreconciled);
    const std::string said = fb::consumer_summary(verdict);
    CHECK(said == "batch.txt:1 (summary count) counts 3 records, 4 were read; batch.txt:1 "
                  "(summary total): the control total of amount differs from the records read");
    CHECK(said.find("4129") == std::string::npos);
    CHECK(verdict.summary().find("4129.91") != std::string::npos); // operators see the figures
}

TEST_CASE("a source outage shows in the health /readyz reads and in the metrics",
          "[bridge][health]") {
    ferry::bridge::Metrics metrics;
    for (int attempt = 0; attempt < 3; ++attempt) {
        metrics.note_source("registrations",
                            ferry::Status::unavailable("connection refused").with_location("soap"));
    }
    metrics.note_source("persons", ferry::Status());
    nlohmann::json health = metrics.source_health();
    CHECK(health["registrations"]["state"] == "failing");
    CHECK(health["registrations"]["errors_in_a_row"] == 3);
    CHECK(health["registrations"]["last_error"] == "connection refused");
    CHECK(health["persons"]["state"] == "ok");
    const std::string text = metrics.render();
    CHECK(text.find("ferry_bridge_source_up{dataset=\"registrations\"} 0") != std::string::npos);
    CHECK(text.find("ferry_bridge_source_up{dataset=\"persons\"} 1") != std::string::npos);
    CHECK(text.find("ferry_bridge_source_errors_in_a_row{dataset=\"registrations\"} 3") !=
          std::string::npos);
    metrics.note_source("registrations", ferry::Status()); // the source is back
    health = metrics.source_health();
    CHECK(health["registrations"]["state"] == "ok");
    CHECK(health["registrations"]["errors_in_a_row"] == 0);
}
