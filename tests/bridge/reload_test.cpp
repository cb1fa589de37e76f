// SPDX-License-Identifier: Apache-2.0
// reload_test.cpp — mapping files reload all or nothing; a stream keeps the mapping it began with.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "ferry/json_schema.h"

#include "bridge_context.h"
#include "bridge_test_support.h"
#include "record_stream.h"

namespace fb = ferry::bridge;

namespace {

class FirstRecord : public fb::ChunkSink {
public:
    bool write(std::string_view chunk) override {
        if (first.is_null()) {
            first = nlohmann::json::parse(chunk.substr(0, chunk.find('\n')));
        }
        return true;
    }

    nlohmann::json first;
};

nlohmann::json sample_mapping(const std::string& source_system) {
    const auto source = fb::testing::source_dir();
    std::ifstream in(source / "samples/mappings/synthetic_persons.person.mapping.json");
    std::ostringstream text;
    text << in.rdbuf();
    auto mapping = ferry::parse_json(text.str(), "mapping");
    REQUIRE(mapping.ok());
    (*mapping)["catalog"] = (source / "schemas").string();
    (*mapping)["fields"]["source_system"]["value"] = source_system;
    return *mapping;
}

std::string source_system_of(fb::BridgeContext& context) {
    auto dataset = context.datasets().find("persons");
    auto policy = context.policy(*context.consumers()->find("full"), *dataset);
    REQUIRE(policy.ok());
    FirstRecord sink;
    fb::PullOptions options;
    options.start.dataset = "persons";
    options.limit = 1;
    REQUIRE(fb::pull_records(context, *dataset, **policy, options, sink).status.ok());
    return sink.first["source_system"].get<std::string>();
}

} // namespace

TEST_CASE("reload swaps mappings all or nothing", "[bridge][reload]") {
    fb::testing::TempDir dir;
    const auto mapping_file = dir.path() / "persons.mapping.json";
    fb::testing::write_file(mapping_file, sample_mapping("before").dump());
    const auto file = fb::testing::write_synthetic_config(
        dir.path(), 100,
        nlohmann::json::parse(R"({"datasets": [{"id": "persons", "source": "synthetic",
                                                "mapping": "persons.mapping.json"}]})"));
    auto config = fb::load_config(file, {});
    REQUIRE(config.ok());
    auto context = fb::BridgeContext::open(std::move(*config));
    REQUIRE(context.ok());
    CHECK(source_system_of(**context) == "before");

    const auto held = (*context)->datasets().find("persons"); // as a running stream holds it
    fb::testing::write_file(mapping_file, sample_mapping("after").dump());
    REQUIRE((*context)->reload().ok());
    CHECK(source_system_of(**context) == "after");
    CHECK(held->mapping.document()["fields"]["source_system"]["value"] == "before");
    CHECK((*context)->datasets().find("persons")->generation == held->generation + 1);

    nlohmann::json broken = sample_mapping("broken");
    broken["fields"]["naem"] = {{"from", "name"}};
    fb::testing::write_file(mapping_file, broken.dump());
    const ferry::Status status = (*context)->reload();
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.message(), Catch::Contains("naem"));
    CHECK(source_system_of(**context) == "after"); // the previous mapping stays
}
