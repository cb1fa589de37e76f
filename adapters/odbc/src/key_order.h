// SPDX-License-Identifier: Apache-2.0
// key_order.h — comparing key values as checkpoints carry them (driver text): integers and
// decimals by value, everything else by code point (UTF-8 bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "type_mapping.h"

namespace ferry::odbc {

/// A key part's text as an integer, when it is exactly one (no sign tricks, no spaces).
std::optional<std::int64_t> key_as_int(const std::string& text);

/// -1, 0 or 1 as `a` sorts before, with or after `b`; `kinds` gives each part's column kind.
int compare_keys(const std::vector<std::string>& a,
                 const std::vector<std::string>& b,
                 const std::vector<FetchKind>& kinds);

} // namespace ferry::odbc
