// SPDX-License-Identifier: Apache-2.0
// batch_builder.cpp — the record protocol (begin / commit / reject) and FerryBatch export.
#include "ferry/batch_builder.h"

#include <utility>

#include <nlohmann/json.hpp>

namespace ferry {

namespace {

// An exported FerryBatch owns its lineage, rejects and checkpoint through this.
struct BatchPrivate {
    std::vector<std::int64_t> record_nos;
    std::vector<Reject> rejects;
    std::vector<FerryReject> reject_views;
    std::string checkpoint;
    std::vector<std::vector<std::uint8_t>> absent_bits; // per field; empty: none absent
    std::vector<const std::uint8_t*> absent;            // FerryBatch.absent
};

const char* c_str_or_null(const std::string& text) noexcept {
    return text.empty() ? nullptr : text.c_str();
}

void release_batch(FerryBatch* batch) {
    if (batch == nullptr || batch->release == nullptr) {
        return;
    }
    if (batch->data.release != nullptr) {
        batch->data.release(&batch->data);
    }
    delete static_cast<BatchPrivate*>(batch->private_data);
    batch->release = nullptr;
}

} // namespace

BatchBuilder::BatchBuilder(Schema schema, std::int64_t capacity)
    : schema_(std::move(schema))
    , capacity_(capacity > 0 ? capacity : 1)
    , root_(DataType::struct_of(schema_.fields())) {}

Status BatchBuilder::begin_record(std::int64_t record_no) {
    if (open_record_no_ >= 0) {
        return Status::internal("record " + std::to_string(open_record_no_) +
                                " was neither committed nor rejected before record " +
                                std::to_string(record_no) + " began");
    }
    open_record_no_ = record_no;
    ++records_read_;
    return {};
}

Status BatchBuilder::commit_record() {
    if (open_record_no_ < 0) {
        return Status::internal("commit_record() without begin_record()");
    }
    for (std::size_t idx = 0; idx < schema_.size(); ++idx) {
        const std::int64_t cells = root_.children_[idx].length() - rows_;
        if (cells != 1) {
            const std::int64_t record_no = open_record_no_;
            rollback_open_record();
            return Status::internal("column has " + std::to_string(cells) +
                                    " new cells for one record, expected 1")
                .with_field(schema_.field(idx).name)
                .with_record_no(record_no);
        }
    }
    root_.append_struct();
    record_nos_.push_back(open_record_no_);
    ++rows_;
    open_record_no_ = -1;
    return {};
}

Status BatchBuilder::commit_records(std::span<const std::int64_t> record_nos) {
    if (open_record_no_ >= 0) {
        return Status::internal("commit_records() while record " + std::to_string(open_record_no_) +
                                " is open");
    }
    const auto count = static_cast<std::int64_t>(record_nos.size());
    for (std::size_t idx = 0; idx < schema_.size(); ++idx) {
        const std::int64_t cells = root_.children_[idx].length() - rows_;
        if (cells != count) {
            root_.truncate(rows_);
            return Status::internal("column has " + std::to_string(cells) + " new cells for " +
                                    std::to_string(count) + " records")
                .with_field(schema_.field(idx).name);
        }
    }
    for (std::int64_t row = 0; row < count; ++row) {
        root_.append_struct();
    }
    record_nos_.insert(record_nos_.end(), record_nos.begin(), record_nos.end());
    rows_ += count;
    records_read_ += count;
    return {};
}

void BatchBuilder::reject_record(Reject reject) {
    if (open_record_no_ < 0) {
        throw BadResultAccess(Status::internal("reject_record() without begin_record()"));
    }
    root_.truncate(rows_);
    if (reject.code == StatusCode::Ok) {
        reject.code = StatusCode::Data;
    }
    rejects_.push_back(std::move(reject));
    reject_record_nos_.push_back(open_record_no_);
    open_record_no_ = -1;
}

void BatchBuilder::rollback_open_record() {
    root_.truncate(rows_);
    --records_read_;
    open_record_no_ = -1;
}

Status BatchBuilder::append_record(std::int64_t record_no, std::span<const Value> values) {
    if (values.size() != schema_.size()) {
        return Status::internal("append_record() got " + std::to_string(values.size()) +
                                " values for " + std::to_string(schema_.size()) + " fields")
            .with_record_no(record_no);
    }
    FERRY_RETURN_IF_ERROR(begin_record(record_no));
    for (std::size_t idx = 0; idx < values.size(); ++idx) {
        Status status = root_.children_[idx].append_value(values[idx]);
        if (!status.ok()) {
            rollback_open_record();
            return std::move(status).with_field(schema_.field(idx).name).with_record_no(record_no);
        }
    }
    return commit_record();
}

Status BatchBuilder::reject(std::int64_t record_no, Reject reject) {
    FERRY_RETURN_IF_ERROR(begin_record(record_no));
    reject_record(std::move(reject));
    return {};
}

Status BatchBuilder::skip_record(std::int64_t record_no, std::string_view reason) {
    if (open_record_no_ >= 0) {
        return Status::internal("skip_record(" + std::to_string(record_no) + ") while record " +
                                std::to_string(open_record_no_) + " is open");
    }
    if (reason.empty()) {
        return Status::internal("skip_record(" + std::to_string(record_no) + ") without a reason");
    }
    const auto found = skip_reasons_.find(reason);
    if (found != skip_reasons_.end()) {
        ++found->second;
    } else {
        skip_reasons_.emplace(std::string(reason), 1);
    }
    ++skipped_;
    ++records_read_;
    return {};
}

void BatchBuilder::carry_skipped(std::int64_t count) noexcept {
    skipped_ += count;
    records_read_ += count;
}

void BatchBuilder::set_checkpoint(const nlohmann::json& checkpoint) {
    checkpoint_ = checkpoint.dump();
}

Status BatchBuilder::finish(FerryBatch* out) {
    if (open_record_no_ >= 0) {
        return Status::internal("finish() while record " + std::to_string(open_record_no_) +
                                " is neither committed nor rejected");
    }
    auto* priv = new BatchPrivate();
    priv->record_nos = std::exchange(record_nos_, {});
    priv->rejects = std::exchange(rejects_, {});
    const std::vector<std::int64_t> reject_nos = std::exchange(reject_record_nos_, {});
    priv->reject_views.reserve(priv->rejects.size());
    for (std::size_t idx = 0; idx < priv->rejects.size(); ++idx) {
        const Reject& reject = priv->rejects[idx];
        FerryReject view{};
        view.record_no = reject_nos[idx];
        view.field = c_str_or_null(reject.field);
        view.rule = c_str_or_null(reject.rule);
        view.reason = reject.reason.c_str();
        view.location = c_str_or_null(reject.location);
        view.raw = reject.raw ? reject.raw->data() : nullptr;
        view.raw_size = reject.raw ? static_cast<std::int64_t>(reject.raw->size()) : 0;
        view.code = static_cast<FerryStatus>(reject.code);
        priv->reject_views.push_back(view);
    }
    priv->checkpoint = checkpoint_.value_or(std::string());

    bool any_absent = false;
    priv->absent_bits.resize(schema_.size());
    for (std::size_t idx = 0; idx < schema_.size(); ++idx) {
        priv->absent_bits[idx] = root_.children_[idx].take_absent();
        any_absent = any_absent || !priv->absent_bits[idx].empty();
    }
    if (any_absent) {
        for (const std::vector<std::uint8_t>& bits : priv->absent_bits) {
            priv->absent.push_back(bits.empty() ? nullptr : bits.data());
        }
    }

    root_.finish_into(&out->data);
    out->record_nos = priv->record_nos.empty() ? nullptr : priv->record_nos.data();
    out->rejects = priv->reject_views.empty() ? nullptr : priv->reject_views.data();
    out->n_rejects = static_cast<std::int64_t>(priv->reject_views.size());
    out->records_read = records_read_;
    out->records_skipped = skipped_;
    out->absent = any_absent ? priv->absent.data() : nullptr;
    out->checkpoint = checkpoint_ ? priv->checkpoint.c_str() : nullptr;
    out->release = &release_batch;
    out->private_data = priv;

    checkpoint_.reset();
    skip_reasons_.clear();
    skipped_ = 0;
    rows_ = 0;
    records_read_ = 0;
    return {};
}

} // namespace ferry
