// SPDX-License-Identifier: Apache-2.0
// cobol_decoders.h — COBOL numeric storage to exact integers: zoned, packed, binary.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/decimal.h"

namespace ferry::flatfile {

/// The unscaled value of a numeric field, or why its bytes are not a number of that kind.
struct NumericResult {
    Int128 value = 0;
    const char* problem = nullptr; ///< static text; null on success
};

/// Zoned decimal (USAGE DISPLAY). `ebcdic`: digits are F0–F9 and the sign is the zone of the
/// sign byte (C/F/A/E positive, D/B negative). ASCII: digits are '0'–'9' and a signed byte is an
/// overpunch: '{', 'A'–'I' positive, '}', 'J'–'R' negative, or GnuCOBOL's 'p'–'y' negative.
/// With SIGN SEPARATE the sign is its own '+'/'-' byte (EBCDIC 4E/60), leading or trailing.
NumericResult decode_zoned(std::string_view bytes,
                           bool ebcdic,
                           bool is_signed,
                           bool sign_leading,
                           bool sign_separate) noexcept;

/// Packed decimal (COMP-3): two digits per byte, the last nibble the sign (C/A/E/F positive,
/// D/B negative). Unsigned fields (PIC 9) carry F, but C is accepted too.
NumericResult decode_packed(std::string_view bytes) noexcept;

/// Two's-complement (signed) or unsigned binary, 2/4/8 bytes, in either byte order.
NumericResult decode_binary(std::string_view bytes, bool is_signed, bool big_endian) noexcept;

} // namespace ferry::flatfile
