// SPDX-License-Identifier: Apache-2.0
// cursor_test.cpp — cursors round-trip, are bound to their dataset, cannot be forged or read;
// the keys behind cursors and pseudonyms last across runs.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "bridge_test_support.h"
#include "crypto.h"
#include "cursor.h"
#include "state_secrets.h"

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
    CHECK_FALSE(codec.decode(fb::base64url_encode(payload), "persons").ok());
    std::string sealed;
    REQUIRE(fb::base64url_decode(token, sealed));
    for (std::size_t at : {std::size_t{0}, std::size_t{12}, sealed.size() - 1}) {
        std::string flipped = sealed;
        flipped[at] = static_cast<char>(flipped[at] ^ 1); // nonce, ciphertext, tag
        CHECK_FALSE(codec.decode(fb::base64url_encode(flipped), "persons").ok());
    }
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

TEST_CASE("a cursor does not show the checkpoint it holds", "[bridge][cursor]") {
    const fb::CursorCodec codec("0123456789abcdef0123456789abcdef");
    const std::string key = "110105194912310021"; // a key-ordered read's last key
    const std::string token = codec.encode({"persons", {{"after_key", key}}, 4096});
    std::string bytes;
    REQUIRE(fb::base64url_decode(token, bytes));
    CHECK(bytes.find(key) == std::string::npos);
    CHECK(bytes.find("persons") == std::string::npos);
    CHECK(token != codec.encode({"persons", {{"after_key", key}}, 4096})); // a fresh nonce
    auto decoded = codec.decode(token, "persons");
    REQUIRE(decoded.ok());
    CHECK(decoded->resume["after_key"] == key);
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

TEST_CASE("a pseudonym key is created once, private, reused, and rotated only when asked",
          "[bridge][secrets]") {
    fb::testing::TempDir dir;
    const auto secrets = dir.path() / "state" / "secrets";
    auto first = fb::load_or_create_secret(secrets, "catalog_pseudonym");
    REQUIRE(first.ok());
    CHECK(first->size() >= 32);

    struct stat info {};

    REQUIRE(stat((secrets / "catalog_pseudonym.key").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(stat(secrets.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    auto again = fb::load_or_create_secret(secrets, "catalog_pseudonym"); // the next run
    REQUIRE(again.ok());
    CHECK(*again == *first);

    auto retired = fb::rotate_secret(secrets, "catalog_pseudonym");
    REQUIRE(retired.ok());
    CHECK(std::filesystem::exists(*retired));
    auto rotated = fb::load_or_create_secret(secrets, "catalog_pseudonym");
    REQUIRE(rotated.ok());
    CHECK(*rotated != *first);
    CHECK_FALSE(fb::load_or_create_secret(secrets, "../escape").ok());
}
