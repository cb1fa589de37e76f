// SPDX-License-Identifier: Apache-2.0
// check_digits.h — the check-character algorithms of Chinese identifiers (GB 11643, GB 11714,
// GB 32100), as pure functions over ASCII so the validators and their tests share one copy.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace ferry::transforms::check_digits {

/// The check character ('0'..'9' or 'X') of a citizen ID number (GB 11643-1999, ISO 7064
/// MOD 11-2) from its first 17 characters, which must all be ASCII digits.
inline char gb11643_check_char(std::string_view first17) noexcept {
    // 2^(18-i) mod 11 for i = 1..17.
    constexpr std::array<int, 17> kWeights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (std::size_t pos = 0; pos < kWeights.size(); ++pos) {
        sum += (first17[pos] - '0') * kWeights[pos];
    }
    return "10X98765432"[sum % 11];
}

/// 0..35 for '0'..'9' and 'A'..'Z' (the GB 11714 character values), -1 for anything else.
inline int gb11714_value(char ch) noexcept {
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'A' && ch <= 'Z') {
        return ch - 'A' + 10;
    }
    return -1;
}

/// The check character of an organization code (GB 11714) from its first 8 characters, which
/// must all be '0'..'9' or 'A'..'Z': '0'..'9' or 'X'.
inline char gb11714_check_char(std::string_view first8) noexcept {
    constexpr std::array<int, 8> kWeights{3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (std::size_t pos = 0; pos < kWeights.size(); ++pos) {
        sum += gb11714_value(first8[pos]) * kWeights[pos];
    }
    const int check = 11 - sum % 11; // 1..11: 10 is written X and 11 is written 0
    if (check == 10) {
        return 'X';
    }
    return static_cast<char>('0' + check % 11);
}

/// The 31 characters of a unified social credit code: digits and A-Z without I, O, S, V, Z.
inline constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The position of `ch` in kUsccAlphabet (its value), or -1.
inline int uscc_value(char ch) noexcept {
    // A byte-indexed table: a USCC validation looks up 35 characters.
    static constexpr std::array<std::int8_t, 256> kValues = [] {
        std::array<std::int8_t, 256> values{};
        values.fill(-1);
        for (std::size_t pos = 0; pos < kUsccAlphabet.size(); ++pos) {
            values[static_cast<unsigned char>(kUsccAlphabet[pos])] = static_cast<std::int8_t>(pos);
        }
        return values;
    }();
    return kValues[static_cast<unsigned char>(ch)];
}

/// The check character of a USCC (GB 32100-2015) from its first 17 characters, which must all
/// be in kUsccAlphabet.
inline char uscc_check_char(std::string_view first17) noexcept {
    // 3^(i-1) mod 31 for i = 1..17.
    constexpr std::array<int, 17> kWeights{1,  3,  9,  27, 19, 26, 16, 17, 20,
                                           29, 25, 13, 8,  24, 10, 30, 28};
    int sum = 0;
    for (std::size_t pos = 0; pos < kWeights.size(); ++pos) {
        sum += uscc_value(first17[pos]) * kWeights[pos];
    }
    return kUsccAlphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

} // namespace ferry::transforms::check_digits
