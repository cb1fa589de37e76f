// SPDX-License-Identifier: Apache-2.0
// segmented_decoder.cpp — multi-segment copybook files: a segment id field, at the same place in
// every record, names the 01 record that reads the rest of it (header / detail / trailer).
#include <algorithm>
#include <optional>

#include "ferry/codepage.h"
#include "ferry/text.h"

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
                     CodePage page)
        : schema_(std::move(schema))
        , source_types_(std::move(source_types))
        , segments_(std::move(segments))
        , by_id_(std::move(by_id))
        , selector_(std::move(selector))
        , selector_name_(std::move(selector_name))
        , page_(std::move(page)) {
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
        out.column(0).append_text_unchecked(segments_[found->second].record);
        for (std::size_t idx = 0; idx < segments_.size(); ++idx) {
            if (idx != found->second) {
                segments_[idx].decoder->append_nulls(out);
            } else if (auto reject = segments_[idx].decoder->decode(record, file, out)) {
                return reject;
            }
        }
        return std::nullopt;
    }

private:
    Schema schema_;
    nlohmann::json source_types_;
    std::vector<Segment> segments_;
    std::map<std::string, std::size_t, std::less<>> by_id_;
    Slot selector_;
    std::string selector_name_;
    CodePage page_;
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
    return std::unique_ptr<RecordDecoder>(std::make_unique<SegmentedDecoder>(
        Schema(std::move(fields)), std::move(source_types), std::move(segments), std::move(by_id),
        *selector, spec.field, std::move(page)));
}

} // namespace ferry::flatfile
