// SPDX-License-Identifier: Apache-2.0
// batch.cpp — typed reads of Arrow buffers, and the checks a host runs on incoming batches.
#include "ferry/batch.h"

#include <cstring>
#include <string>
#include <utility>

#include "ferry/text.h"

namespace ferry {

namespace {

template <typename T>
T load(const void* buffer, std::int64_t index) noexcept {
    T value;
    std::memcpy(&value, static_cast<const std::uint8_t*>(buffer) + index * std::int64_t{sizeof(T)},
                sizeof(T));
    return value;
}

// Arrow bitmaps are least-significant-bit first.
bool bit_at(const std::uint8_t* bits, std::int64_t index) noexcept {
    const auto byte = static_cast<unsigned>(bits[index >> 3]);
    return ((byte >> static_cast<unsigned>(index & 7)) & 1u) != 0;
}

std::int64_t expected_buffers(TypeKind kind) noexcept {
    switch (kind) {
    case TypeKind::Struct:
        return 1;
    case TypeKind::Utf8:
    case TypeKind::Binary:
        return 3;
    default:
        return 2;
    }
}

Status check_array(const ArrowArray& array,
                   const DataType& type,
                   std::int64_t length,
                   const std::string& path,
                   BatchCheck level) {
    auto fail = [&](const std::string& what) {
        return Status::internal("malformed batch from plugin: " + what).with_field(path);
    };
    if (array.release == nullptr) {
        return fail("column is released");
    }
    if (array.length != length || array.offset != 0) {
        return fail("column length " + std::to_string(array.length) + " (offset " +
                    std::to_string(array.offset) + "), expected " + std::to_string(length));
    }
    if (array.n_buffers != expected_buffers(type.kind()) || array.buffers == nullptr) {
        return fail("column has " + std::to_string(array.n_buffers) + " buffers for " +
                    type.to_string());
    }
    if (array.null_count < 0 || array.null_count > length ||
        (array.null_count > 0 && array.buffers[0] == nullptr)) {
        return fail("bad null count " + std::to_string(array.null_count));
    }
    for (std::int64_t idx = 1; idx < array.n_buffers; ++idx) {
        if (array.buffers[idx] == nullptr) {
            return fail("buffer " + std::to_string(idx) + " is NULL");
        }
    }
    if (array.dictionary != nullptr) {
        return fail("dictionary arrays are not supported");
    }
    const auto& fields = type.fields();
    if (array.n_children != static_cast<std::int64_t>(fields.size())) {
        return fail("column has " + std::to_string(array.n_children) + " children, expected " +
                    std::to_string(fields.size()));
    }
    for (std::size_t idx = 0; idx < fields.size(); ++idx) {
        FERRY_RETURN_IF_ERROR(check_array(*array.children[idx], fields[idx].type, length,
                                          path + "." + fields[idx].name, level));
    }
    if (level == BatchCheck::Full &&
        (type.kind() == TypeKind::Utf8 || type.kind() == TypeKind::Binary)) {
        const auto* offsets = static_cast<const std::int32_t*>(array.buffers[1]);
        if (offsets[0] != 0) {
            return fail("first offset is not 0");
        }
        for (std::int64_t row = 0; row < length; ++row) {
            if (offsets[row + 1] < offsets[row]) {
                return fail("offsets decrease at row " + std::to_string(row));
            }
        }
        if (type.kind() == TypeKind::Utf8) {
            const std::string_view all(static_cast<const char*>(array.buffers[2]),
                                       static_cast<std::size_t>(offsets[length]));
            if (const std::size_t bad = find_invalid_utf8(all); bad != kAllValid) {
                return fail("invalid UTF-8 at byte " + std::to_string(bad));
            }
        }
    }
    return {};
}

} // namespace

bool ColumnView::is_null(std::int64_t row) const noexcept {
    const auto* validity = static_cast<const std::uint8_t*>(array_->buffers[0]);
    return validity != nullptr && !bit_at(validity, row);
}

bool ColumnView::boolean(std::int64_t row) const noexcept {
    return bit_at(static_cast<const std::uint8_t*>(array_->buffers[1]), row);
}

std::int64_t ColumnView::int64(std::int64_t row) const noexcept {
    return load<std::int64_t>(array_->buffers[1], row);
}

Decimal ColumnView::decimal(std::int64_t row) const noexcept {
    return Decimal::from_le_bytes(static_cast<const std::uint8_t*>(array_->buffers[1]) + row * 16,
                                  type_->scale());
}

Date ColumnView::date(std::int64_t row) const noexcept {
    return Date::from_days(load<std::int32_t>(array_->buffers[1], row));
}

Timestamp ColumnView::timestamp(std::int64_t row) const noexcept {
    return Timestamp::from_micros(load<std::int64_t>(array_->buffers[1], row));
}

std::string_view ColumnView::text(std::int64_t row) const noexcept {
    const auto* offsets = static_cast<const std::int32_t*>(array_->buffers[1]);
    const auto* data = static_cast<const char*>(array_->buffers[2]);
    return {data + offsets[row], static_cast<std::size_t>(offsets[row + 1] - offsets[row])};
}

ColumnView ColumnView::child(std::size_t index) const {
    return ColumnView(array_->children[index], &type_->fields().at(index).type);
}

Value ColumnView::value(std::int64_t row) const {
    if (is_null(row)) {
        return Value::null();
    }
    switch (type_->kind()) {
    case TypeKind::Bool:
        return Value::boolean(boolean(row));
    case TypeKind::Int64:
        return Value::int64(int64(row));
    case TypeKind::Decimal128:
        return Value::decimal(decimal(row));
    case TypeKind::Date32:
        return Value::date(date(row));
    case TypeKind::TimestampMicros:
        return Value::timestamp(timestamp(row));
    case TypeKind::Utf8: {
        // A batch checked only for structure may still hold bad UTF-8: keep such bytes as bytes.
        const std::string_view cell = text(row);
        return is_valid_utf8(cell) ? Value::text(std::string(cell)).value()
                                   : Value::bytes(std::string(cell));
    }
    case TypeKind::Binary:
        return Value::bytes(std::string(text(row)));
    case TypeKind::Struct:
        break;
    }
    return Value::null();
}

namespace {

// A value marked absent must be null, so hosts that know nothing of absence read it right.
Status check_absent(const FerryBatch& batch, const Schema& schema) {
    if (batch.absent == nullptr) {
        return {};
    }
    for (std::size_t field = 0; field < schema.size(); ++field) {
        const std::uint8_t* bits = batch.absent[field];
        if (bits == nullptr) {
            continue;
        }
        const ArrowArray& column = *batch.data.children[field];
        const auto* validity = static_cast<const std::uint8_t*>(column.buffers[0]);
        for (std::int64_t row = 0; row < batch.data.length; ++row) {
            if (((bits[row >> 3] >> (row & 7)) & 1) == 0) {
                continue;
            }
            const std::int64_t at = row + column.offset;
            if (validity == nullptr || ((validity[at >> 3] >> (at & 7)) & 1) != 0) {
                return Status::internal("malformed batch from plugin: field \"" +
                                        schema.fields()[field].name + "\" of row " +
                                        std::to_string(row) + " is marked absent but holds a value")
                    .with_record_no(batch.record_nos[row]);
            }
        }
    }
    return {};
}

} // namespace

Status validate_batch(const FerryBatch& batch, const Schema& schema, BatchCheck level) {
    const std::int64_t rows = batch.data.length;
    if (rows < 0 || batch.n_rejects < 0) {
        return Status::internal("malformed batch from plugin: negative counts");
    }
    if (batch.records_skipped < 0 ||
        rows + batch.n_rejects + batch.records_skipped != batch.records_read) {
        return Status::internal("plugin lost records: batch read " +
                                std::to_string(batch.records_read) + " but delivered " +
                                std::to_string(rows) + ", rejected " +
                                std::to_string(batch.n_rejects) + " and skipped " +
                                std::to_string(batch.records_skipped));
    }
    if ((rows > 0 && batch.record_nos == nullptr) ||
        (batch.n_rejects > 0 && batch.rejects == nullptr)) {
        return Status::internal("malformed batch from plugin: missing lineage or rejects");
    }
    const DataType root = DataType::struct_of(schema.fields());
    FERRY_RETURN_IF_ERROR(check_array(batch.data, root, rows, "", level));
    FERRY_RETURN_IF_ERROR(check_absent(batch, schema));
    for (std::int64_t idx = 0; idx < batch.n_rejects; ++idx) {
        if (batch.rejects[idx].reason == nullptr) {
            return Status::internal("malformed batch from plugin: reject without a reason")
                .with_record_no(batch.rejects[idx].record_no);
        }
    }
    if (level == BatchCheck::Full) {
        for (std::int64_t row = 1; row < rows; ++row) {
            if (batch.record_nos[row] <= batch.record_nos[row - 1]) {
                return Status::internal("malformed batch from plugin: record numbers not "
                                        "increasing at row " +
                                        std::to_string(row));
            }
        }
    }
    return {};
}

Batch::Batch(FerryBatch&& raw,
             std::shared_ptr<const Schema> schema,
             std::shared_ptr<void> keep_alive)
    : raw_(raw)
    , schema_(std::move(schema))
    , keep_alive_(std::move(keep_alive)) {
    raw.release = nullptr; // moved: the source struct is now released
}

Batch::Batch(Batch&& other) noexcept
    : raw_(other.raw_)
    , schema_(std::move(other.schema_))
    , keep_alive_(std::move(other.keep_alive_)) {
    other.raw_.release = nullptr;
}

Batch& Batch::operator=(Batch&& other) noexcept {
    if (this != &other) {
        reset();
        raw_ = other.raw_;
        other.raw_.release = nullptr;
        schema_ = std::move(other.schema_);
        keep_alive_ = std::move(other.keep_alive_);
    }
    return *this;
}

Batch::~Batch() {
    reset();
}

void Batch::reset() noexcept {
    if (raw_.release != nullptr) {
        raw_.release(&raw_);
    }
}

std::span<const FerryReject> Batch::rejects() const noexcept {
    if (raw_.n_rejects == 0) {
        return {};
    }
    return {raw_.rejects, static_cast<std::size_t>(raw_.n_rejects)};
}

std::optional<std::string_view> Batch::checkpoint() const noexcept {
    if (raw_.checkpoint == nullptr) {
        return std::nullopt;
    }
    return std::string_view(raw_.checkpoint);
}

ColumnView Batch::column(std::size_t index) const {
    return ColumnView(raw_.data.children[index], &schema_->field(index).type);
}

} // namespace ferry
