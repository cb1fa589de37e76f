// SPDX-License-Identifier: Apache-2.0
// usage_test.cpp — the usage report: calls, records and last use per consumer × dataset ×
// field from the audit log across its segments; unused grants and unread datasets.
#include <catch2/catch.hpp>

#include "audit_log.h"
#include "bridge_test_support.h"
#include "consumers.h"
#include "usage.h"

namespace fb = ferry::bridge;

TEST_CASE("usage counts what left, per consumer, dataset and field, over every segment",
          "[bridge][usage]") {
    fb::testing::TempDir dir;
    const auto file = dir.path() / "audit.jsonl";
    {
        // Tiny segments: the report must read the closed ones too.
        auto log = fb::AuditLog::open(file, fb::AuditRotation{400, false});
        REQUIRE(log.ok());
        const auto pull = [&](const char* consumer, const char* dataset, int records,
                              const char* result) {
            REQUIRE((*log)
                        ->append({{"consumer", consumer},
                                  {"route", "records"},
                                  {"dataset", dataset},
                                  {"fields", {"person_id", "name"}},
                                  {"records", records},
                                  {"result", result}})
                        .ok());
        };
        pull("tax", "persons", 100, "ok");
        pull("tax", "persons", 50, "ok");
        pull("tax", "persons", 7, "error"); // failed: nothing left
        pull("health", "contributions", 20, "ok");
        REQUIRE((*log)
                    ->append({{"consumer", "health"},
                              {"route", "export"},
                              {"result", "ok"},
                              {"datasets",
                               {{{"dataset", "persons"}, {"fields", {"name"}}, {"records", 30}}}}})
                    .ok());
    }
    auto consumers = fb::ConsumerRegistry::parse(
        R"({"consumers": [
            {"id": "tax", "key_sha256": ")" +
            std::string(64, 'a') + R"(",
             "grants": [{"dataset": "persons"}, {"dataset": "employers"}]},
            {"id": "health", "key_sha256": ")" +
            std::string(64, 'b') + R"(",
             "grants": [{"dataset": "persons"}, {"dataset": "contributions"}]}]})",
        "consumers.json");
    REQUIRE(consumers.ok());
    const std::string today = fb::utc_today();
    auto report = fb::usage_report(file, *consumers, {"persons", "contributions", "employers"},
                                   {fb::add_days(today, -1), fb::add_days(today, 1), today});
    REQUIRE(report.ok());
    CHECK((*report)["audit_lines"] == 5);
    std::map<std::pair<std::string, std::string>, nlohmann::json> usage;
    for (const auto& entry : (*report)["usage"]) {
        usage[{entry["consumer"], entry["dataset"]}] = entry;
    }
    REQUIRE(usage.size() == 3);
    CHECK(usage[{"tax", "persons"}]["calls"] == 2);
    CHECK(usage[{"tax", "persons"}]["records"] == 150);
    CHECK(usage[{"tax", "persons"}]["fields"]["person_id"]["records"] == 150);
    CHECK(usage[{"health", "persons"}]["records"] == 30); // from the export
    CHECK_FALSE(usage[{"health", "persons"}]["fields"].contains("person_id"));
    CHECK((*report)["unused_grants_30_days"] ==
          nlohmann::json::array(
              {{{"consumer", "tax"}, {"dataset", "employers"}, {"last_use", nullptr}}}));
    CHECK((*report)["unread_datasets"] == nlohmann::json::array({"employers"}));

    auto last_month = fb::usage_report(file, *consumers, {"persons"},
                                       {fb::add_days(today, -40), fb::add_days(today, -10), today});
    REQUIRE(last_month.ok());
    CHECK((*last_month)["usage"].empty());
    CHECK_FALSE(fb::usage_report(file, *consumers, {}, {"2026-13-01", today, today}).ok());
}
