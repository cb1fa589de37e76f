// SPDX-License-Identifier: Apache-2.0
// transforms_codes_test.cpp — crosswalk lookups and code-table membership.
#include <catch2/catch.hpp>

#include "transform_test_support.h"

using namespace ferry;
using ferry::testing::run_text;
using ferry::testing::TransformEnv;

namespace {

// Xi'an's 2-digit insurance types into the 人社 3-digit canonical table (domain.md §2.3).
TransformEnv xian_env() {
    TransformEnv env;
    env.code_tables["insurance_type"] = {"110", "210", "310", "410", "510"};
    Crosswalk crosswalk;
    crosswalk.name = "xa_aae140";
    crosswalk.to_table = "insurance_type";
    crosswalk.from_system = "xa.aae140";
    crosswalk.map = {{"01", "110"}, {"02", "210"}, {"03", "310"}, {"04", "410"}, {"05", "510"}};
    env.crosswalks["xa_aae140"] = crosswalk;
    return env;
}

} // namespace

TEST_CASE("code maps through a crosswalk and rejects unknown codes by default",
          "[transform][codes]") {
    const auto run = run_text("code", {{"crosswalk", "xa_aae140"}},
                              {"02", "04 ", std::nullopt, "11"}, xian_env());
    REQUIRE(run.status.ok());
    CHECK(run.out[0] == Value::text("210").value());
    CHECK(run.out[1] == Value::text("410").value()); // CHAR(n) padding is ignored
    CHECK(run.out[2].is_null());
    REQUIRE(run.rejects.count(3) == 1);
    CHECK(run.rejects.at(3) == "code: code is not in crosswalk xa_aae140");
}

TEST_CASE("code's unmapped policies: null, keep, default", "[transform][codes]") {
    const TransformEnv env = xian_env();
    CHECK(run_text("code", {{"crosswalk", "xa_aae140"}, {"unmapped", "null"}}, {"11"}, env)
              .out[0]
              .is_null());
    CHECK(
        run_text("code", {{"crosswalk", "xa_aae140"}, {"unmapped", "keep"}}, {"11"}, env).out[0] ==
        Value::text("11").value());
    const auto fallback =
        run_text("code", {{"crosswalk", "xa_aae140"}, {"unmapped", "default"}, {"default", "110"}},
                 {"11"}, env);
    CHECK(fallback.out[0] == Value::text("110").value());
}

TEST_CASE("code checks its arguments against the mapping and the catalog", "[transform][codes]") {
    const TransformEnv env = xian_env();
    CHECK(run_text("code", {{"crosswalk", "aae140"}}, {"01"}, env).status.field() == "/crosswalk");
    CHECK(run_text("code",
                   {{"crosswalk", "xa_aae140"}, {"unmapped", "default"}, {"default", "999"}},
                   {"01"}, env)
              .status.field() == "/default");
    CHECK(run_text("code", {{"crosswalk", "xa_aae140"}, {"default", "110"}}, {"01"}, env)
              .status.field() == "/default");
    CHECK(run_text("code", {{"crosswalk", "xa_aae140"}, {"unmapped", "default"}}, {"01"}, env)
              .status.field() == "/default");
}

TEST_CASE("in_code_table passes known codes and rejects the rest", "[transform][codes]") {
    const auto run =
        run_text("in_code_table", {{"table", "insurance_type"}}, {"310", "03"}, xian_env());
    REQUIRE(run.status.ok());
    CHECK(run.out[0] == Value::text("310").value());
    CHECK(run.rejects.at(1) == "in_code_table: code is not in code table insurance_type");
    CHECK(run_text("in_code_table", {{"table", "nope"}}, {"1"}, xian_env()).status.field() ==
          "/table");
}
