// SPDX-License-Identifier: Apache-2.0
// audit_log_test.cpp — the hash chain holds, continues across restarts, and any edit, deletion
// or reordering is reported at the first line it breaks; several writers keep one chain, and the
// log rotates into segments that chain to each other.
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
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

namespace {

// Several writers, each with its own AuditLog (its own descriptors, so the file lock and the
// tail re-read are what keeps them apart, as for the daemon and an export).
void append_concurrently(const std::filesystem::path& file,
                         fb::AuditRotation rotation,
                         int writers,
                         int each) {
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int writer = 0; writer < writers; ++writer) {
        threads.emplace_back([&, writer] {
            auto log = fb::AuditLog::open(file, rotation);
            if (!log.ok()) {
                ++failures;
                return;
            }
            for (int idx = 0; idx < each; ++idx) {
                if (!(*log)
                         ->append(
                             {{"consumer", "writer-" + std::to_string(writer)}, {"records", idx}})
                         .ok()) {
                    ++failures;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    REQUIRE(failures == 0);
}

std::vector<std::int64_t> sequences(const std::vector<std::filesystem::path>& segments) {
    std::vector<std::int64_t> seqs;
    for (const auto& segment : segments) {
        for (const auto& line : read_lines(segment)) {
            seqs.push_back(nlohmann::json::parse(line)["seq"].get<std::int64_t>());
        }
    }
    return seqs;
}

std::vector<std::int64_t> one_to(std::int64_t count) {
    std::vector<std::int64_t> seqs;
    for (std::int64_t seq = 1; seq <= count; ++seq) {
        seqs.push_back(seq);
    }
    return seqs;
}

fb::AuditRotation no_rotation() {
    fb::AuditRotation rotation;
    rotation.max_bytes = 0;
    rotation.daily = false;
    return rotation;
}

} // namespace

TEST_CASE("writers with their own handles on one log keep one chain", "[bridge][audit]") {
    fb::testing::TempDir dir;
    const auto file = dir.path() / "audit.jsonl";
    append_events(file, 2); // an existing log is continued, not restarted
    append_concurrently(file, no_rotation(), 4, 250);
    auto result = fb::verify_audit_log(file);
    REQUIRE(result.ok());
    CHECK(result->bad_line == 0);
    CHECK(result->lines == 1002);
    CHECK(sequences({file}) == one_to(1002));
    // Files hold who asked for what: only the bridge's user reads them.
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    CHECK((std::filesystem::status(dir.path() / "audit.jsonl.lock").permissions() &
           std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("a full segment is closed and the next one chains to it", "[bridge][audit]") {
    fb::testing::TempDir dir;
    const auto file = dir.path() / "audit.jsonl";
    fb::AuditRotation rotation = no_rotation();
    rotation.max_bytes = 2048;
    append_concurrently(file, rotation, 3, 100);
    const auto segments = fb::audit_segments(file);
    REQUIRE(segments.size() > 10);
    CHECK(segments.back() == file);
    CHECK(segments.front().filename() == "audit.000000000001.jsonl");
    for (const auto& segment : segments) {
        INFO(segment);
        CHECK(std::filesystem::file_size(segment) <= 2048);
        CHECK((std::filesystem::status(segment).permissions() & std::filesystem::perms::all) ==
              (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    }
    CHECK(sequences(segments) == one_to(300));

    auto by_file = fb::verify_audit_log(file);
    REQUIRE(by_file.ok());
    CHECK(by_file->bad_line == 0);
    CHECK(by_file->lines == 300);
    CHECK(by_file->segments == static_cast<std::int64_t>(segments.size()));
    auto by_dir = fb::verify_audit_log(dir.path());
    REQUIRE(by_dir.ok());
    CHECK(by_dir->bad_line == 0);
    CHECK(by_dir->segments == by_file->segments);

    SECTION("a missing segment is reported at the first line of the next") {
        std::filesystem::remove(segments[2]);
        auto result = fb::verify_audit_log(dir.path());
        REQUIRE(result.ok());
        CHECK(result->bad_file == segments[3]);
        CHECK(result->bad_line == 1);
        CHECK_THAT(result->problem, Catch::Contains(segments[1].filename().string()));
    }
    SECTION("a missing first segment") {
        std::filesystem::remove(segments[0]);
        auto result = fb::verify_audit_log(dir.path());
        REQUIRE(result.ok());
        CHECK(result->bad_file == segments[1]);
        CHECK(result->bad_line == 1);
    }
    SECTION("an edit inside a closed segment") {
        auto lines = read_lines(segments[1]);
        auto event = nlohmann::json::parse(lines[1]);
        event["records"] = 12345;
        lines[1] = event.dump();
        write_lines(segments[1], lines);
        auto result = fb::verify_audit_log(file);
        REQUIRE(result.ok());
        CHECK(result->bad_file == segments[1]);
        CHECK(result->bad_line == 2);
    }
}

TEST_CASE("a new UTC day starts a new segment", "[bridge][audit]") {
    fb::testing::TempDir dir;
    const auto file = dir.path() / "audit.jsonl";
    nlohmann::json old{{"consumer", "tax-bureau"},
                       {"seq", 1},
                       {"time", "2020-01-01T23:59:59.000Z"},
                       {"prev", std::string(64, '0')}};
    old["hash"] = fb::audit_hash(old);
    write_lines(file, {old.dump()});
    fb::AuditRotation rotation = no_rotation();
    rotation.daily = true;
    {
        auto log = fb::AuditLog::open(file, rotation);
        REQUIRE(log.ok());
        REQUIRE((*log)->append({{"consumer", "tax-bureau"}}).ok());
        REQUIRE((*log)->append({{"consumer", "tax-bureau"}}).ok());
    }
    const auto segments = fb::audit_segments(file);
    REQUIRE(segments.size() == 2);
    CHECK(read_lines(segments[0]) == std::vector<std::string>{old.dump()});
    CHECK(read_lines(file).size() == 2);
    auto result = fb::verify_audit_log(file);
    REQUIRE(result.ok());
    CHECK(result->bad_line == 0);
    CHECK(result->lines == 3);
}

TEST_CASE("the bridge does not extend a chain whose tail is broken", "[bridge][audit]") {
    fb::testing::TempDir dir;
    const auto file = dir.path() / "audit.jsonl";
    append_events(file, 6);
    auto lines = read_lines(file);

    SECTION("a line rewritten with a fresh hash near the end") {
        auto event = nlohmann::json::parse(lines[3]);
        event["consumer"] = "someone-else";
        event.erase("hash");
        event["hash"] = fb::audit_hash(event);
        lines[3] = event.dump();
    }
    SECTION("a last line deleted and one appended in its place") {
        auto event = nlohmann::json::parse(lines[4]);
        event["seq"] = 6;
        event.erase("hash");
        event["hash"] = fb::audit_hash(event);
        lines[5] = event.dump();
    }
    write_lines(file, lines);
    auto log = fb::AuditLog::open(file, no_rotation());
    REQUIRE_FALSE(log.ok());
    CHECK_THAT(log.status().message(), Catch::Contains("--verify-audit"));
}
