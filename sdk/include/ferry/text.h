// SPDX-License-Identifier: Apache-2.0
// ferry/text.h — UTF-8 validation and small byte-string helpers for messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/status.h"

namespace ferry {

/// Returned by find_invalid_utf8 when every byte is part of a valid sequence.
inline constexpr std::size_t kAllValid = std::string_view::npos;

/// Offset of the first byte of the first invalid sequence, or kAllValid. Strict UTF-8
/// (RFC 3629): rejects stray continuation bytes, overlong forms (C0 AF), UTF-16 surrogates
/// (ED A0..BF), code points above U+10FFFF and sequences truncated by the end of the input.
std::size_t find_invalid_utf8(std::string_view bytes) noexcept;

/// True when find_invalid_utf8 finds nothing.
bool is_valid_utf8(std::string_view bytes) noexcept;

/// OK, or a Data error that gives the offset, the bad bytes in hex and why:
/// `invalid UTF-8 at byte 3: d6 d0 (bad continuation byte)`.
Status validate_utf8(std::string_view bytes);

/// Lower-case hex, space-separated: "e4 b8 ad". Past `max_bytes` the rest is summarised as
/// " …(+N bytes)".
std::string to_hex(std::string_view bytes, std::size_t max_bytes = 64);

/// Removes ' ', '\t', '\r' and '\n' from both ends.
std::string_view trim_ascii_spaces(std::string_view text) noexcept;

/// `text` in double quotes, safe to put in a one-line message: valid UTF-8 is kept, '"' and '\'
/// are backslash-escaped, control characters and invalid bytes become \xNN, and past
/// `max_bytes` input bytes the rest is cut to "…".
std::string quote_for_message(std::string_view text, std::size_t max_bytes = 64);

/// One byte for a message: "'x'" for printable ASCII, otherwise "byte 0xd6".
std::string describe_char(char ch);

/// The closest of `candidates` to `word` by edit distance, when close enough to be a typo
/// ("naem" → "name"); "" otherwise. For "did you mean …?" hints (mapping keys, catalog names,
/// plugin options, lookup fields).
std::string closest_name(std::string_view word, const std::vector<std::string>& candidates);

} // namespace ferry
