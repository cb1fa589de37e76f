// SPDX-License-Identifier: Apache-2.0
// field_policy_test.cpp — grants and masking over the example adapter's persons: 不予共享 never
// leaves, 有条件共享 needs purpose and expiry, sensitive fields are masked unless granted clear.
#include <fstream>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "ferry/json_schema.h"

#include "bridge_context.h"
#include "bridge_test_support.h"
#include "record_stream.h"

namespace fb = ferry::bridge;
using fb::testing::TempDir;

namespace {

class MemorySink : public fb::ChunkSink {
public:
    bool write(std::string_view chunk) override {
        text.append(chunk);
        return true;
    }

    std::vector<nlohmann::json> records() const {
        std::vector<nlohmann::json> out;
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            auto doc = nlohmann::json::parse(line);
            if (!doc.contains("_cursor")) {
                out.push_back(std::move(doc));
            }
        }
        return out;
    }

    std::string text;
};

std::unique_ptr<fb::BridgeContext> open_context(const std::filesystem::path& config_file) {
    auto config = fb::load_config(config_file, {});
    REQUIRE(config.ok());
    auto context = fb::BridgeContext::open(std::move(*config));
    INFO(context.status().to_string());
    REQUIRE(context.ok());
    return std::move(*context);
}

std::vector<nlohmann::json>
pull_as(fb::BridgeContext& context, const std::string& consumer_id, std::int64_t limit) {
    const auto consumers = context.consumers();
    const fb::Consumer* consumer = consumers->find(consumer_id);
    REQUIRE(consumer != nullptr);
    auto dataset = context.datasets().find("persons");
    auto policy = context.policy(*consumer, *dataset);
    REQUIRE(policy.ok());
    MemorySink sink;
    fb::PullOptions options;
    options.start.dataset = "persons";
    options.limit = limit;
    const fb::PullOutcome outcome = fb::pull_records(context, *dataset, **policy, options, sink);
    REQUIRE(outcome.status.ok());
    return sink.records();
}

} // namespace

TEST_CASE("a grant without clear values sees masked and redacted sensitive fields",
          "[bridge][grants]") {
    TempDir dir;
    auto context = open_context(fb::testing::write_synthetic_config(dir.path(), 200));
    const auto records = pull_as(*context, "masked", 50);
    REQUIRE(records.size() == 50);
    const std::regex masked_id("^[0-9]{6}\\*{8}[0-9]{3}[0-9X]$");
    for (const auto& record : records) {
        CHECK(std::regex_match(record["id_number"].get<std::string>(), masked_id));
        CHECK(record["person_id"].get<std::string>().size() == 64); // HMAC-SHA256 hex pseudonym
        const std::string name = record["name"].get<std::string>();
        CHECK(name.substr(name.size() - 1) == "*");
        CHECK(record["birth_date"].is_null());
        CHECK(record["declared_wage"].is_null());
        CHECK((record["sex"] == "1" || record["sex"] == "2")); // L1, unconditional: clear
        CHECK(record["source_system"] == "synthetic_persons");
    }
}

TEST_CASE("a grant with clear values sees exactly those in clear", "[bridge][grants]") {
    TempDir dir;
    auto context = open_context(fb::testing::write_synthetic_config(dir.path(), 200));
    const auto records = pull_as(*context, "full", 20);
    REQUIRE(records.size() == 20);
    const std::regex clear_id("^[0-9]{17}[0-9X]$");
    for (const auto& record : records) {
        CHECK(std::regex_match(record["id_number"].get<std::string>(), clear_id));
        CHECK(std::regex_match(record["person_id"].get<std::string>(), std::regex("^P[0-9]{8}$")));
        CHECK(record["name"].get<std::string>().find('*') == std::string::npos);
        CHECK(record["birth_date"].is_null()); // not in the grant's clear list
    }
}

TEST_CASE("conditional datasets need purpose and an unexpired expiry", "[bridge][grants]") {
    TempDir dir;
    auto context = open_context(fb::testing::write_synthetic_config(dir.path(), 20));
    const auto consumers = context->consumers();
    auto dataset = context->datasets().find("persons");
    for (const char* id : {"open", "expired"}) {
        auto policy = context->policy(*consumers->find(id), *dataset);
        REQUIRE_FALSE(policy.ok());
        CHECK(policy.status().code() == ferry::StatusCode::Unauthorized);
    }
    auto expired = context->policy(*consumers->find("expired"), *dataset);
    CHECK_THAT(expired.status().message(), Catch::Contains("expired"));
}

TEST_CASE("不予共享 fields never leave, whatever the grant", "[bridge][grants]") {
    TempDir dir;
    const auto source = fb::testing::source_dir();
    std::ifstream in(source / "samples/mappings/synthetic_persons.person.mapping.json");
    std::ostringstream text;
    text << in.rdbuf();
    auto mapping = ferry::parse_json(text.str(), "mapping");
    REQUIRE(mapping.ok());
    (*mapping)["catalog"] = (source / "schemas").string();
    (*mapping)["fields"]["name"]["sharing"] = "none"; // a mapping may restrict, never loosen
    fb::testing::write_file(dir.path() / "persons.mapping.json", mapping->dump(2));
    const auto file = fb::testing::write_synthetic_config(
        dir.path(), 100,
        nlohmann::json::parse(
            R"({"datasets": [{"id": "persons", "source": "synthetic", "mapping": "persons.mapping.json"}]})"));
    nlohmann::json consumers = fb::testing::test_consumers();
    consumers["consumers"][0]["grants"][0]["clear"] = nlohmann::json::array({"id_number"});
    fb::testing::write_file(dir.path() / "consumers.json", consumers.dump());
    auto context = open_context(file);

    const auto records = pull_as(*context, "full", 30);
    REQUIRE(records.size() == 30);
    for (const auto& record : records) {
        CHECK_FALSE(record.contains("name"));
    }
    auto dataset = context->datasets().find("persons");
    auto policy = context->policy(*context->consumers()->find("full"), *dataset);
    REQUIRE(policy.ok());
    const nlohmann::json schema = (*policy)->record_schema(dataset->mapping.entity());
    CHECK_FALSE(schema["properties"].contains("name"));
    CHECK(schema["properties"].contains("id_number"));

    // A grant asking for the clear value of a 不予共享 field is a configuration error.
    consumers["consumers"][0]["grants"][0]["clear"] = nlohmann::json::array({"name"});
    fb::testing::write_file(dir.path() / "consumers.json", consumers.dump());
    auto config = fb::load_config(file, {});
    REQUIRE(config.ok());
    auto refused = fb::BridgeContext::open(std::move(*config));
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.status().message(), Catch::Contains("不予共享"));
}

TEST_CASE("delivered records validate against the schema the consumer is shown",
          "[bridge][grants]") {
    TempDir dir;
    auto context = open_context(fb::testing::write_synthetic_config(dir.path(), 100));
    auto dataset = context->datasets().find("persons");
    for (const char* id : {"full", "masked"}) {
        auto policy = context->policy(*context->consumers()->find(id), *dataset);
        REQUIRE(policy.ok());
        auto schema = ferry::JsonSchema::parse((*policy)->record_schema(dataset->mapping.entity()),
                                               "record schema");
        REQUIRE(schema.ok());
        for (const auto& record : pull_as(*context, id, 40)) {
            const ferry::Status status = schema->validate(record, "record");
            INFO(id << ": " << status.to_string());
            CHECK(status.ok());
        }
    }
}
