// SPDX-License-Identifier: Apache-2.0
// copybook_layout.cpp — flattening: OCCURS, ODO tables, REDEFINES views, names and types.
#include "copybook_layout.h"

#include <algorithm>
#include <map>
#include <set>

#include "ferry/text.h"

namespace ferry::flatfile {

namespace {

/// Each OCCURS occurrence is a column; beyond this a layout is a mistake, not a record.
constexpr std::size_t kMaxColumns = 100'000;

struct Pending {
    Slot slot;
    std::string base; ///< the item's own name, without OCCURS suffixes
    std::string name;
    std::string parent;
    DataType type = DataType::utf8();
    bool nullable = false;
    std::string source_type;
};

struct Flattener {
    const nlohmann::json& redefines;
    bool little_endian;
    CopybookLayout layout;
    std::vector<Pending> pending;
    std::string error;

    Result<DataType> type_of(const CopybookItem& item) const {
        const Picture& pic = item.picture;
        if (pic.kind != PicClass::Numeric) {
            return DataType::utf8();
        }
        std::int32_t precision = pic.digits + pic.multiplier;
        if (item.usage == Usage::NativeBinary) {
            // COMP-5 holds the whole binary range, not just the PIC's digits.
            const std::size_t size = elementary_size(item);
            precision = std::max(precision, size == 2 ? 5 : size == 4 ? 10 : 20);
        }
        precision = std::max({precision, pic.scale, 1});
        if (precision > 38) {
            return Status::invalid_argument(item.name + ": more than 38 digits");
        }
        return DataType::decimal128(precision, pic.scale);
    }

    Status visit(const CopybookItem& item,
                 std::size_t delta,
                 const std::string& suffix,
                 const std::string& parent,
                 int table,
                 std::int32_t occurrence,
                 int condition) {
        if (!item.depending_on.empty() && table >= 0) {
            return Status::not_implemented(item.name +
                                           ": OCCURS DEPENDING ON inside another table");
        }
        int item_condition = condition;
        if (redefines.contains(item.name)) {
            const auto& spec = redefines[item.name];
            ViewCondition cond;
            cond.selector = spec.at("field").get<std::string>();
            cond.equals = spec.at("equals").get<std::vector<std::string>>();
            layout.conditions.push_back(std::move(cond));
            item_condition = static_cast<int>(layout.conditions.size()) - 1;
        }
        int item_table = table;
        if (!item.depending_on.empty()) {
            OdoTable odo;
            odo.start = item.offset + delta;
            odo.element_size = item.element_size;
            odo.min = item.occurs_min;
            odo.max = item.occurs_max;
            odo.counter = item.depending_on;
            layout.tables.push_back(std::move(odo));
            item_table = static_cast<int>(layout.tables.size()) - 1;
        }
        for (std::int32_t occ = 0; occ < item.occurs_max; ++occ) {
            const std::size_t at = delta + static_cast<std::size_t>(occ) * item.element_size;
            const std::string name_suffix =
                item.has_occurs ? suffix + "_" + std::to_string(occ + 1) : suffix;
            const std::int32_t item_occurrence = !item.depending_on.empty() ? occ : occurrence;
            if (item.is_group()) {
                for (const auto& child : item.children) {
                    FERRY_RETURN_IF_ERROR(visit(child, at, name_suffix, item.name, item_table,
                                                item_occurrence, item_condition));
                }
                continue;
            }
            if (item.is_filler()) {
                continue;
            }
            if (pending.size() >= kMaxColumns) {
                return Status::invalid_argument(item.name + ": the record flattens to more than " +
                                                std::to_string(kMaxColumns) + " columns");
            }
            Pending entry;
            Slot& slot = entry.slot;
            slot.usage = item.usage;
            slot.kind = item.picture.edited ? PicClass::Alphanumeric : item.picture.kind;
            if (slot.usage == Usage::Dbcs) {
                slot.kind = PicClass::Dbcs;
            }
            if (slot.kind != PicClass::Numeric &&
                (slot.usage == Usage::Packed || slot.usage == Usage::Binary ||
                 slot.usage == Usage::NativeBinary)) {
                return Status::invalid_argument(item.name + ": " + item.usage_text +
                                                " needs a numeric PIC");
            }
            if (slot.usage == Usage::NativeBinary && little_endian) {
                slot.usage = Usage::NativeBinary;
            } else if (slot.usage == Usage::NativeBinary) {
                slot.usage = Usage::Binary; // big-endian native order: read as COMP
            }
            slot.is_signed = item.picture.is_signed;
            slot.sign_leading = item.sign_leading;
            slot.sign_separate = item.sign_separate;
            slot.scale = item.picture.scale;
            slot.multiplier = item.picture.multiplier;
            slot.offset = item.offset + at;
            slot.size = item.element_size;
            slot.table = item_table;
            slot.occurrence = item_occurrence;
            slot.condition = item_condition;
            FERRY_ASSIGN_OR_RETURN(entry.type, type_of(item));
            entry.nullable = item_table >= 0 || item_condition >= 0;
            entry.base = item.name;
            slot.item = item.name;
            entry.name = item.name + name_suffix;
            entry.parent = parent;
            entry.source_type =
                "PIC " + item.picture.text +
                (item.usage_text == "DISPLAY" ? std::string() : " " + item.usage_text);
            pending.push_back(std::move(entry));
        }
        return {};
    }
};

} // namespace

namespace {

Result<CopybookLayout>
flatten(const CopybookItem& record, const nlohmann::json& redefines, bool native_little_endian) {
    Flattener flat{redefines, native_little_endian, {}, {}, {}};
    if (record.is_group()) {
        for (const auto& child : record.children) {
            FERRY_RETURN_IF_ERROR(flat.visit(child, 0, "", record.name, -1, 0, -1));
        }
    } else {
        FERRY_RETURN_IF_ERROR(flat.visit(record, 0, "", "", -1, 0, -1));
    }
    CopybookLayout& layout = flat.layout;
    if (flat.pending.empty()) {
        return Status::invalid_argument(record.name + ": no named elementary items");
    }
    // Qualify names that occur more than once (YEAR under two dates) by their group.
    std::map<std::string, std::set<std::string>> parents_of; // base name -> its groups
    for (const auto& entry : flat.pending) {
        parents_of[entry.base].insert(entry.parent);
    }
    std::vector<Field> fields;
    std::map<std::string, std::size_t> column_of;
    for (std::size_t idx = 0; idx < flat.pending.size(); ++idx) {
        Pending& entry = flat.pending[idx];
        std::string name = entry.name;
        if (parents_of[entry.base].size() > 1 && !entry.parent.empty()) {
            name = entry.parent + "." + name;
        }
        if (column_of.count(name) != 0) {
            return Status::invalid_argument(record.name + ": the name " + name +
                                            " is ambiguous even when qualified by its group");
        }
        column_of[name] = idx;
        column_of.emplace(entry.name, idx); // unqualified lookups by ODO/selectors
        entry.slot.column = idx;
        fields.push_back({name, entry.type, entry.nullable});
        layout.source_types.push_back(entry.source_type);
        layout.slots.push_back(entry.slot);
    }
    layout.schema = Schema(std::move(fields));
    // Columns stay in the order the copybook writes its items (a REDEFINES alternative after
    // the whole item it redefines); the decoder walks the slots by offset, so the ODO shifts
    // accumulate as it goes.
    std::stable_sort(layout.slots.begin(), layout.slots.end(),
                     [](const Slot& a, const Slot& b) { return a.offset < b.offset; });
    std::vector<std::size_t> slot_of_column(layout.slots.size());
    for (std::size_t idx = 0; idx < layout.slots.size(); ++idx) {
        slot_of_column[layout.slots[idx].column] = idx;
    }

    // Link ODO counters and view selectors to their slots; both must come first in the record.
    for (std::size_t table = 0; table < layout.tables.size(); ++table) {
        const auto found = column_of.find(layout.tables[table].counter);
        if (found == column_of.end()) {
            return Status::invalid_argument("DEPENDING ON " + layout.tables[table].counter +
                                            ": no such item in " + record.name);
        }
        Slot& counter = layout.slots[slot_of_column[found->second]];
        if (counter.offset >= layout.tables[table].start) {
            return Status::invalid_argument("DEPENDING ON " + layout.tables[table].counter +
                                            ": the count must come before its table");
        }
        if (counter.kind != PicClass::Numeric || counter.table >= 0) {
            return Status::invalid_argument("DEPENDING ON " + layout.tables[table].counter +
                                            ": not a plain numeric item");
        }
        counter.counter_of = static_cast<int>(table);
    }
    for (std::size_t cond = 0; cond < layout.conditions.size(); ++cond) {
        const auto found = column_of.find(layout.conditions[cond].selector);
        if (found == column_of.end()) {
            return Status::invalid_argument("redefines: no field " +
                                            layout.conditions[cond].selector);
        }
        layout.slots[slot_of_column[found->second]].selector_of.push_back(static_cast<int>(cond));
    }

    for (auto& slot : layout.slots) {
        for (const auto& odo : layout.tables) {
            if (odo.start + odo.element_size * static_cast<std::size_t>(odo.max) <= slot.offset) {
                ++slot.tables_before;
            }
        }
    }
    layout.record_length = record.element_size * static_cast<std::size_t>(record.occurs_max);
    std::size_t slack = 0;
    for (const auto& odo : layout.tables) {
        slack += odo.element_size * static_cast<std::size_t>(odo.max - odo.min);
    }
    layout.min_record_length = layout.record_length - slack;
    return layout;
}

} // namespace

Result<CopybookLayout> flatten_record(const CopybookItem& record,
                                      const nlohmann::json& redefines,
                                      bool native_little_endian) {
    auto layout = flatten(record, redefines, native_little_endian);
    if (!layout.ok() && !is_valid_utf8(layout.status().message())) {
        // DEPENDING ON and REDEFINES name items by words of the copybook, valid or not.
        return Status(layout.status().code(), printable(layout.status().message()));
    }
    return layout;
}

} // namespace ferry::flatfile
