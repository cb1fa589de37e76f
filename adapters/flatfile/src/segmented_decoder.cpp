// SPDX-License-Identifier: Apache-2.0
// segmented_decoder.cpp — multi-segment copybook files: a segment id field, at the same place in
// every record, names the 01 record that reads the rest of it (header / detail / trailer).
#include <algorithm>
#include <optional>

#include "ferry/codepage.h"
#include "ferry/text.h"

#include "control_records.h"
#include "copybook_decoder.h"

namespace ferry::flatfile {

namespace {

/// A file whose records have several layouts: the segment id field (at the same place in every
/// record) names the 01 record that reads the rest. The row is the union of the records' columns
/// after a `_segment` column naming the record; another segment's columns are null.
class SegmentedDecoder final : public RecordDecoder {
public:
    struct Segment {
        std::string record;
        std::unique_ptr<CopybookRecordDecoder> decoder;
    };

    SegmentedDecoder(Schema schema,
                     nlohmann::json source_types,
                     std::vector<Segment> segments,
                     std::map<std::string, std::size_t, std::less<>> by_id,
                     Slot selector,
                     std::string selector_name,
                     CodePage page,
                     Controls controls)
        : schema_(std::move(schema))
        , source_types_(std::move(source_types))
        , segments_(std::move(segments))
        , by_id_(std::move(by_id))
        , selector_(std::move(selector))
        , selector_name_(std::move(selector_name))
        , page_(std::move(page))
        , controls_(std::move(controls)) {
        for (const auto& [id, index] : by_id_) {
            known_ids_ += (known_ids_.empty() ? "" : ", ") + id;
        }
    }

    const Schema& schema() const override { return schema_; }

    nlohmann::json source_types() const override { return source_types_; }

    std::size_t record_length() const override {
        std::size_t longest = 0;
        for (const auto& segment : segments_) {
            longest = std::max(longest, segment.decoder->record_length());
        }
        return longest;
    }

    std::optional<Reject>
    decode(const RawRecord& record, const std::string& file, BatchBuilder& out) override {
        std::size_t index = 0;
        if (auto reject = segment_of(record, file, index)) {
            ++controls_.total;
            return reject;
        }
        observe(record, file, index);
        out.column(0).append_text_unchecked(segments_[index].record);
        for (std::size_t idx = 0; idx < segments_.size(); ++idx) {
            if (idx != index) {
                segments_[idx].decoder->append_nulls(out);
            } else if (auto reject = segments_[idx].decoder->decode(record, file, out)) {
                return reject;
            }
        }
        return std::nullopt;
    }

    bool has_controls() const override { return controls_.active; }

    bool observe_controls(const RawRecord& record, const std::string& file) override {
        std::size_t index = 0;
        if (segment_of(record, file, index)) {
            ++controls_.total;
        } else {
            observe(record, file, index);
        }
        return true;
    }

    Status finish(const std::string& file) override {
        if (!controls_.active) {
            return {};
        }
        controls_.finished = true;
        if (!controls_.error.ok()) {
            return controls_.error;
        }
        for (const auto& [role, name] : {std::pair{"header", &controls_.header_record},
                                         std::pair{"trailer", &controls_.trailer_record}}) {
            if (!name->empty() && controls_.seen.count(*name) == 0) {
                return Status::data(file + ": the " + role + " record " + *name +
                                    " is missing (the file may be cut)");
            }
        }
        return {};
    }

    void account(plugin::StreamAccounting& accounting) const override {
        if (!controls_.finished) {
            return; // the figures are known once the trailer is read
        }
        for (const Declared& declared : controls_.declared) {
            if (declared.kind == Declared::Kind::Records) {
                accounting.declare_records(static_cast<std::int64_t>(declared.value.unscaled()),
                                           declared.by);
            } else if (declared.kind == Declared::Kind::Segment) {
                accounting.declare_records(static_cast<std::int64_t>(declared.value.unscaled()),
                                           declared.by, declared.key);
                const auto counted = controls_.segment_counts.find(declared.key);
                accounting.count_segment(
                    declared.key, counted == controls_.segment_counts.end() ? 0 : counted->second);
            } else {
                accounting.declare_sum(declared.key, declared.value, declared.by);
                const auto summed = controls_.sums.find(declared.key);
                accounting.observe_sum(declared.key, summed == controls_.sums.end()
                                                         ? Decimal::from_int64(0)
                                                         : summed->second);
            }
        }
    }

    Status verify_declared() const override {
        for (const Declared& declared : controls_.declared) {
            std::string observed;
            if (declared.kind == Declared::Kind::Records) {
                observed = std::to_string(controls_.total);
            } else if (declared.kind == Declared::Kind::Segment) {
                const auto counted = controls_.segment_counts.find(declared.key);
                observed =
                    std::to_string(counted == controls_.segment_counts.end() ? 0 : counted->second);
            } else {
                const auto summed = controls_.sums.find(declared.key);
                const Decimal total =
                    summed == controls_.sums.end() ? Decimal::from_int64(0) : summed->second;
                if (total.compare(declared.value) == 0) {
                    continue;
                }
                return Status::data(declared.by + " declares a total of " +
                                    declared.value.to_string() + " for " + declared.key +
                                    ", the file's records add up to " + total.to_string());
            }
            if (observed != declared.value.to_string()) {
                return Status::data(
                    declared.by + " declares " + declared.value.to_string() +
                    (declared.key.empty() ? " records" : " " + declared.key + " records") +
                    ", the file has " + observed);
            }
        }
        return {};
    }

    nlohmann::json state() const override {
        if (!controls_.active) {
            return nullptr;
        }
        nlohmann::json declared = nlohmann::json::array();
        for (const Declared& item : controls_.declared) {
            declared.push_back(
                {static_cast<int>(item.kind), item.key, item.value.to_string(), item.by});
        }
        nlohmann::json sums = nlohmann::json::object();
        for (const auto& [column, total] : controls_.sums) {
            sums[column] = total.to_string();
        }
        return {{"total", controls_.total},
                {"segments", controls_.segment_counts},
                {"sums", std::move(sums)},
                {"seen", controls_.seen},
                {"declared", std::move(declared)}};
    }

    Status restore(const nlohmann::json& state) override {
        if (!controls_.active || !state.is_object()) {
            return {};
        }
        try {
            controls_.total = state.at("total").get<std::int64_t>();
            controls_.segment_counts =
                state.at("segments").get<std::map<std::string, std::int64_t, std::less<>>>();
            controls_.seen = state.at("seen").get<std::set<std::string, std::less<>>>();
            for (const auto& [column, total] : state.at("sums").items()) {
                FERRY_ASSIGN_OR_RETURN(controls_.sums[column],
                                       Decimal::parse(total.get<std::string>()));
            }
            for (const auto& item : state.at("declared")) {
                FERRY_ASSIGN_OR_RETURN(Decimal value,
                                       Decimal::parse(item.at(2).get<std::string>()));
                controls_.declared.push_back({static_cast<Declared::Kind>(item.at(0).get<int>()),
                                              item.at(1).get<std::string>(), value,
                                              item.at(3).get<std::string>()});
            }
        } catch (const nlohmann::json::exception& error) {
            return Status::invalid_argument(std::string("resume: control figures: ") +
                                            error.what());
        }
        return {};
    }

private:
    std::optional<Reject>
    segment_of(const RawRecord& record, const std::string& file, std::size_t& index) {
        const std::string_view bytes = record.bytes;
        if (selector_.offset + selector_.size > bytes.size()) {
            return Reject(selector_name_, "record_length",
                          "the record is " + std::to_string(bytes.size()) +
                              " bytes, too short for its segment id",
                          record_location(file, record));
        }
        const std::string_view raw = bytes.substr(selector_.offset, selector_.size);
        std::string_view decoded;
        if (auto failure = page_.decode_view(raw, id_, decoded)) {
            return Reject(selector_name_, "code_page",
                          "segment id byte " + std::to_string(failure->offset) +
                              " does not decode as " + page_.name() + " (raw " + to_hex(raw) + ")",
                          record_location(file, record), std::string(raw));
        }
        const std::string_view id = trim_cobol_text(decoded);
        const auto found = by_id_.find(id);
        if (found == by_id_.end()) {
            return Reject(selector_name_, "segment",
                          "segment id \"" + std::string(id) + "\" selects no record (segments: " +
                              known_ids_ + "; raw " + to_hex(raw) + ")",
                          record_location(file, record), std::string(raw));
        }
        index = found->second;
        return std::nullopt;
    }

    // The same code runs in the verify pass and in the delivering pass, so both see the same
    // figures. A control total counts every record of its segment, rejected or not.
    void observe(const RawRecord& record, const std::string& file, std::size_t index) {
        if (!controls_.active) {
            return;
        }
        ++controls_.total;
        const std::string& name = segments_[index].record;
        ++controls_.segment_counts[name];
        const bool control = name == controls_.header_record || name == controls_.trailer_record;
        if (control && !controls_.seen.insert(name).second && controls_.error.ok()) {
            controls_.error = Status::data(record_location(file, record) + ": a second " + name +
                                           " record (a file has one)");
        }
        for (const ControlItem& item : controls_.items[index]) {
            const std::string_view bytes = record.bytes;
            if (item.slot.offset + item.slot.size > bytes.size()) {
                if (control && controls_.error.ok()) {
                    controls_.error =
                        Status::data(record_location(file, record) + ": the " + name +
                                     " record is cut: " + item.slot.item + " needs bytes " +
                                     std::to_string(item.slot.offset) + ".." +
                                     std::to_string(item.slot.offset + item.slot.size) +
                                     ", it has " + std::to_string(bytes.size()));
                }
                continue;
            }
            const std::string_view raw = bytes.substr(item.slot.offset, item.slot.size);
            if (item.kind == ControlItem::Kind::Date) {
                check_date(item, raw, record, file);
                continue;
            }
            const std::optional<Decimal> value = number_of(item.slot, raw);
            if (!value) {
                if (control && controls_.error.ok()) {
                    controls_.error =
                        Status::data(record_location(file, record) + ": " + item.slot.item +
                                     " in " + name + " is not a number of its PICTURE");
                }
                continue;
            }
            if (item.kind == ControlItem::Kind::Addend) {
                auto& total =
                    controls_.sums.try_emplace(item.key, Decimal::from_int64(0)).first->second;
                if (auto sum = total.add(*value); sum.ok()) {
                    total = *sum;
                }
                continue;
            }
            const std::string by =
                record_location(file, record) + " (" + name + " " + item.slot.item + ")";
            controls_.declared.push_back(
                {item.kind == ControlItem::Kind::Records   ? Declared::Kind::Records
                 : item.kind == ControlItem::Kind::Segment ? Declared::Kind::Segment
                                                           : Declared::Kind::Sum,
                 item.key, *value, by});
        }
    }

    std::optional<Decimal> number_of(const Slot& slot, std::string_view raw) const {
        return control_number(slot, raw, page_.ebcdic());
    }

    // The business date: YYYYMMDD or YYYY-MM-DD, a real calendar date, and the option's date
    // when one is given. A mismatch fails the read: a batch for another day is not this batch.
    void check_date(const ControlItem& item,
                    std::string_view raw,
                    const RawRecord& record,
                    const std::string& file) {
        if (!controls_.error.ok()) {
            return;
        }
        std::string decoded;
        std::string text;
        if (!page_.decode(raw, decoded)) {
            text = std::string(trim_cobol_text(decoded));
        }
        if (text.size() == 8 && text.find_first_not_of("0123456789") == std::string::npos) {
            text = text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6, 2);
        }
        const std::string where = record_location(file, record) + ": " + item.slot.item;
        if (!is_calendar_date(text)) {
            controls_.error = Status::data(where + " is not a date (YYYYMMDD)");
            return;
        }
        if (!controls_.business_date.empty() && text != controls_.business_date) {
            controls_.error = Status::data(where + ": the batch is dated " + text +
                                           ", the business date is " + controls_.business_date);
        }
    }

    Schema schema_;
    nlohmann::json source_types_;
    std::vector<Segment> segments_;
    std::map<std::string, std::size_t, std::less<>> by_id_;
    Slot selector_;
    std::string selector_name_;
    CodePage page_;
    Controls controls_;
    std::string known_ids_;
    std::string id_;
};

} // namespace

/// The segmented decoder: every record named in `segments`, their columns side by side (a name
/// that several records share is qualified as RECORD.NAME), after `_segment`.
Result<std::unique_ptr<RecordDecoder>> make_segmented_decoder(const Copybook& book,
                                                              const SourceOptions& options,
                                                              const std::string& name) {
    const SegmentSpec& spec = options.copybook.segments;
    // The records in copybook order, so the columns follow the copybook.
    std::vector<std::string> records;
    for (const auto& item : book.records) {
        for (const auto& [id, record] : spec.records) {
            if (record == item.name) {
                records.push_back(record);
                break;
            }
        }
    }
    std::map<std::string, std::size_t, std::less<>> by_id;
    for (const auto& [id, record] : spec.records) {
        const auto at = std::find(records.begin(), records.end(), record);
        if (at == records.end()) {
            return Status::invalid_argument(name + ": segments.records names no 01 record " +
                                            record + " (segment id \"" + id + "\")");
        }
        by_id.emplace(id, static_cast<std::size_t>(at - records.begin()));
    }
    std::vector<CopybookLayout> layouts;
    std::map<std::string, int> name_uses;
    std::optional<Slot> selector;
    std::vector<std::vector<Slot>> control_slots; // per record, for controls_of
    for (const auto& record : records) {
        FERRY_ASSIGN_OR_RETURN(CopybookLayout layout,
                               flatten_record(*find_record(book, record),
                                              options.copybook.redefines,
                                              options.copybook.little_endian_native));
        for (const Slot& slot : layout.slots) {
            if (slot.item != spec.field) {
                continue;
            }
            if (slot.usage != Usage::Display || slot.kind == PicClass::Dbcs || slot.table >= 0 ||
                slot.tables_before > 0) {
                return Status::invalid_argument(
                    name + ": the segment id " + spec.field + " in " + record +
                    " must be a DISPLAY item (PIC X or 9) outside any OCCURS table");
            }
            if (selector && (selector->offset != slot.offset || selector->size != slot.size)) {
                return Status::invalid_argument(
                    name + ": the segment id " + spec.field + " is at byte " +
                    std::to_string(slot.offset) + " (" + std::to_string(slot.size) + " bytes) in " +
                    record + " but at byte " + std::to_string(selector->offset) + " (" +
                    std::to_string(selector->size) + " bytes) in " + records.front());
            }
            selector = slot;
        }
        for (const Field& field : layout.schema.fields()) {
            ++name_uses[field.name];
        }
        control_slots.push_back(layout.slots);
        layouts.push_back(std::move(layout));
    }
    if (!selector) {
        return Status::invalid_argument(
            name + ": no record in segments.records has the segment id " + spec.field);
    }
    std::vector<Field> fields{Field{"_segment", DataType::utf8(), false}};
    nlohmann::json source_types =
        nlohmann::json::array({"the 01 record selected by " + spec.field});
    std::vector<SegmentedDecoder::Segment> segments;
    std::set<std::string> matched;
    for (std::size_t idx = 0; idx < layouts.size(); ++idx) {
        CopybookLayout& layout = layouts[idx];
        std::vector<Field> qualified = layout.schema.fields();
        for (Field& field : qualified) {
            if (name_uses[field.name] > 1) {
                field.name = records[idx] + "." + field.name;
            }
            field.nullable = true;
            fields.push_back(field);
        }
        layout.schema = Schema(std::move(qualified));
        for (const auto& type : layout.source_types) {
            source_types.push_back(type);
        }
        FERRY_ASSIGN_OR_RETURN(
            auto decoder, make_record_decoder(std::move(layout), options,
                                              fields.size() - layouts[idx].schema.size(), matched));
        segments.push_back({records[idx], std::move(decoder)});
    }
    FERRY_RETURN_IF_ERROR(check_field_encodings(options.copybook, matched, name));
    FERRY_ASSIGN_OR_RETURN(CodePage page, CodePage::open(options.encoding));
    FERRY_ASSIGN_OR_RETURN(Controls controls, controls_of(options, records, control_slots, name));
    return std::unique_ptr<RecordDecoder>(std::make_unique<SegmentedDecoder>(
        Schema(std::move(fields)), std::move(source_types), std::move(segments), std::move(by_id),
        *selector, spec.field, std::move(page), std::move(controls)));
}

} // namespace ferry::flatfile
