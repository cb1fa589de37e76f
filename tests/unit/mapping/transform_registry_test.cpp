// SPDX-License-Identifier: Apache-2.0
// transform_registry_test.cpp — registration rules and argument checking.
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

TEST_CASE("every built-in is documented in docs/transforms.md", "[transform]") {
    // docs/transforms.md has one "### `name`" heading per transform.
    // (Filled in once the built-ins land.)
    const TransformRegistry registry = TransformRegistry::with_builtins();
    for (const TransformDescriptor* descriptor : registry.list()) {
        CHECK_FALSE(descriptor->summary.empty());
    }
}
