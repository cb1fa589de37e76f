// SPDX-License-Identifier: Apache-2.0
// control_records.cpp — which items of a multi-segment file's header and trailer the control
// checks read, and how their values are read.
#include "control_records.h"

#include <algorithm>

#include "cobol_decoders.h"
#include "copybook_decoder.h"

namespace ferry::flatfile {

namespace {

// An item the control checks read: outside any OCCURS DEPENDING ON table, so at a fixed place.
Result<Slot> control_slot(const std::vector<Slot>& slots,
                          const std::string& item,
                          const std::string& record,
                          const std::string& name) {
    for (const Slot& slot : slots) {
        if (slot.item == item && slot.table < 0 && slot.tables_before == 0) {
            return slot;
        }
    }
    return Status::invalid_argument(name + ": control: " + record + " has no item " + item +
                                    " outside OCCURS DEPENDING ON tables");
}

} // namespace

Result<Controls> controls_of(const SourceOptions& options,
                             const std::vector<std::string>& records,
                             const std::vector<std::vector<Slot>>& slots,
                             const std::string& name) {
    const ControlSpec& spec = options.copybook.control;
    Controls controls;
    controls.items.resize(records.size());
    if (spec.empty()) {
        return controls;
    }
    controls.active = true;
    controls.header_record = spec.header;
    controls.trailer_record = spec.trailer;
    controls.business_date = options.business_date;
    auto index_of = [&](const std::string& record) -> Result<std::size_t> {
        const auto at = std::find(records.begin(), records.end(), record);
        if (at == records.end()) {
            return Status::invalid_argument(name + ": control: " + record +
                                            " is not one of segments.records");
        }
        return static_cast<std::size_t>(at - records.begin());
    };
    // A declared figure: the trailer's item, else the header's.
    auto declared = [&](ControlItem::Kind kind, const std::string& key,
                        const std::string& item) -> Status {
        for (const std::string* record : {&spec.trailer, &spec.header}) {
            if (record->empty()) {
                continue;
            }
            FERRY_ASSIGN_OR_RETURN(const std::size_t index, index_of(*record));
            auto slot = control_slot(slots[index], item, *record, name);
            if (!slot.ok()) {
                continue;
            }
            if (slot->usage == Usage::Dbcs || slot->kind != PicClass::Numeric ||
                (kind != ControlItem::Kind::Sum && slot->scale != 0)) {
                return Status::invalid_argument(
                    name + ": control: " + item + " in " + *record + " must be a numeric item" +
                    (kind == ControlItem::Kind::Sum ? std::string() : " without decimals"));
            }
            controls.items[index].push_back({kind, key, *slot});
            return {};
        }
        return Status::invalid_argument(
            name + ": control: no item " + item + " in " +
            (spec.trailer.empty() ? spec.header : spec.trailer) +
            (spec.trailer.empty() || spec.header.empty() ? std::string() : " or " + spec.header));
    };
    if (!spec.header.empty()) {
        FERRY_RETURN_IF_ERROR(index_of(spec.header).status());
    }
    if (!spec.trailer.empty()) {
        FERRY_RETURN_IF_ERROR(index_of(spec.trailer).status());
    }
    if (!spec.record_count.empty()) {
        FERRY_RETURN_IF_ERROR(declared(ControlItem::Kind::Records, "", spec.record_count));
    }
    for (const auto& [record, item] : spec.segment_counts) {
        FERRY_RETURN_IF_ERROR(index_of(record).status());
        FERRY_RETURN_IF_ERROR(declared(ControlItem::Kind::Segment, record, item));
    }
    for (const auto& [detail, item] : spec.sums) {
        FERRY_RETURN_IF_ERROR(declared(ControlItem::Kind::Sum, detail, item));
        bool found = false;
        for (std::size_t index = 0; index < records.size(); ++index) {
            if (records[index] == spec.header || records[index] == spec.trailer) {
                continue;
            }
            if (auto slot = control_slot(slots[index], detail, records[index], name); slot.ok()) {
                controls.items[index].push_back({ControlItem::Kind::Addend, detail, *slot});
                found = true;
            }
        }
        if (!found) {
            return Status::invalid_argument(name + ": control.sums: no detail record has " +
                                            detail);
        }
    }
    if (!spec.business_date.empty()) {
        FERRY_ASSIGN_OR_RETURN(const std::size_t index, index_of(spec.header));
        FERRY_ASSIGN_OR_RETURN(Slot slot,
                               control_slot(slots[index], spec.business_date, spec.header, name));
        if (slot.usage != Usage::Display || slot.kind == PicClass::Dbcs) {
            return Status::invalid_argument(name + ": control.business_date " + spec.business_date +
                                            " must be a DISPLAY item (PIC 9(8) or X(8))");
        }
        controls.items[index].push_back({ControlItem::Kind::Date, "", slot});
    }
    return controls;
}

std::optional<Decimal> control_number(const Slot& slot, std::string_view raw, bool ebcdic) {
    const NumericResult number = decode_slot_number(slot, raw, ebcdic);
    if (number.problem != nullptr) {
        return std::nullopt;
    }
    auto value = Decimal::from_unscaled(number.value, slot.scale);
    return value.ok() ? std::optional<Decimal>(*value) : std::nullopt;
}

bool is_calendar_date(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    for (const std::size_t pos : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U}) {
        if (text[pos] < '0' || text[pos] > '9') {
            return false;
        }
    }
    const int year = std::stoi(text.substr(0, 4));
    const int month = std::stoi(text.substr(5, 2));
    const int day = std::stoi(text.substr(8, 2));
    constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) {
        return false;
    }
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month != 2 || day <= 28 || leap;
}

} // namespace ferry::flatfile
