// SPDX-License-Identifier: Apache-2.0
// copybook_parser_test.cpp — levels, PIC, usages, OCCURS/ODO, REDEFINES, SYNC, P scaling.
#include <catch2/catch.hpp>

#include "ferry/text.h"

#include "copybook_layout.h"
#include "copybook_parser.h"

using namespace ferry::flatfile;

namespace {

const char* const kCopybook = R"(
      * A contribution record, fixed format with sequence numbers.
000100 01  CONTRIB-REC.
000200     05  REC-TYPE            PIC X.
000300         88  IS-DETAIL       VALUE 'D'.
000400     05  PERSON-ID           PIC X(10).
000500     05  NAME                PIC G(4) USAGE DISPLAY-1.
000600     05  BASE                PIC S9(7)V99 COMP-3.
000700     05  MONTHS              PIC 9(2) COMP.
000800     05  RATE                PIC SV9(4) SIGN LEADING SEPARATE.
000900     05  PERIOD.
001000         10  YEAR            PIC 9(4).
001100         10  MONTH           PIC 9(2).
001200     05  PERIOD-N REDEFINES PERIOD PIC 9(6).
001300     05  FILLER              PIC X(2).
001400     05  N-PAY               PIC 9(2).
001500     05  PAYMENT OCCURS 1 TO 3 TIMES DEPENDING ON N-PAY.
001600         10  PAY-AMT         PIC S9(5) COMP-5.
001700         10  PAY-DATE.
001800             15  YEAR        PIC 9(4).
001900             15  MONTH       PIC 9(2).
)";

const CopybookItem& child(const CopybookItem& item, const std::string& name) {
    for (const auto& candidate : item.children) {
        if (candidate.name == name) {
            return candidate;
        }
    }
    FAIL("no item " << name);
    return item;
}

} // namespace

TEST_CASE("copybook: pictures", "[flatfile][copybook]") {
    auto pic = parse_picture("S9(7)V99");
    REQUIRE(pic.ok());
    CHECK(pic->is_signed);
    CHECK(pic->digits == 9);
    CHECK(pic->scale == 2);
    auto scaled = parse_picture("9(3)PP");
    REQUIRE(scaled.ok());
    CHECK(scaled->multiplier == 2);
    auto fraction = parse_picture("VPP99");
    REQUIRE(fraction.ok());
    CHECK(fraction->scale == 4);
    auto edited = parse_picture("ZZ,ZZ9.99-");
    REQUIRE(edited.ok());
    CHECK(edited->kind == PicClass::Alphanumeric);
    CHECK(edited->chars == 10);
    CHECK_FALSE(parse_picture("9(x)").ok());
    CHECK_FALSE(parse_picture("Q").ok());
}

TEST_CASE("copybook: tree, sizes and offsets", "[flatfile][copybook]") {
    auto book = parse_copybook(kCopybook, "contrib.cpy");
    INFO(book.status().to_string());
    REQUIRE(book.ok());
    REQUIRE(book->records.size() == 1);
    const CopybookItem& rec = book->records[0];
    CHECK(rec.name == "CONTRIB-REC");
    CHECK(child(rec, "PERSON-ID").offset == 1);
    CHECK(child(rec, "NAME").element_size == 8);
    CHECK(child(rec, "BASE").offset == 19);
    CHECK(child(rec, "BASE").element_size == 5);
    CHECK(child(rec, "MONTHS").element_size == 2);
    CHECK(child(rec, "RATE").element_size == 5);
    CHECK(child(rec, "PERIOD").offset == 31);
    CHECK(child(rec, "PERIOD-N").offset == 31);
    CHECK(child(rec, "N-PAY").offset == 39);
    CHECK(child(rec, "PAYMENT").element_size == 10);
    CHECK(rec.element_size == 41 + 3 * 10);

    auto layout = flatten_record(rec, nlohmann::json::object(), false);
    INFO(layout.status().to_string());
    REQUIRE(layout.ok());
    CHECK(layout->record_length == 71);
    CHECK(layout->min_record_length == 51);
    const auto& schema = layout->schema;
    CHECK(schema.index_of("PAY-AMT_3").has_value());
    CHECK(schema.index_of("PERIOD.YEAR").has_value()); // qualified: YEAR appears twice
    CHECK(schema.index_of("PAY-DATE.YEAR_2").has_value());
    CHECK(schema.field(*schema.index_of("BASE")).type.to_string() == "decimal(9,2)");
    CHECK(schema.field(*schema.index_of("RATE")).type.to_string() == "decimal(4,4)");
    CHECK(schema.field(*schema.index_of("PAY-AMT_1")).type.to_string() == "decimal(10,0)");
    CHECK(schema.field(*schema.index_of("PAY-AMT_2")).nullable);
    CHECK(layout->source_types[*schema.index_of("BASE")] == "PIC S9(7)V99 COMP-3");
}

TEST_CASE("copybook: free format, SYNC, errors with lines", "[flatfile][copybook]") {
    auto book = parse_copybook("01 R.\n  05 A PIC X.\n  05 B PIC S9(9) COMP SYNC.\n", "r.cpy");
    REQUIRE(book.ok());
    CHECK(book->records[0].children[1].offset == 4);
    auto bad = parse_copybook("01 R.\n  05 A PIC X.\n  05 B PIC 9(3) COMP-1.\n", "r.cpy");
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.status().message(), Catch::Contains("r.cpy:3"));
    auto late = parse_copybook("01 R.\n  05 T OCCURS 1 TO 3 DEPENDING ON N PIC X.\n  05 N PIC 9.\n",
                               "r.cpy");
    REQUIRE(late.ok());
    CHECK_FALSE(flatten_record(late->records[0], nlohmann::json::object(), false).ok());
    auto nested = parse_copybook("01 R.\n  05 A PIC X.\n    10 B PIC X.\n", "r.cpy");
    REQUIRE_FALSE(nested.ok());
    CHECK_THAT(nested.status().message(), Catch::Contains("r.cpy:3"));
}

TEST_CASE("copybook: 66 RENAMES is kept on its record and adds no storage",
          "[flatfile][copybook]") {
    const char* const text = R"(
       01  PAY-REC.
           05  PAY-ID          PIC X(6).
           05  PAY-AMT         PIC S9(7)V99 COMP-3.
           05  PAY-FLAG        PIC X.
       66  PAY-PART RENAMES PAY-AMT THRU PAY-FLAG.
       66  PAY-KEY RENAMES PAY-ID.
       01  NEXT-REC.
           05  NEXT-ID         PIC X(2).
)";
    auto book = parse_copybook(text, "pay.cpy");
    INFO(book.status().to_string());
    REQUIRE(book.ok());
    REQUIRE(book->records.size() == 2);
    const CopybookItem& pay = book->records[0];
    REQUIRE(pay.renames.size() == 2);
    CHECK(pay.renames[0].name == "PAY-PART");
    CHECK(pay.renames[0].from == "PAY-AMT");
    CHECK(pay.renames[0].thru == "PAY-FLAG");
    CHECK(pay.renames[1].thru.empty());
    CHECK(book->records[1].renames.empty());
    auto layout = flatten_record(pay, nlohmann::json::object(), false);
    REQUIRE(layout.ok());
    CHECK(layout->record_length == 12);
    CHECK(layout->schema.size() == 3);

    auto unknown = parse_copybook("01 R.\n 05 A PIC X.\n66 B RENAMES C.\n", "r.cpy");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.status().message() == "r.cpy:3: 66 B renames C, which R does not have");
    auto reversed =
        parse_copybook("01 R.\n 05 A PIC X.\n 05 C PIC X.\n66 B RENAMES C THRU A.\n", "r.cpy");
    REQUIRE_FALSE(reversed.ok());
    CHECK(reversed.status().message() == "r.cpy:4: 66 B: C comes after A in R");
    auto malformed = parse_copybook("01 R.\n 05 A PIC X.\n66 B RENAMES.\n", "r.cpy");
    REQUIRE_FALSE(malformed.ok());
    CHECK(malformed.status().message() == "r.cpy:3: expected 66 name RENAMES item [THRU item]");
}

TEST_CASE("copybook: columns come in copybook order, a REDEFINES view after what it redefines",
          "[flatfile][copybook]") {
    // PERIOD-N redefines the whole of PERIOD: in offset order it came between YEAR and MONTH.
    auto book = parse_copybook(R"(
       01  ACCT.
           05  KIND            PIC X.
           05  PERIOD.
               10  YEAR        PIC 9(4).
               10  MONTH       PIC 9(2).
           05  PERIOD-N REDEFINES PERIOD PIC 9(6).
           05  BODY            PIC X(6).
           05  NUMS REDEFINES BODY.
               10  N2          PIC 9(2).
               10  N1          PIC 9(4).
           05  N-ITEMS         PIC 9.
           05  ITEM OCCURS 0 TO 2 TIMES DEPENDING ON N-ITEMS PIC X.
           05  TAIL            PIC X.
)",
                               "acct.cpy");
    INFO(book.status().to_string());
    REQUIRE(book.ok());
    auto layout = flatten_record(book->records[0], nlohmann::json::object(), false);
    INFO(layout.status().to_string());
    REQUIRE(layout.ok());
    std::vector<std::string> names;
    for (const auto& field : layout->schema.fields()) {
        names.push_back(field.name);
    }
    CHECK(names == std::vector<std::string>{"KIND", "YEAR", "MONTH", "PERIOD-N", "BODY", "N2", "N1",
                                            "N-ITEMS", "ITEM_1", "ITEM_2", "TAIL"});
    // The decoder still walks the slots by offset, each naming its column.
    for (std::size_t idx = 1; idx < layout->slots.size(); ++idx) {
        CHECK(layout->slots[idx - 1].offset <= layout->slots[idx].offset);
    }
    const Slot& counter = layout->slots[7]; // KIND, YEAR, PERIOD-N, MONTH, BODY, N2, N1, N-ITEMS
    CHECK(layout->schema.field(counter.column).name == "N-ITEMS");
    CHECK(counter.counter_of == 0);
    CHECK(layout->source_types[3] == "PIC 9(6)");
}

TEST_CASE("copybook: errors quoting bytes that are not UTF-8 stay UTF-8 (fuzz finding)",
          "[flatfile][copybook]") {
    // crash-level-not-utf8: the parser quoted the raw bytes of a bad level number.
    auto book = parse_copybook(std::string("a,\xfd,0\x82", 6), "x.cpy");
    REQUIRE_FALSE(book.ok());
    CHECK(ferry::is_valid_utf8(book.status().message()));
    CHECK(book.status().message().find("\\xfd") != std::string::npos);
    // crash-name-not-utf8: a GBK byte in a data name reached the column names.
    auto name = parse_copybook(std::string("01 R.\n 05 H\xa4LDER PIC X.\n"), "x.cpy");
    REQUIRE_FALSE(name.ok());
    CHECK(name.status().message() ==
          "x.cpy:2: the data name \"H\\xa4LDER\" is not UTF-8 text (save the copybook as UTF-8)");
}

TEST_CASE("copybook: layout errors naming a word that is not UTF-8 stay UTF-8 (fuzz finding)",
          "[flatfile][copybook]") {
    // crash-depending-on-not-utf8: the layout quoted the raw DEPENDING ON name.
    auto book = parse_copybook(
        std::string("01 R.\n 05 N PIC 9.\n 05 T OCCURS 0 TO 2 DEPENDING ON N\xb6\xc4S PIC X.\n"),
        "x.cpy");
    INFO(book.status().to_string());
    REQUIRE(book.ok());
    auto layout = flatten_record(book->records[0], nlohmann::json::object(), false);
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.status().message() == "DEPENDING ON N\\xb6\\xc4S: no such item in R");
}

TEST_CASE("copybook: a layout larger than a record can be is refused (fuzz finding)",
          "[flatfile][copybook]") {
    // timeout-huge-occurs: OCCURS 1392295267 flattened for minutes.
    auto huge = parse_copybook("01 R.\n 05 N PIC 9.\n 05 K OCCURS 1392295267 PIC X.\n", "x.cpy");
    REQUIRE_FALSE(huge.ok());
    CHECK(huge.status().message() ==
          "x.cpy:3: K ends past byte 16777216, the largest record the adapter reads");
    auto wide = parse_copybook("01 R.\n 05 T OCCURS 1000.\n 10 U OCCURS 101 PIC X.\n", "x.cpy");
    INFO(wide.status().to_string());
    REQUIRE(wide.ok());
    auto layout = flatten_record(wide->records[0], nlohmann::json::object(), false);
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.status().message() == "U: the record flattens to more than 100000 columns");
    // timeout-huge-occurs itself: an empty group (0 bytes) that OCCURS 1392295267 times.
    auto empty = parse_copybook("01 R.\n 05 N PIC 9.\n 05 K OCCURS 1392295267.\n", "x.cpy");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.status().message() == "x.cpy:3: K has neither PIC nor items");
}
