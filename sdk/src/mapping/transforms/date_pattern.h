// SPDX-License-Identifier: Apache-2.0
// date_pattern.h — the pattern language of date, datetime, period and format_date (yyyy yy MM M
// MMM dd d HH mm ss S…): compiled once per step, then reading or writing one cell at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ferry/date.h"
#include "ferry/transform.h"

namespace ferry::transforms::date_pattern {

/// For yy: the first year of the 100-year window (50..99 are 1950..1999, 00..49 are 2000..2049).
inline constexpr std::int32_t kDefaultPivot = kDefaultPivotYear;

/// Appends `number` in decimal, zero-padded on the left to `width` digits.
void append_padded(std::string& out, std::int64_t number, int width);

/// What a pattern is compiled for: which fields it may hold and which it must hold.
enum class Use { Date, DateTime, Period, Format };

/// The fields a pattern read; fields the pattern lacks keep these defaults.
struct Parts {
    std::int32_t year = 1970;
    std::int32_t month = 1;
    std::int32_t day = 1;
    std::int32_t hour = 0;
    std::int32_t minute = 0;
    std::int32_t second = 0;
    std::int32_t micros = 0;
};

/// What a compiled token of a pattern reads or writes (internal to Pattern).
enum class Kind : std::uint8_t {
    Literal,
    Digits,   ///< exactly `width` digits: yyyy MM dd HH mm ss
    Flexible, ///< one or two digits: M d
    Year2,    ///< yy, placed in the pivot window
    MonthName,
    Fraction, ///< S…: `width` digits of the second
};

/// One compiled piece of a pattern: a literal or a run of one pattern letter.
struct Token {
    Kind kind;
    std::uint8_t width;
    std::uint8_t bit; ///< the field's bit, to find repeated and missing fields
    std::int32_t Parts::*field;
    std::uint32_t begin; ///< the token's bytes in Pattern::text_ (a literal's text)
    std::uint32_t length;
};

/// A compiled pattern. Immutable after compile(), so cells may be read on several threads.
class Pattern {
public:
    /// Compiles `text` for `use`. Errors are bad_argument(op, "format", …) (pointer "/format").
    static Result<Pattern>
    compile(std::string_view op, const std::string& text, Use use, std::int32_t pivot);

    bool has_time() const noexcept { return has_time_; }

    /// The total width when the pattern is only fixed-width numbers ("yyMMdd": 6), else 0.
    /// Numeric input is zero-padded to it, since NUMBER columns drop leading zeros.
    std::size_t digit_width() const noexcept { return digit_width_; }

    /// Reads `value` (already trimmed). The failure never quotes the value.
    std::optional<CellFailure> parse(std::string_view value, Parts& parts) const;

    /// Writes `parts` (a valid date, year 1..9999) in this pattern's layout.
    void format(const Parts& parts, std::string& out) const;

    CellFailure fail(std::string reason) const { return CellFailure{rule_, std::move(reason)}; }

private:
    std::string_view source(const Token& token) const {
        return std::string_view(text_).substr(token.begin, token.length);
    }

    CellFailure
    mismatch(std::string_view value, std::size_t pos, const std::string& expected) const;

    std::optional<CellFailure> check(const Parts& parts) const;

    std::vector<Token> tokens_;
    std::string text_;
    std::string rule_;
    std::int32_t pivot_ = kDefaultPivot;
    std::size_t digit_width_ = 0;
    bool has_time_ = false;
};

/// Days since 1970-01-01 of checked parts (years 1..9999), by H. Hinnant's days_from_civil:
/// Date::from_ymd would check the parts a second time on the hot path.
Date to_date(const Parts& parts);

/// The timestamp (microseconds since the epoch, UTC) of checked parts.
Timestamp to_timestamp(const Parts& parts);

} // namespace ferry::transforms::date_pattern
