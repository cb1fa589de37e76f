// SPDX-License-Identifier: Apache-2.0
// segments_test.cpp — multi-segment copybook files: a segment id selects the 01 record (header,
// detail, trailer), unknown ids are rejects with the raw bytes, and bad configurations say why.
#include <catch2/catch.hpp>

#include "flatfile_test_support.h"

using namespace ferry::flatfile::testing;

namespace {

const char* const kCopybook = R"(
       01  HDR-REC.
           05  REC-TYPE        PIC X.
           05  BATCH-ID        PIC X(6).
           05  BATCH-DATE      PIC 9(8).
       01  DTL-REC.
           05  REC-TYPE        PIC X.
           05  PERSON-ID       PIC X(6).
           05  AMOUNT          PIC S9(7)V99 COMP-3.
           05  MONTHS          PIC S9(4) COMP.
           05  FILLER          PIC X(3).
       01  TRL-REC.
           05  REC-TYPE        PIC X.
           05  REC-COUNT       PIC 9(5).
           05  TOTAL           PIC S9(9)V99 COMP-3.
)";

std::string padded(std::string bytes, std::size_t length) {
    bytes.append(length - bytes.size(), '\x40'); // EBCDIC spaces, as an FB file pads
    return bytes;
}

nlohmann::json segment_options(const std::string& path) {
    return {
        {"format", "copybook"},
        {"path", path},
        {"copybook_text", kCopybook},
        {"encoding", "CP037"},
        {"record_format", "F"},
        {"segments",
         {{"field", "REC-TYPE"},
          {"records", {{"H", "HDR-REC"}, {"D", "DTL-REC"}, {"E", "DTL-REC"}, {"T", "TRL-REC"}}}}}};
}

} // namespace

TEST_CASE("copybook segments: header, details and trailer in one FB file", "[flatfile][copybook]") {
    TempDir dir;
    const std::size_t lrecl = 17;
    std::string file;
    file += padded(encode("CP037", "HB00001") + encode("CP037", "20261130"), lrecl);
    file += encode("CP037", "DP00001") + std::string("\x00\x01\x23\x45\x6C\x00\x0C", 7) +
            encode("CP037", "   ");
    file += encode("CP037", "EP00002") + std::string("\x00\x00\x00\x10\x0D\xFF\xFF", 7) +
            encode("CP037", "   ");
    file += padded(encode("CP037", "X??????"), lrecl); // an id no record has
    file += padded(encode("CP037", "T00002") + std::string("\x00\x00\x01\x23\x35\x5C", 6), lrecl);
    auto contents = read_all(segment_options(dir.write("batch.dat", file)));
    REQUIRE(contents.ok());
    REQUIRE(contents->end_status.ok());

    // The union of the records' columns after _segment; names several records share qualified.
    const std::vector<std::string> columns{
        "_segment",  "HDR-REC.REC-TYPE", "BATCH-ID",    "BATCH-DATE",       "DTL-REC.REC-TYPE",
        "PERSON-ID", "AMOUNT",           "MONTHS",      "TRL-REC.REC-TYPE", "REC-COUNT",
        "TOTAL",     "_source_file",     "_byte_offset"};
    CHECK(contents->columns == columns);
    REQUIRE(contents->rows.size() == 4);
    CHECK(contents->read == 5);
    CHECK(contents->cell(0, "_segment") == "HDR-REC");
    CHECK(contents->cell(0, "BATCH-ID") == "B00001");
    CHECK(contents->cell(0, "BATCH-DATE") == "20261130");
    CHECK(contents->cell(0, "PERSON-ID") == "NULL");
    CHECK(contents->cell(1, "_segment") == "DTL-REC");
    CHECK(contents->cell(1, "DTL-REC.REC-TYPE") == "D");
    CHECK(contents->cell(1, "HDR-REC.REC-TYPE") == "NULL");
    CHECK(contents->cell(1, "AMOUNT") == "1234.56");
    CHECK(contents->cell(1, "MONTHS") == "12");
    CHECK(contents->cell(2, "_segment") == "DTL-REC"); // two ids may share a record
    CHECK(contents->cell(2, "AMOUNT") == "-1.00");
    CHECK(contents->cell(2, "MONTHS") == "-1");
    CHECK(contents->cell(3, "_segment") == "TRL-REC");
    CHECK(contents->cell(3, "REC-COUNT") == "2");
    CHECK(contents->cell(3, "TOTAL") == "1233.55");
    CHECK(contents->cell(3, "BATCH-ID") == "NULL");
    CHECK(contents->record_nos == std::vector<std::int64_t>{1, 2, 3, 5});
    CHECK(contents->cell(3, "_source_file") == "batch.dat");
    CHECK(contents->cell(3, "_byte_offset") == "68");

    REQUIRE(contents->rejects.size() == 1);
    const RejectRow& reject = contents->rejects[0];
    CHECK(reject.record_no == 4);
    CHECK(reject.field == "REC-TYPE");
    CHECK(reject.rule == "segment");
    CHECK_THAT(reject.reason, Catch::Contains("segment id \"X\" selects no record") &&
                                  Catch::Contains("D, E, H, T") && Catch::Contains("raw e7"));
    CHECK_THAT(reject.location, Catch::Contains("batch.dat") && Catch::Contains("byte 51"));
}

TEST_CASE("copybook segments: a field of the selected record that does not decode",
          "[flatfile][copybook]") {
    TempDir dir;
    std::string file = encode("CP037", "DP00001") + std::string("\x00\x01\x2A\x45\x6C\x00\x0C", 7) +
                       encode("CP037", "   ");
    auto contents = read_all(segment_options(dir.write("bad.dat", file)));
    REQUIRE(contents.ok());
    CHECK(contents->rows.empty());
    REQUIRE(contents->rejects.size() == 1);
    CHECK(contents->rejects[0].field == "AMOUNT");
    CHECK(contents->rejects[0].rule == "cobol_numeric");
    CHECK_THAT(contents->rejects[0].reason, Catch::Contains("raw 00 01 2a 45 6c"));
}

TEST_CASE("copybook segments: configurations that cannot work say why", "[flatfile][copybook]") {
    TempDir dir;
    const std::string path = dir.write("any.dat", std::string(17, '\x40'));
    auto expect_error = [&](nlohmann::json options, const std::string& message) {
        auto contents = read_all(options);
        const ferry::Status status = contents.ok() ? contents->end_status : contents.status();
        INFO(status.message());
        CHECK_FALSE(status.ok());
        CHECK_THAT(status.message(), Catch::Contains(message));
    };
    auto options = segment_options(path);
    options["segments"]["records"]["Z"] = "NO-SUCH-REC";
    expect_error(options, "segments.records names no 01 record NO-SUCH-REC (segment id \"Z\")");

    options = segment_options(path);
    options["segments"]["field"] = "SEG-CODE";
    expect_error(options, "no record in segments.records has the segment id SEG-CODE");

    options = segment_options(path);
    options["segments"]["field"] = "AMOUNT";
    expect_error(options, "the segment id AMOUNT in DTL-REC must be a DISPLAY item");

    options = segment_options(path);
    options["copybook_text"] = "01 A-REC.\n 05 T PIC X.\n01 B-REC.\n 05 F PIC X.\n 05 T PIC X.\n";
    options["segments"] = {{"field", "T"}, {"records", {{"A", "A-REC"}, {"B", "B-REC"}}}};
    expect_error(options, "the segment id T is at byte 1 (1 bytes) in B-REC but at byte 0");

    options = segment_options(path);
    options["record"] = "DTL-REC";
    expect_error(options, "\"record\" and \"segments\" exclude each other");
}
