// SPDX-License-Identifier: Apache-2.0
// text_decoders.cpp — delimited and fixed-width records: ragged rows, lengths, split characters,
// summary lines, each a reject or an error that says where.
#include <algorithm>
#include <unordered_map>

#include "ferry/codepage.h"
#include "ferry/decimal.h"
#include "ferry/text.h"

#include "record_decoder.h"

namespace ferry::flatfile {

std::string record_location(const std::string& file, const RawRecord& record) {
    if (record.line > 0) {
        return file + ":" + std::to_string(record.line) + " (byte " +
               std::to_string(record.offset) + ")";
    }
    return file + ": byte " + std::to_string(record.offset);
}

namespace {

Schema schema_of(const std::vector<TextField>& fields) {
    std::vector<Field> schema_fields;
    for (const auto& field : fields) {
        schema_fields.push_back({field.name, field.type, field.nullable});
    }
    return Schema(std::move(schema_fields));
}

/// The file's code page plus any per-field overrides, one iconv state each.
class FieldCodePages {
public:
    static Result<FieldCodePages> open(const std::string& encoding,
                                       const std::vector<TextField>& fields) {
        FieldCodePages pages;
        FERRY_ASSIGN_OR_RETURN(CodePage main, CodePage::open(encoding));
        pages.pages_.push_back(std::move(main));
        for (const auto& field : fields) {
            std::size_t index = 0;
            if (field.code_page) {
                FERRY_ASSIGN_OR_RETURN(CodePage page, CodePage::open(*field.code_page));
                pages.pages_.push_back(std::move(page));
                index = pages.pages_.size() - 1;
            }
            pages.field_page_.push_back(index);
        }
        return pages;
    }

    CodePage& for_field(std::size_t field) { return pages_[field_page_[field]]; }

    CodePage& main() { return pages_.front(); }

    /// Every field reads UTF-8 (no per-field page says otherwise).
    bool all_utf8() const {
        return std::all_of(pages_.begin(), pages_.end(),
                           [](const CodePage& page) { return page.is_utf8(); });
    }

private:
    std::vector<CodePage> pages_;
    std::vector<std::size_t> field_page_;
};

Reject field_reject(const TextField& field,
                    FieldProblem problem,
                    std::string location,
                    std::string_view raw) {
    std::optional<std::string> raw_bytes;
    if (problem.rule == "code_page") {
        // Undecodable bytes travel with the reject, as hex in the reason too: never a silent
        // replacement character, and enough to diagnose a wrong code page.
        problem.reason += " (raw " + to_hex(raw) + ")";
        raw_bytes = std::string(raw);
    }
    return Reject(field.name, std::move(problem.rule), std::move(problem.reason),
                  std::move(location), std::move(raw_bytes));
}

class DelimitedDecoder final : public RecordDecoder {
public:
    DelimitedDecoder(const SourceOptions& options,
                     std::vector<TextField> columns,
                     FieldCodePages pages)
        : syntax_(options.syntax)
        , columns_(std::move(columns))
        , schema_(schema_of(columns_))
        , pages_(std::move(pages))
        , summary_(options.summary)
        , all_utf8_(pages_.all_utf8()) {
        if (summary_ && !summary_->amount_column.empty()) {
            for (std::size_t idx = 0; idx < columns_.size(); ++idx) {
                if (columns_[idx].name == summary_->amount_column) {
                    amount_column_ = idx;
                }
            }
        }
    }

    Status check() const {
        if (summary_ && !summary_->amount_column.empty() && !amount_column_) {
            return Status::invalid_argument("summary: no column \"" + summary_->amount_column +
                                            "\"");
        }
        return {};
    }

    const Schema& schema() const override { return schema_; }

    std::optional<Reject>
    decode(const RawRecord& record, const std::string& file, BatchBuilder& out) override {
        ++data_records_;
        if (record.truncated) {
            return Reject("", "quote", "the file ends inside a quoted field",
                          record_location(file, record));
        }
        if (auto problem = split_delimited(record.bytes, syntax_, cells_, unescaped_)) {
            return Reject("", "quote", *problem, record_location(file, record));
        }
        if (cells_.size() != columns_.size()) {
            amount_unparsed_ += amount_column_ ? 1 : 0;
            return Reject("", "ragged_row",
                          std::to_string(cells_.size()) + " fields, expected " +
                              std::to_string(columns_.size()),
                          record_location(file, record));
        }
        if (amount_column_) {
            add_amount(cells_[*amount_column_]); // the summary counts rejected records too
        }
        // A UTF-8 record checked whole (one pass over its bytes) needs no check per cell: cells
        // split at ASCII delimiters and unescaped by dropping ASCII are valid UTF-8 too.
        const bool valid = all_utf8_ && find_invalid_utf8(record.bytes) == kAllValid;
        for (std::size_t idx = 0; idx < columns_.size(); ++idx) {
            if (auto problem = append_text_cell(columns_[idx], cells_[idx], pages_.for_field(idx),
                                                out.column(idx), scratch_, valid)) {
                return field_reject(columns_[idx], std::move(*problem),
                                    record_location(file, record), cells_[idx]);
            }
        }
        return std::nullopt;
    }

    nlohmann::json state() const override {
        if (!summary_) {
            return nullptr;
        }
        return {{"records", data_records_}, {"amount", amount_.to_string()}};
    }

    Status restore(const nlohmann::json& state) override {
        if (!summary_ || !state.is_object()) {
            return {};
        }
        data_records_ = state.value("records", std::int64_t{0});
        FERRY_ASSIGN_OR_RETURN(amount_, Decimal::parse(state.value("amount", std::string("0"))));
        return {};
    }

    Status set_summary(const RawRecord& line, const std::string& file) override {
        summary_location_ = record_location(file, line);
        std::vector<std::string_view> cells;
        std::string unescaped;
        if (auto problem = split_delimited(line.bytes, syntax_, cells, unescaped)) {
            return Status::data(summary_location_ + ": summary line: " + *problem);
        }
        const auto pick = [&](std::size_t field, const char* what) -> Result<std::string> {
            if (field == 0) {
                return std::string();
            }
            if (field > cells.size()) {
                return Status::data(summary_location_ + ": the summary line has no field " +
                                    std::to_string(field) + " (" + what + ")");
            }
            std::string text;
            if (auto failure = pages_.main().decode(cells[field - 1], text)) {
                return Status::data(summary_location_ + ": summary " + what +
                                    " does not decode: " + failure->reason);
            }
            return std::string(trim_ascii_spaces(text));
        };
        FERRY_ASSIGN_OR_RETURN(const std::string count, pick(summary_->count_field, "count"));
        FERRY_ASSIGN_OR_RETURN(const std::string amount, pick(summary_->amount_field, "amount"));
        if (!count.empty()) {
            FERRY_ASSIGN_OR_RETURN(const Decimal parsed, Decimal::parse(count));
            if (parsed.scale() != 0) {
                return Status::data(summary_location_ + ": summary count is not a whole number");
            }
            expected_records_ = static_cast<std::int64_t>(parsed.unscaled());
        }
        if (!amount.empty()) {
            auto parsed = Decimal::parse(amount);
            if (!parsed.ok()) {
                return Status::data(summary_location_ + ": summary amount is not a number");
            }
            expected_amount_ = *parsed;
        }
        return {};
    }

    Status finish(const std::string& file) override {
        if (summary_ && summary_location_.empty()) {
            return Status::data(file + ": the summary line is missing");
        }
        return {};
    }

    // The summary's count and total are what the file declares; the host compares them with
    // the records it counted and the decoder's running total (which spans a resume).
    void account(plugin::StreamAccounting& accounting) const override {
        if (expected_records_) {
            accounting.declare_records(*expected_records_, summary_location_ + " (summary count)");
        }
        if (expected_amount_) {
            const std::string unread =
                amount_unparsed_ > 0
                    ? "; " + std::to_string(amount_unparsed_) + " amounts could not be read"
                    : std::string();
            accounting.declare_sum(summary_->amount_column, *expected_amount_,
                                   summary_location_ + " (summary total" + unread + ")");
            accounting.observe_sum(summary_->amount_column, amount_);
        }
    }

    bool has_controls() const override {
        return summary_ && (summary_->count_field > 0 || summary_->amount_field > 0);
    }

    // The verify pass needs the record count and the amount column only: no cell is converted.
    // The same rules as decode(), so both passes reach the same figures.
    bool observe_controls(const RawRecord& record, const std::string& /*file*/) override {
        ++data_records_;
        if (!amount_column_ || record.truncated ||
            split_delimited(record.bytes, syntax_, cells_, unescaped_)) {
            return true;
        }
        if (cells_.size() != columns_.size()) {
            ++amount_unparsed_;
            return true;
        }
        add_amount(cells_[*amount_column_]);
        return true;
    }

    Status verify_declared() const override {
        if (expected_records_ && *expected_records_ != data_records_) {
            return Status::data(summary_location_ + ": the summary line counts " +
                                std::to_string(*expected_records_) + " records, the file has " +
                                std::to_string(data_records_));
        }
        if (expected_amount_ && expected_amount_->compare(amount_) != 0) {
            return Status::data(summary_location_ + ": the summary total " +
                                expected_amount_->to_string() + " differs from the sum of \"" +
                                summary_->amount_column + "\" (" + amount_.to_string() + ")" +
                                (amount_unparsed_ > 0 ? "; " + std::to_string(amount_unparsed_) +
                                                            " amounts could not be read"
                                                      : std::string()));
        }
        return {};
    }

private:
    void add_amount(std::string_view raw) {
        scratch_.clear();
        if (pages_.main().decode(raw, scratch_)) {
            ++amount_unparsed_;
            return;
        }
        const TextField& column = columns_[*amount_column_];
        const std::string_view text = trim_ascii_spaces(scratch_);
        Decimal value;
        if (column.type.kind() == TypeKind::Decimal128) {
            if (parse_decimal_text(text, column.type, column.implied_decimals, value)) {
                ++amount_unparsed_;
                return;
            }
        } else if (auto parsed = Decimal::parse(text); parsed.ok()) {
            value = *parsed;
        } else {
            ++amount_unparsed_;
            return;
        }
        if (auto sum = amount_.add(value); sum.ok()) {
            amount_ = *sum;
        }
    }

    DelimitedSyntax syntax_;
    std::vector<TextField> columns_;
    Schema schema_;
    FieldCodePages pages_;
    std::optional<SummarySpec> summary_;
    bool all_utf8_; ///< every field reads UTF-8: records are checked whole
    std::optional<std::size_t> amount_column_;
    std::vector<std::string_view> cells_;
    std::string unescaped_;
    std::string scratch_;
    std::int64_t data_records_ = 0;
    std::int64_t amount_unparsed_ = 0;
    Decimal amount_;
    std::string summary_location_;
    std::optional<std::int64_t> expected_records_;
    std::optional<Decimal> expected_amount_;
};

class FixedDecoder final : public RecordDecoder {
public:
    FixedDecoder(const SourceOptions& options, FieldCodePages pages)
        : fields_(options.fields)
        , schema_(schema_of(fields_))
        , pages_(std::move(pages))
        , step_(options.syntax.step) {
        for (const auto& field : fields_) {
            record_length_ = std::max(record_length_, field.start + field.length);
        }
        if (options.record_length > 0) {
            record_length_ = options.record_length;
        }
    }

    const Schema& schema() const override { return schema_; }

    std::optional<Reject>
    decode(const RawRecord& record, const std::string& file, BatchBuilder& out) override {
        const std::string_view bytes = record.bytes;
        if (bytes.size() != record_length_) {
            return Reject("", "record_length",
                          std::to_string(bytes.size()) + " bytes, expected " +
                              std::to_string(record_length_),
                          record_location(file, record));
        }
        if (step_ != CharStep::Single) {
            mark_character_starts(bytes);
        }
        for (std::size_t idx = 0; idx < fields_.size(); ++idx) {
            const TextField& field = fields_[idx];
            if (step_ != CharStep::Single &&
                (!starts_[field.start] || !starts_[field.start + field.length])) {
                const std::size_t cut =
                    starts_[field.start] ? field.start + field.length : field.start;
                return Reject(field.name, "split_character",
                              "a double-byte character is split at byte " + std::to_string(cut) +
                                  " of the record",
                              record_location(file, record),
                              std::string(bytes.substr(field.start, field.length)));
            }
            const std::string_view raw = bytes.substr(field.start, field.length);
            if (auto problem = append_text_cell(field, raw, pages_.for_field(idx), out.column(idx),
                                                scratch_)) {
                return field_reject(field, std::move(*problem), record_location(file, record), raw);
            }
        }
        return std::nullopt;
    }

private:
    // GBK never splits: a field boundary inside a double-byte character is a layout error or a
    // record shifted by a byte, both of which would otherwise turn into mojibake.
    void mark_character_starts(std::string_view bytes) {
        starts_.assign(bytes.size() + 1, false);
        std::size_t pos = 0;
        while (pos < bytes.size()) {
            starts_[pos] = true;
            pos += char_length(step_, bytes, pos);
        }
        starts_[bytes.size()] = true;
    }

    std::vector<TextField> fields_;
    Schema schema_;
    FieldCodePages pages_;
    CharStep step_;
    std::size_t record_length_ = 0;
    std::vector<bool> starts_;
    std::string scratch_;
};

} // namespace

Result<std::vector<TextField>> columns_from_header(const RawRecord& header,
                                                   const SourceOptions& options) {
    std::vector<std::string_view> cells;
    std::string unescaped;
    if (auto problem = split_delimited(header.bytes, options.syntax, cells, unescaped)) {
        return Status::data("header row: " + *problem);
    }
    FERRY_ASSIGN_OR_RETURN(CodePage page, CodePage::open(options.encoding));
    std::vector<TextField> columns;
    for (const auto cell : cells) {
        std::string name;
        if (auto failure = page.decode(cell, name)) {
            return Status::data("header row: a column name does not decode as " + page.name() +
                                ": " + failure->reason);
        }
        TextField field;
        field.name = std::string(trim_ascii_spaces(name));
        field.trim = "none";
        field.source_type = "text";
        if (field.name.empty()) {
            field.name = "column_" + std::to_string(columns.size() + 1);
        }
        columns.push_back(std::move(field));
    }
    return columns;
}

Result<std::unique_ptr<RecordDecoder>> make_delimited_decoder(const SourceOptions& options,
                                                              std::vector<TextField> columns) {
    FERRY_ASSIGN_OR_RETURN(FieldCodePages pages, FieldCodePages::open(options.encoding, columns));
    auto decoder =
        std::make_unique<DelimitedDecoder>(options, std::move(columns), std::move(pages));
    FERRY_RETURN_IF_ERROR(decoder->check());
    return std::unique_ptr<RecordDecoder>(std::move(decoder));
}

Result<std::unique_ptr<RecordDecoder>> make_fixed_decoder(const SourceOptions& options) {
    FERRY_ASSIGN_OR_RETURN(FieldCodePages pages,
                           FieldCodePages::open(options.encoding, options.fields));
    return std::unique_ptr<RecordDecoder>(
        std::make_unique<FixedDecoder>(options, std::move(pages)));
}

} // namespace ferry::flatfile
