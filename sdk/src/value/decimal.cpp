// SPDX-License-Identifier: Apache-2.0
// decimal.cpp — Decimal parsing, formatting, rounding and exact 128-bit arithmetic.
#include "ferry/decimal.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "ferry/text.h"

namespace ferry {

namespace {

__extension__ typedef unsigned __int128 UInt128;

constexpr std::int32_t kMaxDigits = Decimal::kMaxPrecision;

constexpr std::array<UInt128, kMaxDigits + 1> make_powers_of_ten() {
    std::array<UInt128, kMaxDigits + 1> powers{};
    UInt128 power = 1;
    for (auto& entry : powers) {
        entry = power;
        power *= 10;
    }
    return powers;
}

/// 10^0 … 10^38; 10^38 < 2^127, so every entry also fits Int128.
constexpr std::array<UInt128, kMaxDigits + 1> kPowersOfTen = make_powers_of_ten();
constexpr UInt128 kLimit = kPowersOfTen[kMaxDigits]; // |unscaled| must stay below this

UInt128 pow10(std::int32_t exponent) noexcept {
    return kPowersOfTen[static_cast<std::size_t>(exponent)];
}

/// |value| without overflow, even for the most negative Int128 (from untrusted bytes).
UInt128 magnitude(Int128 value) noexcept {
    const auto bits = static_cast<UInt128>(value);
    return value < 0 ? UInt128{0} - bits : bits;
}

/// Negates in unsigned arithmetic, so even 2^127 (from untrusted bytes) cannot overflow.
Int128 with_sign(UInt128 mag, bool negative) noexcept {
    return static_cast<Int128>(negative ? UInt128{0} - mag : mag);
}

std::int32_t digit_count(UInt128 mag) noexcept {
    std::int32_t digits = 1;
    while (digits <= kMaxDigits && mag >= pow10(digits)) {
        ++digits;
    }
    return digits;
}

/// Decimal digits of `mag`, most significant first, by repeated division (no floating point).
std::string magnitude_digits(UInt128 mag) {
    char buffer[40];
    std::size_t pos = sizeof buffer;
    if (mag <= UINT64_MAX) {
        // Nearly every amount fits 64 bits, where a division is one instruction rather than a
        // call into the 128-bit runtime.
        auto small = static_cast<std::uint64_t>(mag);
        do {
            buffer[--pos] = static_cast<char>('0' + static_cast<int>(small % 10));
            small /= 10;
        } while (small != 0);
        return std::string(buffer + pos, sizeof buffer - pos);
    }
    do {
        buffer[--pos] = static_cast<char>('0' + static_cast<int>(mag % 10));
        mag /= 10;
    } while (mag != 0);
    return std::string(buffer + pos, sizeof buffer - pos);
}

/// mag × 10^exponent, false when it does not fit 128 unsigned bits.
bool scale_up(UInt128 mag, std::int32_t exponent, UInt128& out) noexcept {
    return !__builtin_mul_overflow(mag, pow10(exponent), &out);
}

Status parse_error(std::string_view text, const std::string& what) {
    return Status::data("invalid decimal " + quote_for_message(text) + ": " + what);
}

Status overflow_error(const std::string& what) {
    return Status::data("decimal overflow: " + what + " needs more than 38 digits");
}

bool round_away_from_zero(RoundingMode mode,
                          bool negative,
                          UInt128 quotient,
                          UInt128 remainder,
                          UInt128 divisor) noexcept {
    if (remainder == 0) {
        return false;
    }
    // divisor is 10^n with n >= 1, hence even: half is exact.
    const UInt128 half = divisor / 2;
    switch (mode) {
    case RoundingMode::HalfUp:
        return remainder >= half;
    case RoundingMode::HalfEven:
        return remainder > half || (remainder == half && quotient % 2 == 1);
    case RoundingMode::Down:
        return false;
    case RoundingMode::Up:
        return true;
    case RoundingMode::Floor:
        return negative;
    case RoundingMode::Ceiling:
        return !negative;
    case RoundingMode::Unnecessary:
        return false; // rejected by the caller before rounding
    }
    return false;
}

} // namespace

const char* rounding_mode_name(RoundingMode mode) noexcept {
    switch (mode) {
    case RoundingMode::HalfUp:
        return "half_up";
    case RoundingMode::HalfEven:
        return "half_even";
    case RoundingMode::Down:
        return "down";
    case RoundingMode::Up:
        return "up";
    case RoundingMode::Floor:
        return "floor";
    case RoundingMode::Ceiling:
        return "ceiling";
    case RoundingMode::Unnecessary:
        return "unnecessary";
    }
    return "unknown";
}

Result<RoundingMode> parse_rounding_mode(std::string_view name) {
    constexpr RoundingMode kModes[] = {
        RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down,       RoundingMode::Up,
        RoundingMode::Floor,  RoundingMode::Ceiling,  RoundingMode::Unnecessary};
    for (RoundingMode mode : kModes) {
        const std::string_view candidate = rounding_mode_name(mode);
        const bool same = std::equal(
            name.begin(), name.end(), candidate.begin(), candidate.end(), [](char a, char b) {
                return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
            });
        if (same) {
            return mode;
        }
    }
    return Status::invalid_argument("unknown rounding mode " + quote_for_message(name) +
                                    " (expected half_up, half_even, down, up, floor, ceiling "
                                    "or unnecessary)");
}

bool Decimal::fits_precision(Int128 unscaled, std::int32_t precision) noexcept {
    return precision >= 1 && precision <= kMaxDigits && magnitude(unscaled) < pow10(precision);
}

Result<Decimal> Decimal::from_unscaled(Int128 unscaled, std::int32_t scale) {
    if (scale < 0 || scale > kMaxScale) {
        return Status::invalid_argument("decimal scale " + std::to_string(scale) +
                                        " is outside 0..38");
    }
    if (magnitude(unscaled) >= kLimit) {
        return overflow_error("unscaled value " + std::string(unscaled < 0 ? "-" : "") +
                              magnitude_digits(magnitude(unscaled)));
    }
    return Decimal(unscaled, scale);
}

Decimal Decimal::from_int64(std::int64_t v) {
    return Decimal(static_cast<Int128>(v), 0);
}

Result<Decimal> Decimal::parse(std::string_view text) {
    if (text.empty()) {
        return parse_error(text, "empty text");
    }
    std::size_t pos = 0;
    const bool negative = text[0] == '-';
    if (text[0] == '-' || text[0] == '+') {
        ++pos;
    }
    UInt128 mag = 0;
    std::int32_t significant = 0; // digits accumulated after the leading zeros
    std::int64_t fraction_digits = 0;
    bool seen_digit = false;
    bool seen_point = false;
    for (; pos < text.size(); ++pos) {
        const char ch = text[pos];
        if (ch >= '0' && ch <= '9') {
            seen_digit = true;
            fraction_digits += seen_point ? 1 : 0;
            if (mag == 0 && ch == '0') {
                continue; // a leading zero adds no significant digit
            }
            // Checked before multiplying, so `mag` never exceeds 38 digits.
            if (significant == kMaxDigits) {
                return parse_error(text, "more than 38 significant digits");
            }
            mag = mag * 10 + static_cast<unsigned>(ch - '0');
            ++significant;
        } else if (ch == '.' && !seen_point) {
            seen_point = true;
        } else {
            break;
        }
    }
    if (!seen_digit) {
        return parse_error(text, pos < text.size() ? "unexpected " + describe_char(text[pos]) +
                                                         " at offset " + std::to_string(pos)
                                                   : std::string("no digits"));
    }
    // Scientific notation shifts the scale: 12e-2 is 12 at scale 2.
    std::int64_t exponent = 0;
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        ++pos;
        const bool exponent_negative = pos < text.size() && text[pos] == '-';
        if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
            ++pos;
        }
        const std::size_t exponent_start = pos;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
            // Saturate: any exponent this large is out of range anyway (unless the value is 0).
            exponent = std::min<std::int64_t>(exponent * 10 + (text[pos] - '0'), 1'000'000);
        }
        if (pos == exponent_start) {
            return parse_error(text, "missing exponent digits at offset " + std::to_string(pos));
        }
        exponent = exponent_negative ? -exponent : exponent;
    }
    if (pos < text.size()) {
        return parse_error(text, "unexpected " + describe_char(text[pos]) + " at offset " +
                                     std::to_string(pos));
    }
    std::int64_t scale = fraction_digits - exponent;
    if (scale < 0) {
        // A negative scale is multiplied out: 1.5E+3 becomes 1500 at scale 0.
        if (mag != 0) {
            if (significant - scale > kMaxDigits) {
                return parse_error(text, "more than 38 digits once the exponent is applied");
            }
            mag *= pow10(static_cast<std::int32_t>(-scale));
        }
        scale = 0;
    }
    if (scale > kMaxScale) {
        return parse_error(text, "scale " + std::to_string(scale) + " exceeds 38");
    }
    return Decimal(with_sign(mag, negative), static_cast<std::int32_t>(scale));
}

std::int32_t Decimal::precision() const noexcept {
    return digit_count(magnitude(unscaled_));
}

Result<Decimal> Decimal::rescale(std::int32_t new_scale, RoundingMode mode) const {
    if (new_scale < 0 || new_scale > kMaxScale) {
        return Status::invalid_argument("cannot rescale " + to_string() + " to scale " +
                                        std::to_string(new_scale) + ": scale is outside 0..38");
    }
    const UInt128 mag = magnitude(unscaled_);
    const bool negative = unscaled_ < 0;
    if (new_scale >= scale_) {
        UInt128 scaled = 0;
        if (!scale_up(mag, new_scale - scale_, scaled) || scaled >= kLimit) {
            return overflow_error(to_string() + " at scale " + std::to_string(new_scale));
        }
        return Decimal(with_sign(scaled, negative), new_scale);
    }
    const UInt128 divisor = pow10(scale_ - new_scale);
    UInt128 quotient = mag / divisor;
    const UInt128 remainder = mag % divisor;
    if (mode == RoundingMode::Unnecessary && remainder != 0) {
        return Status::data("rounding " + to_string() + " to scale " + std::to_string(new_scale) +
                            " would drop nonzero digits (rounding mode unnecessary)");
    }
    // quotient < 10^37 here, so adding one cannot reach 10^38.
    quotient += round_away_from_zero(mode, negative, quotient, remainder, divisor) ? 1U : 0U;
    return Decimal(with_sign(quotient, negative), new_scale);
}

Result<Decimal>
Decimal::to_type(std::int32_t precision, std::int32_t scale, RoundingMode mode) const {
    if (precision < 1 || precision > kMaxPrecision || scale < 0 || scale > precision) {
        return Status::invalid_argument("invalid decimal(" + std::to_string(precision) + "," +
                                        std::to_string(scale) +
                                        "): need 1 <= precision <= 38 and 0 <= scale <= "
                                        "precision");
    }
    const std::string type_name =
        "decimal(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    Result<Decimal> rescaled = rescale(scale, mode);
    if (!rescaled.ok()) {
        // Raising the scale fails only past 38 digits; lowering it only in Unnecessary mode.
        if (scale > scale_) {
            return Status::data("value " + to_string() + " does not fit " + type_name);
        }
        return std::move(rescaled).status();
    }
    if (rescaled->precision() > precision) {
        return Status::data("value " + to_string() + " does not fit " + type_name);
    }
    return rescaled;
}

Result<Decimal> Decimal::add(const Decimal& other) const {
    // Sign-magnitude arithmetic on 128 unsigned bits: the aligned operands may exceed 10^38
    // while their sum still fits (10^37 + -9999…9.9), and 2 × 10^38 < 2^128 cannot wrap.
    const std::int32_t scale = std::max(scale_, other.scale_);
    UInt128 lhs = 0;
    UInt128 rhs = 0;
    const bool lhs_fits = scale_up(magnitude(unscaled_), scale - scale_, lhs);
    const bool rhs_fits = scale_up(magnitude(other.unscaled_), scale - other.scale_, rhs);
    const bool lhs_negative = unscaled_ < 0;
    const bool rhs_negative = other.unscaled_ < 0;
    UInt128 sum = 0;
    bool negative = false;
    bool fits = lhs_fits && rhs_fits;
    if (fits && lhs_negative == rhs_negative) {
        fits = !__builtin_add_overflow(lhs, rhs, &sum);
        negative = lhs_negative;
    } else if (fits) {
        sum = lhs >= rhs ? lhs - rhs : rhs - lhs;
        negative = lhs >= rhs ? lhs_negative : rhs_negative;
    }
    if (!fits || sum >= kLimit) {
        return overflow_error(to_string() + " + " + other.to_string());
    }
    return Decimal(with_sign(sum, negative && sum != 0), scale);
}

Result<Decimal> Decimal::subtract(const Decimal& other) const {
    return add(other.negated());
}

Result<Decimal> Decimal::multiply(const Decimal& other) const {
    const std::int32_t scale = scale_ + other.scale_;
    if (scale > kMaxScale) {
        return Status::data("decimal overflow: " + to_string() + " * " + other.to_string() +
                            " needs scale " + std::to_string(scale) + ", more than 38");
    }
    UInt128 product = 0;
    if (__builtin_mul_overflow(magnitude(unscaled_), magnitude(other.unscaled_), &product) ||
        product >= kLimit) {
        return overflow_error(to_string() + " * " + other.to_string());
    }
    const bool negative = (unscaled_ < 0) != (other.unscaled_ < 0);
    return Decimal(with_sign(product, negative && product != 0), scale);
}

Decimal Decimal::negated() const noexcept {
    return Decimal(with_sign(magnitude(unscaled_), unscaled_ > 0), scale_);
}

std::string Decimal::to_string() const {
    std::string digits = magnitude_digits(magnitude(unscaled_));
    const auto scale = static_cast<std::size_t>(scale_);
    if (scale > 0) {
        // Pad so that at least one digit precedes the point: 5 at scale 2 is "0.05".
        if (digits.size() <= scale) {
            digits.insert(0, scale + 1 - digits.size(), '0');
        }
        digits.insert(digits.size() - scale, 1, '.');
    }
    return unscaled_ < 0 ? "-" + digits : digits;
}

int Decimal::compare(const Decimal& other) const noexcept {
    const bool lhs_negative = unscaled_ < 0;
    const bool rhs_negative = other.unscaled_ < 0;
    if (lhs_negative != rhs_negative) {
        return lhs_negative ? -1 : 1;
    }
    // Same sign: compare magnitudes at the larger scale. When the up-scaled side no longer fits
    // 128 bits it is certainly the larger one, because the other side is below 2^128.
    UInt128 lhs = magnitude(unscaled_);
    UInt128 rhs = magnitude(other.unscaled_);
    int mag_order = 0;
    if (scale_ < other.scale_ && !scale_up(lhs, other.scale_ - scale_, lhs)) {
        mag_order = 1;
    } else if (other.scale_ < scale_ && !scale_up(rhs, scale_ - other.scale_, rhs)) {
        mag_order = -1;
    } else {
        mag_order = lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
    }
    return lhs_negative ? -mag_order : mag_order;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
    const int order = a.compare(b);
    return order < 0 ? std::strong_ordering::less
                     : (order > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
}

void Decimal::to_le_bytes(std::uint8_t out[16]) const noexcept {
    auto bits = static_cast<UInt128>(unscaled_); // two's complement by definition in C++20
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(out, &bits, 16); // Arrow's layout is the machine's own: one copy
        return;
    }
    for (std::size_t idx = 0; idx < 16; ++idx) {
        out[idx] = static_cast<std::uint8_t>(bits & 0xFFU);
        bits >>= 8;
    }
}

Decimal Decimal::from_le_bytes(const std::uint8_t* bytes16, std::int32_t scale) noexcept {
    UInt128 bits = 0;
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(&bits, bytes16, 16);
    } else {
        for (std::size_t idx = 16; idx-- > 0;) {
            bits = (bits << 8) | bytes16[idx];
        }
    }
    return Decimal(static_cast<Int128>(bits), std::clamp(scale, 0, kMaxScale));
}

} // namespace ferry
