// SPDX-License-Identifier: Apache-2.0
// transforms_validators_test.cpp — gb11643*, uscc, org_code and mobile against the vectors of
// docs/reference domain.md §3 (every valid and invalid row), plus normalisation and messages.
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ferry/date.h"
#include "ferry/transform.h"

#include "transform_test_support.h"

using namespace ferry;
using ferry::testing::run_text;
using ferry::testing::run_transform;
using ferry::testing::TransformRun;

namespace {

/// Runs `op` over one value; returns the output text, or std::nullopt when rejected.
std::optional<std::string>
one(const std::string& op, const std::string& value, const nlohmann::json& args = nullptr) {
    const TransformRun run = run_text(op, args, {value});
    REQUIRE(run.status.ok());
    if (!run.rejects.empty()) {
        REQUIRE(run.out.at(0).is_null());
        return std::nullopt;
    }
    return std::string(run.out.at(0).as_text());
}

/// The reject of one value ("rule: reason"); fails the test when the value passes.
std::string
reject_of(const std::string& op, const std::string& value, const nlohmann::json& args = nullptr) {
    const TransformRun run = run_text(op, args, {value});
    REQUIRE(run.status.ok());
    REQUIRE(run.rejects.count(0) == 1);
    const std::string reject = run.rejects.at(0);
    // Reasons never quote the value, not even a part long enough to identify anyone.
    const std::string trimmed = value.size() > 4 ? value.substr(1, 4) : "";
    if (!trimmed.empty()) {
        CHECK(reject.find(trimmed) == std::string::npos);
    }
    return reject;
}

} // namespace

// ---- gb11643 ----

TEST_CASE("gb11643 accepts every valid vector of domain.md §3.1", "[transform][validators]") {
    for (const char* id :
         {"11010519491231002X", "110105199003071239", "110105199003071247", "440304198511150028",
          "510107200002290010", "330106198705211040", "11010519900307101X"}) {
        CAPTURE(id);
        CHECK(one("gb11643", id) == std::string(id));
    }
}

TEST_CASE("gb11643 rejects every invalid vector of domain.md §3.1", "[transform][validators]") {
    CHECK_THAT(reject_of("gb11643", "110105199003071234"),
               Catch::Equals("gb11643: check character (character 18) is wrong"));
    CHECK_THAT(reject_of("gb11643", "110105199002301236"),
               Catch::Equals("gb11643: birth date (characters 7–14) is not a calendar date"));
    CHECK_THAT(reject_of("gb11643", "1101051990030712"),
               Catch::Equals("gb11643: 15 or 18 characters expected, got 16"));
}

TEST_CASE("gb11643 normalises spaces and a lower-case x", "[transform][validators]") {
    CHECK(one("gb11643", "11010519900307101x") == "11010519900307101X");
    CHECK(one("gb11643", "  11010519491231002x ") == "11010519491231002X");
}

TEST_CASE("gb11643 upgrades 15-digit numbers unless told not to", "[transform][validators]") {
    CHECK(one("gb11643", "110105490101001") == "110105194901010013");
    CHECK(one("gb11643", "110105490101001", {{"upgrade_15", true}}) == "110105194901010013");
    CHECK_THAT(reject_of("gb11643", "110105490101001", {{"upgrade_15", false}}),
               Catch::Equals("gb11643: 18 characters expected, got 15 (upgrade_15 is off)"));
    CHECK_THAT(reject_of("gb11643", "1101051990030712", {{"upgrade_15", false}}),
               Catch::Equals("gb11643: 18 characters expected, got 16"));
    // An impossible birth date in a legacy number: 1949-02-30.
    CHECK_THAT(reject_of("gb11643", "110105490230001"),
               Catch::Equals("gb11643: birth date (characters 7–12) is not a calendar date"));
    // Legacy numbers have no check character, so an X anywhere is wrong.
    CHECK_THAT(reject_of("gb11643", "11010549010100X"),
               Catch::Equals("gb11643: character 15 is not a digit"));
}

TEST_CASE("gb11643 says where a dirty value goes wrong", "[transform][validators]") {
    CHECK_THAT(reject_of("gb11643", "11010519900307A239"),
               Catch::Equals("gb11643: character 15 is not a digit"));
    CHECK_THAT(reject_of("gb11643", "11010519900307123Y"),
               Catch::Equals("gb11643: character 18 must be a digit or X"));
    CHECK_THAT(reject_of("gb11643", "110105199013071231"),
               Catch::Equals("gb11643: birth date (characters 7–14): month is outside 01..12"));
    CHECK_THAT(reject_of("gb11643", "110105199000071231"),
               Catch::Equals("gb11643: birth date (characters 7–14): month is outside 01..12"));
    CHECK_THAT(reject_of("gb11643", "110105000001011231"),
               Catch::Equals("gb11643: birth date (characters 7–14) is not a calendar date"));
    CHECK_THAT(reject_of("gb11643", "110105199003001231"),
               Catch::Equals("gb11643: birth date (characters 7–14) is not a calendar date"));
    // 1900 is not a leap year.
    CHECK_THAT(reject_of("gb11643", "110105190002291231"),
               Catch::Contains("is not a calendar date"));
    // Full-width digits are 18 characters but not ASCII digits.
    CHECK_THAT(reject_of("gb11643", "１10105199003071239"),
               Catch::Equals("gb11643: character 1 is not a digit"));
    CHECK_THAT(reject_of("gb11643", "11010519900307123身"),
               Catch::Equals("gb11643: character 18 must be a digit or X"));
    CHECK_THAT(reject_of("gb11643", "身份证号码"),
               Catch::Equals("gb11643: 15 or 18 characters expected, got 5"));
    CHECK(run_text("gb11643", nullptr, {"  "}).rejects.at(0) == "gb11643: is empty");
}

TEST_CASE("gb11643 passes nulls and skips rows", "[transform][validators]") {
    const TransformRun run =
        run_text("gb11643", nullptr, {std::nullopt, "110105199003071239", "bad", std::nullopt});
    REQUIRE(run.status.ok());
    CHECK(run.out[0].is_null());
    CHECK(run.out[1].as_text() == "110105199003071239");
    CHECK(run.out[2].is_null());
    CHECK(run.out[3].is_null());
    CHECK(run.rejects.size() == 1);
    CHECK(run.rejects.count(2) == 1);
}

TEST_CASE("gb11643 checks its arguments and input type", "[transform][validators]") {
    const TransformRun wrong_type = run_text("gb11643", {{"upgrade_15", "yes"}}, {"x"});
    CHECK(wrong_type.status.code() == StatusCode::InvalidArgument);
    CHECK(wrong_type.status.field() == "/upgrade_15");
    CHECK_FALSE(run_text("gb11643", {{"upgrade", true}}, {"x"}).status.ok());
    const TransformRun numeric = run_transform(
        "gb11643", nullptr, {testing::value_column(DataType::int64(), {Value::int64(1)})});
    CHECK(numeric.status.code() == StatusCode::InvalidArgument);
    CHECK(numeric.status.field().empty());
    CHECK_THAT(numeric.status.message(), Catch::Contains("needs text input, got int64"));
}

TEST_CASE("gb11643_birth_date outputs the birth date", "[transform][validators]") {
    const TransformRun run =
        run_text("gb11643_birth_date", nullptr,
                 {"11010519491231002X", "510107200002290010", "110105490101001",
                  "110105199002301236", std::nullopt, "11010519900307101x"});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::date32());
    CHECK(run.out[0].as_date() == Date::from_ymd(1949, 12, 31).value());
    CHECK(run.out[1].as_date() == Date::from_ymd(2000, 2, 29).value());
    CHECK(run.out[2].as_date() == Date::from_ymd(1949, 1, 1).value());
    CHECK(run.out[3].is_null());
    CHECK(run.rejects.at(3) == "gb11643: birth date (characters 7–14) is not a calendar date");
    CHECK(run.out[4].is_null());
    CHECK(run.out[5].as_date() == Date::from_ymd(1990, 3, 7).value());
    CHECK(run.rejects.size() == 1);
    CHECK(run_text("gb11643_birth_date", {{"upgrade_15", false}}, {"110105490101001"})
              .rejects.count(0) == 1);
    CHECK(run_text("gb11643_birth_date", nullptr, {"110105199003071234"}).rejects.at(0) ==
          "gb11643: check character (character 18) is wrong");
}

TEST_CASE("gb11643_gender outputs the GB/T 2261.1 sex code", "[transform][validators]") {
    const TransformRun run =
        run_text("gb11643_gender", nullptr,
                 {"110105199003071239", "110105199003071247", "11010519491231002X",
                  "110105490101001", "110105490101002", "110105199003071234", std::nullopt});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::utf8());
    CHECK(run.out[0].as_text() == "1");
    CHECK(run.out[1].as_text() == "2");
    CHECK(run.out[2].as_text() == "2");
    CHECK(run.out[3].as_text() == "1");
    CHECK(run.out[4].as_text() == "2");
    CHECK(run.out[5].is_null());
    CHECK(run.rejects.at(5) == "gb11643: check character (character 18) is wrong");
    CHECK(run.out[6].is_null());
    CHECK_FALSE(run_text("gb11643_gender", {{"upgrade_15", 1}}, {"x"}).status.ok());
}

// ---- uscc ----

TEST_CASE("uscc accepts every valid vector of domain.md §3.3", "[transform][validators]") {
    for (const char* code :
         {"91110000600037341L", "91110108551385082Q", "91330000755918469E", "121200004013590816",
          "91110105MA01C7K26H", "92110105MA01C7K26E", "93110105MA01C7K26B", "12110105MA01C7K26N",
          "51110105MA01C7K26M", "91440304MA5FT3QX19", "91510107MA6DGH4W0P", "91330106MA2H0N8P4U"}) {
        CAPTURE(code);
        CHECK(one("uscc", code) == std::string(code));
        CHECK(one("uscc", code, {{"check_org_code", false}}) == std::string(code));
    }
}

TEST_CASE("uscc rejects every invalid vector of domain.md §3.3", "[transform][validators]") {
    CHECK_THAT(reject_of("uscc", "91110000600037341N"),
               Catch::Equals("uscc: check character (character 18) is wrong"));
    CHECK_THAT(reject_of("uscc", "9111000060003IOZSV"),
               Catch::StartsWith("uscc: character 14 is not in the USCC alphabet"));
    CHECK_THAT(reject_of("uscc", "91330104341916223P"),
               Catch::Equals("uscc: check character (character 18) is wrong"));
    CHECK_THAT(reject_of("uscc", "91110105MA01C7K26I"),
               Catch::StartsWith("uscc: character 18 is not in the USCC alphabet"));
}

TEST_CASE("uscc allows letters in the first two characters only", "[transform][validators]") {
    // Check characters computed with the python3 validator of domain.md §3.5.
    CHECK(one("uscc", "A1110105MA01C7K26G") == "A1110105MA01C7K26G");
    CHECK(one("uscc", "N2110105MA01C7K261") == "N2110105MA01C7K261");
    CHECK(one("uscc", "Y1110105MA01C7K26U") == "Y1110105MA01C7K26U");
    CHECK_THAT(reject_of("uscc", "91A10105MA01C7K26X"),
               Catch::Equals("uscc: character 3 is not a digit (characters 3–8 are the division "
                             "code)"));
}

TEST_CASE("uscc checks the nested organization code when asked", "[transform][validators]") {
    // A right USCC check character over a wrong GB 11714 check character (7 instead of 6).
    CHECK_THAT(reject_of("uscc", "91110105MA01C7K27L"),
               Catch::Equals("uscc: organization code check character (character 17) is wrong"));
    CHECK(one("uscc", "91110105MA01C7K27L", {{"check_org_code", false}}) == "91110105MA01C7K27L");
}

TEST_CASE("uscc trims, upper-cases and reports lengths", "[transform][validators]") {
    CHECK(one("uscc", " 91110108551385082q ") == "91110108551385082Q");
    CHECK(one("uscc", "91110105ma01c7k26h") == "91110105MA01C7K26H");
    CHECK_THAT(reject_of("uscc", "91110108551385082"),
               Catch::Equals("uscc: 18 characters expected, got 17"));
    CHECK_THAT(reject_of("uscc", "9111010855138508２Q"),
               Catch::StartsWith("uscc: character 17 is not in the USCC alphabet"));
    CHECK(run_text("uscc", nullptr, {""}).rejects.at(0) == "uscc: is empty");
    const TransformRun nulls = run_text("uscc", nullptr, {std::nullopt});
    CHECK(nulls.out.at(0).is_null());
    CHECK(nulls.rejects.empty());
}

TEST_CASE("uscc checks its arguments and input type", "[transform][validators]") {
    CHECK(run_text("uscc", {{"check_org_code", "no"}}, {"x"}).status.field() == "/check_org_code");
    CHECK_FALSE(run_text("uscc", {{"strict", true}}, {"x"}).status.ok());
    const TransformRun dates = run_transform(
        "uscc", nullptr, {testing::value_column(DataType::date32(), {Value::null()})});
    CHECK_THAT(dates.status.message(), Catch::Contains("needs text input"));
}

// ---- org_code ----

TEST_CASE("org_code accepts every vector of domain.md §3.2", "[transform][validators]") {
    for (const char* code :
         {"60003734-1", "55138508-2", "75591846-9", "MA01C7K2-6", "MA01C7K5-0"}) {
        CAPTURE(code);
        CHECK(one("org_code", code) == std::string(code));
        std::string bare(code);
        bare.erase(8, 1);
        CHECK(one("org_code", bare) == std::string(code));
        CHECK(one("org_code", code, {{"hyphen", false}}) == bare);
    }
}

TEST_CASE("org_code rejects wrong check characters and dirty values", "[transform][validators]") {
    CHECK_THAT(reject_of("org_code", "60003734-2"),
               Catch::Equals("org_code: check character (the last) is wrong"));
    CHECK_THAT(reject_of("org_code", "MA01C7K2-X"),
               Catch::Equals("org_code: check character (the last) is wrong"));
    CHECK_THAT(reject_of("org_code", "60003734_1"),
               Catch::Equals("org_code: character 9 of a 10-character code must be the hyphen"));
    CHECK_THAT(reject_of("org_code", "6000373"),
               Catch::Equals("org_code: 9 (or 10 as XXXXXXXX-X) characters expected, got 7"));
    CHECK_THAT(reject_of("org_code", "6000373#-1"),
               Catch::Equals("org_code: character 8 is not 0-9 or A-Z"));
    CHECK_THAT(reject_of("org_code", "600037组-1"),
               Catch::Equals("org_code: character 7 is not 0-9 or A-Z"));
    CHECK(one("org_code", " ma01c7k2-6 ") == "MA01C7K2-6");
    const TransformRun nulls = run_text("org_code", nullptr, {std::nullopt, ""});
    CHECK(nulls.out.at(0).is_null());
    CHECK(nulls.rejects.at(1) == "org_code: is empty");
}

TEST_CASE("org_code checks its arguments and input type", "[transform][validators]") {
    CHECK(run_text("org_code", {{"hyphen", "-"}}, {"x"}).status.field() == "/hyphen");
    const TransformRun numeric = run_transform(
        "org_code", nullptr, {testing::value_column(DataType::int64(), {Value::int64(1)})});
    CHECK_THAT(numeric.status.message(), Catch::Contains("needs text input"));
}

// ---- mobile ----

TEST_CASE("mobile strips separators and the country code", "[transform][validators]") {
    for (const char* number :
         {"13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+8613800138000",
          "008613800138000", "8613800138000", " 0086-138-0013-8000 "}) {
        CAPTURE(number);
        CHECK(one("mobile", number) == "13800138000");
    }
    CHECK(one("mobile", "19912345678") == "19912345678");
}

TEST_CASE("mobile rejects what is not a mainland mobile number", "[transform][validators]") {
    CHECK_THAT(reject_of("mobile", "12800138000"),
               Catch::Equals("mobile: does not start with 13-19 (mainland mobile prefixes)"));
    CHECK_THAT(reject_of("mobile", "23800138000"),
               Catch::Equals("mobile: does not start with 13-19 (mainland mobile prefixes)"));
    CHECK_THAT(reject_of("mobile", "1380013800"),
               Catch::Equals("mobile: 11 digits expected after the country code, got 10"));
    CHECK_THAT(reject_of("mobile", "138001380001234567890"),
               Catch::Equals("mobile: 11 digits expected after the country code, got 21"));
    CHECK_THAT(reject_of("mobile", "+852 6123 4567"),
               Catch::Equals("mobile: country code is not +86 (not a mainland number)"));
    CHECK_THAT(reject_of("mobile", "138001380a0"), Catch::StartsWith("mobile: has a character"));
    CHECK_THAT(reject_of("mobile", "138+00138000"), Catch::StartsWith("mobile: has a character"));
    CHECK_THAT(reject_of("mobile", "１3800138000"), Catch::StartsWith("mobile: has a character"));
    // A landline with its area code.
    CHECK_THAT(reject_of("mobile", "010-12345678"),
               Catch::Equals("mobile: does not start with 13-19 (mainland mobile prefixes)"));
    const TransformRun blanks = run_text("mobile", nullptr, {" - ", std::nullopt});
    CHECK(blanks.rejects.at(0) == "mobile: is empty");
    CHECK(blanks.out.at(1).is_null());
    CHECK(blanks.rejects.count(1) == 0);
}

TEST_CASE("mobile takes no arguments and needs text", "[transform][validators]") {
    CHECK_FALSE(run_text("mobile", {{"country", "86"}}, {"x"}).status.ok());
    const TransformRun numeric = run_transform(
        "mobile", nullptr, {testing::value_column(DataType::int64(), {Value::int64(13800138000)})});
    CHECK_THAT(numeric.status.message(), Catch::Contains("needs text input"));
}

TEST_CASE("validators are registered without protection", "[transform][validators]") {
    const TransformRegistry registry = TransformRegistry::with_builtins();
    for (const char* name :
         {"gb11643", "gb11643_birth_date", "gb11643_gender", "uscc", "org_code", "mobile"}) {
        CAPTURE(name);
        const TransformDescriptor* descriptor = registry.find(name);
        REQUIRE(descriptor != nullptr);
        CHECK(descriptor->protection == Protection::None);
        CHECK_FALSE(descriptor->summary.empty());
    }
}
