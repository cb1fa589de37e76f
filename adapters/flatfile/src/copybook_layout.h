// SPDX-License-Identifier: Apache-2.0
// copybook_layout.h — a copybook record flattened into decode slots and a typed schema.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/data_type.h"
#include "ferry/result.h"

#include "copybook_parser.h"

namespace ferry::flatfile {

/// One elementary item occurrence: where it is and how to read it. Offsets assume every
/// OCCURS DEPENDING ON table at its maximum; the decoder shifts them per record.
struct Slot {
    std::size_t column = 0;
    std::string item; ///< the data item's own name (without OCCURS suffixes)
    Usage usage = Usage::Display;
    PicClass kind = PicClass::Alphanumeric;
    bool is_signed = false;
    bool sign_leading = false;
    bool sign_separate = false;
    std::int32_t scale = 0;
    std::int32_t multiplier = 0;
    std::size_t offset = 0;
    std::size_t size = 0;
    int table = -1;                ///< the ODO table this slot lies in
    std::int32_t occurrence = 0;   ///< 0-based occurrence within that table
    std::size_t tables_before = 0; ///< ODO tables that end at or before this slot
    int condition = -1;            ///< a REDEFINES view that applies only when its condition holds
    int counter_of = -1;           ///< this slot holds the count of that ODO table
    std::vector<int> selector_of;  ///< the conditions that test this slot
};

struct OdoTable {
    std::size_t start = 0; ///< offset of the first element
    std::size_t element_size = 0;
    std::int32_t min = 0;
    std::int32_t max = 0;
    std::string counter;
};

struct ViewCondition {
    std::vector<std::string> equals;
    std::string selector;
};

struct CopybookLayout {
    Schema schema;                         ///< columns in the order the copybook writes the items
    std::vector<std::string> source_types; ///< per column: "PIC S9(7)V99 COMP-3"
    std::vector<Slot> slots;               ///< in offset order
    std::vector<OdoTable> tables;
    std::vector<ViewCondition> conditions;
    std::size_t record_length = 0;     ///< at every table's maximum
    std::size_t min_record_length = 0; ///< at every table's minimum
};

/// Flattens `record`: OCCURS become NAME_1…NAME_n, duplicate names are qualified by their
/// group (GROUP.NAME), FILLER is skipped, numbers become decimal(p,s). `redefines` maps a
/// REDEFINES item (or the item it redefines) to {"field": selector, "equals": [values]}.
Result<CopybookLayout> flatten_record(const CopybookItem& record,
                                      const nlohmann::json& redefines,
                                      bool native_little_endian);

} // namespace ferry::flatfile
