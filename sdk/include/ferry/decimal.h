// SPDX-License-Identifier: Apache-2.0
// ferry/decimal.h — Decimal: an exact 38-digit decimal (Arrow decimal128) and its rounding modes.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "ferry/result.h"

namespace ferry {

/// Signed 128-bit integer; `__extension__` keeps -Wpedantic quiet about the GCC/Clang builtin.
__extension__ typedef __int128 Int128;

/// How digits dropped by Decimal::rescale are rounded.
enum class RoundingMode {
    HalfUp,     ///< nearest; a tie (…5) goes away from zero: 2.345 -> 2.35, -2.345 -> -2.35
    HalfEven,   ///< nearest; a tie goes to the even neighbour: 2.345 -> 2.34, 2.355 -> 2.36
    Down,       ///< toward zero (truncate)
    Up,         ///< away from zero
    Floor,      ///< toward negative infinity
    Ceiling,    ///< toward positive infinity
    Unnecessary ///< no rounding allowed: an error if a nonzero digit would be dropped
};

/// "half_up", "half_even", "down", "up", "floor", "ceiling", "unnecessary".
const char* rounding_mode_name(RoundingMode mode) noexcept;

/// The inverse of rounding_mode_name (ASCII case-insensitive). InvalidArgument on an unknown name.
Result<RoundingMode> parse_rounding_mode(std::string_view name);

/// An exact decimal number: unscaled × 10^-scale, with |unscaled| < 10^38 and 0 <= scale <= 38.
/// The scale is part of the value's text ("1.50" keeps scale 2) but not of its identity:
/// 1.5 == 1.50. Errors on bad input or overflow are Status values: Data for a value that cannot
/// be parsed or represented, InvalidArgument for an out-of-range precision or scale argument.
class Decimal {
public:
    static constexpr std::int32_t kMaxPrecision = 38;
    static constexpr std::int32_t kMaxScale = 38;

    /// Zero at scale 0.
    Decimal() = default;

    /// InvalidArgument when scale is outside 0..38, Data when |unscaled| >= 10^38.
    static Result<Decimal> from_unscaled(Int128 unscaled, std::int32_t scale);
    /// Exact, scale 0 (every int64 has at most 19 digits).
    static Decimal from_int64(std::int64_t v);

    /// Plain or scientific text: "-123.4500" (scale 4), "+1", ".5", "5.", "1.5E+3", "12e-2".
    /// The exponent adjusts the scale; a negative resulting scale is multiplied out to scale 0
    /// ("1.5E+3" is 1500). No whitespace. Data error on malformed text, more than 38 significant
    /// digits or a scale above 38; the message quotes the text and names the offset.
    static Result<Decimal> parse(std::string_view text);

    Int128 unscaled() const noexcept { return unscaled_; }

    /// True when |unscaled| < 10^precision (precision 1..38): the value fits decimal(precision, s)
    /// at any scale s. For decoders that build unscaled integers without a Decimal.
    static bool fits_precision(Int128 unscaled, std::int32_t precision) noexcept;

    std::int32_t scale() const noexcept { return scale_; }

    /// Number of digits in |unscaled| (1 for zero): 123.45 has precision 5.
    std::int32_t precision() const noexcept;

    /// The same number at `new_scale` (0..38, else InvalidArgument). Raising the scale multiplies
    /// and can overflow (Data error); lowering it rounds per `mode`.
    Result<Decimal> rescale(std::int32_t new_scale, RoundingMode mode) const;

    /// Fits the value into SQL decimal(precision, scale): rescale, then a Data error like
    /// `value 12345.67 does not fit decimal(5,2)` when more than `precision` digits remain.
    /// InvalidArgument unless 1 <= precision <= 38 and 0 <= scale <= precision.
    Result<Decimal> to_type(std::int32_t precision, std::int32_t scale, RoundingMode mode) const;

    /// Exact sum at scale max(a, b); Data error when the result needs more than 38 digits.
    Result<Decimal> add(const Decimal& other) const;
    /// Exact difference at scale max(a, b); Data error when the result needs more than 38 digits.
    Result<Decimal> subtract(const Decimal& other) const;
    /// Exact product at scale a + b; Data error beyond 38 digits or when that scale exceeds 38.
    Result<Decimal> multiply(const Decimal& other) const;

    /// The value with the opposite sign and the same scale (always representable).
    Decimal negated() const noexcept;

    /// Plain notation that keeps the scale: "4129.90", "-0.05", "0", "0.00". Never an exponent.
    std::string to_string() const;

    bool is_zero() const noexcept { return unscaled_ == 0; }

    bool is_negative() const noexcept { return unscaled_ < 0; }

    /// Numeric three-way comparison (<0, 0, >0) across scales; exact, never overflows.
    int compare(const Decimal& other) const noexcept;

    friend bool operator==(const Decimal& a, const Decimal& b) noexcept {
        return a.compare(b) == 0;
    }

    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept;

    /// Writes unscaled as Arrow decimal128 stores it: 16 bytes, two's complement, little-endian.
    void to_le_bytes(std::uint8_t out[16]) const noexcept;
    /// Reads 16 Arrow decimal128 bytes. The bytes are trusted (they come from a decimal128
    /// column); a scale outside 0..38 is clamped into that range.
    static Decimal from_le_bytes(const std::uint8_t* bytes16, std::int32_t scale) noexcept;

private:
    Decimal(Int128 unscaled, std::int32_t scale) noexcept
        : unscaled_(unscaled)
        , scale_(scale) {}

    Int128 unscaled_ = 0;
    std::int32_t scale_ = 0;
};

} // namespace ferry
