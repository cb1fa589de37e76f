// SPDX-License-Identifier: Apache-2.0
// cobol_integration_test.cpp — files written by a real COBOL compiler (GnuCOBOL), read back
// through the adapter: every field of every record must equal what the COBOL program printed.
// The EBCDIC runs convert those files the way platform-notes.md describes (text through iconv,
// zoned digits re-zoned, binary and packed bytes copied), since GnuCOBOL cannot write EBCDIC.
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "ferry/codepage.h"
#include "ferry/decimal.h"
#include "ferry/text.h"

#include "copybook_layout.h"
#include "copybook_parser.h"
#include "flatfile_test_support.h"

using namespace ferry::flatfile;
using namespace ferry::flatfile::testing;

namespace {

const std::string kCobolDir = FERRY_COBOL_DIR;
const std::string kWorkDir = FERRY_COBOL_WORK;

std::string run(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        output.append(buffer, got);
    }
    const int status = ::pclose(pipe);
    INFO(command << "\n" << output);
    REQUIRE(status == 0);
    return output;
}

/// Compiles tests/…/cobol/<program>.cob with cobc once per run; returns the executable.
/// ctest runs test cases as processes side by side: each compiles to a file of its own and
/// renames it into place, so none ever executes a file another is still writing (ETXTBSY).
std::string compiled(const std::string& program) {
    const std::string exe = kWorkDir + "/" + program;
    static std::set<std::string> done;
    if (done.insert(program).second) {
        const std::string fresh = exe + ".tmp" + std::to_string(::getpid());
        // IBM binary sizes (2/4/8 bytes), so COMP matches what a mainframe copybook implies.
        run(std::string(FERRY_COBC) + " -x -fbinary-size=2-4-8 -I " + kCobolDir + " -o " + fresh +
            " " + kCobolDir + "/" + program + ".cob 2>&1");
        REQUIRE(std::rename(fresh.c_str(), exe.c_str()) == 0);
    }
    return exe;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::vector<std::string>> expected_lines(const std::string& output) {
    std::vector<std::vector<std::string>> lines;
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("R|", 0) != 0) {
            continue;
        }
        std::vector<std::string> parts;
        std::size_t start = 2;
        for (;;) {
            const std::size_t bar = line.find('|', start);
            parts.push_back(line.substr(start, bar - start));
            if (bar == std::string::npos) {
                break;
            }
            start = bar + 1;
        }
        lines.push_back(std::move(parts));
    }
    return lines;
}

void same_number(const std::string& actual, const std::string& expected, const std::string& what) {
    auto want = ferry::Decimal::parse(ferry::trim_ascii_spaces(expected));
    auto have = ferry::Decimal::parse(actual);
    INFO(what << ": adapter " << actual << ", COBOL " << expected);
    REQUIRE(want.ok());
    REQUIRE(have.ok());
    CHECK(want->compare(*have) == 0);
}

/// The layout of the copybook's 01 record number `record` (0: the first).
CopybookLayout layout_of(const std::string& copybook, std::size_t record = 0) {
    auto book = parse_copybook(read_file(kCobolDir + "/" + copybook), copybook);
    REQUIRE(book.ok());
    REQUIRE(record < book->records.size());
    auto layout = flatten_record(book->records[record], nlohmann::json::object(), false);
    REQUIRE(layout.ok());
    return std::move(*layout);
}

/// One GnuCOBOL (ASCII) record in EBCDIC: text fields through iconv (padded with EBCDIC spaces),
/// zoned digits re-zoned (F, sign C/D, separate signs 4E/60), packed and binary copied.
std::string
to_ebcdic(std::string_view record, const CopybookLayout& layout, ferry::CodePage& page) {
    std::string out(record);
    for (const Slot& slot : layout.slots) {
        if (slot.offset + slot.size > record.size()) {
            continue; // an ODO occurrence this record does not have (tables end the record)
        }
        const std::string_view field = record.substr(slot.offset, slot.size);
        std::string converted;
        if (slot.kind == PicClass::Alphanumeric) {
            const auto end = field.find_last_not_of(' ');
            const std::string_view text =
                field.substr(0, end == std::string_view::npos ? 0 : end + 1);
            REQUIRE_FALSE(page.encode(text, converted));
            REQUIRE(converted.size() <= slot.size);
            converted.append(slot.size - converted.size(), '\x40');
        } else if (slot.kind == PicClass::Numeric && slot.usage == Usage::Display) {
            for (std::size_t idx = 0; idx < field.size(); ++idx) {
                const auto byte = static_cast<unsigned char>(field[idx]);
                const bool sign_byte = slot.is_signed && !slot.sign_separate &&
                                       idx == (slot.sign_leading ? 0 : field.size() - 1);
                if (byte == '+' || byte == '-') {
                    converted += byte == '+' ? '\x4E' : '\x60';
                } else if (byte >= 'p' && byte <= 'y') {
                    converted += static_cast<char>(0xD0 + (byte - 'p'));
                } else if (sign_byte) {
                    converted += static_cast<char>(0xC0 + (byte - '0'));
                } else {
                    converted += static_cast<char>(0xF0 + (byte - '0'));
                }
            }
        } else {
            continue; // packed and binary bytes are the same on both platforms
        }
        out.replace(slot.offset, slot.size, converted);
    }
    return out;
}

/// A GnuCOBOL variable file (its prefix counts the data only) as an EBCDIC V file with IBM
/// RDWs (which count themselves: platform notes); `layout_for` picks each record's layout.
std::string to_ebcdic_v(const std::string& ascii,
                        const std::function<const CopybookLayout&(std::string_view)>& layout_for,
                        ferry::CodePage& page) {
    std::string ebcdic;
    std::size_t at = 0;
    while (at + 4 <= ascii.size()) {
        const std::size_t length = (static_cast<unsigned char>(ascii[at]) << 8) |
                                   static_cast<unsigned char>(ascii[at + 1]);
        const std::size_t rdw = length + 4;
        const std::string_view record = std::string_view(ascii).substr(at + 4, length);
        ebcdic += std::string{static_cast<char>(rdw >> 8), static_cast<char>(rdw & 0xFF), 0, 0};
        ebcdic += to_ebcdic(record, layout_for(record), page);
        at += 4 + length;
    }
    REQUIRE(at == ascii.size());
    return ebcdic;
}

struct Written {
    std::string path;
    std::vector<std::vector<std::string>> expected;
};

Written write_with(const std::string& program, const TempDir& dir, const std::string& name) {
    Written written;
    written.path = (dir.path() / name).string();
    written.expected = expected_lines(run(compiled(program) + " " + written.path));
    REQUIRE_FALSE(written.expected.empty());
    return written;
}

void check_contrib(const StreamContents& contents,
                   const std::vector<std::vector<std::string>>& expected) {
    REQUIRE(contents.rejects.empty());
    REQUIRE(contents.rows.size() == expected.size());
    for (std::size_t row = 0; row < expected.size(); ++row) {
        const auto& want = expected[row];
        REQUIRE(want.size() == 16);
        INFO("record " << row + 1);
        CHECK(contents.cell(row, "REC-TYPE") == "D");
        CHECK(contents.cell(row, "PERSON-ID") == want[0]);
        CHECK(contents.cell(row, "PERSON-NAME") == want[1]);
        same_number(contents.cell(row, "BASE-AMT"), want[2], "BASE-AMT");
        same_number(contents.cell(row, "MONTHS"), want[3], "MONTHS");
        same_number(contents.cell(row, "RATE"), want[4], "RATE");
        same_number(contents.cell(row, "ADJUST"), want[5], "ADJUST");
        same_number(contents.cell(row, "PERIOD"), want[6], "PERIOD");
        same_number(contents.cell(row, "PERIOD-YEAR"), want[7], "PERIOD-YEAR");
        same_number(contents.cell(row, "PERIOD-MONTH"), want[8], "PERIOD-MONTH");
        same_number(contents.cell(row, "TOTAL-PAID"), want[9], "TOTAL-PAID");
        for (int pay = 1; pay <= 3; ++pay) {
            const auto idx = static_cast<std::size_t>(8 + 2 * pay);
            same_number(contents.cell(row, "PAY-AMT_" + std::to_string(pay)), want[idx], "PAY-AMT");
            CHECK(contents.cell(row, "PAY-FLAG_" + std::to_string(pay)) == want[idx + 1]);
        }
    }
}

void check_varying(const StreamContents& contents,
                   const std::vector<std::vector<std::string>>& expected) {
    REQUIRE(contents.rejects.empty());
    REQUIRE(contents.rows.size() == expected.size());
    for (std::size_t row = 0; row < expected.size(); ++row) {
        const auto& want = expected[row];
        INFO("record " << row + 1);
        CHECK(contents.cell(row, "V-ID") == want[0]);
        same_number(contents.cell(row, "V-TOTAL"), want[1], "V-TOTAL");
        same_number(contents.cell(row, "V-COUNT"), want[2], "V-COUNT");
        const int count = std::stoi(want[2]);
        REQUIRE(want.size() == 3 + 3 * static_cast<std::size_t>(count));
        for (int item = 1; item <= 5; ++item) {
            const std::string suffix = "_" + std::to_string(item);
            if (item > count) {
                CHECK(contents.cell(row, "V-ITEM-AMT" + suffix) == "NULL");
                CHECK(contents.cell(row, "V-ITEM-CODE" + suffix) == "NULL");
                continue;
            }
            const auto idx = static_cast<std::size_t>(3 * item);
            same_number(contents.cell(row, "V-ITEM-AMT" + suffix), want[idx], "V-ITEM-AMT");
            CHECK(contents.cell(row, "V-ITEM-CODE" + suffix) == want[idx + 1]);
            same_number(contents.cell(row, "V-ITEM-QTY" + suffix), want[idx + 2], "V-ITEM-QTY");
        }
    }
}

} // namespace

TEST_CASE("GnuCOBOL fixed records: COMP-3, COMP, signed zoned, SIGN SEPARATE, REDEFINES, OCCURS",
          "[flatfile][cobol]") {
    TempDir dir;
    const Written file = write_with("write_contrib", dir, "contrib.dat");
    const nlohmann::json options{{"format", "copybook"},
                                 {"path", file.path},
                                 {"copybook", kCobolDir + "/contrib.cpy"},
                                 {"encoding", "UTF-8"},
                                 {"record_format", "F"}};
    auto contents = read_all(options, {{"batch_rows", 64}});
    REQUIRE(contents.ok());
    REQUIRE(contents->end_status.ok());
    check_contrib(*contents, file.expected);

    SECTION("the same records as an IBM935 (EBCDIC, SO/SI Chinese) extract") {
        auto page = ferry::CodePage::open("IBM935");
        REQUIRE(page.ok());
        const CopybookLayout layout = layout_of("contrib.cpy");
        const std::string ascii = read_file(file.path);
        REQUIRE(ascii.size() % layout.record_length == 0);
        std::string ebcdic;
        for (std::size_t at = 0; at < ascii.size(); at += layout.record_length) {
            ebcdic +=
                to_ebcdic(std::string_view(ascii).substr(at, layout.record_length), layout, *page);
        }
        auto converted = options;
        converted["path"] = dir.write("contrib.ebcdic", ebcdic);
        converted["encoding"] = "IBM935";
        auto decoded = read_all(converted, {{"batch_rows", 64}});
        REQUIRE(decoded.ok());
        REQUIRE(decoded->end_status.ok());
        check_contrib(*decoded, file.expected);
    }
}

TEST_CASE("GnuCOBOL variable records: RECORD VARYING with OCCURS DEPENDING ON",
          "[flatfile][cobol]") {
    TempDir dir;
    const Written file = write_with("write_varying", dir, "varying.dat");
    const nlohmann::json options{{"format", "copybook"},
                                 {"path", file.path},
                                 {"copybook", kCobolDir + "/varying.cpy"},
                                 {"encoding", "UTF-8"},
                                 {"record_format", "gnucobol_v"}};
    auto contents = read_all(options, {{"batch_rows", 50}});
    REQUIRE(contents.ok());
    REQUIRE(contents->end_status.ok());
    check_varying(*contents, file.expected);

    SECTION("the same records as a CP037 V file with IBM RDWs") {
        auto page = ferry::CodePage::open("CP037");
        REQUIRE(page.ok());
        const CopybookLayout layout = layout_of("varying.cpy");
        const std::string ebcdic = to_ebcdic_v(
            read_file(file.path), [&](std::string_view) -> const CopybookLayout& { return layout; },
            *page);
        auto converted = options;
        converted["path"] = dir.write("varying.ebcdic", ebcdic);
        converted["encoding"] = "CP037";
        converted["record_format"] = "V";
        auto decoded = read_all(converted);
        REQUIRE(decoded.ok());
        REQUIRE(decoded->end_status.ok());
        check_varying(*decoded, file.expected);
    }
}

namespace {

void check_segments(const StreamContents& contents,
                    const std::vector<std::vector<std::string>>& expected) {
    // Every record but the one of unknown type (X) is a row, in file order.
    REQUIRE(contents.rows.size() + 1 == expected.size());
    REQUIRE(contents.rejects.size() == 1);
    CHECK(contents.read == static_cast<std::int64_t>(expected.size()));
    std::size_t row = 0;
    for (std::size_t record = 0; record < expected.size(); ++record) {
        const auto& want = expected[record];
        INFO("record " << record + 1 << ": " << want[0]);
        if (want[0] == "X") {
            CHECK(contents.rejects[0].record_no == static_cast<std::int64_t>(record + 1));
            CHECK(contents.rejects[0].rule == "segment");
            CHECK(contents.rejects[0].field == "REC-TYPE");
            continue;
        }
        CHECK(contents.record_nos[row] == static_cast<std::int64_t>(record + 1));
        if (want[0] == "H") {
            CHECK(contents.cell(row, "_segment") == "HDR-REC");
            CHECK(contents.cell(row, "HDR-BATCH") == want[1]);
            same_number(contents.cell(row, "HDR-DATE"), want[2], "HDR-DATE");
            CHECK(contents.cell(row, "HDR-BANK") == want[3]);
            CHECK(contents.cell(row, "DTL-PERSON") == "NULL");
        } else if (want[0] == "D") {
            CHECK(contents.cell(row, "_segment") == "DTL-REC");
            CHECK(contents.cell(row, "DTL-PERSON") == want[1]);
            same_number(contents.cell(row, "DTL-AMOUNT"), want[2], "DTL-AMOUNT");
            same_number(contents.cell(row, "DTL-MONTHS"), want[3], "DTL-MONTHS");
            same_number(contents.cell(row, "DTL-RATE"), want[4], "DTL-RATE");
            same_number(contents.cell(row, "DTL-ADJUST"), want[5], "DTL-ADJUST");
            CHECK(contents.cell(row, "HDR-BATCH") == "NULL");
            CHECK(contents.cell(row, "TRL-TOTAL") == "NULL");
        } else {
            REQUIRE(want[0] == "T");
            CHECK(contents.cell(row, "_segment") == "TRL-REC");
            same_number(contents.cell(row, "TRL-COUNT"), want[1], "TRL-COUNT");
            same_number(contents.cell(row, "TRL-TOTAL"), want[2], "TRL-TOTAL");
        }
        ++row;
    }
}

} // namespace

TEST_CASE("GnuCOBOL multi-segment file: header, details and trailer selected by REC-TYPE",
          "[flatfile][cobol]") {
    TempDir dir;
    const Written file = write_with("write_segments", dir, "segments.dat");
    const nlohmann::json options{
        {"format", "copybook"},
        {"path", file.path},
        {"copybook", kCobolDir + "/segments.cpy"},
        {"encoding", "UTF-8"},
        {"record_format", "gnucobol_v"},
        {"segments",
         {{"field", "REC-TYPE"},
          {"records", {{"H", "HDR-REC"}, {"D", "DTL-REC"}, {"T", "TRL-REC"}}}}}};
    auto contents = read_all(options, {{"batch_rows", 16}});
    REQUIRE(contents.ok());
    REQUIRE(contents->end_status.ok());
    check_segments(*contents, file.expected);

    SECTION("the same records as a CP037 V file with IBM RDWs, each in its own layout") {
        auto page = ferry::CodePage::open("CP037");
        REQUIRE(page.ok());
        const std::map<char, CopybookLayout> layouts{{'H', layout_of("segments.cpy", 0)},
                                                     {'X', layout_of("segments.cpy", 0)},
                                                     {'D', layout_of("segments.cpy", 1)},
                                                     {'T', layout_of("segments.cpy", 2)}};
        const std::string ebcdic = to_ebcdic_v(
            read_file(file.path),
            [&](std::string_view record) -> const CopybookLayout& {
                return layouts.at(record.front());
            },
            *page);
        auto converted = options;
        converted["path"] = dir.write("segments.ebcdic", ebcdic);
        converted["encoding"] = "CP037";
        converted["record_format"] = "V";
        auto decoded = read_all(converted);
        REQUIRE(decoded.ok());
        REQUIRE(decoded->end_status.ok());
        check_segments(*decoded, file.expected);
        CHECK_THAT(decoded->rejects[0].reason, Catch::Contains("raw e7"));
    }
}

TEST_CASE("GnuCOBOL control records: a batch whose header or trailer disagrees is refused whole",
          "[flatfile][cobol]") {
    TempDir dir;
    const Written file = write_with("write_segments", dir, "segments.dat");
    const std::string bytes = read_file(file.path);
    // The trailer is the last 12 bytes: REC-TYPE, TRL-COUNT (4 bytes, big-endian COMP),
    // TRL-TOTAL (7 bytes COMP-3).
    REQUIRE(bytes.size() > 12);
    REQUIRE(bytes[bytes.size() - 12] == 'T');
    nlohmann::json options{{"format", "copybook"},
                           {"path", file.path},
                           {"copybook", kCobolDir + "/segments.cpy"},
                           {"encoding", "UTF-8"},
                           {"record_format", "gnucobol_v"},
                           {"segments",
                            {{"field", "REC-TYPE"},
                             {"records", {{"H", "HDR-REC"}, {"D", "DTL-REC"}, {"T", "TRL-REC"}}}}},
                           {"control",
                            {{"header", "HDR-REC"},
                             {"trailer", "TRL-REC"},
                             {"segment_counts", {{"DTL-REC", "TRL-COUNT"}}},
                             {"sums", {{"DTL-AMOUNT", "TRL-TOTAL"}}},
                             {"business_date", "HDR-DATE"}}},
                           {"business_date", "2026-11-30"}};
    auto good = read_all(options, {{"batch_rows", 16}});
    REQUIRE(good.ok());
    CHECK(good->end_status.ok());
    check_segments(*good, file.expected);
    // The running counts and totals travel in checkpoints: a stream resumed at any of them
    // reconciles too, and delivers the records after it.
    for (const std::string& point : good->checkpoints) {
        INFO(point);
        auto rest = read_all(options, {{"resume", nlohmann::json::parse(point)}});
        REQUIRE(rest.ok());
        CHECK(rest->end_status.ok());
        CHECK(rest->read == static_cast<std::int64_t>(file.expected.size()) -
                                nlohmann::json::parse(point)["record"].get<std::int64_t>() + 1);
    }

    // Every damaged file is refused before its first batch: no row, no reject delivered.
    auto refused = [&](const std::string& damaged, const nlohmann::json& with) {
        std::ofstream(file.path, std::ios::binary | std::ios::trunc) << damaged;
        auto contents = read_all(with, {{"batch_rows", 16}});
        REQUIRE(contents.ok());
        CHECK(contents->rows.empty());
        CHECK(contents->rejects.empty());
        CHECK(contents->read == 0);
        CHECK(contents->end_status.code() == ferry::StatusCode::Data);
        CHECK_THAT(contents->end_status.message(),
                   Catch::Contains("segments.dat: the batch is refused, no record delivered"));
        return contents->end_status.message();
    };
    std::string damaged = bytes;
    SECTION("a trailer count one too high") {
        damaged[bytes.size() - 8] = static_cast<char>(damaged[bytes.size() - 8] ^ 1);
        CHECK_THAT(refused(damaged, options),
                   Catch::Contains("(TRL-REC TRL-COUNT) declares 61 DTL-REC records, the file "
                                   "has 60"));
    }
    SECTION("a control total off by a digit") {
        damaged[bytes.size() - 3] = static_cast<char>(damaged[bytes.size() - 3] ^ 0x10);
        CHECK_THAT(refused(damaged, options),
                   Catch::Contains("(TRL-REC TRL-TOTAL) declares a total of") &&
                       Catch::Contains("for DTL-AMOUNT, the file's records add up to"));
    }
    SECTION("a batch for another business day") {
        auto other_day = options;
        other_day["business_date"] = "2026-12-01";
        CHECK_THAT(refused(damaged, other_day),
                   Catch::Contains("HDR-DATE: the batch is dated 2026-11-30, the business date "
                                   "is 2026-12-01"));
    }
    SECTION("a file cut inside its trailer") {
        const std::string message = refused(damaged.substr(0, bytes.size() - 5), options);
        CHECK_THAT(message, Catch::Contains("TRL"));
    }
    SECTION("a file without its trailer") {
        damaged.resize(bytes.size() - 12 - 4); // the trailer and its 4-byte record header
        CHECK_THAT(refused(damaged, options),
                   Catch::Contains("the trailer record TRL-REC is missing"));
    }
    SECTION("streaming without the verify pass: delivered, then unreconciled") {
        damaged[bytes.size() - 8] = static_cast<char>(damaged[bytes.size() - 8] ^ 1);
        std::ofstream(file.path, std::ios::binary | std::ios::trunc) << damaged;
        auto streaming = options;
        streaming["verify_first"] = false;
        auto contents = read_all(streaming, {{"batch_rows", 16}});
        REQUIRE(contents.ok());
        CHECK(contents->rows.size() == 62);
        CHECK_THAT(contents->end_status.message(),
                   Catch::Contains("unreconciled") && Catch::Contains("TRL-COUNT"));
    }
}
