// SPDX-License-Identifier: Apache-2.0
// cursor_test.cpp — cursors round-trip, are bound to their dataset, and cannot be forged.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "bridge_test_support.h"
#include "crypto.h"
#include "cursor.h"

namespace fb = ferry::bridge;

TEST_CASE("a cursor round-trips", "[bridge][cursor]") {
    const fb::CursorCodec codec("0123456789abcdef0123456789abcdef");
    const fb::Cursor cursor{"persons", {{"next_record", 4097}}, 4200};
    const std::string token = codec.encode(cursor);
    auto decoded = codec.decode(token, "persons");
    REQUIRE(decoded.ok());
    CHECK(decoded->resume == cursor.resume);
    CHECK(decoded->after == 4200);
    CHECK(decoded->dataset == "persons");
}

TEST_CASE("forged, foreign and malformed cursors are refused", "[bridge][cursor]") {
    const fb::CursorCodec codec("0123456789abcdef0123456789abcdef");
    const std::string token = codec.encode({"persons", {{"next_record", 10}}, 0});
    const std::string payload = R"({"a":0,"d":"persons","r":{"next_record":999999}})";
    const std::string forged = fb::base64url_encode(payload) + token.substr(token.find('.'));
    CHECK_FALSE(codec.decode(forged, "persons").ok());
    CHECK_FALSE(fb::CursorCodec("another key, another bridge....").decode(token, "persons").ok());
    auto foreign = codec.decode(token, "employers");
    REQUIRE_FALSE(foreign.ok());
    CHECK_THAT(foreign.status().message(), Catch::Contains("another dataset"));
    for (const char* bad : {"", ".", "abc", "a.b.c", "!!!.???", "eyJ9.AAAA"}) {
        auto result = codec.decode(bad, "persons");
        REQUIRE_FALSE(result.ok());
        CHECK(result.status().code() == ferry::StatusCode::InvalidArgument);
        CHECK(result.status().field() == "since");
    }
    CHECK_FALSE(codec.decode(std::string(10000, 'A') + ".AAAA", "persons").ok());
}

TEST_CASE("the cursor key is created once, private, and reused", "[bridge][cursor]") {
    fb::testing::TempDir dir;
    const auto file = dir.path() / "state" / "cursor.key";
    auto first = fb::CursorCodec::open(file);
    REQUIRE(first.ok());

    struct stat info {};

    REQUIRE(stat(file.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    auto second = fb::CursorCodec::open(file);
    REQUIRE(second.ok());
    const std::string token = first->encode({"persons", nullptr, 7});
    CHECK(second->decode(token, "persons").ok());
}
