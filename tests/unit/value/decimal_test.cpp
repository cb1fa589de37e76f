// SPDX-License-Identifier: Apache-2.0
// decimal_test.cpp — Decimal parsing, formatting, rounding, arithmetic, ordering and Arrow bytes.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ferry/decimal.h"

namespace Catch {
template <>
struct StringMaker<ferry::Decimal> {
    static std::string convert(const ferry::Decimal& value) { return value.to_string(); }
};
} // namespace Catch

namespace {

using ferry::Decimal;
using ferry::Int128;
using ferry::RoundingMode;
using ferry::StatusCode;

Decimal dec(std::string_view text) {
    auto parsed = Decimal::parse(text);
    INFO("parsing " << std::string(text) << ": " << parsed.status().to_string());
    REQUIRE(parsed.ok());
    return *parsed;
}

Int128 pow10(int exponent) {
    Int128 power = 1;
    for (int step = 0; step < exponent; ++step) {
        power *= 10;
    }
    return power;
}

/// "999…9" with `count` nines.
std::string nines(std::size_t count) {
    return std::string(count, '9');
}

/// The text of an OK result, or "error: <message>" so a failed CHECK shows why.
std::string text_of(const ferry::Result<Decimal>& result) {
    return result.ok() ? result->to_string() : "error: " + result.status().message();
}

const Int128 kMaxUnscaled = pow10(38) - 1;

} // namespace

TEST_CASE("Decimal parses and formats plain and scientific text", "[decimal]") {
    struct Case {
        std::string text;
        std::string formatted;
        std::int32_t scale;
    };

    const Case cases[] = {
        {"0", "0", 0},
        {"0.00", "0.00", 2},
        {"-0.5", "-0.5", 1},
        {"-0.05", "-0.05", 2},
        {"-123.4500", "-123.4500", 4},
        {"4129.90", "4129.90", 2},
        {"+1", "1", 0},
        {".5", "0.5", 1},
        {"5.", "5", 0},
        {"00012.30", "12.30", 2},
        {"-0", "0", 0},
        {"-0.000", "0.000", 3},
        {"1.5E+3", "1500", 0},
        {"1.5e3", "1500", 0},
        {"12e-2", "0.12", 2},
        {"1.25E1", "12.5", 1},
        {"0e99", "0", 0},
        {"1e37", "1" + std::string(37, '0'), 0},
        {"1e-38", "0." + std::string(37, '0') + "1", 38},
        {"3.14159265358979323846264338327950288", "3.14159265358979323846264338327950288", 35},
    };
    for (const Case& expected : cases) {
        CAPTURE(expected.text);
        const Decimal value = dec(expected.text);
        CHECK(value.to_string() == expected.formatted);
        CHECK(value.scale() == expected.scale);
        // The formatted text parses back to the same number at the same scale.
        const Decimal again = dec(value.to_string());
        CHECK(again.unscaled() == value.unscaled());
        CHECK(again.scale() == value.scale());
    }
}

TEST_CASE("Decimal accepts exactly 38 significant digits", "[decimal]") {
    CHECK(dec(nines(38)).unscaled() == kMaxUnscaled);
    CHECK(dec("-" + nines(38)).unscaled() == -kMaxUnscaled);
    CHECK(dec("0." + nines(38)).scale() == 38);
    CHECK(dec("0." + nines(38)).to_string() == "0." + nines(38));
    CHECK(dec("1234567890123456789.0123456789012345678").precision() == 38);
    // Leading zeros are not significant.
    CHECK(dec("0000000000" + nines(38)).unscaled() == kMaxUnscaled);

    const auto too_long = Decimal::parse(nines(39));
    REQUIRE_FALSE(too_long.ok());
    CHECK(too_long.status().code() == StatusCode::Data);
    CHECK(too_long.status().message() ==
          "invalid decimal \"" + nines(39) + "\": more than 38 significant digits");
    CHECK_FALSE(Decimal::parse("9" + nines(18) + "." + nines(20)).ok());
    CHECK_FALSE(Decimal::parse("1e38").ok());  // 39 digits once multiplied out
    CHECK_FALSE(Decimal::parse("1e-39").ok()); // scale 39
    CHECK_FALSE(Decimal::parse("0." + std::string(39, '0')).ok());
}

TEST_CASE("Decimal rejects malformed text with what and where", "[decimal]") {
    struct Case {
        std::string text;
        std::string message;
    };

    const Case cases[] = {
        {"12.3.4", R"(invalid decimal "12.3.4": unexpected '.' at offset 4)"},
        {"", R"(invalid decimal "": empty text)"},
        {"-", R"(invalid decimal "-": no digits)"},
        {".", R"(invalid decimal ".": no digits)"},
        {"+-1", R"(invalid decimal "+-1": unexpected '-' at offset 1)"},
        {"abc", R"(invalid decimal "abc": unexpected 'a' at offset 0)"},
        {" 1", R"(invalid decimal " 1": unexpected ' ' at offset 0)"},
        {"1 ", R"(invalid decimal "1 ": unexpected ' ' at offset 1)"},
        {"1,5", R"(invalid decimal "1,5": unexpected ',' at offset 1)"},
        {"1-", R"(invalid decimal "1-": unexpected '-' at offset 1)"},
        {"1e", R"(invalid decimal "1e": missing exponent digits at offset 2)"},
        {"1e+", R"(invalid decimal "1e+": missing exponent digits at offset 3)"},
        {"1e5.3", R"(invalid decimal "1e5.3": unexpected '.' at offset 3)"},
        {"1e-39", R"(invalid decimal "1e-39": scale 39 exceeds 38)"},
        {"\xd6\xd0", R"(invalid decimal "\xd6\xd0": unexpected byte 0xd6 at offset 0)"},
        {"NaN", R"(invalid decimal "NaN": unexpected 'N' at offset 0)"},
    };
    for (const Case& expected : cases) {
        CAPTURE(expected.text);
        const auto parsed = Decimal::parse(expected.text);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.status().code() == StatusCode::Data);
        CHECK(parsed.status().message() == expected.message);
    }
}

TEST_CASE("Decimal::from_unscaled validates magnitude and scale", "[decimal]") {
    CHECK(text_of(Decimal::from_unscaled(412990, 2)) == "4129.90");
    CHECK(text_of(Decimal::from_unscaled(-5, 2)) == "-0.05");
    CHECK(text_of(Decimal::from_unscaled(kMaxUnscaled, 38)) == "0." + nines(38));
    CHECK(Decimal::from_unscaled(pow10(38), 0).status().code() == StatusCode::Data);
    CHECK(Decimal::from_unscaled(-pow10(38), 0).status().code() == StatusCode::Data);
    CHECK(Decimal::from_unscaled(1, 39).status().code() == StatusCode::InvalidArgument);
    CHECK(Decimal::from_unscaled(1, -1).status().code() == StatusCode::InvalidArgument);

    const Decimal zero;
    CHECK(zero.is_zero());
    CHECK(zero.scale() == 0);
    CHECK(zero.to_string() == "0");
    CHECK(Decimal::from_int64(std::numeric_limits<std::int64_t>::min()).to_string() ==
          "-9223372036854775808");
    CHECK(Decimal::from_int64(42).is_negative() == false);
    CHECK(Decimal::from_int64(-42).is_negative());
}

TEST_CASE("Decimal::precision counts the digits of the unscaled value", "[decimal]") {
    CHECK(Decimal().precision() == 1);
    CHECK(dec("0.00").precision() == 1);
    CHECK(dec("0.001").precision() == 1);
    CHECK(dec("123.45").precision() == 5);
    CHECK(dec("-99.9").precision() == 3);
    CHECK(dec("100").precision() == 3);
    CHECK(dec(nines(38)).precision() == 38);
}

TEST_CASE("Decimal::rescale rounds per mode on both signs", "[decimal][rounding]") {
    struct Case {
        RoundingMode mode;
        const char* input;
        const char* expected;
    };

    const Case cases[] = {
        {RoundingMode::HalfUp, "2.345", "2.35"},
        {RoundingMode::HalfUp, "-2.345", "-2.35"},
        {RoundingMode::HalfUp, "2.344", "2.34"},
        {RoundingMode::HalfUp, "-2.344", "-2.34"},
        {RoundingMode::HalfUp, "2.355", "2.36"},
        {RoundingMode::HalfUp, "-2.3451", "-2.35"},
        {RoundingMode::HalfEven, "2.345", "2.34"},
        {RoundingMode::HalfEven, "-2.345", "-2.34"},
        {RoundingMode::HalfEven, "2.355", "2.36"},
        {RoundingMode::HalfEven, "-2.355", "-2.36"},
        {RoundingMode::HalfEven, "2.3451", "2.35"},
        {RoundingMode::HalfEven, "2.349", "2.35"},
        {RoundingMode::Down, "2.349", "2.34"},
        {RoundingMode::Down, "-2.349", "-2.34"},
        {RoundingMode::Up, "2.341", "2.35"},
        {RoundingMode::Up, "-2.341", "-2.35"},
        {RoundingMode::Up, "2.340", "2.34"},
        {RoundingMode::Floor, "2.349", "2.34"},
        {RoundingMode::Floor, "-2.341", "-2.35"},
        {RoundingMode::Ceiling, "2.341", "2.35"},
        {RoundingMode::Ceiling, "-2.349", "-2.34"},
        {RoundingMode::Unnecessary, "2.340", "2.34"},
        {RoundingMode::Unnecessary, "-2.300", "-2.30"},
    };
    for (const Case& expected : cases) {
        CAPTURE(ferry::rounding_mode_name(expected.mode), expected.input);
        const auto rounded = dec(expected.input).rescale(2, expected.mode);
        CHECK(text_of(rounded) == expected.expected);
    }
}

TEST_CASE("Decimal rounding to scale 0 and across many digits", "[decimal][rounding]") {
    CHECK(text_of(dec("2.5").rescale(0, RoundingMode::HalfEven)) == "2");
    CHECK(text_of(dec("3.5").rescale(0, RoundingMode::HalfEven)) == "4");
    CHECK(text_of(dec("-2.5").rescale(0, RoundingMode::HalfEven)) == "-2");
    CHECK(text_of(dec("-2.5").rescale(0, RoundingMode::HalfUp)) == "-3");
    CHECK(text_of(dec("0.05").rescale(0, RoundingMode::HalfUp)) == "0");
    CHECK(text_of(dec("-0.4").rescale(0, RoundingMode::Floor)) == "-1");
    CHECK(text_of(dec("-0.4").rescale(0, RoundingMode::Ceiling)) == "0");
    // 38 digits dropped at once: the divisor is 10^38.
    CHECK(text_of(dec("1." + std::string(36, '0') + "1").rescale(0, RoundingMode::Up)) == "2");
    CHECK(text_of(dec("0." + std::string(37, '0') + "1").rescale(0, RoundingMode::Up)) == "1");
    CHECK(text_of(dec("0." + nines(38)).rescale(0, RoundingMode::HalfUp)) == "1");
    CHECK(text_of(dec("0." + nines(38)).rescale(0, RoundingMode::Down)) == "0");
    CHECK(text_of(dec("-0.5" + std::string(36, '0')).rescale(0, RoundingMode::HalfUp)) == "-1");
    CHECK(text_of(dec("-0.5" + std::string(36, '0')).rescale(0, RoundingMode::HalfEven)) == "0");
    // Rounding up the largest 37-digit value at scale 1 still fits 38 digits.
    CHECK(text_of(dec(nines(37) + ".9").rescale(0, RoundingMode::Up)) ==
          "1" + std::string(37, '0'));
}

TEST_CASE("Decimal::rescale in Unnecessary mode refuses to drop digits", "[decimal][rounding]") {
    const auto rounded = dec("2.345").rescale(2, RoundingMode::Unnecessary);
    REQUIRE_FALSE(rounded.ok());
    CHECK(rounded.status().code() == StatusCode::Data);
    CHECK(rounded.status().message() ==
          "rounding 2.345 to scale 2 would drop nonzero digits (rounding mode unnecessary)");
    CHECK(text_of(dec("-7.000").rescale(0, RoundingMode::Unnecessary)) == "-7");
}

TEST_CASE("Decimal::rescale up multiplies and detects overflow", "[decimal]") {
    CHECK(text_of(dec("1.5").rescale(4, RoundingMode::Unnecessary)) == "1.5000");
    CHECK(text_of(dec("-3").rescale(2, RoundingMode::HalfUp)) == "-3.00");
    CHECK(text_of(dec(nines(37)).rescale(1, RoundingMode::HalfUp)) == nines(37) + ".0");
    const auto overflow = dec("1e37").rescale(1, RoundingMode::HalfUp);
    REQUIRE_FALSE(overflow.ok());
    CHECK(overflow.status().code() == StatusCode::Data);
    CHECK_THAT(overflow.status().message(), Catch::Contains("decimal overflow"));
    CHECK_FALSE(dec("1").rescale(38, RoundingMode::HalfUp).ok());
    CHECK(text_of(dec("0").rescale(38, RoundingMode::HalfUp)) == "0." + std::string(38, '0'));
    CHECK(dec("1").rescale(39, RoundingMode::HalfUp).status().code() ==
          StatusCode::InvalidArgument);
    CHECK(dec("1").rescale(-1, RoundingMode::HalfUp).status().code() ==
          StatusCode::InvalidArgument);
}

TEST_CASE("Decimal::to_type fits a value into decimal(p,s)", "[decimal]") {
    CHECK(text_of(dec("123.456").to_type(5, 2, RoundingMode::HalfUp)) == "123.46");
    CHECK(text_of(dec("7").to_type(5, 2, RoundingMode::HalfUp)) == "7.00");
    CHECK(text_of(dec("-999.99").to_type(5, 2, RoundingMode::Unnecessary)) == "-999.99");

    const auto too_big = dec("12345.67").to_type(5, 2, RoundingMode::HalfUp);
    REQUIRE_FALSE(too_big.ok());
    CHECK(too_big.status().code() == StatusCode::Data);
    CHECK(too_big.status().message() == "value 12345.67 does not fit decimal(5,2)");
    // Rounding can carry into one more digit.
    CHECK(dec("999.995").to_type(5, 2, RoundingMode::HalfUp).status().message() ==
          "value 999.995 does not fit decimal(5,2)");
    CHECK(text_of(dec("999.995").to_type(5, 2, RoundingMode::Down)) == "999.99");
    // Raising the scale past 38 digits is reported the same way.
    CHECK(dec("1e37").to_type(38, 2, RoundingMode::HalfUp).status().message() ==
          "value 1" + std::string(37, '0') + " does not fit decimal(38,2)");
    CHECK_THAT(dec("1.005").to_type(5, 2, RoundingMode::Unnecessary).status().message(),
               Catch::Contains("would drop nonzero digits"));
    CHECK(dec("1").to_type(0, 0, RoundingMode::HalfUp).status().code() ==
          StatusCode::InvalidArgument);
    CHECK(dec("1").to_type(39, 2, RoundingMode::HalfUp).status().code() ==
          StatusCode::InvalidArgument);
    CHECK(dec("1").to_type(5, 6, RoundingMode::HalfUp).status().code() ==
          StatusCode::InvalidArgument);
}

TEST_CASE("Decimal addition and subtraction are exact", "[decimal][arithmetic]") {
    const auto sum = dec("0.1").add(dec("0.2"));
    REQUIRE(sum.ok());
    CHECK(*sum == dec("0.3"));
    CHECK(sum->to_string() == "0.3");
    CHECK(text_of(dec("1.5").add(dec("2.25"))) == "3.75");
    CHECK(text_of(dec("-1.5").add(dec("1.5"))) == "0.0");
    CHECK(text_of(dec("1").subtract(dec("0.01"))) == "0.99");
    CHECK(text_of(dec("-1").subtract(dec("0.01"))) == "-1.01");
    CHECK(text_of(dec("0.01").subtract(dec("1"))) == "-0.99");
    CHECK(text_of(dec(nines(38)).add(dec("-" + nines(38)))) == "0");
    CHECK(text_of(dec(nines(37)).add(dec("1"))) == "1" + std::string(37, '0'));

    // The aligned left operand (10^38 at scale 1) exceeds 38 digits, yet the sum fits.
    CHECK(text_of(dec("1e37").add(dec("-" + nines(37) + ".9"))) == "0.1");
    CHECK(text_of(dec("-" + nines(37) + ".9").add(dec("1e37"))) == "0.1");
}

TEST_CASE("Decimal addition reports overflow", "[decimal][arithmetic]") {
    const auto overflow = dec(nines(38)).add(dec("1"));
    REQUIRE_FALSE(overflow.ok());
    CHECK(overflow.status().code() == StatusCode::Data);
    CHECK(overflow.status().message() ==
          "decimal overflow: " + nines(38) + " + 1 needs more than 38 digits");
    CHECK_FALSE(dec("-" + nines(38)).subtract(dec("1")).ok());
    CHECK_FALSE(dec(nines(38)).add(dec(nines(38))).ok());
    CHECK_FALSE(dec(nines(38)).subtract(dec("-" + nines(38))).ok());
    CHECK_FALSE(dec("1e37").add(dec("0.1")).ok()); // needs 39 digits at scale 1
}

TEST_CASE("Decimal multiplication is exact and bounded", "[decimal][arithmetic]") {
    CHECK(text_of(dec("1.5").multiply(dec("2.25"))) == "3.375");
    CHECK(text_of(dec("-1.5").multiply(dec("2"))) == "-3.0");
    CHECK(text_of(dec("-1.5").multiply(dec("-2"))) == "3.0");
    CHECK(text_of(dec("0").multiply(dec("-5.0"))) == "0.0");
    CHECK(text_of(dec("1e18").multiply(dec("1e19"))) == "1" + std::string(37, '0'));
    CHECK(text_of(dec("0.1").multiply(dec("0.1"))) == "0.01");

    const auto overflow = dec("1e19").multiply(dec("1e19"));
    REQUIRE_FALSE(overflow.ok());
    CHECK(overflow.status().code() == StatusCode::Data);
    CHECK_THAT(overflow.status().message(), Catch::Contains("needs more than 38 digits"));
    // 10^76 does not even fit 128 bits: detected, not wrapped.
    CHECK_FALSE(dec(nines(38)).multiply(dec(nines(38))).ok());
    CHECK_FALSE(dec("-" + nines(38)).multiply(dec(nines(38))).ok());
    const auto scale_overflow = dec("1e-20").multiply(dec("1e-19"));
    REQUIRE_FALSE(scale_overflow.ok());
    CHECK_THAT(scale_overflow.status().message(), Catch::Contains("needs scale 39"));
}

TEST_CASE("Decimal compares numerically across scales", "[decimal][compare]") {
    CHECK(dec("1.0") == dec("1.00"));
    CHECK(dec("0") == dec("-0.000"));
    CHECK(dec("1.5") > dec("1.49"));
    CHECK(dec("-1.5") < dec("-1.49"));
    CHECK(dec("-0.01") < dec("0"));
    CHECK(dec("0.01") > dec("-100"));
    CHECK((dec("2") <=> dec("2.000")) == std::strong_ordering::equal);
    CHECK((dec("2") <=> dec("2.001")) == std::strong_ordering::less);
    CHECK(dec("1.00").compare(dec("1")) == 0);
    CHECK(dec("1.01").compare(dec("1")) > 0);

    // Up-scaling 10^37-ish values by 10^38 exceeds 128 bits; comparison must stay exact.
    const Decimal huge = dec(nines(38));                          // scale 0
    const Decimal tiny = dec("0." + nines(38));                   // scale 38
    const Decimal ten37 = dec("1e37");                            // scale 0
    const Decimal tenth = *Decimal::from_unscaled(pow10(37), 38); // 0.1 with 38 digits
    CHECK(huge > tiny);
    CHECK(huge.negated() < tiny.negated());
    CHECK(tiny < huge);
    CHECK(ten37 > tenth);
    CHECK(ten37.negated() < tenth);
    CHECK(ten37.negated() < tenth.negated());
    CHECK(tenth == dec("0.1"));
    CHECK(dec("1") == *Decimal::from_unscaled(pow10(37), 37));
    CHECK(dec("1") < *Decimal::from_unscaled(pow10(37) + 1, 37));
    CHECK(dec("-1") > *Decimal::from_unscaled(-pow10(37) - 1, 37));

    std::vector<Decimal> values = {dec("3"), dec("-0.5"),    huge,        tiny,
                                   dec("0"), huge.negated(), dec("2.999")};
    std::sort(values.begin(), values.end());
    std::vector<std::string> sorted;
    for (const Decimal& value : values) {
        sorted.push_back(value.to_string());
    }
    CHECK(sorted == std::vector<std::string>{"-" + nines(38), "-0.5", "0", "0." + nines(38),
                                             "2.999", "3", nines(38)});
}

TEST_CASE("Decimal round-trips Arrow decimal128 little-endian bytes", "[decimal][arrow]") {
    std::uint8_t bytes[16] = {};
    Decimal::from_int64(1).to_le_bytes(bytes);
    CHECK(bytes[0] == 1);
    CHECK(std::all_of(bytes + 1, bytes + 16, [](std::uint8_t byte) { return byte == 0; }));

    Decimal::from_int64(-1).to_le_bytes(bytes);
    CHECK(std::all_of(bytes, bytes + 16, [](std::uint8_t byte) { return byte == 0xFF; }));

    dec("2.56").to_le_bytes(bytes); // unscaled 256
    CHECK(bytes[0] == 0x00);
    CHECK(bytes[1] == 0x01);

    dec("-2.56").to_le_bytes(bytes); // -256 = ...FF FF 00
    CHECK(bytes[0] == 0x00);
    CHECK(bytes[1] == 0xFF);
    CHECK(bytes[15] == 0xFF);

    const Decimal samples[] = {dec("0"),
                               dec("1"),
                               dec("-1"),
                               dec("4129.90"),
                               dec("-0.05"),
                               dec(nines(38)),
                               dec("-" + nines(38)),
                               dec("-9223372036854775808"),
                               dec("18446744073709551616"),
                               dec("-0." + nines(38))};
    for (const Decimal& sample : samples) {
        CAPTURE(sample);
        sample.to_le_bytes(bytes);
        const Decimal back = Decimal::from_le_bytes(bytes, sample.scale());
        CHECK(back.unscaled() == sample.unscaled());
        CHECK(back.scale() == sample.scale());
        CHECK(back.to_string() == sample.to_string());
    }
    // An out-of-range scale from a foreign column is clamped rather than trusted.
    Decimal::from_int64(5).to_le_bytes(bytes);
    CHECK(Decimal::from_le_bytes(bytes, 99).scale() == 38);
    CHECK(Decimal::from_le_bytes(bytes, -3).scale() == 0);
}

TEST_CASE("Rounding modes have stable names", "[decimal][rounding]") {
    const RoundingMode modes[] = {
        RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down,       RoundingMode::Up,
        RoundingMode::Floor,  RoundingMode::Ceiling,  RoundingMode::Unnecessary};
    for (RoundingMode mode : modes) {
        const auto parsed = ferry::parse_rounding_mode(ferry::rounding_mode_name(mode));
        REQUIRE(parsed.ok());
        CHECK(*parsed == mode);
    }
    CHECK(std::string(ferry::rounding_mode_name(RoundingMode::HalfEven)) == "half_even");
    CHECK(ferry::parse_rounding_mode("HALF_UP").value() == RoundingMode::HalfUp);
    const auto unknown = ferry::parse_rounding_mode("bankers");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.status().code() == StatusCode::InvalidArgument);
    CHECK_THAT(unknown.status().message(), Catch::StartsWith("unknown rounding mode \"bankers\""));
    CHECK_FALSE(ferry::parse_rounding_mode("half_up ").ok());
}
