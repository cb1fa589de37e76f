// SPDX-License-Identifier: Apache-2.0
// transforms_privacy_test.cpp — mask, hmac_sha256, hmac_sm3 and redact: outputs, published
// HMAC vectors, arguments, and the Protection each declares.
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "ferry/date.h"
#include "ferry/transform.h"

#include "transform_test_support.h"

using namespace ferry;
using ferry::testing::run_text;
using ferry::testing::run_transform;
using ferry::testing::TransformEnv;
using ferry::testing::TransformRun;

namespace {

std::string masked(const std::string& value, const nlohmann::json& args) {
    const TransformRun run = run_text("mask", args, {value});
    REQUIRE(run.status.ok());
    REQUIRE(run.rejects.empty());
    return std::string(run.out.at(0).as_text());
}

TransformEnv jefe() {
    TransformEnv env;
    env.secrets["pseudonym_key"] = "Jefe";
    env.secrets["blank"] = "";
    return env;
}

constexpr const char* kRfc4231Data = "what do ya want for nothing?";

} // namespace

// ---- mask ----

TEST_CASE("mask reproduces the catalog proposal of domain.md §5", "[transform][privacy]") {
    CHECK(masked("110105199003071239", {{"keep_first", 6}, {"keep_last", 4}}) ==
          "110105********1239");
    CHECK(masked("13800138000", {{"keep_first", 3}, {"keep_last", 4}}) == "138****8000");
    CHECK(masked("张三丰", {{"keep_first", 1}}) == "张**");
    CHECK(masked("欧阳小明", {{"keep_first", 1}}) == "欧***");
}

TEST_CASE("mask counts code points and takes any one-character mask", "[transform][privacy]") {
    CHECK(masked("张三丰", {{"keep_first", 1}, {"char", "●"}}) == "张●●");
    CHECK(masked("a张b", {{"keep_first", 1}, {"keep_last", 1}}) == "a*b");
    CHECK(masked("北京市朝阳区建国路", {{"keep_first", 6}}) == "北京市朝阳区***");
    CHECK(masked("secret", nlohmann::json::object()) == "******");
    CHECK(masked("secret", {{"keep_last", 2}, {"char", "#"}}) == "####et");
}

TEST_CASE("mask always hides at least one character, giving up the end first",
          "[transform][privacy]") {
    CHECK(masked("张三", {{"keep_first", 1}}) == "张*");
    CHECK(masked("张", {{"keep_first", 1}}) == "*");
    CHECK(masked("12345", {{"keep_first", 3}, {"keep_last", 4}}) == "123*5");
    CHECK(masked("abcd", {{"keep_first", 3}, {"keep_last", 3}}) == "abc*");
    CHECK(masked("abcd", {{"keep_first", 9}}) == "abc*");
    CHECK(masked("ab", {{"keep_last", 5}}) == "*b");
    CHECK(masked("", {{"keep_first", 1}}).empty());
}

TEST_CASE("mask passes nulls and skips rejected rows", "[transform][privacy]") {
    const TransformRun run = run_text("mask", {{"keep_first", 1}}, {std::nullopt, "李四"});
    REQUIRE(run.status.ok());
    CHECK(run.out[0].is_null());
    CHECK(run.out[1].as_text() == "李*");
    CHECK(run.rejects.empty());
}

TEST_CASE("mask checks its arguments and input type", "[transform][privacy]") {
    CHECK(run_text("mask", {{"keep_first", -1}}, {"x"}).status.field() == "/keep_first");
    CHECK(run_text("mask", {{"keep_last", "4"}}, {"x"}).status.field() == "/keep_last");
    const TransformRun two_chars = run_text("mask", {{"char", "**"}}, {"x"});
    CHECK(two_chars.status.code() == StatusCode::InvalidArgument);
    CHECK(two_chars.status.field() == "/char");
    CHECK(run_text("mask", {{"char", ""}}, {"x"}).status.field() == "/char");
    CHECK_FALSE(run_text("mask", {{"keep", 1}}, {"x"}).status.ok());
    const TransformRun numeric = run_transform(
        "mask", {{"keep_first", 1}}, {testing::value_column(DataType::int64(), {Value::int64(7)})});
    CHECK(numeric.status.field().empty());
    CHECK_THAT(numeric.status.message(), Catch::Contains("mask needs text input, got int64"));
}

// ---- hmac_sha256 / hmac_sm3 ----

TEST_CASE("hmac_sha256 matches RFC 4231 test case 2", "[transform][privacy]") {
    const TransformRun hex =
        run_text("hmac_sha256", {{"key", "pseudonym_key"}}, {kRfc4231Data}, jefe());
    REQUIRE(hex.status.ok());
    CHECK(hex.out.at(0).as_text() ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    const TransformRun base64 = run_text(
        "hmac_sha256", {{"key", "pseudonym_key"}, {"output", "base64"}}, {kRfc4231Data}, jefe());
    REQUIRE(base64.status.ok());
    // The same 32 bytes in standard base64 (openssl mac … -binary HMAC | base64).
    CHECK(base64.out.at(0).as_text() == "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

TEST_CASE("hmac_sm3 matches OpenSSL's HMAC-SM3", "[transform][privacy]") {
    // Computed on the build machine (OpenSSL 3.0) with both
    //   printf '%s' 'what do ya want for nothing?' | openssl dgst -sm3 -hmac Jefe
    //   printf '%s' 'what do ya want for nothing?' | openssl mac -digest SM3 -macopt key:Jefe HMAC
    // and for the second value the same with 13800138000.
    const TransformRun run =
        run_text("hmac_sm3", {{"key", "pseudonym_key"}},
                 {kRfc4231Data, std::nullopt, "13800138000", kRfc4231Data}, jefe());
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::utf8());
    CHECK(run.out[0].as_text() ==
          "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882");
    CHECK(run.out[1].is_null());
    // Later rows reuse the keyed context: each must still start from the key alone.
    CHECK(run.out[2].as_text() ==
          "830a3be40635e567bf9387f3d7615076ab617638a6443e7d399def912b549915");
    CHECK(run.out[3].as_text() == run.out[0].as_text());
    CHECK(run.rejects.empty());
}

TEST_CASE("hmac hashes an empty text and many rows in a row", "[transform][privacy]") {
    // printf '' | openssl mac -digest SHA256 -macopt key:Jefe HMAC
    const TransformRun run =
        run_text("hmac_sha256", {{"key", "pseudonym_key"}}, {"", kRfc4231Data, ""}, jefe());
    REQUIRE(run.status.ok());
    CHECK(run.out[0].as_text() ==
          "923598ca6d64af2a5dba79dcd021a8a0fe5c5f557519adaaf0ad532d4506dd30");
    CHECK(run.out[1].as_text() ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(run.out[2].as_text() == run.out[0].as_text());
}

TEST_CASE("hmac needs a configured, non-empty secret", "[transform][privacy]") {
    for (const char* op : {"hmac_sha256", "hmac_sm3"}) {
        CAPTURE(op);
        const TransformRun missing = run_text(op, {{"key", "other"}}, {"x"}, jefe());
        CHECK(missing.status.code() == StatusCode::InvalidArgument);
        CHECK(missing.status.field() == "/key");
        CHECK_THAT(missing.status.message(), Catch::Contains("secret \"other\" is not configured"));
        const TransformRun blank = run_text(op, {{"key", "blank"}}, {"x"}, jefe());
        CHECK(blank.status.field() == "/key");
        CHECK_THAT(blank.status.message(), Catch::Contains("is empty"));
        CHECK_FALSE(run_text(op, nlohmann::json::object(), {"x"}, jefe()).status.ok());
        CHECK(run_text(op, {{"key", ""}}, {"x"}, jefe()).status.field() == "/key");
        CHECK(run_text(op, {{"key", "pseudonym_key"}, {"output", "hex2"}}, {"x"}, jefe())
                  .status.field() == "/output");
        const TransformRun numeric =
            run_transform(op, {{"key", "pseudonym_key"}},
                          {testing::value_column(DataType::int64(), {Value::int64(7)})}, jefe());
        CHECK(numeric.status.field().empty());
        CHECK_THAT(numeric.status.message(), Catch::Contains("needs text input"));
    }
}

TEST_CASE("one hmac transform runs on several threads at once", "[transform][privacy]") {
    const TransformRegistry registry = TransformRegistry::with_builtins();
    const std::vector<DataType> types{DataType::utf8()};
    const nlohmann::json args = {{"key", "pseudonym_key"}};
    const std::string key = "Jefe";
    TransformSetup setup{args, types, {}, {}, {}, {}};
    setup.secret = [&key](std::string_view) { return &key; };
    Result<BoundTransform> bound = registry.create("hmac_sha256", setup);
    REQUIRE(bound.ok());
    const Transform& transform = *bound->transform;
    std::vector<std::optional<std::string>> cells(2000, std::string(kRfc4231Data));
    const Column in = testing::text_column(cells);
    std::vector<Column> outs(4, Column(DataType::utf8()));
    std::vector<std::thread> threads;
    for (Column& out : outs) {
        threads.emplace_back([&transform, &in, &out] {
            const Column* inputs[] = {&in};
            RowErrors errors(in.size());
            transform.apply(inputs, out, errors);
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    for (const Column& out : outs) {
        REQUIRE(out.size() == in.size());
        std::int64_t wrong = 0;
        for (std::int64_t row = 0; row < out.size(); ++row) {
            wrong +=
                out.text(row) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
                    ? 0
                    : 1;
        }
        CHECK(wrong == 0);
    }
}

// ---- redact ----

TEST_CASE("redact replaces every non-null value with a constant", "[transform][privacy]") {
    const TransformRun run = run_text("redact", {{"with", "[已删除]"}}, {"张三", std::nullopt, ""});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::utf8());
    CHECK(run.out[0].as_text() == "[已删除]");
    CHECK(run.out[1].is_null());
    CHECK(run.out[2].as_text() == "[已删除]");
    const TransformRun dates =
        run_transform("redact", {{"with", "redacted"}},
                      {testing::value_column(DataType::date32(),
                                             {Value::date(Date::from_ymd(1990, 3, 7).value())})});
    REQUIRE(dates.status.ok());
    CHECK(dates.output_type == DataType::utf8());
    CHECK(dates.out[0].as_text() == "redacted");
}

TEST_CASE("redact without a replacement outputs nulls of the input type", "[transform][privacy]") {
    const TransformRun ints =
        run_transform("redact", nullptr,
                      {testing::value_column(DataType::int64(), {Value::int64(1), Value::null()})});
    REQUIRE(ints.status.ok());
    CHECK(ints.output_type == DataType::int64());
    CHECK(ints.out[0].is_null());
    CHECK(ints.out[1].is_null());
    const TransformRun text = run_text("redact", {{"with", nullptr}}, {"secret"});
    REQUIRE(text.status.ok());
    CHECK(text.output_type == DataType::utf8());
    CHECK(text.out[0].is_null());
    CHECK(text.rejects.empty());
}

TEST_CASE("redact checks its arguments", "[transform][privacy]") {
    CHECK(run_text("redact", {{"with", 1}}, {"x"}).status.field() == "/with");
    CHECK_FALSE(run_text("redact", {{"value", "x"}}, {"x"}).status.ok());
}

TEST_CASE("privacy transforms declare their protection", "[transform][privacy]") {
    const TransformRegistry registry = TransformRegistry::with_builtins();
    const std::vector<std::pair<const char*, Protection>> expected{
        {"mask", Protection::Masks},
        {"hmac_sha256", Protection::Pseudonymises},
        {"hmac_sm3", Protection::Pseudonymises},
        {"redact", Protection::Redacts}};
    for (const auto& [name, protection] : expected) {
        CAPTURE(name);
        const TransformDescriptor* descriptor = registry.find(name);
        REQUIRE(descriptor != nullptr);
        CHECK(descriptor->protection == protection);
    }
}
