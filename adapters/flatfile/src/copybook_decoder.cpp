// SPDX-License-Identifier: Apache-2.0
// copybook_decoder.cpp — one copybook record to one row: slots in offset order, ODO shifts,
// REDEFINES views, and a reject with the raw field in hex for every byte that does not decode.
#include "copybook_decoder.h"

#include <array>
#include <cstring>
#include <fstream>
#include <sstream>

#include "ferry/codepage.h"
#include "ferry/decimal.h"
#include "ferry/text.h"

#include "cobol_decoders.h"

namespace ferry::flatfile {

namespace {

constexpr std::int64_t kPowersOfTen[] = {1,
                                         10,
                                         100,
                                         1000,
                                         10000,
                                         100000,
                                         1000000,
                                         10000000,
                                         100000000,
                                         1000000000,
                                         10000000000,
                                         100000000000,
                                         1000000000000,
                                         10000000000000,
                                         100000000000000,
                                         1000000000000000,
                                         10000000000000000,
                                         100000000000000000,
                                         1000000000000000000};

/// A field whose scale differs from its column's (P scaling): through Decimal's exact rescale.
bool append_rescaled(ColumnBuilder& column, Int128 unscaled, std::int32_t scale) {
    auto value = Decimal::from_unscaled(unscaled, scale);
    return value.ok() && column.append_decimal(*value).ok();
}

/// The Simplified Chinese host pages that mix SBCS and DBCS with SO/SI shift codes.
bool is_mixed_host_page(const CodePage& page) {
    return page.name() == "IBM935" || page.name() == "IBM1388";
}

/// Single-byte EBCDIC pages (CP037, IBM1047) decode byte by byte; the table holds iconv's own
/// answer for each byte, asked once, so a 200-byte record costs no iconv calls at all.
class ByteTable {
public:
    static std::optional<ByteTable> build(CodePage& page) {
        if (!page.ebcdic() || is_mixed_host_page(page)) {
            return std::nullopt; // mixed SO/SI pages keep state: only iconv reads them
        }
        ByteTable table;
        for (int byte = 0; byte < 256; ++byte) {
            std::string out;
            const char in = static_cast<char>(byte);
            if (byte == 0x0E || byte == 0x0F || page.decode(std::string_view(&in, 1), out) ||
                out.size() > 4) {
                table.length_[static_cast<std::size_t>(byte)] = 0;
                continue;
            }
            table.length_[static_cast<std::size_t>(byte)] = static_cast<std::uint8_t>(out.size());
            std::copy(out.begin(), out.end(), table.utf8_[static_cast<std::size_t>(byte)].begin());
        }
        return table;
    }

    /// Writes the UTF-8 of `bytes` to `out` (room for 4 bytes per input byte) and returns the
    /// length; on an undecodable byte returns its offset in `bad`.
    std::size_t decode(std::string_view bytes, char* out, std::optional<std::size_t>& bad) const {
        char* cursor = out;
        for (std::size_t idx = 0; idx < bytes.size(); ++idx) {
            const auto byte = static_cast<unsigned char>(bytes[idx]);
            const std::uint8_t length = length_[byte];
            if (length == 1) {
                *cursor++ = utf8_[byte][0];
                continue;
            }
            if (length == 0) {
                bad = idx;
                return 0;
            }
            std::memcpy(cursor, utf8_[byte].data(), length);
            cursor += length;
        }
        return static_cast<std::size_t>(cursor - out);
    }

private:
    std::array<std::array<char, 4>, 256> utf8_{};
    std::array<std::uint8_t, 256> length_{};
};

class CopybookDecoder final : public CopybookRecordDecoder {
public:
    CopybookDecoder(CopybookLayout layout,
                    CodePage text_page,
                    CodePage dbcs_page,
                    std::vector<CodePage> field_pages,
                    std::vector<int> slot_page,
                    std::size_t column_base,
                    bool variable_length)
        : layout_(std::move(layout))
        , text_page_(std::move(text_page))
        , dbcs_page_(std::move(dbcs_page))
        , field_pages_(std::move(field_pages))
        , slot_page_(std::move(slot_page))
        , table_(ByteTable::build(text_page_))
        , ebcdic_(text_page_.ebcdic())
        , counts_(layout_.tables.size())
        , selectors_(layout_.conditions.size())
        , column_base_(column_base)
        , variable_length_(variable_length) {}

    const Schema& schema() const override { return layout_.schema; }

    nlohmann::json source_types() const override { return layout_.source_types; }

    std::size_t record_length() const override { return layout_.record_length; }

    /// A row of nulls in this record's columns (a multi-segment row of another segment).
    void append_nulls(BatchBuilder& out) const override {
        for (std::size_t idx = 0; idx < layout_.schema.size(); ++idx) {
            out.column(column_base_ + idx).append_null();
        }
    }

    std::optional<Reject>
    decode(const RawRecord& record, const std::string& file, BatchBuilder& out) override {
        const std::string_view bytes = record.bytes;
        if (record.truncated) {
            return Reject("", "record_length",
                          "the file ends inside a record (" + std::to_string(bytes.size()) +
                              " bytes)",
                          record_location(file, record));
        }
        std::size_t shift = 0;
        std::size_t tables_passed = 0;
        for (const Slot& slot : layout_.slots) {
            while (tables_passed < slot.tables_before) {
                const OdoTable& odo = layout_.tables[tables_passed];
                shift +=
                    odo.element_size * static_cast<std::size_t>(odo.max - counts_[tables_passed]);
                ++tables_passed;
            }
            ColumnBuilder& column = out.column(column_base_ + slot.column);
            if ((slot.table >= 0 &&
                 slot.occurrence >= counts_[static_cast<std::size_t>(slot.table)]) ||
                (slot.condition >= 0 && !view_applies(static_cast<std::size_t>(slot.condition)))) {
                column.append_null();
                continue;
            }
            const std::size_t at = slot.offset - shift;
            if (at + slot.size > bytes.size()) {
                return Reject(field_name(slot), "record_length",
                              "the record is " + std::to_string(bytes.size()) +
                                  " bytes; this field needs " + std::to_string(at + slot.size),
                              record_location(file, record));
            }
            const std::string_view raw = bytes.substr(at, slot.size);
            if (slot.kind == PicClass::Numeric) {
                if (auto reject = decode_number(slot, raw, column, file, record)) {
                    return reject;
                }
            } else if (auto reject = decode_text(slot, raw, column, file, record)) {
                return reject;
            }
        }
        return check_odo_length(bytes.size(), file, record);
    }

private:
    // A variable-length record is as long as its OCCURS DEPENDING ON counts make it: longer, and
    // the bytes after the last counted item would be dropped without a word; shorter, and the
    // items after the tables would be read from nothing. (Fixed-length records pad to the
    // longest form, so only variable ones are held to their counts.)
    std::optional<Reject>
    check_odo_length(std::size_t size, const std::string& file, const RawRecord& record) const {
        if (!variable_length_ || layout_.tables.empty()) {
            return std::nullopt;
        }
        std::size_t expected = layout_.record_length;
        for (std::size_t table = 0; table < layout_.tables.size(); ++table) {
            const OdoTable& odo = layout_.tables[table];
            expected -= odo.element_size * static_cast<std::size_t>(odo.max - counts_[table]);
        }
        if (size == expected) {
            return std::nullopt;
        }
        std::string counts; // only for the reject: this runs for every record
        for (const std::int32_t count : counts_) {
            counts += (counts.empty() ? "" : ", ") + std::to_string(count);
        }
        return Reject("", "occurs_depending_on",
                      "the record is " + std::to_string(size) + " bytes; its OCCURS DEPENDING ON " +
                          (layout_.tables.size() == 1 ? "count (" : "counts (") + counts +
                          ") make it " + std::to_string(expected) +
                          (size > expected ? ": the " + std::to_string(size - expected) +
                                                 " bytes after the last counted item belong to "
                                                 "no field"
                                           : ""),
                      record_location(file, record));
    }

    const std::string& field_name(const Slot& slot) const {
        return layout_.schema.field(slot.column).name;
    }

    Reject field_reject(const Slot& slot,
                        const char* rule,
                        std::string reason,
                        std::string_view raw,
                        const std::string& file,
                        const RawRecord& record) const {
        // The contract of this adapter: bytes that do not decode travel as hex with the reject.
        return Reject(field_name(slot), rule, std::move(reason) + " (raw " + to_hex(raw) + ")",
                      record_location(file, record), std::string(raw));
    }

    bool view_applies(std::size_t condition) const {
        const auto& equals = layout_.conditions[condition].equals;
        return std::find(equals.begin(), equals.end(), selectors_[condition]) != equals.end();
    }

    std::optional<Reject> decode_number(const Slot& slot,
                                        std::string_view raw,
                                        ColumnBuilder& column,
                                        const std::string& file,
                                        const RawRecord& record) {
        const NumericResult number = decode_slot_number(slot, raw, ebcdic_);
        if (number.problem != nullptr) {
            return field_reject(slot, "cobol_numeric", number.problem, raw, file, record);
        }
        if (!slot.is_signed && number.value < 0 && slot.usage == Usage::Display) {
            return field_reject(slot, "cobol_numeric", "a negative value in an unsigned field", raw,
                                file, record);
        }
        Int128 unscaled = number.value;
        if (slot.multiplier > 0) {
            unscaled *= kPowersOfTen[std::min(slot.multiplier, 18)];
        }
        if (slot.counter_of >= 0) {
            const auto table = static_cast<std::size_t>(slot.counter_of);
            const OdoTable& odo = layout_.tables[table];
            if (unscaled < odo.min || unscaled > odo.max) {
                return Reject(field_name(slot), "occurs_depending_on",
                              "count out of range " + std::to_string(odo.min) + ".." +
                                  std::to_string(odo.max) + " for OCCURS DEPENDING ON",
                              record_location(file, record));
            }
            counts_[table] = static_cast<std::int32_t>(unscaled);
        }
        const bool appended = column.type().scale() == slot.scale
                                  ? column.append_decimal_unscaled(unscaled)
                                  : append_rescaled(column, unscaled, slot.scale);
        if (!appended) {
            return Reject(field_name(slot), "cobol_numeric",
                          "value exceeds the field's declared digits",
                          record_location(file, record));
        }
        for (const int condition : slot.selector_of) {
            selectors_[static_cast<std::size_t>(condition)] =
                Decimal::from_unscaled(unscaled, slot.scale).value().to_string();
        }
        return std::nullopt;
    }

    std::optional<Reject> decode_text(const Slot& slot,
                                      std::string_view raw,
                                      ColumnBuilder& column,
                                      const std::string& file,
                                      const RawRecord& record) {
        // Which page reads this field: a per-field override, the DBCS page for PIC G/N, or the
        // file's page (through its byte table when it has one).
        const int override_page =
            slot_page_[static_cast<std::size_t>(&slot - layout_.slots.data())];
        const bool dbcs = slot.kind == PicClass::Dbcs;
        CodePage& page = override_page >= 0 ? field_pages_[static_cast<std::size_t>(override_page)]
                         : dbcs             ? dbcs_page_
                                            : text_page_;
        const ByteTable* table = override_page < 0 && !dbcs && table_ ? &*table_ : nullptr;
        std::string_view text;
        if (table != nullptr) {
            if (table_buffer_.size() < raw.size() * 4) {
                table_buffer_.resize(raw.size() * 4);
            }
            std::optional<std::size_t> bad;
            const std::size_t length = table->decode(raw, table_buffer_.data(), bad);
            if (bad) {
                return field_reject(slot, "code_page",
                                    "byte " + std::to_string(*bad) + " does not decode as " +
                                        page.name(),
                                    raw, file, record);
            }
            text = trim_cobol_text({table_buffer_.data(), length});
        } else {
            // PIC G/N holds double-byte characters without shift codes; a mixed EBCDIC page
            // reads them once they are wrapped in SO ... SI.
            const bool wrap = dbcs && is_mixed_host_page(page);
            std::string_view input = raw;
            if (wrap) {
                wrapped_.assign(1, '\x0E');
                wrapped_.append(raw);
                wrapped_ += '\x0F';
                input = wrapped_;
            }
            std::string_view decoded;
            if (auto failure = page.decode_view(input, scratch_, decoded)) {
                const std::size_t offset = failure->offset - (wrap && failure->offset > 0 ? 1 : 0);
                return field_reject(slot, "code_page",
                                    "byte " + std::to_string(offset) + " does not decode as " +
                                        page.name() + (wrap ? " DBCS: " : ": ") + failure->reason,
                                    raw, file, record);
            }
            text = trim_cobol_text(decoded);
        }
        column.append_text_unchecked(text);
        for (const int condition : slot.selector_of) {
            selectors_[static_cast<std::size_t>(condition)] = std::string(text);
        }
        return std::nullopt;
    }

    CopybookLayout layout_;
    CodePage text_page_;
    CodePage dbcs_page_;
    std::vector<CodePage> field_pages_;
    std::vector<int> slot_page_; ///< per slot: index into field_pages_, or -1
    std::optional<ByteTable> table_;
    bool ebcdic_;
    std::vector<std::int32_t> counts_;
    std::vector<std::string> selectors_;
    std::string scratch_;
    std::string wrapped_;
    std::vector<char> table_buffer_;
    std::size_t column_base_;
    bool variable_length_; ///< where this record's columns start in the batch
};

Result<std::string> read_copybook(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const auto slash = path.find_last_of('/');
        return Status::not_found("cannot read copybook " +
                                 (slash == std::string::npos ? path : path.substr(slash + 1)));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

Result<std::unique_ptr<CopybookRecordDecoder>> make_record_decoder(CopybookLayout layout,
                                                                   const SourceOptions& options,
                                                                   std::size_t column_base,
                                                                   std::set<std::string>& matched) {
    const CopybookSpec& spec = options.copybook;
    FERRY_ASSIGN_OR_RETURN(CodePage text_page, CodePage::open(options.encoding));
    const std::string dbcs_name =
        spec.dbcs_encoding.empty() ? options.encoding : spec.dbcs_encoding;
    FERRY_ASSIGN_OR_RETURN(CodePage dbcs_page, CodePage::open(dbcs_name));
    std::vector<CodePage> field_pages;
    std::vector<int> slot_page(layout.slots.size(), -1);
    for (const auto& [field, page_name] : spec.field_encodings.items()) {
        bool found = false;
        for (std::size_t idx = 0; idx < layout.slots.size(); ++idx) {
            if (layout.slots[idx].item == field) {
                slot_page[idx] = static_cast<int>(field_pages.size());
                found = true;
            }
        }
        if (found) {
            FERRY_ASSIGN_OR_RETURN(CodePage page, CodePage::open(page_name.get<std::string>()));
            field_pages.push_back(std::move(page));
            matched.insert(field);
        }
    }
    const bool variable_length = options.record_format == RecordFormat::Variable ||
                                 options.record_format == RecordFormat::VariableBlocked ||
                                 options.record_format == RecordFormat::GnuCobolVariable;
    return std::unique_ptr<CopybookRecordDecoder>(std::make_unique<CopybookDecoder>(
        std::move(layout), std::move(text_page), std::move(dbcs_page), std::move(field_pages),
        std::move(slot_page), column_base, variable_length));
}

NumericResult decode_slot_number(const Slot& slot, std::string_view raw, bool ebcdic) noexcept {
    switch (slot.usage) {
    case Usage::Packed:
        return decode_packed(raw);
    case Usage::Binary:
        return decode_binary(raw, slot.is_signed, true);
    case Usage::NativeBinary:
        return decode_binary(raw, slot.is_signed, false);
    default:
        return decode_zoned(raw, ebcdic, slot.is_signed, slot.sign_leading, slot.sign_separate);
    }
}

std::string_view trim_cobol_text(std::string_view text) {
    std::size_t end = text.size();
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\0')) {
        --end;
    }
    return text.substr(0, end);
}

const CopybookItem* find_record(const Copybook& book, const std::string& name) {
    for (const auto& candidate : book.records) {
        if (candidate.name == name) {
            return &candidate;
        }
    }
    return nullptr;
}

Status check_field_encodings(const CopybookSpec& spec,
                             const std::set<std::string>& matched,
                             const std::string& name) {
    for (const auto& [field, page_name] : spec.field_encodings.items()) {
        if (matched.count(field) == 0) {
            return Status::invalid_argument("field_encodings: no item " + field + " in " + name);
        }
    }
    return {};
}

Result<std::unique_ptr<RecordDecoder>> make_copybook_decoder(const SourceOptions& options) {
    const CopybookSpec& spec = options.copybook;
    std::string text = spec.text;
    std::string name = "copybook_text";
    if (!spec.path.empty()) {
        FERRY_ASSIGN_OR_RETURN(text, read_copybook(spec.path));
        const auto slash = spec.path.find_last_of('/');
        name = slash == std::string::npos ? spec.path : spec.path.substr(slash + 1);
    }
    FERRY_ASSIGN_OR_RETURN(Copybook book, parse_copybook(text, name));
    if (!spec.segments.field.empty()) {
        return make_segmented_decoder(book, options, name);
    }
    const CopybookItem* record = &book.records.front();
    if (!spec.record.empty()) {
        record = find_record(book, spec.record);
        if (record == nullptr) {
            return Status::invalid_argument(name + ": no 01 record named " + spec.record);
        }
    }
    FERRY_ASSIGN_OR_RETURN(CopybookLayout layout,
                           flatten_record(*record, spec.redefines, spec.little_endian_native));
    std::set<std::string> matched;
    FERRY_ASSIGN_OR_RETURN(auto decoder,
                           make_record_decoder(std::move(layout), options, 0, matched));
    FERRY_RETURN_IF_ERROR(check_field_encodings(spec, matched, name));
    return std::unique_ptr<RecordDecoder>(std::move(decoder));
}

} // namespace ferry::flatfile
