// SPDX-License-Identifier: Apache-2.0
// delimited.h — RFC 4180 fields of one delimited record, GBK-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "framing.h"

namespace ferry::flatfile {

struct DelimitedSyntax {
    char delimiter = ',';
    char quote = '"';  ///< '\0': no quoting
    char escape = '"'; ///< inside quotes: quote doubled (RFC 4180) or a backslash-style escape
    CharStep step = CharStep::Single;
};

/// Splits one record (its line end already removed) into `cells`. Quoted cells are unescaped
/// into `scratch`, which is reserved so the views stay valid until the next call. A quote that
/// does not close, or text after a closing quote, is a problem (returned as a reason).
std::optional<std::string> split_delimited(std::string_view record,
                                           const DelimitedSyntax& syntax,
                                           std::vector<std::string_view>& cells,
                                           std::string& scratch);

} // namespace ferry::flatfile
