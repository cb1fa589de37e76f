// SPDX-License-Identifier: Apache-2.0
// cobol_decoders_test.cpp — zoned (ASCII, EBCDIC, overpunch, separate signs), packed, binary.
#include <catch2/catch.hpp>

#include "cobol_decoders.h"

using namespace ferry::flatfile;
using namespace std::literals;

namespace {

long long zoned(std::string_view bytes,
                bool ebcdic,
                bool is_signed = true,
                bool leading = false,
                bool separate = false) {
    const NumericResult result = decode_zoned(bytes, ebcdic, is_signed, leading, separate);
    INFO((result.problem ? result.problem : ""));
    REQUIRE(result.problem == nullptr);
    return static_cast<long long>(result.value);
}

long long packed(std::string_view bytes) {
    const NumericResult result = decode_packed(bytes);
    INFO((result.problem ? result.problem : ""));
    REQUIRE(result.problem == nullptr);
    return static_cast<long long>(result.value);
}

} // namespace

TEST_CASE("zoned decimal: ASCII, GnuCOBOL and overpunch signs", "[flatfile][cobol]") {
    CHECK(zoned("00123", false) == 123);
    CHECK(zoned("0012s", false) == -123); // GnuCOBOL default: 0x70 + digit
    CHECK(zoned("0012L", false) == -123); // overpunch J..R
    CHECK(zoned("0012C", false) == 123);  // overpunch A..I
    CHECK(zoned("0012}", false) == -120);
    CHECK(zoned("-00123", false, true, true, true) == -123);
    CHECK(zoned("00123+", false, true, false, true) == 123);
    CHECK(decode_zoned("0 123", false, true, false, false).problem != nullptr);
    CHECK(decode_zoned("00123", false, true, false, true).problem != nullptr); // no sign byte
}

TEST_CASE("zoned decimal: EBCDIC zones", "[flatfile][cobol]") {
    CHECK(zoned("\xF0\xF1\xF2\xC3", true) == 123);
    CHECK(zoned("\xF0\xF1\xF2\xD3", true) == -123);
    CHECK(zoned("\xF0\xF1\xF2\xF3", true, false) == 123);
    CHECK(zoned("\x60\xF1\xF2\xF3", true, true, true, true) == -123);
    CHECK(decode_zoned("\xF0\x40\xF2\xF3", true, true, false, false).problem != nullptr);
    CHECK(decode_zoned("\xF0\xF1\xF2\x43", true, true, false, false).problem != nullptr);
}

TEST_CASE("packed decimal", "[flatfile][cobol]") {
    CHECK(packed("\x12\x34\x5C") == 12345);
    CHECK(packed("\x12\x34\x5D") == -12345);
    CHECK(packed("\x00\x00\x0F"sv) == 0);
    CHECK(packed("\x9F") == 9);
    CHECK(decode_packed("\x1A\x34\x5C").problem != nullptr);
    CHECK(decode_packed("\x12\x34\x56").problem != nullptr);
}

TEST_CASE("binary: both byte orders, signed and unsigned", "[flatfile][cobol]") {
    CHECK(static_cast<long long>(decode_binary("\xFF\xFE", true, true).value) == -2);
    CHECK(static_cast<long long>(decode_binary("\xFF\xFE", false, true).value) == 65534);
    CHECK(static_cast<long long>(decode_binary("\xFE\xFF", true, false).value) == -2);
    CHECK(static_cast<long long>(decode_binary("\x00\x00\x01\x00"sv, true, true).value) == 256);
    CHECK(static_cast<long long>(
              decode_binary("\x80\x00\x00\x00\x00\x00\x00\x00"sv, true, true).value) ==
          static_cast<long long>(-9223372036854775807LL - 1));
}
