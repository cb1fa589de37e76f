// SPDX-License-Identifier: Apache-2.0
// audit_log_test.cpp — the hash chain holds, continues across restarts, and any edit, deletion
// or reordering is reported at the first line it breaks.
#include <fstream>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

#include "audit_log.h"
#include "bridge_test_support.h"

namespace fb = ferry::bridge;

namespace {

std::vector<std::string> read_lines(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

void write_lines(const std::filesystem::path& file, const std::vector<std::string>& lines) {
    std::ofstream out(file, std::ios::trunc);
    for (const auto& line : lines) {
        out << line << '\n';
    }
}

void append_events(const std::filesystem::path& file, int count) {
    auto log = fb::AuditLog::open(file);
    REQUIRE(log.ok());
    for (int idx = 0; idx < count; ++idx) {
        REQUIRE((*log)
                    ->append({{"consumer", "tax-bureau"},
                              {"dataset", "persons"},
                              {"records", idx},
                              {"fields", {"sex", "birth_date"}}})
                    .ok());
    }
}

} // namespace

TEST_CASE("an untouched audit log verifies, across restarts", "[bridge][audit]") {
    fb::testing::TempDir dir;
    const auto file = dir.path() / "audit.jsonl";
    append_events(file, 3);
    append_events(file, 2); // a restart continues the chain
    auto result = fb::verify_audit_log(file);
    REQUIRE(result.ok());
    CHECK(result->lines == 5);
    CHECK(result->bad_line == 0);
    const auto lines = read_lines(file);
    CHECK(nlohmann::json::parse(lines[4])["seq"] == 5);
}

TEST_CASE("tampering is reported at the first broken line", "[bridge][audit]") {
    fb::testing::TempDir dir;
    const auto file = dir.path() / "audit.jsonl";
    append_events(file, 6);
    auto lines = read_lines(file);

    SECTION("an edited record count") {
        auto event = nlohmann::json::parse(lines[2]);
        event["records"] = 0;
        lines[2] = event.dump();
        write_lines(file, lines);
        auto result = fb::verify_audit_log(file);
        REQUIRE(result.ok());
        CHECK(result->bad_line == 3);
        CHECK_THAT(result->problem, Catch::Contains("edited"));
    }
    SECTION("an edit with a recomputed hash still breaks the next link") {
        auto event = nlohmann::json::parse(lines[1]);
        event["consumer"] = "someone-else";
        event.erase("hash");
        event["hash"] = fb::audit_hash(event);
        lines[1] = event.dump();
        write_lines(file, lines);
        auto result = fb::verify_audit_log(file);
        REQUIRE(result.ok());
        CHECK(result->bad_line == 3);
    }
    SECTION("a deleted line") {
        lines.erase(lines.begin() + 3);
        write_lines(file, lines);
        auto result = fb::verify_audit_log(file);
        REQUIRE(result.ok());
        CHECK(result->bad_line == 4);
        CHECK_THAT(result->problem, Catch::Contains("chain"));
    }
    SECTION("a deleted first line") {
        lines.erase(lines.begin());
        write_lines(file, lines);
        auto result = fb::verify_audit_log(file);
        REQUIRE(result.ok());
        CHECK(result->bad_line == 1);
    }
    SECTION("a line that is not JSON") {
        lines[5] = "garbage";
        write_lines(file, lines);
        auto result = fb::verify_audit_log(file);
        REQUIRE(result.ok());
        CHECK(result->bad_line == 6);
        CHECK_FALSE(fb::AuditLog::open(file).ok()); // never extend a broken chain
    }
}
