// SPDX-License-Identifier: Apache-2.0
// mapping_diagnostics_test.cpp — what the mapping compiler reports, and where.
#include <catch2/catch.hpp>

#include "mapping_test_support.h"

using namespace ferry;
using ferry::testing::compile_mapping;
using ferry::testing::render;

namespace {

std::vector<Diagnostic> check(const std::string& text) {
    std::vector<Diagnostic> diagnostics;
    (void)compile_mapping(text, diagnostics);
    return diagnostics;
}

const Diagnostic* find(const std::vector<Diagnostic>& diagnostics, const std::string& code) {
    for (const Diagnostic& diagnostic : diagnostics) {
        if (diagnostic.code == code) {
            return &diagnostic;
        }
    }
    return nullptr;
}

std::string with_fields(const std::string& fields, const std::string& extra = "") {
    return R"json({
  "id": "t",
  "source": {"dataset": "AC01", "fields": {"AAC001": "text", "AAC002": "text",
             "AAC040": "decimal(17,2)", "AAC099": "text"}},
  "target": "person",)json" +
           extra + R"json(
  "fields": {)json" +
           fields + "}}";
}

} // namespace

TEST_CASE("a typo in a target field is found, placed and given a hint", "[mapping][check]") {
    const auto diagnostics = check(with_fields(R"json(
    "person_id": {"from": "AAC001"},
    "id_numbr": {"from": "AAC002"})json"));
    INFO(render(diagnostics));
    const Diagnostic* unknown = find(diagnostics, "FC011");
    REQUIRE(unknown != nullptr);
    CHECK(unknown->line == 8);
    CHECK(unknown->column == 5);
    CHECK(unknown->hint == "did you mean \"id_number\"?");
    const Diagnostic* required = find(diagnostics, "FC012");
    REQUIRE(required != nullptr);
    CHECK_THAT(required->message, Catch::Contains("person.id_number"));
}

TEST_CASE("unknown source fields and transforms get hints at their values", "[mapping][check]") {
    const auto diagnostics = check(with_fields(R"json(
    "person_id": {"from": "AAC01"},
    "id_number": {"from": "AAC002", "transforms": [{"op": "gb11634"}]})json"));
    INFO(render(diagnostics));
    const Diagnostic* source = find(diagnostics, "FC013");
    REQUIRE(source != nullptr);
    CHECK(source->hint == "did you mean \"AAC001\"?");
    CHECK(source->column == 27);
    const Diagnostic* op = find(diagnostics, "FC020");
    REQUIRE(op != nullptr);
    CHECK(op->hint == "did you mean \"gb11643\"?");
}

TEST_CASE("bad arguments point at the argument", "[mapping][check]") {
    const auto diagnostics = check(with_fields(R"json(
    "person_id": {"from": "AAC001", "transforms": [{"op": "substring", "start": -1}]},
    "id_number": {"from": "AAC002"})json"));
    INFO(render(diagnostics));
    const Diagnostic* bad = find(diagnostics, "FC021");
    REQUIRE(bad != nullptr);
    CHECK(bad->pointer == "/fields/person_id/transforms/0/start");
    CHECK(bad->line == 7);
}

TEST_CASE("decimal precision flows through to the target type", "[mapping][check]") {
    // AAC040 is decimal(17,2), like PIC S9(15)V99: fine into decimal(17,2), not into (14,2).
    const auto diagnostics = check(with_fields(R"json(
    "person_id": {"from": "AAC001"},
    "id_number": {"from": "AAC002"},
    "wage": {"from": "AAC040"})json"));
    INFO(render(diagnostics));
    const Diagnostic* loss = find(diagnostics, "FC031");
    REQUIRE(loss != nullptr);
    CHECK(loss->severity == Severity::Error);
    CHECK_THAT(loss->message, Catch::Contains("15 integer digits into 12"));
    const auto text_into_date = check(with_fields(R"json(
    "person_id": {"from": "AAC001"},
    "id_number": {"from": "AAC002"},
    "birth_date": {"from": "AAC099"})json"));
    const Diagnostic* flow = find(text_into_date, "FC030");
    REQUIRE(flow != nullptr);
    CHECK_THAT(flow->message, Catch::Contains("\"op\": \"date\""));
}

TEST_CASE("sharing rules: 不予共享 never reaches an unconditional dataset", "[mapping][check]") {
    const std::string dataset = R"json("dataset": {"sharing": {"type": "unconditional"}},)json";
    const auto diagnostics = check(with_fields(R"json(
    "person_id": {"from": "AAC001"},
    "id_number": {"from": "AAC002"},
    "internal_note": {"from": "AAC099"},
    "region": {"from": "AAC099"})json",
                                               dataset));
    INFO(render(diagnostics));
    CHECK(find(diagnostics, "FC050") != nullptr); // internal_note itself
    const Diagnostic* taint = find(diagnostics, "FC052");
    REQUIRE(taint != nullptr); // region reads the same source as the not-shared note
    CHECK_THAT(taint->message, Catch::Contains("region"));
    CHECK(find(diagnostics, "FC053") != nullptr); // id_number is conditional
}

TEST_CASE("a mapping may restrict sharing but never loosen it", "[mapping][check]") {
    const auto diagnostics = check(with_fields(R"json(
    "person_id": {"from": "AAC001", "sharing": "conditional"},
    "id_number": {"from": "AAC002", "sharing": "unconditional"})json"));
    INFO(render(diagnostics));
    const Diagnostic* loosened = find(diagnostics, "FC051");
    REQUIRE(loosened != nullptr);
    CHECK(loosened->pointer == "/fields/id_number/sharing");
}

TEST_CASE("a sensitive field whose masking is switched off is flagged", "[mapping][check]") {
    const auto diagnostics = check(with_fields(R"json(
    "person_id": {"from": "AAC001"},
    "id_number": {"from": "AAC002", "masking": null})json"));
    INFO(render(diagnostics));
    const Diagnostic* unmasked = find(diagnostics, "FC060");
    REQUIRE(unmasked != nullptr);
    CHECK(unmasked->severity == Severity::Warning);
}

TEST_CASE("crosswalks must land in the target code table", "[mapping][check]") {
    const std::string crosswalks = R"json(
  "crosswalks": {"sex": {"to_table": "gender", "map": {"M": "1", "F": "3"},
                         "source_codes": ["M", "F", "U"]}},)json";
    const auto diagnostics = check(with_fields(R"json(
    "person_id": {"from": "AAC001"},
    "id_number": {"from": "AAC002"},
    "sex": {"from": "AAC099", "transforms": [{"op": "code", "crosswalk": "sex"}]})json",
                                               crosswalks));
    INFO(render(diagnostics));
    const Diagnostic* bad_code = find(diagnostics, "FC041");
    REQUIRE(bad_code != nullptr);
    CHECK(bad_code->pointer == "/crosswalks/sex/map/F");
    const Diagnostic* unmapped = find(diagnostics, "FC042");
    REQUIRE(unmapped != nullptr);
    CHECK_THAT(unmapped->message, Catch::Contains("\"U\""));
}

TEST_CASE("syntax errors and unknown keys are placed", "[mapping][check]") {
    const auto syntax = check("{\n  \"id\": \"t\",\n  \"source\": }\n");
    REQUIRE(syntax.size() == 1);
    CHECK(syntax[0].code == "FC001");
    CHECK(syntax[0].line == 3);
    const auto typo = check(with_fields(R"json(
    "person_id": {"from": "AAC001", "tranforms": []},
    "id_number": {"from": "AAC002"})json"));
    const Diagnostic* key = find(typo, "FC003");
    REQUIRE(key != nullptr);
    CHECK(key->hint == "did you mean \"transforms\"?");
    CHECK(key->line == 7);
}
