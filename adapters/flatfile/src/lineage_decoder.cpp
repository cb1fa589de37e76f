// SPDX-License-Identifier: Apache-2.0
// lineage_decoder.cpp — every delivered row says where it came from: the file's name and the
// record's byte offset in it, as two trailing columns (record numbers travel with the batch).
#include "record_decoder.h"

namespace ferry::flatfile {

namespace {

class LineageDecoder final : public RecordDecoder {
public:
    explicit LineageDecoder(std::unique_ptr<RecordDecoder> inner)
        : inner_(std::move(inner))
        , first_(inner_->schema().size()) {
        std::vector<Field> fields = inner_->schema().fields();
        fields.push_back({std::string(kLineageFileColumn), DataType::utf8(), false});
        fields.push_back({std::string(kLineageOffsetColumn), DataType::int64(), false});
        schema_ = Schema(std::move(fields));
    }

    const Schema& schema() const override { return schema_; }

    std::optional<Reject>
    decode(const RawRecord& record, const std::string& file, BatchBuilder& out) override {
        if (auto reject = inner_->decode(record, file, out)) {
            return reject;
        }
        out.column(first_).append_text_unchecked(file);
        out.column(first_ + 1).append_int64(record.offset);
        return std::nullopt;
    }

    nlohmann::json source_types() const override {
        nlohmann::json types = inner_->source_types();
        if (types.is_array() && !types.empty()) {
            types.push_back("lineage: the file the record was read from");
            types.push_back("lineage: the record's byte offset in that file");
        }
        return types;
    }

    std::size_t record_length() const override { return inner_->record_length(); }

    nlohmann::json state() const override { return inner_->state(); }

    Status restore(const nlohmann::json& state) override { return inner_->restore(state); }

    Status set_summary(const RawRecord& line, const std::string& file) override {
        return inner_->set_summary(line, file);
    }

    Status finish(const std::string& file) override { return inner_->finish(file); }

    void account(plugin::StreamAccounting& accounting) const override {
        inner_->account(accounting);
    }

    Status verify_declared() const override { return inner_->verify_declared(); }

    bool has_controls() const override { return inner_->has_controls(); }

    bool observe_controls(const RawRecord& record, const std::string& file) override {
        return inner_->observe_controls(record, file);
    }

private:
    std::unique_ptr<RecordDecoder> inner_;
    std::size_t first_;
    Schema schema_;
};

} // namespace

std::unique_ptr<RecordDecoder> with_lineage(std::unique_ptr<RecordDecoder> decoder) {
    return std::make_unique<LineageDecoder>(std::move(decoder));
}

} // namespace ferry::flatfile
