// SPDX-License-Identifier: Apache-2.0
// text_decoding.h — text cells to UTF-8: UTF-16 from the W API, or legacy code-page bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ferry/codepage.h"

namespace ferry::odbc {

/// Appends the UTF-8 form of `units` UTF-16 code units (host order, as SQLWCHAR holds them) to
/// `out`. A lone surrogate is a failure naming its code-unit offset; `out` is then unchanged.
std::optional<DecodeFailure>
utf16_to_utf8(const std::uint16_t* units, std::size_t count, std::string& out);

/// The reverse, for parameters and SQL text; input is trusted UTF-8 (validated by the caller).
std::basic_string<std::uint16_t> utf8_to_utf16(std::string_view utf8);

} // namespace ferry::odbc
