// SPDX-License-Identifier: Apache-2.0
// type_mapping.h — XSD simple types to Ferry column types, and element text to typed cells.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ferry/batch_builder.h"

#include "service_model.h"

namespace ferry::soap {

/// Facets gathered along a simpleType restriction chain.
struct Facets {
    std::optional<int> total_digits;
    std::optional<int> fraction_digits;
};

/// Column type for an XSD built-in type (local name in the XSD namespace):
/// xs:decimal → decimal(totalDigits, fractionDigits), decimal(38,10) without facets; the integer
/// family → int64; xs:boolean → bool; xs:date → date; xs:dateTime → timestamp; base64Binary and
/// hexBinary → bytes; everything else (strings, xs:double, xs:time, …) → text, kept verbatim.
void map_builtin_type(std::string_view xsd_local, const Facets& facets, RecordField& field);

/// Applies a type override from the configuration ("decimal(14,2)", "text", "date", …).
Status override_type(std::string_view type_text, RecordField& field);

/// Appends `text` as one cell of `column` (`kind` decides how). On a value that does not fit,
/// nothing is appended and the reason is returned (it never quotes the value).
std::optional<std::string>
append_cell(ColumnBuilder& column, ValueKind kind, std::string_view text);

} // namespace ferry::soap
