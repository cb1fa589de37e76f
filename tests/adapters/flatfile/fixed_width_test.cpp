// SPDX-License-Identifier: Apache-2.0
// fixed_width_test.cpp — fixed-width GBK layouts: lengths, split characters, implied decimals.
#include <catch2/catch.hpp>

#include "flatfile_test_support.h"

using namespace ferry::flatfile::testing;

namespace {

nlohmann::json layout(const std::string& path) {
    return {{"format", "fixed"},
            {"path", path},
            {"fields",
             {{{"name", "id"}, {"start", 1}, {"length", 4}},
              {{"name", "name"}, {"start", 5}, {"length", 6}},
              {{"name", "wage"},
               {"start", 11},
               {"length", 7},
               {"type", "decimal(9,2)"},
               {"implied_decimals", true}},
              {{"name", "born"}, {"start", 18}, {"length", 8}, {"type", "date"}}}}};
}

} // namespace

TEST_CASE("fixed: GBK names by byte position, implied decimals, dates", "[flatfile][fixed]") {
    TempDir dir;
    // 王芳 is 4 bytes in GBK, padded to 6; 0012345 with 2 implied decimals is 123.45.
    const std::string text = "0001王芳  001234519800101\n"
                             "0002李    -00005020001231\n";
    const std::string path = dir.write("export.txt", encode("GBK", text));
    auto contents = read_all(layout(path));
    REQUIRE(contents.ok());
    CHECK(contents->rejects.empty());
    REQUIRE(contents->rows.size() == 2);
    CHECK(contents->cell(0, "name") == "王芳");
    CHECK(contents->cell(0, "wage") == "123.45");
    CHECK(contents->cell(1, "wage") == "-0.50");
    CHECK(contents->cell(1, "born") == "2000-12-31");
}

TEST_CASE("fixed: a wrong length or a split character is a reject with its byte offset",
          "[flatfile][fixed]") {
    TempDir dir;
    // Line 2 is one byte short; line 3 has a 1-byte shift so a character straddles two fields.
    const std::string text = "0001王芳  001234519800101\n"
                             "0002王芳 001234519800101\n"
                             "0003   王芳00123419800101\n"
                             "0004张三  000000019800101\n";
    const std::string path = dir.write("export.txt", encode("GBK", text));
    auto contents = read_all(layout(path));
    REQUIRE(contents.ok());
    CHECK(contents->read == 4);
    REQUIRE(contents->rows.size() == 2);
    REQUIRE(contents->rejects.size() == 2);
    CHECK(contents->rejects[0].rule == "record_length");
    CHECK(contents->rejects[0].reason == "24 bytes, expected 25");
    CHECK(contents->rejects[0].location == "export.txt:2 (byte 26)");
    CHECK(contents->rejects[1].rule == "split_character");
    CHECK(contents->rejects[1].field == "name");
    CHECK(contents->rejects[1].location == "export.txt:3 (byte 51)");
}

TEST_CASE("fixed: EBCDIC host records as F, and text lines in EBCDIC refused",
          "[flatfile][fixed]") {
    TempDir dir;
    // The same layout over CP037 F records (no line ends): each field decoded by the code page.
    const std::string records =
        encode("CP037", "0001WANG  001234519800101") + encode("CP037", "0002LI    -00005020001231");
    auto options = layout(dir.write("host.dat", records));
    options["encoding"] = "CP037";
    options["record_format"] = "F";
    auto contents = read_all(options);
    REQUIRE(contents.ok());
    REQUIRE(contents->end_status.ok());
    CHECK(contents->rejects.empty());
    REQUIRE(contents->rows.size() == 2);
    CHECK(contents->cell(0, "name") == "WANG");
    CHECK(contents->cell(1, "wage") == "-0.50");
    CHECK(contents->cell(1, "_byte_offset") == "25");

    // Lines and delimiters are ASCII bytes: an EBCDIC file read as lines would be garbage.
    for (const char* format : {"fixed", "delimited"}) {
        nlohmann::json lines = layout(dir.path().string() + "/host.dat");
        lines["format"] = format;
        lines["encoding"] = "IBM1047";
        if (std::string(format) == "delimited") {
            lines.erase("fields");
            lines["header"] = true;
        }
        auto refused = read_all(lines);
        const ferry::Status status = refused.ok() ? refused->end_status : refused.status();
        INFO(format);
        CHECK_FALSE(status.ok());
        CHECK_THAT(status.message(), Catch::Contains("encoding IBM1047 is EBCDIC") &&
                                         Catch::Contains("record_format F/FB/V/VB"));
    }
}
