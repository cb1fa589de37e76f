// SPDX-License-Identifier: Apache-2.0
// number_text_internal.h — legacy number text ("0012345", "1,234.50-") straight into an exact
// decimal: shared by the legacy cell helpers (ferry/legacy_cells.h) and the mapping's `decimal`
// transform, which word their failures differently (byte offsets, character positions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/decimal.h"

namespace ferry::detail {

/// How the text is written.
struct NumberSyntax {
    std::string thousands;          ///< the thousands separator; empty: none allowed
    bool trailing_sign = true;      ///< accept "123.45-" as well as "-123.45"
    std::int32_t implied_scale = 0; ///< implied decimals of text without a point (COBOL V99)
};

/// `scale` for NumberTarget: keep the text's own scale (its decimals, or the implied ones).
inline constexpr std::int32_t kNaturalScale = -1;

/// The decimal(precision, scale) the text is read into, and how extra decimals are rounded.
/// Precondition: 1 <= precision <= 38 and scale is kNaturalScale or 0..precision.
struct NumberTarget {
    std::int32_t precision = Decimal::kMaxPrecision;
    std::int32_t scale = kNaturalScale;
    RoundingMode rounding = RoundingMode::Unnecessary;
};

enum class NumberProblem {
    NotADigit,          ///< offset: the byte
    MisplacedSeparator, ///< offset: the thousands separator
    NoDigits,           ///< offset: where a digit was expected
    SignAtBothEnds,     ///< offset: the trailing sign
    PointAndImplied,    ///< offset: the point; the text has one although implied_scale > 0
    TooManyDigits,      ///< offset: the first significant digit; see integer_digits
    NeedsRounding,      ///< offset: the first nonzero digit past the scale (rounding Unnecessary)
};

/// Why the text is not a number of the target type, and the 0-based byte offset into the raw
/// text where it went wrong.
struct NumberTextError {
    NumberProblem problem;
    std::size_t offset = 0;
    std::int64_t integer_digits = 0; ///< TooManyDigits: the integer digits the value needs
    std::int32_t scale = 0;          ///< the scale the value was read at
};

/// Parses `raw` (ASCII spaces around it are ignored) into `out` at the target's scale: digits
/// beyond it are rounded with the first dropped digit and a sticky "anything nonzero after it"
/// flag, so no intermediate value needs more than the target's digits. Sets `is_null` (and
/// leaves `out` alone) for blank text.
std::optional<NumberTextError> parse_number_text(std::string_view raw,
                                                 const NumberSyntax& syntax,
                                                 const NumberTarget& target,
                                                 Decimal& out,
                                                 bool& is_null);

} // namespace ferry::detail
