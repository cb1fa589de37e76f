// SPDX-License-Identifier: Apache-2.0
// export_test.cpp — exports appear whole or not at all: a failed export leaves no folder and no
// "ok" audit line, a consumer with some grants exports those and is told what was left out, an
// earlier export is replaced in one step and a folder that is not an export is never touched.
#include <algorithm>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "bridge_context.h"
#include "bridge_test_support.h"
#include "export_mode.h"

namespace fb = ferry::bridge;
namespace fs = std::filesystem;
using fb::testing::TempDir;
using nlohmann::json;

namespace {

// Datasets "persons" (reconciles) and "short" (its source declares one record more than it
// holds); consumer "masked" is granted "persons", "both" is granted both.
class ExportBridge {
public:
    ExportBridge() {
        json extra = json::object();
        json short_source = json::object();
        short_source["plugin"] = fb::testing::synthetic_plugin().string();
        short_source["options"] = {{"count", 300}, {"dirty_every", 25}, {"declared_count", 301}};
        extra["sources"]["short_source"] = short_source;
        const std::string mapping =
            (fb::testing::source_dir() / "samples/mappings/synthetic_persons.person.mapping.json")
                .string();
        extra["datasets"] =
            json::array({{{"id", "persons"}, {"source", "synthetic"}, {"mapping", mapping}},
                         {{"id", "short"}, {"source", "short_source"}, {"mapping", mapping}}});
        const fs::path config = fb::testing::write_synthetic_config(dir_.path(), 300, extra);
        json consumers = fb::testing::test_consumers();
        for (json& consumer : consumers["consumers"]) {
            if (consumer["id"] == "full") {
                json both = consumer;
                both["id"] = "both";
                both["key_sha256"] = std::string(64, 'b');
                json second = both["grants"][0];
                second["dataset"] = "short";
                both["grants"].push_back(second);
                consumers["consumers"].push_back(both);
                break;
            }
        }
        fb::testing::write_file(dir_.path() / "consumers.json", consumers.dump(2));
        auto loaded = fb::load_config(config, {});
        REQUIRE(loaded.ok());
        auto context = fb::BridgeContext::open(std::move(*loaded));
        INFO(context.status().to_string());
        REQUIRE(context.ok());
        context_ = std::move(*context);
    }

    fb::BridgeContext& context() { return *context_; }

    fs::path out() const { return dir_.path() / "out"; }

    std::vector<json> export_events() const {
        std::ifstream in(dir_.path() / "state" / "audit.jsonl");
        std::vector<json> events;
        for (std::string line; std::getline(in, line);) {
            json event = json::parse(line);
            if (event["route"] == "export") {
                events.push_back(std::move(event));
            }
        }
        return events;
    }

    /// Names in the folder that holds the export, hidden ones (staging) included.
    std::vector<std::string> beside_out() const {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(dir_.path())) {
            names.push_back(entry.path().filename().string());
        }
        std::sort(names.begin(), names.end());
        return names;
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

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

const std::vector<std::string> kBeforeExport{"bridge.json", "consumers.json", "state"};

} // namespace

TEST_CASE("a consumer granted some datasets exports those and is told the rest",
          "[bridge][export]") {
    ExportBridge bridge;
    auto exported = fb::run_export(bridge.context(), bridge.out(), "masked", {});
    REQUIRE(exported.ok());
    REQUIRE(exported->status.ok());
    CHECK(names_in(bridge.out()) == std::vector<std::string>{"manifest.json", "persons.ndjson"});
    const json manifest = read_json(bridge.out() / "manifest.json");
    CHECK(manifest == exported->manifest);
    CHECK(manifest["status"] == "complete");
    REQUIRE(manifest["datasets"].size() == 1);
    CHECK(manifest["datasets"][0]["dataset"] == "persons");
    REQUIRE(manifest["left_out"].size() == 1);
    CHECK(manifest["left_out"][0]["dataset"] == "short");
    CHECK_THAT(manifest["left_out"][0]["reason"].get<std::string>(), Catch::Contains("no grant"));

    const auto events = bridge.export_events();
    REQUIRE(events.size() == 1); // once, for the whole export
    CHECK(events[0]["result"] == "ok");
    CHECK(events[0]["left_out"] == json::array({"short"}));
    CHECK(events[0]["datasets"][0]["dataset"] == "persons");
    CHECK(events[0]["datasets"][0]["records"] == manifest["datasets"][0]["delivered"]);
    CHECK(events[0]["datasets"][0]["sha256"] == manifest["datasets"][0]["sha256"]);
    CHECK(events[0]["manifest_sha256"].get<std::string>().size() == 64);

    SECTION("naming a dataset without a grant stops before anything is written") {
        fs::remove_all(bridge.out());
        auto refused = fb::run_export(bridge.context(), bridge.out(), "masked", {"short"});
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.status().code() == ferry::StatusCode::Unauthorized);
        CHECK(bridge.beside_out() == kBeforeExport);
        CHECK(bridge.export_events().size() == 1);
    }
}

TEST_CASE("an export that fails part-way leaves no folder and no ok line", "[bridge][export]") {
    ExportBridge bridge;
    // "persons" is written whole before "short" fails at its end.
    auto exported = fb::run_export(bridge.context(), bridge.out(), "both", {});
    REQUIRE(exported.ok());
    REQUIRE_FALSE(exported->status.ok());
    CHECK(exported->status.code() == ferry::StatusCode::Data);
    CHECK(bridge.beside_out() == kBeforeExport); // no export, no staging folder
    CHECK(exported->manifest["status"] == "failed");
    CHECK(exported->manifest["error"]["dataset"] == "short");
    CHECK(exported->manifest["datasets"][0]["status"] == "complete");
    CHECK(exported->manifest["totals"]["delivered"] == 0);

    const auto events = bridge.export_events();
    REQUIRE(events.size() == 1);
    CHECK(events[0]["result"] == "unreconciled");
    CHECK(events[0]["dataset"] == "short");
    CHECK(events[0]["records"] == 0);
    CHECK(events[0].count("manifest_sha256") == 0);
}

TEST_CASE("an earlier export is replaced whole, other folders are never touched",
          "[bridge][export]") {
    ExportBridge bridge;
    REQUIRE(fb::run_export(bridge.context(), bridge.out(), "both", {"persons"})->status.ok());
    const json first = read_json(bridge.out() / "manifest.json");
    fb::testing::write_file(bridge.out() / "notes.txt", "kept by someone");

    SECTION("a failed export leaves the earlier one as it was") {
        auto failed = fb::run_export(bridge.context(), bridge.out(), "both", {"short"});
        REQUIRE(failed.ok());
        REQUIRE_FALSE(failed->status.ok());
        CHECK(read_json(bridge.out() / "manifest.json") == first);
        CHECK(names_in(bridge.out()) ==
              std::vector<std::string>{"manifest.json", "notes.txt", "persons.ndjson"});
    }
    SECTION("a new export takes the folder's place") {
        auto again = fb::run_export(bridge.context(), bridge.out(), "masked", {});
        REQUIRE(again.ok());
        REQUIRE(again->status.ok());
        CHECK(names_in(bridge.out()) ==
              std::vector<std::string>{"manifest.json", "persons.ndjson"});
        CHECK(read_json(bridge.out() / "manifest.json") == again->manifest);
        CHECK(bridge.beside_out() ==
              std::vector<std::string>{"bridge.json", "consumers.json", "out", "state"});
    }
    SECTION("a folder that is not an export") {
        fs::remove(bridge.out() / "manifest.json");
        auto refused = fb::run_export(bridge.context(), bridge.out(), "masked", {});
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.status().code() == ferry::StatusCode::InvalidArgument);
        CHECK(names_in(bridge.out()) == std::vector<std::string>{"notes.txt", "persons.ndjson"});
        CHECK(bridge.export_events().size() == 1);
    }
}
