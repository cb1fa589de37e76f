// SPDX-License-Identifier: Apache-2.0
// number_text.cpp — legacy number text into an exact decimal, in two passes over the bytes and
// 128-bit integers only (a double cannot hold 0.1, and amounts must reconcile to the 分).
#include <algorithm>
#include <array>

#include "ferry/text.h"

#include "number_text_internal.h"

namespace ferry::detail {

namespace {

__extension__ typedef unsigned __int128 UInt128;

constexpr std::array<UInt128, 39> make_powers_of_ten() {
    std::array<UInt128, 39> powers{};
    UInt128 power = 1;
    for (auto& entry : powers) {
        entry = power;
        power *= 10;
    }
    return powers;
}

constexpr std::array<UInt128, 39> kPowersOfTen = make_powers_of_ten();

UInt128 pow10(std::int64_t exponent) noexcept {
    return kPowersOfTen[static_cast<std::size_t>(exponent)];
}

bool is_digit(char ch) noexcept {
    return ch >= '0' && ch <= '9';
}

NumberTextError problem_at(NumberProblem problem, std::size_t offset) {
    return NumberTextError{problem, offset, 0, 0};
}

} // namespace

std::optional<NumberTextError> parse_number_text(std::string_view raw,
                                                 const NumberSyntax& syntax,
                                                 const NumberTarget& target,
                                                 Decimal& out,
                                                 bool& is_null) {
    std::string_view text = trim_ascii_spaces(raw);
    is_null = text.empty();
    if (is_null) {
        return std::nullopt;
    }
    // Offsets into `raw` of position `i` of `text` (which loses its signs below).
    const auto offset = [&](std::size_t i) {
        return static_cast<std::size_t>(text.data() - raw.data()) + i;
    };
    bool negative = false;
    const bool leading_sign = text.front() == '-' || text.front() == '+';
    if (leading_sign) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (syntax.trailing_sign && !text.empty() && (text.back() == '-' || text.back() == '+')) {
        if (leading_sign) {
            return problem_at(NumberProblem::SignAtBothEnds, offset(text.size() - 1));
        }
        negative = text.back() == '-';
        text.remove_suffix(1);
    }
    // Pass 1: check the syntax and count the digits on each side of the point.
    std::int64_t int_digits = 0;
    std::int64_t frac_digits = 0;
    std::int64_t group = -1; // digits since the last thousands separator; -1 before the first
    std::size_t last_separator = 0;
    std::size_t point_at = 0;
    bool point = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (is_digit(text[i])) {
            (point ? frac_digits : int_digits) += 1;
            group += group >= 0 ? 1 : 0;
        } else if (text[i] == '.' && !point) {
            if (group >= 0 && group != 3) {
                return problem_at(NumberProblem::MisplacedSeparator, offset(last_separator));
            }
            point = true;
            point_at = i;
            group = -1;
        } else if (!syntax.thousands.empty() && !point &&
                   text.substr(i).starts_with(syntax.thousands)) {
            if (int_digits == 0 || (group >= 0 && group != 3) || (group < 0 && int_digits > 3)) {
                return problem_at(NumberProblem::MisplacedSeparator, offset(i));
            }
            group = 0;
            last_separator = i;
            i += syntax.thousands.size() - 1;
        } else {
            return problem_at(NumberProblem::NotADigit, offset(i));
        }
    }
    if (group >= 0 && group != 3) {
        return problem_at(NumberProblem::MisplacedSeparator, offset(last_separator));
    }
    if (int_digits + frac_digits == 0) {
        return problem_at(NumberProblem::NoDigits, offset(0));
    }
    if (point && syntax.implied_scale > 0) {
        return problem_at(NumberProblem::PointAndImplied, offset(point_at));
    }
    // The text's own scale past 38 digits is rounded like any other extra decimal.
    const std::int32_t scale = target.scale != kNaturalScale
                                   ? target.scale
                                   : static_cast<std::int32_t>(std::min<std::int64_t>(
                                         point ? frac_digits : syntax.implied_scale, 38));
    const auto too_many = [&](std::int64_t needed, std::size_t at) {
        return NumberTextError{NumberProblem::TooManyDigits, at, needed, scale};
    };
    // Pass 2: keep the digits down to the target scale, remember what rounding needs.
    const std::int64_t integer_part = point ? int_digits : int_digits - syntax.implied_scale;
    const std::int64_t keep = integer_part + scale;
    UInt128 mag = 0;
    std::int64_t significant = 0;
    int first_dropped = 0;
    bool sticky = false;
    std::int64_t index = 0;
    std::size_t first_significant = offset(0);
    std::optional<std::size_t> first_nonzero_dropped;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_digit(text[i])) {
            continue; // the point and separators, checked above
        }
        const int digit = text[i] - '0';
        if (index < keep) {
            if (mag != 0 || digit != 0) {
                first_significant = significant == 0 ? offset(i) : first_significant;
                // Past 38 digits the value cannot fit any type: only count them.
                mag = significant < 38 ? mag * 10 + static_cast<unsigned>(digit) : mag;
                ++significant;
            }
        } else if (index == keep) {
            first_dropped = digit;
        } else {
            sticky = sticky || digit != 0;
        }
        if (index >= keep && digit != 0 && !first_nonzero_dropped) {
            first_nonzero_dropped = offset(i);
        }
        ++index;
    }
    if (keep > index && mag != 0) {
        significant += keep - index; // "12" at scale 2 is 1200
        mag = significant <= 38 ? mag * pow10(keep - index) : mag;
    }
    if (significant > target.precision) {
        return too_many(significant - scale, first_significant);
    }
    const bool dropped = first_dropped != 0 || sticky;
    bool round_up = false;
    switch (target.rounding) {
    case RoundingMode::Unnecessary:
        if (dropped) {
            return NumberTextError{NumberProblem::NeedsRounding, first_nonzero_dropped.value_or(0),
                                   0, scale};
        }
        break;
    case RoundingMode::HalfUp:
        round_up = first_dropped >= 5;
        break;
    case RoundingMode::HalfEven:
        round_up = first_dropped > 5 || (first_dropped == 5 && (sticky || mag % 2 == 1));
        break;
    case RoundingMode::Down:
        break;
    case RoundingMode::Up:
        round_up = dropped;
        break;
    case RoundingMode::Floor:
        round_up = dropped && negative;
        break;
    case RoundingMode::Ceiling:
        round_up = dropped && !negative;
        break;
    }
    mag += round_up ? 1U : 0U;
    if (mag >= pow10(target.precision)) {
        return too_many(target.precision - scale + 1, first_significant);
    }
    const auto unscaled = static_cast<Int128>(mag);
    out = Decimal::from_unscaled(negative ? -unscaled : unscaled, scale).value();
    return std::nullopt;
}

} // namespace ferry::detail
