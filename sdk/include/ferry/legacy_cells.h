// SPDX-License-Identifier: Apache-2.0
// ferry/legacy_cells.h — one legacy text cell (dBase, fixed-width, CHAR(n)) into a typed Value or
// a reject: YYYYMMDD/YYMMDD dates, implied-decimal numbers, T/F/Y/N/? logicals, padded text.
//
// Every helper returns the Value, or a Data Status whose message is `<rule>: offset <N>: <why>`:
// the rule ("date", "number", "logical", "utf8", "charset") and the 0-based byte offset in the
// cell where it went wrong, never the value itself. cell_reject() turns it into a Reject:
//   auto born = ferry::parse_yyyymmdd(cell);
//   if (!born.ok()) { return out.reject(record_no, ferry::cell_reject("born", born.status())); }
// An InvalidArgument Status means the options themselves are wrong (a bug, not a bad cell).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/batch_builder.h"
#include "ferry/codepage.h"
#include "ferry/date.h"
#include "ferry/decimal.h"
#include "ferry/result.h"
#include "ferry/value.h"

namespace ferry {

/// What a date cell of only zeros ("00000000", "000000": "no date" in many legacy systems) is.
enum class ZeroDate {
    Null,   ///< a null date (the default)
    Reject, ///< a reject: `date: offset 0: all zeros (no date)`
};

struct DateCellOptions {
    /// For YYMMDD: the first year of the 100-year window, 1..9900 (see expand_two_digit_year):
    /// 1950 reads 50..99 as 1950..1999 and 00..49 as 2000..2049; birth dates want an older one.
    std::int32_t pivot_year = kDefaultPivotYear;
    ZeroDate zeros = ZeroDate::Null;
};

/// "YYYYMMDD" (dBase D fields, most fixed-width extracts) into a date. Spaces and NULs around the
/// digits are ignored; a blank cell is null. Rejects: a non-digit, fewer or more than 8 digits,
/// an impossible date (20230230, 19000229, month 00 or 13, year 0000), and zeros per `options`.
Result<Value> parse_yyyymmdd(std::string_view cell, const DateCellOptions& options = {});

/// "YYMMDD" into a date, the century chosen by `options.pivot_year`; otherwise as
/// parse_yyyymmdd.
Result<Value> parse_yymmdd(std::string_view cell, const DateCellOptions& options = {});

/// `scale` for NumberCellOptions: keep the text's own scale (its decimals, or implied_decimals).
inline constexpr std::int32_t kTextScale = -1;

struct NumberCellOptions {
    /// Digits after an implied point when the text has none: "0012345" with 2 is 123.45 (COBOL
    /// V99, amounts in 分). Text with a point and implied decimals is a reject. 0..38.
    std::int32_t implied_decimals = 0;
    /// The decimal(precision, scale) to read into: 1..38, and 0..precision or kTextScale.
    std::int32_t precision = Decimal::kMaxPrecision;
    std::int32_t scale = kTextScale;
    /// How decimals beyond `scale` are rounded; Unnecessary (the default) rejects them.
    RoundingMode rounding = RoundingMode::Unnecessary;
    /// The thousands separator the text may use (',' or '.', …); '\0', the default: none.
    char thousands = '\0';
    /// Accept a trailing sign ("123.45-", COBOL and mainframe reports) as well as a leading one.
    bool trailing_sign = true;
    /// A blank cell (spaces, NULs or nothing) is null; false: a reject `number: … blank`.
    bool blank_is_null = true;
};

/// Number text into an exact decimal Value (never a double): "  123.45", "-0012345" with 2
/// implied decimals (-123.45), "1,234.50-" with thousands ','. Rejects: a byte that is not a
/// digit (GBK full-width digits included), a misplaced separator, signs at both ends, no digits,
/// more digits than the precision, or decimals that would need rounding.
Result<Value> parse_number_cell(std::string_view cell, const NumberCellOptions& options = {});

/// A dBase logical (L) or flag cell: T t Y y 1 是 → true; F f N n 0 否 → false; ? or blank →
/// null. Spaces and NULs around the character are ignored. 是 and 否 are read as UTF-8: decode
/// a GBK cell first. Anything else is a reject `logical: offset N: …`.
Result<Value> parse_logical_cell(std::string_view cell);

struct TextCellOptions {
    /// Also remove leading spaces and NULs (trailing ones always go: they are padding).
    bool trim_leading = false;
    /// An all-blank cell is null instead of "".
    bool blank_is_null = false;
    /// Decode the cell from this code page before trimming (EBCDIC pads with 0x40, a space only
    /// once decoded). nullptr: the bytes must already be UTF-8. Not owned; one per stream.
    CodePage* code_page = nullptr;
};

/// A fixed-width text cell as UTF-8 text, trailing spaces and NULs removed. Rejects: bytes
/// that do not decode (`charset: offset 2: byte 2 is not valid GBK`) or, without a code page,
/// that are not UTF-8 (`utf8: offset 3: not valid UTF-8`).
Result<Value> parse_text_cell(std::string_view cell, const TextCellOptions& options = {});

/// The Reject for `failure` (a Data Status from the helpers above) on field `field`: its rule,
/// and the rest of its message as the reason. `raw` is the cell's bytes, unless sensitive.
Reject cell_reject(std::string field,
                   const Status& failure,
                   std::optional<std::string> raw = std::nullopt);

} // namespace ferry
