// SPDX-License-Identifier: Apache-2.0
// text_cells.h — typed fields of text formats (delimited, fixed-width): layout and conversion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/batch_builder.h"
#include "ferry/codepage.h"
#include "ferry/data_type.h"
#include "ferry/result.h"

namespace ferry::flatfile {

/// What went wrong with one field of one record: becomes a reject's rule and reason. Reasons
/// never quote the value (it may be an ID number or an income).
struct FieldProblem {
    std::string rule;
    std::string reason;
};

/// One field of a delimited or fixed-width record, from the options' "columns" / "fields".
struct TextField {
    std::string name;
    DataType type = DataType::utf8();
    bool nullable = true;
    bool implied_decimals = false; ///< "12345" in decimal(9,2) is 123.45
    std::string date_format = "yyyyMMdd";
    std::size_t start = 0;      ///< fixed-width: 0-based byte offset (options say 1-based)
    std::size_t length = 0;     ///< fixed-width: bytes
    std::string trim = "right"; ///< "none", "right", "both"
    std::optional<std::string> code_page; ///< overrides the file's encoding for this field
    std::string source_type;              ///< for discovery: "X(20) @1" or "column 3"
};

/// Parses one entry of "columns" (delimited) or "fields" (fixed) from the options.
Result<TextField> parse_text_field(const nlohmann::json& spec, bool fixed_width);

/// Converts field text to a cell: decodes with `code_page` (a failure is a "code_page" problem
/// at a byte offset), trims, then parses per the column type. Appends exactly one cell to
/// `column` unless it returns a problem. `scratch` is reused across calls. `valid_utf8`: the
/// caller has already checked that `raw` is valid UTF-8 and `code_page` is UTF-8.
std::optional<FieldProblem> append_text_cell(const TextField& field,
                                             std::string_view raw,
                                             CodePage& code_page,
                                             ColumnBuilder& column,
                                             std::string& scratch,
                                             bool valid_utf8 = false);

/// Parses already-decoded text as a decimal for `type` (exact; implied decimals when asked).
std::optional<FieldProblem> parse_decimal_text(std::string_view text,
                                               const DataType& type,
                                               bool implied_decimals,
                                               Decimal& out);

/// Parses a date in `format` ("yyyyMMdd", "yyyy-MM-dd", …).
std::optional<FieldProblem>
parse_date_text(std::string_view text, std::string_view format, Date& out);

} // namespace ferry::flatfile
