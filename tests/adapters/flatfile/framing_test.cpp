// SPDX-License-Identifier: Apache-2.0
// framing_test.cpp — record framing: lines across buffer refills, F, V, VB and GnuCOBOL's prefix.
#include <catch2/catch.hpp>

#include "flatfile_test_support.h"
#include "framing.h"

using namespace ferry::flatfile;
using namespace ferry::flatfile::testing;

namespace {

std::string rdw(const std::string& data, int extra = 4) {
    const auto length = static_cast<unsigned>(data.size()) + static_cast<unsigned>(extra);
    return std::string{static_cast<char>(length >> 8), static_cast<char>(length & 0xFF), '\0',
                       '\0'} +
           data;
}

std::vector<std::string> frame_all(const std::string& path,
                                   const FramingOptions& options,
                                   std::vector<std::int64_t>* offsets = nullptr) {
    auto framer = open_framer(path, options);
    REQUIRE(framer.ok());
    std::vector<std::string> records;
    RawRecord record;
    for (;;) {
        auto found = (*framer)->next(record);
        INFO(found.status().to_string());
        REQUIRE(found.ok());
        if (!*found) {
            return records;
        }
        records.emplace_back(record.bytes);
        if (offsets != nullptr) {
            offsets->push_back(record.offset);
        }
    }
}

} // namespace

TEST_CASE("framing: CSV records longer than the read buffer, quoted line ends", "[flatfile]") {
    TempDir dir;
    const std::string big(1'500'000, 'x');
    const std::string path = dir.write("big.csv", "a,\"" + big + "\nmore\"\r\nb,2\n\"c\n\",3");
    FramingOptions options;
    options.format = RecordFormat::Csv;
    std::vector<std::int64_t> offsets;
    const auto records = frame_all(path, options, &offsets);
    REQUIRE(records.size() == 3);
    CHECK(records[0].size() == 2 + 1 + big.size() + 6);
    CHECK(records[1] == "b,2");
    CHECK(records[2] == "\"c\n\",3");
    CHECK(offsets[1] == static_cast<std::int64_t>(records[0].size() + 2));
}

TEST_CASE("framing: F, V, VB and GnuCOBOL variable records", "[flatfile]") {
    TempDir dir;
    FramingOptions options;
    options.format = RecordFormat::Fixed;
    options.record_length = 3;
    CHECK(frame_all(dir.write("f.dat", "abcdefgh"), options) ==
          std::vector<std::string>{"abc", "def", "gh"});

    options.format = RecordFormat::Variable;
    CHECK(frame_all(dir.write("v.dat", rdw("one") + rdw("") + rdw("three")), options) ==
          std::vector<std::string>{"one", "", "three"});

    options.format = RecordFormat::GnuCobolVariable;
    CHECK(frame_all(dir.write("g.dat", rdw("one", 0) + rdw("three", 0)), options) ==
          std::vector<std::string>{"one", "three"});

    options.format = RecordFormat::VariableBlocked;
    const std::string block1 = rdw("ab") + rdw("cde");
    const std::string block2 = rdw("f");
    CHECK(frame_all(dir.write("vb.dat", rdw(block1) + rdw(block2)), options) ==
          std::vector<std::string>{"ab", "cde", "f"});

    options.format = RecordFormat::Variable;
    auto framer = open_framer(
        dir.write("broken.dat", rdw("ok") + std::string("\x00\x02\x01\x00", 4)), options);
    REQUIRE(framer.ok());
    RawRecord record;
    REQUIRE((*framer)->next(record).ok());
    auto broken = (*framer)->next(record);
    REQUIRE_FALSE(broken.ok());
    CHECK_THAT(broken.status().message(), Catch::Contains("broken.dat: byte 6"));
}
