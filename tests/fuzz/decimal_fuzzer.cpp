// SPDX-License-Identifier: Apache-2.0
// decimal_fuzzer.cpp — Decimal::parse on any text, then its invariants: the canonical text
// parses back to the same digits and scale, plain and scientific notation agree, rescaling
// rounds the way its mode says, and "a,b" inputs check the arithmetic against comparison.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/decimal.h"

#include "fuzz_support.h"

namespace {

using ferry::Decimal;
using ferry::RoundingMode;
using ferry::fuzz::fail;

std::string_view g_input; // for failure messages

bool is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}

bool same(const Decimal& a, const Decimal& b) {
    return a.unscaled() == b.unscaled() && a.scale() == b.scale();
}

/// "[+-]digits[.digits]" split into its parts; nullopt for anything else (exponents included).
struct Plain {
    bool negative = false;
    std::string integer;
    std::string fraction;
};

std::optional<Plain> split_plain(std::string_view text) {
    Plain plain;
    std::size_t pos = 0;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        plain.negative = text[0] == '-';
        ++pos;
    }
    bool point = false;
    for (; pos < text.size(); ++pos) {
        if (is_digit(text[pos])) {
            (point ? plain.fraction : plain.integer) += text[pos];
        } else if (text[pos] == '.' && !point) {
            point = true;
        } else {
            return std::nullopt;
        }
    }
    if (plain.integer.empty() && plain.fraction.empty()) {
        return std::nullopt;
    }
    return plain;
}

/// What to_string must print for a plain text, independently of the parser: no '+', no
/// leading zeros, "0" before a bare point, no trailing point, no sign on zero.
void check_plain(std::string_view text, const ferry::Result<Decimal>& parsed) {
    const std::optional<Plain> plain = split_plain(text);
    if (!plain) {
        return;
    }
    const std::string digits = plain->integer + plain->fraction;
    const std::size_t first = digits.find_first_not_of('0');
    const std::size_t significant = first == std::string::npos ? 0 : digits.size() - first;
    const bool fits = significant <= 38 && plain->fraction.size() <= 38;
    if (parsed.ok() != fits) {
        fail(std::string("plain decimal ") + (parsed.ok() ? "accepted" : "rejected") +
                 " although it has " + std::to_string(significant) + " significant digits and " +
                 std::to_string(plain->fraction.size()) + " fraction digits",
             g_input);
    }
    if (!parsed.ok()) {
        return;
    }
    std::string integer = plain->integer;
    integer.erase(0, std::min(integer.find_first_not_of('0'), integer.size()));
    std::string expected = significant > 0 && plain->negative ? "-" : "";
    expected += integer.empty() ? "0" : integer;
    if (!plain->fraction.empty()) {
        expected += "." + plain->fraction;
    }
    if (parsed->to_string() != expected) {
        fail("to_string gives " + parsed->to_string() + ", expected " + expected, g_input);
    }
}

/// "1.5E+3" written without the exponent at the scale parse gives it ("1500"; "12e-2" is
/// "0.12"), then parsed: both spellings must give the same digits and scale, or both fail.
void check_exponent(std::string_view text, const ferry::Result<Decimal>& parsed) {
    const std::size_t e = text.find_first_of("eE");
    if (e == std::string_view::npos) {
        return;
    }
    const std::optional<Plain> mantissa = split_plain(text.substr(0, e));
    std::string_view exponent_text = text.substr(e + 1);
    bool exponent_negative = false;
    if (!exponent_text.empty() && (exponent_text[0] == '+' || exponent_text[0] == '-')) {
        exponent_negative = exponent_text[0] == '-';
        exponent_text.remove_prefix(1);
    }
    if (!mantissa || exponent_text.empty() || exponent_text.size() > 3) {
        return; // not a number in scientific notation, or an exponent too large to expand
    }
    std::int64_t exponent = 0;
    for (const char ch : exponent_text) {
        if (!is_digit(ch)) {
            return;
        }
        exponent = exponent * 10 + (ch - '0');
    }
    exponent = exponent_negative ? -exponent : exponent;
    std::string digits = mantissa->integer + mantissa->fraction;
    const std::int64_t scale = static_cast<std::int64_t>(mantissa->fraction.size()) - exponent;
    std::string plain = mantissa->negative ? "-" : "";
    if (scale <= 0) {
        plain += digits + std::string(static_cast<std::size_t>(-scale), '0');
    } else {
        const auto fraction_size = static_cast<std::size_t>(scale);
        if (digits.size() < fraction_size + 1) {
            digits.insert(0, fraction_size + 1 - digits.size(), '0');
        }
        plain += digits.substr(0, digits.size() - fraction_size) + "." +
                 digits.substr(digits.size() - fraction_size);
    }
    const ferry::Result<Decimal> expanded = Decimal::parse(plain);
    if (expanded.ok() != parsed.ok() || (parsed.ok() && !same(*parsed, *expanded))) {
        fail("scientific and plain spellings disagree: " + plain + " gives " +
                 (expanded.ok() ? expanded->to_string() : expanded.status().message()),
             g_input);
    }
}

/// Rescaling: up is exact (or overflows past 38 digits), down moves by less than one unit of
/// the new scale in the direction the mode says; Unnecessary only succeeds when exact.
void check_rescale(const Decimal& value) {
    const std::int32_t scale = value.scale();
    const std::array<std::int32_t, 6> scales = {0, 1, scale - 1, scale + 1, 20, 38};
    constexpr std::array<RoundingMode, 7> kModes = {
        RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down,       RoundingMode::Up,
        RoundingMode::Floor,  RoundingMode::Ceiling,  RoundingMode::Unnecessary};
    for (const std::int32_t new_scale : scales) {
        if (new_scale < 0 || new_scale > Decimal::kMaxScale) {
            continue;
        }
        for (const RoundingMode mode : kModes) {
            const ferry::Result<Decimal> result = value.rescale(new_scale, mode);
            const std::string what = "rescale(" + std::to_string(new_scale) + ", " +
                                     ferry::rounding_mode_name(mode) + ")";
            if (new_scale >= scale) {
                const bool fits = value.is_zero() || value.precision() + (new_scale - scale) <= 38;
                if (result.ok() != fits || (result.ok() && !(*result == value))) {
                    fail(what + " of " + value.to_string() + " is wrong upward", g_input);
                }
                continue;
            }
            if (!result.ok()) {
                if (mode != RoundingMode::Unnecessary) {
                    fail(what + " failed: " + result.status().message(), g_input);
                }
                continue;
            }
            if (result->scale() != new_scale) {
                fail(what + " kept the wrong scale", g_input);
            }
            const ferry::Result<Decimal> diff = result->subtract(value);
            if (!diff.ok()) {
                continue; // aligned to the old scale the difference can exceed 38 digits
            }
            const Decimal unit =
                Decimal::from_unscaled(1, new_scale).value(); // one unit of the new scale
            const int order = result->compare(value);
            bool ok = diff->compare(unit) < 0 && diff->negated().compare(unit) < 0;
            switch (mode) {
            case RoundingMode::Down:
                ok = ok && (value.is_negative() ? order >= 0 : order <= 0);
                break;
            case RoundingMode::Up:
                ok = ok && (value.is_negative() ? order <= 0 : order >= 0);
                break;
            case RoundingMode::Floor:
                ok = ok && order <= 0;
                break;
            case RoundingMode::Ceiling:
                ok = ok && order >= 0;
                break;
            case RoundingMode::Unnecessary:
                ok = order == 0;
                break;
            case RoundingMode::HalfUp:
            case RoundingMode::HalfEven: {
                // At most half a unit away; a tie goes away from zero, or to the even digit.
                const Decimal half = Decimal::from_unscaled(5, new_scale + 1).value();
                const int to_half = std::max(diff->compare(half), diff->negated().compare(half));
                const bool away = value.is_negative() ? order < 0 : order > 0;
                const bool even = result->unscaled() % 2 == 0;
                ok = ok && to_half <= 0 &&
                     (to_half < 0 || (mode == RoundingMode::HalfUp ? away : even));
                break;
            }
            }
            if (!ok) {
                fail(what + " of " + value.to_string() + " gave " + result->to_string(), g_input);
            }
        }
    }
}

void check_value(const Decimal& value) {
    if (value.scale() < 0 || value.scale() > 38 || value.precision() < 1 ||
        value.precision() > 38) {
        fail("scale or precision out of range", g_input);
    }
    const std::string text = value.to_string();
    const ferry::Result<Decimal> again = Decimal::parse(text);
    if (!again.ok() || !same(*again, value) || again->to_string() != text) {
        fail("to_string does not parse back: " + text, g_input);
    }
    std::uint8_t bytes[16];
    value.to_le_bytes(bytes);
    if (!same(Decimal::from_le_bytes(bytes, value.scale()), value)) {
        fail("decimal128 bytes do not round-trip", g_input);
    }
    if (!same(value.negated().negated(), value) || (!value.is_zero() && value.negated() == value)) {
        fail("negation is wrong", g_input);
    }
    const ferry::Result<Decimal> fitted = value.to_type(std::max(value.precision(), value.scale()),
                                                        value.scale(), RoundingMode::Unnecessary);
    if (!fitted.ok() || !same(*fitted, value)) {
        fail("to_type of the value's own precision and scale failed", g_input);
    }
    check_rescale(value);
}

int sign(int order) {
    return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

void check_pair(const Decimal& a, const Decimal& b) {
    if (sign(a.compare(b)) != -sign(b.compare(a))) {
        fail("compare is not antisymmetric", g_input);
    }
    const ferry::Result<Decimal> sum = a.add(b);
    const ferry::Result<Decimal> sum_swapped = b.add(a);
    if (sum.ok() != sum_swapped.ok() || (sum.ok() && !same(*sum, *sum_swapped))) {
        fail("addition is not commutative", g_input);
    }
    if (sum.ok()) {
        // a + b - b == a, when that intermediate fits; and a + b is above a exactly when b > 0.
        if (const ferry::Result<Decimal> back = sum->subtract(b); back.ok() && !(*back == a)) {
            fail("(a + b) - b != a", g_input);
        }
        if (sign(sum->compare(a)) != sign(b.compare(Decimal()))) {
            fail("a + b is on the wrong side of a", g_input);
        }
    }
    if (const ferry::Result<Decimal> diff = a.subtract(b); diff.ok()) {
        if (sign(diff->compare(Decimal())) != sign(a.compare(b))) {
            fail("sign(a - b) disagrees with compare(a, b)", g_input);
        }
    }
    const ferry::Result<Decimal> product = a.multiply(b);
    const ferry::Result<Decimal> product_swapped = b.multiply(a);
    if (product.ok() != product_swapped.ok() ||
        (product.ok() && !same(*product, *product_swapped))) {
        fail("multiplication is not commutative", g_input);
    }
    if (product.ok() && !product->is_zero() &&
        product->is_negative() != (a.is_negative() != b.is_negative())) {
        fail("product has the wrong sign", g_input);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = ferry::fuzz::as_text(data, size);
    g_input = input;
    // "a,b" is two operands; each part is also checked on its own.
    const std::size_t comma = input.find(',');
    const std::string_view first = input.substr(0, comma);
    const ferry::Result<Decimal> a = Decimal::parse(first);
    check_plain(first, a);
    check_exponent(first, a);
    if (!a.ok()) {
        ferry::fuzz::check_message(a.status().message(), input);
        return 0;
    }
    check_value(*a);
    if (comma == std::string_view::npos) {
        return 0;
    }
    const std::string_view second = input.substr(comma + 1);
    const ferry::Result<Decimal> b = Decimal::parse(second);
    check_plain(second, b);
    check_exponent(second, b);
    if (!b.ok()) {
        ferry::fuzz::check_message(b.status().message(), input);
        return 0;
    }
    check_value(*b);
    check_pair(*a, *b);
    return 0;
}
