// SPDX-License-Identifier: Apache-2.0
// cobol_decoders.cpp — the hot loops of copybook reading; no allocation, no exceptions.
#include "cobol_decoders.h"

namespace ferry::flatfile {

namespace {

__extension__ typedef unsigned __int128 UInt128;

constexpr const char* kNotZoned = "not a zoned decimal (a byte is not a digit)";
constexpr const char* kBadSign = "not a zoned decimal (invalid sign)";

/// Digit and sign of an ASCII overpunched byte; false if it is none.
bool ascii_overpunch(unsigned char byte, int& digit, bool& negative) {
    if (byte >= '0' && byte <= '9') {
        digit = byte - '0';
        negative = false;
    } else if (byte == '{') {
        digit = 0;
        negative = false;
    } else if (byte >= 'A' && byte <= 'I') {
        digit = byte - 'A' + 1;
        negative = false;
    } else if (byte == '}') {
        digit = 0;
        negative = true;
    } else if (byte >= 'J' && byte <= 'R') {
        digit = byte - 'J' + 1;
        negative = true;
    } else if (byte >= 'p' && byte <= 'y') { // GnuCOBOL's default for negative ASCII zoned
        digit = byte - 'p';
        negative = true;
    } else {
        return false;
    }
    return true;
}

} // namespace

NumericResult decode_zoned(std::string_view bytes,
                           bool ebcdic,
                           bool is_signed,
                           bool sign_leading,
                           bool sign_separate) noexcept {
    NumericResult result;
    if (bytes.empty()) {
        result.problem = kNotZoned;
        return result;
    }
    bool negative = false;
    std::size_t first = 0, last = bytes.size(); // the digit bytes
    if (is_signed && sign_separate) {
        const auto sign = static_cast<unsigned char>(sign_leading ? bytes.front() : bytes.back());
        const unsigned char plus = ebcdic ? 0x4E : '+';
        const unsigned char minus = ebcdic ? 0x60 : '-';
        if (sign != plus && sign != minus) {
            result.problem = kBadSign;
            return result;
        }
        negative = sign == minus;
        if (sign_leading) {
            first = 1;
        } else {
            last -= 1;
        }
    }
    const std::size_t sign_byte = sign_leading ? first : last - 1;
    const bool overpunched = is_signed && !sign_separate;
    std::uint64_t narrow = 0; // up to 18 digits; wider fields accumulate in 128 bits
    Int128 wide = 0;
    const bool fits = last - first <= 18;
    for (std::size_t idx = first; idx < last; ++idx) {
        const auto byte = static_cast<unsigned char>(bytes[idx]);
        int digit = 0;
        if (ebcdic) {
            const int zone = byte >> 4;
            digit = byte & 0x0F;
            if (digit > 9) {
                result.problem = kNotZoned;
                return result;
            }
            if (idx == sign_byte && overpunched) {
                if (zone == 0xD || zone == 0xB) {
                    negative = true;
                } else if (zone < 0xA) {
                    result.problem = kBadSign;
                    return result;
                }
            } else if (zone != 0xF && !(idx == sign_byte && zone >= 0xA)) {
                result.problem = kNotZoned;
                return result;
            }
        } else if (idx == sign_byte && overpunched) {
            bool minus = false;
            if (!ascii_overpunch(byte, digit, minus)) {
                result.problem = kBadSign;
                return result;
            }
            negative = minus;
        } else {
            if (byte < '0' || byte > '9') {
                result.problem = kNotZoned;
                return result;
            }
            digit = byte - '0';
        }
        if (fits) {
            narrow = narrow * 10 + static_cast<std::uint64_t>(digit);
        } else {
            wide = wide * 10 + digit;
        }
    }
    const Int128 value = fits ? static_cast<Int128>(narrow) : wide;
    result.value = negative ? -value : value;
    return result;
}

NumericResult decode_packed(std::string_view bytes) noexcept {
    NumericResult result;
    if (bytes.empty()) {
        result.problem = "not a packed decimal (empty)";
        return result;
    }
    const std::size_t last = bytes.size() - 1;
    const auto tail = static_cast<unsigned char>(bytes[last]);
    const int sign = tail & 0x0F;
    if (sign < 0xA) {
        result.problem = "not a packed decimal (no sign nibble)";
        return result;
    }
    // Up to 17 digits (9 bytes) fit 64 bits, the common case; wider fields take 128.
    std::uint64_t narrow = 0;
    Int128 wide = 0;
    const bool fits = bytes.size() <= 9;
    unsigned bad = 0;
    if (fits) {
        for (std::size_t idx = 0; idx < last; ++idx) {
            const auto byte = static_cast<unsigned char>(bytes[idx]);
            bad |= ((byte >> 4) + 6u) | ((byte & 0x0Fu) + 6u); // a nibble above 9 sets bit 4
            narrow = narrow * 100 + (byte >> 4) * 10u + (byte & 0x0Fu);
        }
    } else {
        for (std::size_t idx = 0; idx < last; ++idx) {
            const auto byte = static_cast<unsigned char>(bytes[idx]);
            bad |= ((byte >> 4) + 6u) | ((byte & 0x0Fu) + 6u);
            wide = wide * 100 + (byte >> 4) * 10 + (byte & 0x0F);
        }
    }
    const unsigned digit = tail >> 4;
    bad |= digit + 6;
    if ((bad & 0x10u) != 0) {
        result.problem = "not a packed decimal (a digit nibble is above 9)";
        return result;
    }
    const Int128 value = fits ? static_cast<Int128>(narrow * 10 + digit) : wide * 10 + digit;
    result.value = (sign == 0xD || sign == 0xB) ? -value : value;
    return result;
}

NumericResult decode_binary(std::string_view bytes, bool is_signed, bool big_endian) noexcept {
    NumericResult result;
    UInt128 raw = 0;
    const std::size_t size = bytes.size();
    for (std::size_t idx = 0; idx < size; ++idx) {
        const auto byte = static_cast<unsigned char>(bytes[big_endian ? idx : size - 1 - idx]);
        raw = (raw << 8) | byte;
    }
    if (is_signed && size > 0 && size < 16 && (raw >> (size * 8 - 1)) != 0) {
        raw |= ~((static_cast<UInt128>(1) << (size * 8)) - 1); // sign-extend
    }
    result.value = static_cast<Int128>(raw);
    return result;
}

} // namespace ferry::flatfile
