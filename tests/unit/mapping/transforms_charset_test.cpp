// SPDX-License-Identifier: Apache-2.0
// transforms_charset_test.cpp — decode and gbk_safe. Expected bytes come from glibc iconv itself
// (UTF-8 -> code page), plus a few hand-written broken sequences.
#include <iconv.h>
#include <optional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "ferry/transform.h"

#include "transform_test_support.h"

using namespace ferry;
using ferry::testing::run_text;
using ferry::testing::run_transform;
using ferry::testing::value_column;
using nlohmann::json;

namespace {

/// `utf8` in `code_page`, or nullopt when the code page cannot represent it.
std::optional<std::string> encode(const std::string& utf8, const char* code_page) {
    iconv_t cd = iconv_open(code_page, "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string out(utf8.size() * 4 + 16, '\0');
    char* in_ptr = const_cast<char*>(utf8.data());
    std::size_t in_left = utf8.size();
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    bool ok = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) == 0;
    // Flushing writes the SI that closes a double-byte run in the EBCDIC code pages.
    ok = ok && iconv(cd, nullptr, nullptr, &out_ptr, &out_left) == 0;
    iconv_close(cd);
    if (!ok) {
        return std::nullopt;
    }
    out.resize(out.size() - out_left);
    return out;
}

std::string encoded(const std::string& utf8, const char* code_page) {
    const std::optional<std::string> bytes = encode(utf8, code_page);
    REQUIRE(bytes);
    return *bytes;
}

Column bytes_column(const std::vector<std::optional<std::string>>& cells) {
    std::vector<Value> values;
    for (const auto& cell : cells) {
        values.push_back(cell ? Value::bytes(*cell) : Value::null());
    }
    return value_column(DataType::binary(), values);
}

testing::TransformRun decode(const json& args,
                             const std::vector<std::optional<std::string>>& cells) {
    return run_transform("decode", args, {bytes_column(cells)});
}

Value text(const std::string& utf8) {
    return Value::text(utf8).value();
}

} // namespace

TEST_CASE("decode turns Chinese code pages into UTF-8", "[transform][charset]") {
    const std::string name = "张三丰";
    auto run = decode({{"from", "GBK"}}, {encoded(name, "GBK"), std::nullopt, "ABC 123"});
    REQUIRE(run.status.ok());
    CHECK(run.output_type == DataType::utf8());
    CHECK(run.out == std::vector<Value>{text(name), Value::null(), text("ABC 123")});
    CHECK(run.rejects.empty());

    // 䶮 is outside GBK but inside GB18030 (four bytes).
    CHECK_FALSE(encode("王䶮", "GBK"));
    const std::string rare = encoded("王䶮", "GB18030");
    CHECK(decode({{"from", "gb18030"}}, {rare}).out == std::vector<Value>{text("王䶮")});

    CHECK(decode({{"from", "BIG5"}}, {encoded("臺灣", "BIG5")}).out ==
          std::vector<Value>{text("臺灣")});
}

TEST_CASE("decode reads EBCDIC with shifts and trims after decoding", "[transform][charset]") {
    // IBM935 (GB2312-based) lacks 喆; IBM1388 has it.
    const std::string mixed = encoded("张三 ABC", "IBM935");
    CHECK(mixed.front() == '\x0e'); // SO opens the double-byte run
    CHECK_FALSE(encode("喆", "IBM935"));
    auto run = decode({{"from", "IBM935"}}, {mixed, mixed});
    CHECK(run.out == std::vector<Value>{text("张三 ABC"), text("张三 ABC")});
    run = decode({{"from", "IBM1388"}}, {encoded("李喆", "IBM1388")});
    CHECK(run.out == std::vector<Value>{text("李喆")});

    // A value cut inside a double-byte run must not leak its shift state into the next cell.
    const std::string cut = mixed.substr(0, 3);
    run = decode({{"from", "IBM935"}}, {cut, encoded("ABC", "IBM935")});
    CHECK(run.out[1] == text("ABC"));

    // EBCDIC pads with 0x40, a space only once decoded.
    const std::string padded = encoded("HELLO   ", "IBM037");
    CHECK(padded.back() == '\x40');
    run = decode({{"from", "cp037"}, {"trim", true}}, {padded, encoded("   ", "IBM037")});
    CHECK(run.out == std::vector<Value>{text("HELLO"), text("")});
    run = decode({{"from", "CP037"}}, {padded});
    CHECK(run.out == std::vector<Value>{text("HELLO   ")});
    run = decode({{"from", "IBM1047"}, {"trim", true}}, {encoded("[x] ", "IBM1047")});
    CHECK(run.out == std::vector<Value>{text("[x]")});
}

TEST_CASE("decode rejects broken bytes without substituting", "[transform][charset]") {
    const auto run =
        decode({{"from", "GBK"}, {"on_error", "reject"}},
               {std::string("\x81"), std::string("a\xff\xff"), std::string("\xd5\xc5\x81\x20")});
    REQUIRE(run.status.ok());
    CHECK(run.out == std::vector<Value>(3, Value::null()));
    CHECK(run.rejects.at(0) == "charset: input ends inside a multi-byte character");
    CHECK(run.rejects.at(1) == "charset: byte 1 is not valid GBK");
    CHECK(run.rejects.at(2) == "charset: byte 2 is not valid GBK");

    const auto ebcdic = decode({{"from", "IBM935"}}, {std::string("\x0e\xff\xff\x0f")});
    CHECK(ebcdic.rejects.at(0) == "charset: byte 1 is not valid IBM935");

    const auto utf8 = decode({{"from", "UTF-8"}, {"trim", true}},
                             {std::string("ok  "), std::string("\xe5\xbc\xa0\xd5\xc5")});
    CHECK(utf8.out[0] == text("ok"));
    CHECK(utf8.rejects.at(1) == "charset: byte 3 is not valid UTF-8");
}

TEST_CASE("decode reads GBK bytes that a driver put in a text column", "[transform][charset]") {
    // Column does not validate text appends, which is how such drivers' cells arrive.
    const auto run = run_text("decode", {{"from", "GBK"}}, {encoded("张三", "GBK")});
    CHECK(run.out == std::vector<Value>{text("张三")});
}

TEST_CASE("decode refuses bad arguments and input types", "[transform][charset]") {
    const auto field_of = [](const json& args) { return decode(args, {"x"}).status.field(); };
    CHECK(field_of({{"from", "EBCDIC"}}) == "/from");
    CHECK(field_of({{"from", "GBK"}, {"on_error", "replace"}}) == "/on_error");
    CHECK(field_of({{"from", "GBK"}, {"trim", "yes"}}) == "/trim");
    CHECK_FALSE(decode(json::object(), {"x"}).status.ok());
    const auto bad_type = run_transform("decode", {{"from", "GBK"}},
                                        {value_column(DataType::int64(), {Value::int64(1)})});
    CHECK(bad_type.status.code() == StatusCode::InvalidArgument);
    CHECK(bad_type.status.field().empty());
}

TEST_CASE("decode runs on several threads at once", "[transform][charset]") {
    const TransformRegistry registry = TransformRegistry::with_builtins();
    const json args = {{"from", "IBM935"}};
    const std::vector<DataType> types{DataType::binary()};
    const TransformSetup setup{args, types, {}, {}, {}, {}};
    Result<BoundTransform> bound = registry.create("decode", setup);
    REQUIRE(bound.ok());
    std::vector<std::optional<std::string>> cells(2000, encoded("张三 ABC", "IBM935"));
    const Column in = bytes_column(cells);
    const auto work = [&](std::int64_t* rejected) {
        const Column* inputs[] = {&in};
        Column out(DataType::utf8());
        RowErrors errors(in.size());
        bound->transform->apply(inputs, out, errors);
        *rejected = errors.count() + (out.text(1999) == "张三 ABC" ? 0 : 1);
    };
    std::int64_t first = -1;
    std::int64_t second = -1;
    std::thread one(work, &first);
    std::thread two(work, &second);
    one.join();
    two.join();
    CHECK(first == 0);
    CHECK(second == 0);
}

TEST_CASE("gbk_safe rejects characters GBK cannot represent", "[transform][charset]") {
    const auto run =
        run_text("gbk_safe", json::object(),
                 {"张三", "王䶮", "阿卜杜·热合曼", "plain ASCII", std::nullopt, "ok 😀", ""});
    REQUIRE(run.status.ok());
    CHECK(run.out == std::vector<Value>{text("张三"), Value::null(), text("阿卜杜·热合曼"),
                                        text("plain ASCII"), Value::null(), Value::null(),
                                        text("")});
    CHECK(run.rejects.at(1) == "gbk_safe: character 2 has no GBK code");
    CHECK(run.rejects.at(5) == "gbk_safe: character 4 has no GBK code");
    CHECK(run.rejects.size() == 2);

    CHECK_FALSE(run_text("gbk_safe", {{"strict", true}}, {"x"}).status.ok());
    const auto bad_type = run_transform("gbk_safe", json::object(),
                                        {value_column(DataType::binary(), {Value::bytes("x")})});
    CHECK(bad_type.status.code() == StatusCode::InvalidArgument);
    CHECK(bad_type.status.field().empty());
}
