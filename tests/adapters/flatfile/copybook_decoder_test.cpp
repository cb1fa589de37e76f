// SPDX-License-Identifier: Apache-2.0
// copybook_decoder_test.cpp — EBCDIC records (CP037 text, IBM935 DBCS, zoned, packed, binary,
// ODO, REDEFINES views) built with iconv, decoded through the adapter.
#include <catch2/catch.hpp>

#include "flatfile_test_support.h"

using namespace ferry::flatfile::testing;

namespace {

const char* const kCopybook = R"(
       01  PERSON-REC.
           05  REC-TYPE        PIC X.
           05  PERSON-ID       PIC X(6).
           05  NAME            PIC G(3).
           05  WAGE            PIC S9(5)V99 COMP-3.
           05  YEARS           PIC S9(4) COMP.
           05  BALANCE         PIC S9(3)V9.
           05  N-KIDS          PIC 9.
           05  KID OCCURS 0 TO 2 TIMES DEPENDING ON N-KIDS.
               10  KID-AGE     PIC 99.
           05  TAIL            PIC X(2).
)";

std::string packed_wage(bool negative) {
    return negative ? std::string("\x01\x23\x45\x6D", 4) : std::string("\x01\x23\x45\x6C", 4);
}

/// An IBM935 DBCS field: the double-byte bytes between SO and SI of iconv's mixed output.
std::string dbcs(const std::string& utf8) {
    const std::string mixed = encode("IBM935", utf8);
    REQUIRE(mixed.front() == '\x0E');
    REQUIRE(mixed.back() == '\x0F');
    return mixed.substr(1, mixed.size() - 2);
}

} // namespace

TEST_CASE("copybook: EBCDIC record with DBCS, COMP-3, COMP, zoned and ODO",
          "[flatfile][copybook]") {
    TempDir dir;
    auto record = [&](const std::string& id, int kids, bool negative) {
        std::string bytes = encode("IBM935", "D" + id) + dbcs("王小明") + packed_wage(negative);
        bytes += std::string("\xFF\xFE", 2);                         // YEARS = -2
        bytes += negative ? "\xF0\xF1\xF2\xD5" : "\xF0\xF1\xF2\xC5"; // BALANCE = ±12.5
        bytes += static_cast<char>(0xF0 + kids);
        for (int kid = 0; kid < kids; ++kid) {
            bytes += "\xF0";
            bytes += static_cast<char>(0xF5 + kid);
        }
        bytes += encode("IBM935", "ZZ");
        return bytes;
    };
    std::string file;
    for (const auto& data :
         {record("A00001", 2, false), record("A00002", 0, true), record("A00003", 1, false)}) {
        file += std::string{static_cast<char>((data.size() + 4) >> 8),
                            static_cast<char>((data.size() + 4) & 0xFF), 0, 0} +
                data;
    }
    // A fourth record whose packed field is text: a reject carrying the hex of the field.
    std::string bad = record("A00004", 0, false);
    bad.replace(13, 4, "\x40\x40\x40\x40");
    file += std::string{static_cast<char>((bad.size() + 4) >> 8),
                        static_cast<char>((bad.size() + 4) & 0xFF), 0, 0} +
            bad;
    const nlohmann::json options{{"format", "copybook"},
                                 {"path", dir.write("people.dat", file)},
                                 {"copybook_text", kCopybook},
                                 {"encoding", "IBM935"},
                                 {"record_format", "V"}};
    auto contents = read_all(options);
    INFO(contents.status().to_string());
    REQUIRE(contents.ok());
    INFO(contents->end_status.to_string());
    REQUIRE(contents->rows.size() == 3);
    CHECK(contents->cell(0, "PERSON-ID") == "A00001");
    CHECK(contents->cell(0, "NAME") == "王小明");
    CHECK(contents->cell(0, "WAGE") == "1234.56");
    CHECK(contents->cell(1, "WAGE") == "-1234.56");
    CHECK(contents->cell(0, "YEARS") == "-2");
    CHECK(contents->cell(1, "BALANCE") == "-12.5");
    CHECK(contents->cell(0, "KID-AGE_2") == "6");
    CHECK(contents->cell(1, "KID-AGE_1") == "NULL");
    CHECK(contents->cell(1, "TAIL") == "ZZ"); // shifted left by the missing table entries
    CHECK(contents->cell(2, "KID-AGE_2") == "NULL");
    REQUIRE(contents->rejects.size() == 1);
    CHECK(contents->rejects[0].field == "WAGE");
    CHECK(contents->rejects[0].rule == "cobol_numeric");
    CHECK_THAT(contents->rejects[0].reason, Catch::Contains("raw 40 40 40 40"));
    CHECK_THAT(contents->rejects[0].location, Catch::StartsWith("people.dat: byte "));
}

TEST_CASE("copybook: REDEFINES views chosen by a segment field", "[flatfile][copybook]") {
    TempDir dir;
    const char* const copybook = R"(
       01  SEG-REC.
           05  SEG-TYPE        PIC X.
           05  BODY            PIC X(4).
           05  AMOUNT REDEFINES BODY PIC S9(7) COMP-3.
)";
    const std::string file =
        encode("CP037", "HABCD") + encode("CP037", "A") + std::string("\x00\x12\x34\x5C", 4);
    const nlohmann::json options{{"format", "copybook"},
                                 {"path", dir.write("seg.dat", file)},
                                 {"copybook_text", copybook},
                                 {"encoding", "CP037"},
                                 {"redefines",
                                  {{"BODY", {{"field", "SEG-TYPE"}, {"equals", {"H"}}}},
                                   {"AMOUNT", {{"field", "SEG-TYPE"}, {"equals", {"A"}}}}}}};
    auto contents = read_all(options);
    REQUIRE(contents.ok());
    REQUIRE(contents->rows.size() == 2);
    CHECK(contents->rejects.empty());
    CHECK(contents->cell(0, "BODY") == "ABCD");
    CHECK(contents->cell(0, "AMOUNT") == "NULL");
    CHECK(contents->cell(1, "BODY") == "NULL");
    CHECK(contents->cell(1, "AMOUNT") == "12345");
}

TEST_CASE("copybook: host code pages — IBM1388 has 喆, IBM935 rejects it, IBM1047 text",
          "[flatfile][copybook]") {
    TempDir dir;
    const char* const copybook = "01 R.\n  05 NAME PIC X(10).\n  05 CODE PIC X(2).\n";
    std::string name = encode("IBM1388", "李喆");
    name.append(10 - name.size(), '\x40');
    const std::string path = dir.write("names.dat", name + encode("IBM1388", "[]"));
    nlohmann::json options{{"format", "copybook"},
                           {"path", path},
                           {"copybook_text", copybook},
                           {"encoding", "IBM1388"}};
    auto as_1388 = read_all(options);
    REQUIRE(as_1388.ok());
    REQUIRE(as_1388->rows.size() == 1);
    CHECK(as_1388->cell(0, "NAME") == "李喆");
    CHECK(as_1388->cell(0, "CODE") == "[]");

    options["encoding"] = "IBM935";
    auto as_935 = read_all(options);
    REQUIRE(as_935.ok());
    CHECK(as_935->rows.empty()); // never mojibake, never a silent null
    REQUIRE(as_935->rejects.size() == 1);
    CHECK(as_935->rejects[0].rule == "code_page");
    CHECK(as_935->rejects[0].field == "NAME");
    CHECK_THAT(as_935->rejects[0].reason, Catch::Contains("raw 0e"));

    // IBM1047 and CP037 differ on brackets: the same bytes read per the declared page.
    const std::string brackets = encode("IBM1047", "[]");
    dir.write("names.dat", encode("IBM1047", "ABC       ") + brackets);
    options["encoding"] = "IBM1047";
    auto as_1047 = read_all(options);
    REQUIRE(as_1047.ok());
    REQUIRE(as_1047->rows.size() == 1);
    CHECK(as_1047->cell(0, "CODE") == "[]");
    CHECK(brackets != encode("CP037", "[]"));
}

TEST_CASE("copybook: a per-field code page", "[flatfile][copybook]") {
    TempDir dir;
    const char* const copybook = "01 R.\n  05 NAME PIC X(10).\n  05 CODE PIC X(2).\n";
    std::string name = encode("IBM1388", "李喆");
    name.append(10 - name.size(), '\x40');
    const nlohmann::json options{{"format", "copybook"},
                                 {"path", dir.write("mixed.dat", name + encode("CP037", "[]"))},
                                 {"copybook_text", copybook},
                                 {"encoding", "CP037"},
                                 {"field_encodings", {{"NAME", "IBM1388"}}}};
    auto contents = read_all(options);
    REQUIRE(contents.ok());
    REQUIRE(contents->rows.size() == 1);
    CHECK(contents->cell(0, "NAME") == "李喆");
    CHECK(contents->cell(0, "CODE") == "[]");
}

TEST_CASE("copybook: a variable record must be as long as its OCCURS DEPENDING ON counts say",
          "[flatfile][copybook]") {
    // Longer: the bytes after the last counted item were dropped without a word. Shorter: the
    // items after the table read from nothing. Both are rejects naming the counts.
    TempDir dir;
    const char* const copybook = R"(
       01  R.
           05  ID          PIC X(3).
           05  N           PIC 9.
           05  ITEM OCCURS 0 TO 3 TIMES DEPENDING ON N PIC X(2).
           05  TAIL        PIC X.
)";
    auto rdw = [](const std::string& data) {
        return std::string{static_cast<char>((data.size() + 4) >> 8),
                           static_cast<char>((data.size() + 4) & 0xFF), 0, 0} +
               data;
    };
    const std::string file = rdw(encode("CP037", "AAA2XXYYZ")) +                // 9 bytes: right
                             rdw(encode("CP037", "BBB1XXZ") + "\x40\x40\x40") + // 3 too many
                             rdw(encode("CP037", "CCC3XXYYZZ"));                // TAIL missing
    const nlohmann::json options{{"format", "copybook"},
                                 {"path", dir.write("odo.dat", file)},
                                 {"copybook_text", copybook},
                                 {"encoding", "CP037"},
                                 {"record_format", "V"}};
    auto contents = read_all(options);
    REQUIRE(contents.ok());
    REQUIRE(contents->rows.size() == 1);
    CHECK(contents->cell(0, "TAIL") == "Z");
    REQUIRE(contents->rejects.size() == 2);
    CHECK(contents->rejects[0].rule == "occurs_depending_on");
    CHECK_THAT(contents->rejects[0].reason,
               Catch::Contains("the record is 10 bytes") &&
                   Catch::Contains("count (1) make it 7") &&
                   Catch::Contains("3 bytes after the last counted item"));
    CHECK(contents->rejects[1].rule == "record_length");
}

TEST_CASE("copybook: a mixed IBM1388 field whose SO has no SI is a reject at its byte",
          "[flatfile][copybook]") {
    // iconv alone read the rest of the field, EBCDIC spaces included, as double-byte text: the
    // name came out as the characters before it plus U+3000 padding, never rejected.
    TempDir dir;
    const char* const copybook = "01 R.\n  05 NAME PIC X(10).\n  05 CODE PIC X(2).\n";
    const std::string name = encode("IBM1388", "李喆"); // SO + 4 bytes + SI
    REQUIRE(name.size() == 6);
    const std::string good = name + std::string(4, '\x40') + encode("IBM1388", "01");
    std::string cut = good;
    cut[5] = '\x40'; // the SI gone: the run never ends
    const nlohmann::json options{{"format", "copybook"},
                                 {"path", dir.write("names.dat", good + cut)},
                                 {"copybook_text", copybook},
                                 {"encoding", "IBM1388"}};
    auto contents = read_all(options);
    REQUIRE(contents.ok());
    REQUIRE(contents->rows.size() == 1);
    CHECK(contents->cell(0, "NAME") == "李喆");
    REQUIRE(contents->rejects.size() == 1);
    CHECK(contents->rejects[0].field == "NAME");
    CHECK(contents->rejects[0].rule == "code_page");
    CHECK_THAT(contents->rejects[0].reason,
               Catch::Contains("byte 0") && Catch::Contains("has no shift-in (SI)"));
}
