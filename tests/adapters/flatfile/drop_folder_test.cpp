// SPDX-License-Identifier: Apache-2.0
// drop_folder_test.cpp — done markers, processed/failed moves, record numbers across files, and
// a restart from a checkpoint that neither repeats nor loses a record.
#include <filesystem>

#include <catch2/catch.hpp>

#include "ferry/batch.h"

#include "flatfile_test_support.h"

using namespace ferry::flatfile::testing;
namespace fs = std::filesystem;

namespace {

nlohmann::json folder_options(const TempDir& dir) {
    return {{"format", "delimited"},
            {"drop_folder",
             {{"incoming", (dir.path() / "in").string()},
              {"processed", (dir.path() / "done").string()},
              {"failed", (dir.path() / "failed").string()},
              {"pattern", "*.txt"},
              {"done_suffix", ".ok"}}},
            {"delimiter", "|"},
            {"header", false},
            {"columns", {"id", "name"}},
            {"summary", {{"line", "first"}, {"count_field", 1}}}};
}

std::string batch_file(int first, int count) {
    std::string text = std::to_string(count) + "\n";
    for (int idx = first; idx < first + count; ++idx) {
        text += std::to_string(idx) + "|名" + std::to_string(idx) + "\n";
    }
    return encode("GBK", text);
}

} // namespace

TEST_CASE("drop folder: ready files in name order, then moved to processed/",
          "[flatfile][drop_folder]") {
    TempDir dir;
    dir.write("in/day1.txt", batch_file(1, 3));
    dir.write("in/day1.txt.ok", "");
    dir.write("in/day2.txt", batch_file(4, 2));
    dir.write("in/day2.txt.ok", "");
    dir.write("in/day3.txt", batch_file(6, 2)); // no marker yet: still being written
    auto contents = read_all(folder_options(dir), {{"batch_rows", 2}});
    REQUIRE(contents.ok());
    INFO(contents->end_status.to_string());
    REQUIRE(contents->end_status.ok());
    REQUIRE(contents->rows.size() == 5);
    CHECK(contents->record_nos == std::vector<std::int64_t>{1, 2, 3, 4, 5});
    CHECK(contents->cell(4, "name") == "名5");
    // Lineage: each row names its file and its byte offset there (after the summary line).
    CHECK(contents->cell(0, "_source_file") == "day1.txt");
    CHECK(contents->cell(0, "_byte_offset") == "2");
    CHECK(contents->cell(1, "_byte_offset") == "8"); // "1|名1\n" is 6 bytes in GBK
    CHECK(contents->cell(3, "_source_file") == "day2.txt");
    CHECK(contents->cell(3, "_byte_offset") == "2");
    CHECK(fs::exists(dir.path() / "done" / "day1.txt"));
    CHECK(fs::exists(dir.path() / "done" / "day2.txt.ok"));
    CHECK(fs::exists(dir.path() / "in" / "day3.txt"));

    SECTION("a file whose summary does not match goes to failed/ and ends the stream") {
        dir.write("in/day3.txt", batch_file(6, 2).replace(0, 1, "9"));
        dir.write("in/day3.txt.ok", "");
        auto failed = read_all(folder_options(dir));
        REQUIRE(failed.ok());
        CHECK(failed->end_status.code() == ferry::StatusCode::Data);
        CHECK_THAT(failed->end_status.message(),
                   Catch::Contains("day3.txt moved to failed/: day3.txt: the batch is refused"));
        CHECK(failed->rows.empty()); // verified before its first batch: nothing delivered
        CHECK(failed->read == 0);
        CHECK(fs::exists(dir.path() / "failed" / "day3.txt"));

        // The next run moves on to the next file.
        dir.write("in/day4.txt", batch_file(8, 2));
        dir.write("in/day4.txt.ok", "");
        auto next = read_all(folder_options(dir));
        REQUIRE(next.ok());
        CHECK(next->end_status.ok());
        CHECK(next->rows.size() == 2);
        CHECK(fs::exists(dir.path() / "done" / "day4.txt"));
    }
}

TEST_CASE("drop folder: a restart resumes at the checkpointed byte offset",
          "[flatfile][drop_folder]") {
    TempDir dir;
    dir.write("in/a.txt", batch_file(1, 5));
    dir.write("in/a.txt.ok", "");
    dir.write("in/b.txt", batch_file(6, 3));
    dir.write("in/b.txt.ok", "");
    const nlohmann::json options = folder_options(dir);

    // The first run stops after two batches (a crash after the host stored the checkpoint).
    const ferry::PluginLibrary plugin = flatfile_plugin();
    auto source = plugin.create_source(options);
    REQUIRE(source.ok());
    std::vector<std::string> first_ids;
    std::string checkpoint;
    {
        auto reader = source->open_stream("records", {{"batch_rows", 2}});
        REQUIRE(reader.ok());
        for (int batch = 0; batch < 2; ++batch) {
            auto next = reader->next();
            REQUIRE(next.ok());
            REQUIRE(next->has_value());
            for (std::int64_t row = 0; row < (*next)->num_rows(); ++row) {
                first_ids.emplace_back((*next)->column(0).text(row));
            }
            checkpoint = std::string(*(*next)->checkpoint());
        }
    }
    CHECK(first_ids == std::vector<std::string>{"1", "2", "3", "4"});
    auto rest = read_all(options, {{"resume", nlohmann::json::parse(checkpoint)}});
    REQUIRE(rest.ok());
    REQUIRE(rest->end_status.ok());
    std::vector<std::string> rest_ids;
    for (std::size_t row = 0; row < rest->rows.size(); ++row) {
        rest_ids.push_back(rest->cell(row, "id"));
    }
    CHECK(rest_ids == std::vector<std::string>{"5", "6", "7", "8"});
    CHECK(rest->record_nos == std::vector<std::int64_t>{5, 6, 7, 8});
    CHECK(fs::exists(dir.path() / "done" / "a.txt"));
    CHECK(fs::exists(dir.path() / "done" / "b.txt"));
}

TEST_CASE("drop folder: lineage columns can be left out", "[flatfile][drop_folder]") {
    TempDir dir;
    dir.write("in/day1.txt", batch_file(1, 2));
    dir.write("in/day1.txt.ok", "");
    auto options = folder_options(dir);
    options["lineage_columns"] = false;
    auto contents = read_all(options);
    REQUIRE(contents.ok());
    REQUIRE(contents->end_status.ok());
    CHECK(contents->columns == std::vector<std::string>{"id", "name"});
    CHECK(contents->rows.size() == 2);
}
