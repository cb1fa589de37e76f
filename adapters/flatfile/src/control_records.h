// SPDX-License-Identifier: Apache-2.0
// control_records.h — a multi-segment file's header and trailer: the items that declare its
// counts, control totals and business date, and the figures its records add up to.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ferry/decimal.h"
#include "ferry/result.h"

#include "copybook_layout.h"
#include "options.h"

namespace ferry::flatfile {

/// An item of a record that the control checks read.
struct ControlItem {
    enum class Kind { Records, Segment, Sum, Addend, Date };
    Kind kind = Kind::Records;
    std::string key; ///< the segment counted, or the detail item summed
    Slot slot;
};

/// A figure a header or trailer declares, with where it was read.
struct Declared {
    enum class Kind { Records, Segment, Sum };
    Kind kind = Kind::Records;
    std::string key;
    Decimal value;
    std::string by;
};

/// The control-record figures of one file: what it declares and what its records add up to.
struct Controls {
    bool active = false;
    bool finished = false;
    std::string header_record;
    std::string trailer_record;
    std::string business_date;                   ///< "YYYY-MM-DD" or empty
    std::vector<std::vector<ControlItem>> items; ///< per segment
    std::int64_t total = 0;                      ///< every record read
    std::map<std::string, std::int64_t, std::less<>> segment_counts;
    std::map<std::string, Decimal, std::less<>> sums;
    std::set<std::string, std::less<>> seen; ///< header / trailer records read
    std::vector<Declared> declared;
    Status error; ///< a control record that cannot be checked
};

/// The control items `options.copybook.control` names, per record of `records` (whose slots
/// are `slots`); an inactive Controls when the options name none. InvalidArgument naming
/// `name` (the copybook) for an unknown record or item.
Result<Controls> controls_of(const SourceOptions& options,
                             const std::vector<std::string>& records,
                             const std::vector<std::vector<Slot>>& slots,
                             const std::string& name);

/// A numeric item's value (zoned, packed or binary), or nullopt when its bytes are not one.
std::optional<Decimal> control_number(const Slot& slot, std::string_view raw, bool ebcdic);

/// "YYYY-MM-DD" naming a real calendar date.
bool is_calendar_date(const std::string& text);

} // namespace ferry::flatfile
