// SPDX-License-Identifier: Apache-2.0
// transform_registry_test.cpp — registration rules and argument checking.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "ferry/transform.h"

#include "transform_test_support.h"

using namespace ferry;

namespace {

TransformDescriptor echo_descriptor(std::string name) {
    TransformDescriptor descriptor;
    descriptor.name = std::move(name);
    descriptor.summary = "copies its input";
    descriptor.args_schema =
        R"({"type":"object","properties":{"times":{"type":"integer","minimum":1}},
                                 "additionalProperties":false})";
    descriptor.create = [](const TransformSetup& setup) -> Result<BoundTransform> {
        return BoundTransform{make_cell_transform([](const Column& in, std::int64_t row,
                                                     Column& out) -> std::optional<CellFailure> {
                                  out.append_from(in, row);
                                  return std::nullopt;
                              }),
                              setup.input_types.front()};
    };
    return descriptor;
}

} // namespace

TEST_CASE("a registry refuses duplicates and names that are not snake_case", "[transform]") {
    TransformRegistry registry;
    REQUIRE(registry.add(echo_descriptor("echo")).ok());
    CHECK(registry.add(echo_descriptor("echo")).code() == StatusCode::InvalidArgument);
    CHECK_FALSE(registry.add(echo_descriptor("Echo")).ok());
    CHECK(registry.find("echo") != nullptr);
    CHECK(registry.find("nope") == nullptr);
}

TEST_CASE("copies of a registry do not see each other's additions", "[transform]") {
    TransformRegistry first;
    TransformRegistry second = first;
    REQUIRE(second.add(echo_descriptor("echo")).ok());
    CHECK(first.find("echo") == nullptr);
    CHECK(second.find("echo") != nullptr);
}

TEST_CASE("create checks arguments against the schema and names the argument", "[transform]") {
    TransformRegistry registry;
    REQUIRE(registry.add(echo_descriptor("echo")).ok());
    const std::vector<DataType> types{DataType::utf8()};
    const nlohmann::json bad = {{"times", 0}};
    TransformSetup setup{bad, types, {}, {}, {}, {}};
    Result<BoundTransform> created = registry.create("echo", setup);
    REQUIRE_FALSE(created.ok());
    CHECK(created.status().field() == "/times");
    CHECK(registry.create("missing", setup).status().code() == StatusCode::NotFound);
    const std::vector<DataType> two{DataType::utf8(), DataType::utf8()};
    const nlohmann::json none = nlohmann::json::object();
    TransformSetup two_inputs{none, two, {}, {}, {}, {}};
    CHECK_THAT(registry.create("echo", two_inputs).status().message(),
               Catch::Contains("takes 1 input"));
}

TEST_CASE("a cell transform skips rejected rows and nulls", "[transform]") {
    auto transform = make_cell_transform(
        [](const Column& in, std::int64_t row, Column& out) -> std::optional<CellFailure> {
            if (in.text(row) == "bad") {
                return CellFailure{"rule", "is bad"};
            }
            out.append_from(in, row);
            return std::nullopt;
        });
    const Column in = testing::text_column({"a", std::nullopt, "bad", "d"});
    Column out(DataType::utf8());
    RowErrors errors(4);
    errors.set_field("f");
    errors.reject(3, "earlier", "rejected before");
    const Column* inputs[] = {&in};
    transform->apply(inputs, out, errors);
    REQUIRE(out.size() == 4);
    CHECK(out.text(0) == "a");
    CHECK(out.is_null(1));
    CHECK(out.is_null(2));
    CHECK(out.is_null(3));
    REQUIRE(errors.count() == 2);
    CHECK(errors.failures()[1].rule == "rule");
    CHECK(errors.failures()[1].field == "f");
}

TEST_CASE("a missing required argument is reported at the argument's pointer", "[transform]") {
    // valijson reports a missing required property at "/", the object that lacks it.
    TransformRegistry registry;
    TransformDescriptor needs_times = echo_descriptor("needs_times");
    needs_times.args_schema =
        R"json({"type":"object","required":["times"],"properties":{"times":{"type":"integer"}}})json";
    REQUIRE(registry.add(std::move(needs_times)).ok());
    TransformDescriptor odd_name = echo_descriptor("odd_name");
    odd_name.args_schema = R"json({"type":"object","required":["a/b~c"]})json";
    REQUIRE(registry.add(std::move(odd_name)).ok());
    TransformDescriptor nested = echo_descriptor("nested");
    nested.args_schema = R"json({"type":"object","properties":{
        "opts":{"type":"object","required":["x"]}}})json";
    REQUIRE(registry.add(std::move(nested)).ok());

    const std::vector<DataType> types{DataType::utf8()};
    const nlohmann::json none = nlohmann::json::object();
    const TransformSetup bare{none, types, {}, {}, {}, {}};
    Result<BoundTransform> created = registry.create("needs_times", bare);
    REQUIRE_FALSE(created.ok());
    CHECK(created.status().code() == StatusCode::InvalidArgument);
    CHECK(created.status().field() == "/times");
    CHECK_THAT(created.status().message(), Catch::Contains("times"));
    // The name becomes one JSON pointer token (RFC 6901: ~ is ~0, / is ~1).
    CHECK(registry.create("odd_name", bare).status().field() == "/a~1b~0c");
    // Deeper down the pointer already names the object that lacks the property.
    const nlohmann::json empty_opts = {{"opts", nlohmann::json::object()}};
    const TransformSetup deeper{empty_opts, types, {}, {}, {}, {}};
    CHECK(registry.create("nested", deeper).status().field() == "/opts");

    // A built-in named bare ("pad") without its required argument.
    const testing::TransformRun pad = testing::run_text("pad", none, {"7"});
    CHECK(pad.status.code() == StatusCode::InvalidArgument);
    CHECK(pad.status.field() == "/length");
}

namespace {

/// Adds the "### `name`" headings of a Markdown file outside code fences to `headings`
/// (name -> the files that have it). A heading not of that exact form is kept whole.
void collect_transform_headings(const std::filesystem::path& file,
                                std::map<std::string, std::vector<std::string>>& headings) {
    std::ifstream in(file);
    INFO("reading " << file.string());
    REQUIRE(in.good());
    constexpr std::string_view kPrefix = "### `";
    bool fenced = false;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.starts_with("```")) {
            fenced = !fenced;
            continue;
        }
        if (fenced || !line.starts_with(kPrefix)) {
            continue;
        }
        const bool exact = line.size() > kPrefix.size() + 1 && line.ends_with('`') &&
                           line.find('`', kPrefix.size()) == line.size() - 1;
        headings[exact ? line.substr(kPrefix.size(), line.size() - kPrefix.size() - 1) : line]
            .push_back(file.filename().string());
    }
}

} // namespace

TEST_CASE("every built-in is documented once in docs/transforms.md or docs/transforms/",
          "[transform]") {
    const std::filesystem::path docs = std::filesystem::path(FERRY_SOURCE_DIR) / "docs";
    std::map<std::string, std::vector<std::string>> headings;
    collect_transform_headings(docs / "transforms.md", headings);
    std::vector<std::filesystem::path> families;
    for (const auto& entry : std::filesystem::directory_iterator(docs / "transforms")) {
        if (entry.is_regular_file() && entry.path().extension() == ".md") {
            families.push_back(entry.path());
        }
    }
    std::sort(families.begin(), families.end());
    REQUIRE_FALSE(families.empty());
    for (const std::filesystem::path& family : families) {
        collect_transform_headings(family, headings);
    }

    const TransformRegistry registry = TransformRegistry::with_builtins();
    for (const TransformDescriptor* descriptor : registry.list()) {
        const auto it = headings.find(descriptor->name);
        std::string found_in;
        for (const std::string& file :
             it == headings.end() ? std::vector<std::string>{} : it->second) {
            found_in += " " + file;
        }
        INFO("### `" << descriptor->name << "` headings in:" << found_in);
        CHECK_FALSE(descriptor->summary.empty());
        CHECK((it == headings.end() ? 0 : it->second.size()) == 1);
    }
    for (const auto& [name, files] : headings) {
        INFO("heading \"" << name << "\" in " << files.front());
        CHECK(registry.find(name) != nullptr);
    }
}
