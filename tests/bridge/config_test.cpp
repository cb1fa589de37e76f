// SPDX-License-Identifier: Apache-2.0
// config_test.cpp — the config and consumers files: every mistake is refused with its place.
#include <catch2/catch.hpp>

#include "bridge_config.h"
#include "bridge_context.h"
#include "bridge_test_support.h"
#include "consumers.h"

namespace fb = ferry::bridge;
using fb::testing::TempDir;

namespace {

ferry::Result<fb::BridgeConfig> parse(const TempDir& dir, const char* extra_json) {
    const auto file =
        fb::testing::write_synthetic_config(dir.path(), 100, nlohmann::json::parse(extra_json));
    return fb::load_config(file, {});
}

std::string message_of(const ferry::Status& status) {
    return status.message();
}

} // namespace

TEST_CASE("a valid config loads with defaults and resolved paths", "[bridge][config]") {
    TempDir dir;
    auto config = parse(dir, "{}");
    REQUIRE(config.ok());
    CHECK(config->listen.port == 0);
    CHECK(config->listen.max_threads == 16);
    REQUIRE(config->datasets.size() == 1);
    CHECK(config->datasets[0].id == "persons");
    CHECK(config->consumers_file == dir.path() / "consumers.json");
    CHECK(config->audit_file == dir.path() / "state" / "audit.jsonl");
    CHECK(config->sources[0].plugin == fb::testing::synthetic_plugin());
}

TEST_CASE("config mistakes are refused with their JSON pointer", "[bridge][config]") {
    TempDir dir;
    SECTION("unknown key") {
        auto config = parse(dir, R"({"listen": {"prot": 8080}})");
        REQUIRE_FALSE(config.ok());
        CHECK_THAT(message_of(config.status()), Catch::Contains("/listen"));
    }
    SECTION("port out of range") {
        auto config = parse(dir, R"({"listen": {"port": 70000}})");
        REQUIRE_FALSE(config.ok());
        CHECK_THAT(message_of(config.status()), Catch::Contains("/listen/port"));
    }
    SECTION("dataset naming an unknown source") {
        auto config = parse(
            dir,
            R"({"datasets": [{"id": "persons", "source": "nowhere", "mapping": "consumers.json"}]})");
        REQUIRE_FALSE(config.ok());
        CHECK_THAT(message_of(config.status()), Catch::Contains("/datasets/0/source"));
    }
    SECTION("dataset id that is not URL-safe") {
        auto config = parse(dir, R"({"datasets": [{"id": "Persons/../x", "source": "synthetic",
                                                  "mapping": "consumers.json"}]})");
        REQUIRE_FALSE(config.ok());
        CHECK_THAT(message_of(config.status()), Catch::Contains("/datasets/0/id"));
    }
    SECTION("duplicate dataset ids") {
        auto config = parse(
            dir,
            R"({"datasets": [{"id": "persons", "source": "synthetic", "mapping": "consumers.json"},
                                        {"id": "persons", "source": "synthetic", "mapping": "consumers.json"}]})");
        REQUIRE_FALSE(config.ok());
        CHECK_THAT(message_of(config.status()), Catch::Contains("declared twice"));
    }
    SECTION("missing mapping file") {
        auto config = parse(dir, R"({"datasets": [{"id": "persons", "source": "synthetic",
                                                  "mapping": "no-such.mapping.json"}]})");
        REQUIRE_FALSE(config.ok());
        CHECK_THAT(message_of(config.status()), Catch::Contains("file not found"));
    }
    SECTION("plugin by name that no folder holds") {
        auto config = parse(dir, R"({"sources": {"synthetic": {"plugin": "no_such_adapter"}}})");
        REQUIRE_FALSE(config.ok());
        CHECK_THAT(message_of(config.status()), Catch::Contains("ferry_adapter_no_such_adapter"));
    }
}

TEST_CASE("consumers file mistakes are refused", "[bridge][config]") {
    const auto parse_consumers = [](const char* grant) {
        nlohmann::json doc = nlohmann::json::parse(
            R"({"consumers": [{"id": "a", "key_sha256": "", "grants": []}]})");
        doc["consumers"][0]["key_sha256"] = std::string(64, 'a');
        doc["consumers"][0]["grants"].push_back(nlohmann::json::parse(grant));
        return fb::ConsumerRegistry::parse(doc.dump(), "consumers.json");
    };
    CHECK(parse_consumers(R"({"dataset": "persons"})").ok());
    auto purpose_only = parse_consumers(R"({"dataset": "persons", "purpose": "x"})");
    REQUIRE_FALSE(purpose_only.ok());
    CHECK_THAT(purpose_only.status().message(), Catch::Contains("purpose and expires"));
    auto bad_date =
        parse_consumers(R"({"dataset": "persons", "purpose": "x", "expires": "2027-13-01"})");
    REQUIRE_FALSE(bad_date.ok());
    CHECK_THAT(bad_date.status().message(), Catch::Contains("/grants/0/expires"));
    auto plain_key = fb::ConsumerRegistry::parse(
        R"({"consumers": [{"id": "a", "key_sha256": "my-secret-key"}]})", "consumers.json");
    REQUIRE_FALSE(plain_key.ok());
    CHECK_THAT(plain_key.status().message(), Catch::Contains("key_sha256"));
    CHECK_THAT(plain_key.status().message(), !Catch::Contains("my-secret-key"));
}

TEST_CASE("API keys authenticate by their hash only", "[bridge][config]") {
    auto registry = fb::ConsumerRegistry::parse(fb::testing::test_consumers().dump(), "c.json");
    REQUIRE(registry.ok());
    REQUIRE(registry->authenticate("key-full") != nullptr);
    CHECK(registry->authenticate("key-full")->id == "full");
    CHECK(registry->authenticate("key-ful") == nullptr);
    CHECK(registry->authenticate("") == nullptr);
    CHECK(registry->authenticate(registry->find("full")->key_sha256) == nullptr);
}

TEST_CASE("grants naming unknown or never-shared fields stop the start", "[bridge][config]") {
    TempDir dir;
    const auto file = fb::testing::write_synthetic_config(dir.path(), 100);
    nlohmann::json consumers = fb::testing::test_consumers();
    consumers["consumers"][0]["grants"][0]["clear"] = nlohmann::json::array({"naem"});
    fb::testing::write_file(dir.path() / "consumers.json", consumers.dump());
    auto config = fb::load_config(file, {});
    REQUIRE(config.ok());
    auto context = fb::BridgeContext::open(*config);
    REQUIRE_FALSE(context.ok());
    CHECK_THAT(context.status().message(), Catch::Contains("\"naem\""));
}

TEST_CASE("expiry dates are valid through their whole UTC day", "[bridge][config]") {
    const auto day_end = fb::parse_expiry("2027-12-31");
    const auto explicit_time = fb::parse_expiry("2028-01-01T00:00:00Z");
    REQUIRE(day_end);
    REQUIRE(explicit_time);
    CHECK(*day_end == *explicit_time);
    CHECK_FALSE(fb::parse_expiry("31/12/2027"));
    CHECK_FALSE(fb::parse_expiry("2027-12-31T25:00:00Z"));
}
