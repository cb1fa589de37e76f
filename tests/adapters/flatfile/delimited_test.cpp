// SPDX-License-Identifier: Apache-2.0
// delimited_test.cpp — RFC 4180 splitting, GBK trail bytes, summary lines, ragged rows, resume.
#include <algorithm>

#include <catch2/catch.hpp>

#include "delimited.h"
#include "flatfile_test_support.h"

using ferry::flatfile::CharStep;
using ferry::flatfile::DelimitedSyntax;
using ferry::flatfile::split_delimited;
using namespace ferry::flatfile::testing;

namespace {

std::vector<std::string> split(std::string_view record, DelimitedSyntax syntax = {}) {
    std::vector<std::string_view> cells;
    std::string scratch;
    const auto problem = split_delimited(record, syntax, cells, scratch);
    INFO(problem.value_or(""));
    REQUIRE_FALSE(problem);
    return {cells.begin(), cells.end()};
}

} // namespace

TEST_CASE("delimited: RFC 4180 quoting", "[flatfile][delimited]") {
    CHECK(split("a,b,c") == std::vector<std::string>{"a", "b", "c"});
    CHECK(split("a,,") == std::vector<std::string>{"a", "", ""});
    CHECK(split("\"a,b\",\"say \"\"hi\"\"\",x") ==
          std::vector<std::string>{"a,b", "say \"hi\"", "x"});
    CHECK(split("\"line\nbreak\",2") == std::vector<std::string>{"line\nbreak", "2"});
    CHECK(split("") == std::vector<std::string>{""});

    std::vector<std::string_view> cells;
    std::string scratch;
    CHECK(split_delimited("\"open,1", {}, cells, scratch).has_value());
    CHECK(split_delimited("\"a\"b,1", {}, cells, scratch).has_value());
}

TEST_CASE("delimited: custom delimiter, quote and escape", "[flatfile][delimited]") {
    DelimitedSyntax syntax;
    syntax.delimiter = '|';
    syntax.quote = '\'';
    syntax.escape = '\\';
    CHECK(split("'it\\'s'|b", syntax) == std::vector<std::string>{"it's", "b"});
}

TEST_CASE("delimited: a GBK trail byte equal to '|' does not split a field",
          "[flatfile][delimited]") {
    // 皘 is B0 7C in GBK: its trail byte is the pipe delimiter.
    const std::string name = encode("GBK", "皘");
    REQUIRE(name == "\xB0\x7C");
    DelimitedSyntax syntax;
    syntax.delimiter = '|';
    syntax.step = CharStep::Gbk;
    CHECK(split(name + "|2", syntax) == std::vector<std::string>{name, "2"});
    syntax.step = CharStep::Single; // what a naive reader does
    CHECK(split(name + "|2", syntax).size() == 3);
}

TEST_CASE("delimited: a GBK bank batch with a summary line", "[flatfile][delimited]") {
    TempDir dir;
    const std::string text = "3|4129.90\n"
                             "\"P001\"|王芳|1234.50|20240131\n"
                             "P002|李皘|2000.00|20240229\n"
                             "P003|\"张,伟\"|895.40|20240331\n";
    const std::string path = dir.write("batch.txt", encode("GBK", text));
    nlohmann::json options{{"format", "delimited"},
                           {"path", path},
                           {"delimiter", "|"},
                           {"header", false},
                           {"columns",
                            {"person_id",
                             "name",
                             {{"name", "amount"}, {"type", "decimal(14,2)"}},
                             {{"name", "paid_on"}, {"type", "date"}}}},
                           {"summary",
                            {{"line", "first"},
                             {"count_field", 1},
                             {"amount_field", 2},
                             {"amount_column", "amount"}}}};
    auto contents = read_all(options);
    REQUIRE(contents.ok());
    CHECK(contents->end_status.ok());
    REQUIRE(contents->rows.size() == 3);
    CHECK(contents->cell(0, "person_id") == "P001");
    CHECK(contents->cell(1, "name") == "李皘");
    CHECK(contents->cell(2, "name") == "张,伟");
    CHECK(contents->cell(0, "amount") == "1234.50");
    CHECK(contents->cell(1, "paid_on") == "2024-02-29");
    CHECK(contents->record_nos == std::vector<std::int64_t>{1, 2, 3});

    SECTION("a wrong total refuses the batch before any row, naming the summary line") {
        dir.write("batch.txt", encode("GBK", "3|4129.91\n" + text.substr(text.find('\n') + 1)));
        auto wrong = read_all(options);
        REQUIRE(wrong.ok());
        CHECK(wrong->rows.empty()); // a bank batch is accepted or returned whole
        CHECK(wrong->read == 0);
        CHECK(wrong->end_status.code() == ferry::StatusCode::Data);
        CHECK_THAT(wrong->end_status.message(),
                   Catch::Contains("batch.txt: the batch is refused, no record delivered") &&
                       Catch::Contains("batch.txt:1") && Catch::Contains("4129.91"));
        options["verify_first"] = false;
        auto streamed = read_all(options);
        REQUIRE(streamed.ok());
        CHECK(streamed->rows.size() == 3); // streaming: delivered first, then the verdict
        CHECK_THAT(streamed->end_status.message(), Catch::Contains("unreconciled"));
    }
    SECTION("a trailer line works the same") {
        options["summary"]["line"] = "last";
        dir.write("batch.txt", encode("GBK", text.substr(text.find('\n') + 1) + "3|4129.90\n"));
        auto trailer = read_all(options, {{"batch_rows", 1}});
        REQUIRE(trailer.ok());
        CHECK(trailer->end_status.ok());
        CHECK(trailer->rows.size() == 3);
        dir.write("batch.txt", encode("GBK", text.substr(text.find('\n') + 1) + "4|4129.90\n"));
        auto refused = read_all(options);
        REQUIRE(refused.ok());
        CHECK(refused->rows.empty());
        CHECK_THAT(refused->end_status.message(),
                   Catch::Contains("batch.txt:4 (byte 85): the summary line counts 4 records, "
                                   "the file has 3"));
        // Blank lines around the trailer, with no record after them, are trailing blank lines.
        dir.write("batch.txt",
                  encode("GBK", text.substr(text.find('\n') + 1) + "\n3|4129.90\n\n\r\n"));
        auto blanks = read_all(options, {{"batch_rows", 1}});
        REQUIRE(blanks.ok());
        INFO(blanks->end_status.to_string());
        CHECK(blanks->end_status.ok());
        CHECK(blanks->rows.size() == 3);
        CHECK(blanks->rejects.empty());
        CHECK(blanks->read == 6); // 3 records and 3 skipped blank lines
        dir.write("batch.txt", encode("GBK", text.substr(text.find('\n') + 1) + "4|4129.90\n"));
        options["verify_first"] = false;
        auto wrong = read_all(options);
        REQUIRE(wrong.ok());
        CHECK_THAT(wrong->end_status.message(),
                   Catch::Contains("unreconciled: batch.txt:4 (byte 85) (summary count) counts 4 "
                                   "records, 3 were read"));
    }
}

TEST_CASE("delimited: header, BOM, CRLF, ragged rows and bad bytes are rejects with offsets",
          "[flatfile][delimited]") {
    TempDir dir;
    const std::string body = "\xEF\xBB\xBFid,name,wage\r\n"
                             "1,Wang,10.5\r\n"
                             "2,Li\r\n"
                             "3,\"multi\nline\",7\r\n"
                             "4,\xD6,1\r\n"
                             "5,Zhao,abc\r\n"
                             "6,Sun,3";
    const std::string path = dir.write("people.csv", body);
    nlohmann::json options{
        {"format", "delimited"},
        {"path", path},
        {"encoding", "UTF-8"},
        {"columns", {"id", "name", {{"name", "wage"}, {"type", "decimal(9,2)"}}}}};
    auto contents = read_all(options);
    REQUIRE(contents.ok());
    CHECK(contents->end_status.ok());
    CHECK(contents->read == 6);
    REQUIRE(contents->rows.size() == 3);
    CHECK(contents->cell(1, "name") == "multi\nline");
    CHECK(contents->cell(2, "wage") == "3.00");
    REQUIRE(contents->rejects.size() == 3);
    CHECK(contents->rejects[0].rule == "ragged_row");
    CHECK(contents->rejects[0].reason == "2 fields, expected 3");
    CHECK(contents->rejects[0].location == "people.csv:3 (byte 30)");
    CHECK(contents->rejects[1].rule == "code_page");
    CHECK(contents->rejects[1].field == "name");
    CHECK(contents->rejects[1].location == "people.csv:6 (byte 54)");
    CHECK_THAT(contents->rejects[1].reason, Catch::Contains("d6"));
    CHECK(contents->rejects[2].rule == "decimal");
    CHECK_THAT(contents->rejects[2].reason, !Catch::Contains("abc")); // never the value
}

TEST_CASE("delimited: GB18030-only characters are rejects in GBK, text in GB18030",
          "[flatfile][delimited]") {
    TempDir dir;
    const std::string bytes = encode("GB18030", "1,王䶮\n2,李四\n");
    const std::string path = dir.write("names.csv", bytes);
    nlohmann::json options{
        {"format", "delimited"}, {"path", path}, {"header", false}, {"columns", {"id", "name"}}};
    auto as_gbk = read_all(options);
    REQUIRE(as_gbk.ok());
    REQUIRE(as_gbk->rejects.size() == 1);
    CHECK(as_gbk->rejects[0].rule == "code_page");
    CHECK(as_gbk->rows.size() == 1);
    options["encoding"] = "GB18030";
    auto as_gb18030 = read_all(options);
    REQUIRE(as_gb18030.ok());
    CHECK(as_gb18030->rejects.empty());
    CHECK(as_gb18030->cell(0, "name") == "王䶮");
}

TEST_CASE("delimited: resuming from any checkpoint neither repeats nor loses a record",
          "[flatfile][delimited]") {
    TempDir dir;
    std::string text = "5|15\n";
    for (int idx = 1; idx <= 5; ++idx) {
        text +=
            std::to_string(idx) + "|名" + std::to_string(idx) + "|" + std::to_string(idx) + "\n";
    }
    const std::string path = dir.write("daily.txt", encode("GBK", text));
    const nlohmann::json options{
        {"format", "delimited"},
        {"path", path},
        {"delimiter", "|"},
        {"header", false},
        {"columns", {"id", "name", {{"name", "n"}, {"type", "int64"}}}},
        {"summary",
         {{"line", "first"}, {"count_field", 1}, {"amount_field", 2}, {"amount_column", "n"}}}};
    auto whole = read_all(options, {{"batch_rows", 2}});
    REQUIRE(whole.ok());
    REQUIRE(whole->end_status.ok());
    REQUIRE(whole->checkpoints.size() >= 3);
    for (std::size_t batch = 0; batch + 1 < whole->checkpoints.size(); ++batch) {
        const auto resume = nlohmann::json::parse(whole->checkpoints[batch]);
        auto rest = read_all(options, {{"resume", resume}, {"batch_rows", 2}});
        REQUIRE(rest.ok());
        CHECK(rest->end_status.ok()); // the running totals travel in the checkpoint
        const std::size_t done = (batch + 1) * 2;
        REQUIRE(rest->rows.size() == 5 - done);
        CHECK(rest->record_nos.front() == static_cast<std::int64_t>(done + 1));
        CHECK(rest->rows.front() == whole->rows[done]);
    }
}

TEST_CASE("delimited: the single-byte fast path splits exactly as the character-stepping path",
          "[flatfile][delimited]") {
    // On ASCII text the GBK splitter steps one byte at a time through the general loop, so it
    // is an oracle for the memchr / run-copying path single-byte pages take: 20,000 random
    // records over the bytes that matter, with RFC 4180 and backslash escapes.
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    const auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    static constexpr char kAlphabet[] = {'a', 'b', ',', '"', '\\', ' ', 'x', '"'};
    for (const char escape : {'"', '\\'}) {
        for (int round = 0; round < 10000; ++round) {
            std::string record;
            const auto length = static_cast<std::size_t>(next() % 24);
            for (std::size_t idx = 0; idx < length; ++idx) {
                record += kAlphabet[next() % sizeof kAlphabet];
            }
            DelimitedSyntax single;
            single.escape = escape;
            DelimitedSyntax stepping = single;
            stepping.step = CharStep::Gbk;
            std::vector<std::string_view> fast_cells, slow_cells;
            std::string fast_scratch, slow_scratch;
            const auto fast = split_delimited(record, single, fast_cells, fast_scratch);
            const auto slow = split_delimited(record, stepping, slow_cells, slow_scratch);
            INFO("record [" << record << "] escape " << escape);
            REQUIRE(fast == slow);
            REQUIRE(std::vector<std::string>(fast_cells.begin(), fast_cells.end()) ==
                    std::vector<std::string>(slow_cells.begin(), slow_cells.end()));
        }
    }
}

TEST_CASE("delimited: a UTF-8 file read without an encoding is refused, not turned into other "
          "characters",
          "[flatfile][delimited]") {
    // 王芳 in UTF-8 is valid GBK too (鐜嬭姵): read with the default GBK, no reject would say so.
    TempDir dir;
    const std::string path = dir.write("people.csv", "id,name\n1,王芳\n2,李喆\n");
    auto refused = read_all({{"format", "delimited"}, {"path", path}});
    // Refused when the stream opens the file, before any record.
    const ferry::Status failure = refused.ok() ? refused->end_status : refused.status();
    REQUIRE_FALSE(failure.ok());
    CHECK((!refused.ok() || refused->rows.empty()));
    CHECK(failure.code() == ferry::StatusCode::InvalidArgument);
    CHECK_THAT(failure.message(), Catch::Contains("people.csv") && Catch::Contains("valid UTF-8") &&
                                      Catch::Contains("\"encoding\": \"UTF-8\""));

    auto utf8 = read_all({{"format", "delimited"}, {"path", path}, {"encoding", "UTF-8"}});
    REQUIRE(utf8.ok());
    REQUIRE(utf8->rows.size() == 2);
    CHECK(utf8->cell(0, "name") == "王芳");

    // A declared encoding is never second-guessed; a GBK file or an ASCII one needs none.
    auto declared = read_all({{"format", "delimited"}, {"path", path}, {"encoding", "GBK"}});
    REQUIRE(declared.ok());
    CHECK(declared->rows.size() == 2);
    const std::string gbk = dir.write("gbk.csv", "id,name\n1," + encode("GBK", "王芳") + "\n");
    auto from_gbk = read_all({{"format", "delimited"}, {"path", gbk}});
    REQUIRE(from_gbk.ok());
    CHECK(from_gbk->cell(0, "name") == "王芳");
    const std::string ascii = dir.write("ascii.csv", "id,name\n1,Wang Fang\n");
    CHECK(read_all({{"format", "delimited"}, {"path", ascii}}).ok());
}

TEST_CASE("delimited: a DOS end-of-file byte as the last line is skipped, not a reject",
          "[flatfile][delimited]") {
    TempDir dir;
    const nlohmann::json base{{"format", "delimited"}, {"encoding", "GBK"}};
    nlohmann::json options = base;
    options["path"] = dir.write("dos.csv", "id,name\r\n1,a\r\n2,b\r\n\x1A");
    auto contents = read_all(options);
    REQUIRE(contents.ok());
    INFO(contents->end_status.to_string());
    CHECK(contents->end_status.ok());
    CHECK(contents->rows.size() == 2);
    CHECK(contents->rejects.empty());
    CHECK(contents->read == 3); // two records and the skipped marker

    // Anywhere else it is data, and a line that is not a record is a reject.
    options["path"] = dir.write("middle.csv", "id,name\n1,a\n\x1A\n2,b\n");
    contents = read_all(options);
    REQUIRE(contents.ok());
    CHECK(contents->rows.size() == 2);
    REQUIRE(contents->rejects.size() == 1);
    CHECK(contents->rejects[0].rule == "ragged_row");
}

TEST_CASE("delimited: blank lines at the end are skipped, in the middle rejects",
          "[flatfile][delimited]") {
    TempDir dir;
    nlohmann::json options{{"format", "delimited"},
                           {"encoding", "UTF-8"},
                           {"path", dir.write("blanks.csv", "id,name\n1,a\n\r\n\n2,b\n\n\r\n")}};
    auto contents = read_all(options, {{"batch_rows", 2}});
    REQUIRE(contents.ok());
    INFO(contents->end_status.to_string());
    CHECK(contents->end_status.ok());
    CHECK(contents->rows.size() == 2);
    CHECK(contents->record_nos == std::vector<std::int64_t>{1, 4});
    REQUIRE(contents->rejects.size() == 2);
    CHECK(contents->rejects[0].rule == "blank_line");
    CHECK(contents->rejects[0].record_no == 2);
    CHECK(contents->rejects[0].location == "blanks.csv:3 (byte 12)");
    CHECK(contents->rejects[1].record_no == 3);
    CHECK(contents->read == 6); // 2 delivered + 2 rejected + 2 skipped at the end

    // A checkpoint taken inside a run of blank lines resumes at the first one not yet counted.
    for (const std::string& point : contents->checkpoints) {
        const auto resume = nlohmann::json::parse(point);
        auto rest = read_all(options, {{"resume", resume}, {"batch_rows", 2}});
        REQUIRE(rest.ok());
        std::vector<std::int64_t> numbers = rest->record_nos;
        for (const auto& reject : rest->rejects) {
            numbers.push_back(reject.record_no);
        }
        std::sort(numbers.begin(), numbers.end());
        std::vector<std::int64_t> expected;
        for (std::int64_t no = resume["record"].get<std::int64_t>(); no <= 4; ++no) {
            expected.push_back(no);
        }
        INFO(point);
        CHECK(numbers == expected);
    }

    options["skip_trailing_blank_lines"] = false;
    contents = read_all(options);
    REQUIRE(contents.ok());
    CHECK(contents->rows.size() == 2);
    REQUIRE(contents->rejects.size() == 4);
    CHECK_THAT(contents->rejects[3].reason, Catch::Contains("skip_trailing_blank_lines is off"));
    CHECK(contents->read == 6);
}
