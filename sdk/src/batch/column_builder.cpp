// SPDX-License-Identifier: Apache-2.0
// column_builder.cpp — one column's Arrow buffers: appends, truncation and export to ArrowArray.
#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

#include "ferry/batch_builder.h"
#include "ferry/text.h"

namespace ferry {

namespace detail {

struct ColumnBuffers {
    std::vector<std::uint8_t> validity; // bit-packed, materialised at the first null
    std::vector<std::uint8_t> values;   // fixed-width cells, or bits for bool
    std::vector<std::int32_t> offsets{0};
    std::string data; // utf8 / binary payload
};

} // namespace detail

namespace {

using detail::ColumnBuffers;

// Arrow consumers may dereference a zero-length buffer pointer: never hand out NULL for one.
alignas(64) const std::uint8_t kEmptyBuffer[64] = {};

std::size_t fixed_width(TypeKind kind) noexcept {
    switch (kind) {
    case TypeKind::Int64:
    case TypeKind::TimestampMicros:
        return 8;
    case TypeKind::Decimal128:
        return 16;
    case TypeKind::Date32:
        return 4;
    default:
        return 0;
    }
}

void set_bit(std::vector<std::uint8_t>& bits, std::int64_t index, bool value) {
    const auto byte = static_cast<std::size_t>(index / 8);
    const auto mask = static_cast<std::uint8_t>(1u << static_cast<unsigned>(index & 7));
    if (bits.size() <= byte) {
        bits.resize(byte + 1, 0);
    }
    bits[byte] = value ? static_cast<std::uint8_t>(bits[byte] | mask)
                       : static_cast<std::uint8_t>(bits[byte] & ~mask);
}

bool get_bit(const std::vector<std::uint8_t>& bits, std::int64_t index) noexcept {
    const auto byte = static_cast<unsigned>(bits[static_cast<std::size_t>(index >> 3)]);
    return ((byte >> static_cast<unsigned>(index & 7)) & 1u) != 0;
}

[[noreturn]] void wrong_type(const DataType& type, const char* wanted) {
    throw BadResultAccess(Status::internal("column of type " + type.to_string() +
                                           " cannot take a " + wanted + " cell"));
}

// An exported ArrowArray owns its buffers and children through this.
struct ArrayPrivate {
    std::unique_ptr<ColumnBuffers> buffers;
    const void* buffer_ptrs[3] = {nullptr, nullptr, nullptr};
    std::vector<ArrowArray> children;
    std::vector<ArrowArray*> child_ptrs;
};

void release_array(ArrowArray* array) {
    if (array == nullptr || array->release == nullptr) {
        return;
    }
    for (std::int64_t idx = 0; idx < array->n_children; ++idx) {
        ArrowArray* child = array->children[idx];
        if (child->release != nullptr) {
            child->release(child);
        }
    }
    delete static_cast<ArrayPrivate*>(array->private_data);
    array->release = nullptr;
}

} // namespace

ColumnBuilder::ColumnBuilder(DataType type)
    : type_(std::move(type))
    , buffers_(std::make_unique<ColumnBuffers>()) {
    for (const Field& field : type_.fields()) {
        children_.emplace_back(field.type);
    }
}

ColumnBuilder::ColumnBuilder(ColumnBuilder&&) noexcept = default;
ColumnBuilder& ColumnBuilder::operator=(ColumnBuilder&&) noexcept = default;
ColumnBuilder::~ColumnBuilder() = default;

void ColumnBuilder::set_valid(bool valid) {
    std::vector<std::uint8_t>& validity = buffers_->validity;
    if (!valid && validity.empty()) {
        // First null: materialise the bitmap with every earlier cell valid.
        validity.assign(static_cast<std::size_t>((length_ + 8) / 8), 0xFF);
    }
    if (!validity.empty()) {
        set_bit(validity, length_, valid);
    }
    if (!valid) {
        ++null_count_;
    }
}

void ColumnBuilder::reserve(std::int64_t cells, std::size_t bytes) {
    const auto more = static_cast<std::size_t>(cells);
    const auto have = static_cast<std::size_t>(length_);
    switch (type_.kind()) {
    case TypeKind::Utf8:
    case TypeKind::Binary:
        buffers_->offsets.reserve(have + more + 1);
        buffers_->data.reserve(buffers_->data.size() + bytes);
        break;
    case TypeKind::Struct:
        break;
    default:
        buffers_->values.reserve((have + more) * 16);
        break;
    }
}

void ColumnBuilder::append_null() {
    set_valid(false);
    const TypeKind kind = type_.kind();
    if (kind == TypeKind::Bool) {
        set_bit(buffers_->values, length_, false);
    } else if (kind == TypeKind::Utf8 || kind == TypeKind::Binary) {
        buffers_->offsets.push_back(buffers_->offsets.back());
    } else if (const std::size_t width = fixed_width(kind); width != 0) {
        buffers_->values.resize(buffers_->values.size() + width, 0);
    } else {
        // A null struct still needs one (ignored) cell in every child.
        for (ColumnBuilder& child : children_) {
            child.append_null();
        }
    }
    ++length_;
}

void ColumnBuilder::append_absent() {
    const std::int64_t row = length_;
    append_null();
    set_bit(absent_, row, true);
}

std::vector<std::uint8_t> ColumnBuilder::take_absent() {
    if (absent_.empty()) {
        return {};
    }
    absent_.resize(static_cast<std::size_t>((length_ + 7) / 8), 0); // every cell has its bit
    return std::exchange(absent_, {});
}

void ColumnBuilder::append_bool(bool value) {
    if (type_.kind() != TypeKind::Bool) {
        wrong_type(type_, "bool");
    }
    set_valid(true);
    set_bit(buffers_->values, length_, value);
    ++length_;
}

void ColumnBuilder::append_int64(std::int64_t value) {
    if (type_.kind() != TypeKind::Int64) {
        wrong_type(type_, "int64");
    }
    set_valid(true);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&value);
    buffers_->values.insert(buffers_->values.end(), bytes, bytes + sizeof value);
    ++length_;
}

Status ColumnBuilder::append_decimal(const Decimal& value) {
    if (type_.kind() != TypeKind::Decimal128) {
        wrong_type(type_, "decimal");
    }
    FERRY_ASSIGN_OR_RETURN(Decimal exact,
                           value.scale() == type_.scale()
                               ? Result<Decimal>(value)
                               : value.rescale(type_.scale(), RoundingMode::Unnecessary));
    if (exact.precision() > type_.precision()) {
        return Status::data("value " + value.to_string() + " does not fit " + type_.to_string());
    }
    set_valid(true);
    std::uint8_t bytes[16];
    exact.to_le_bytes(bytes);
    buffers_->values.insert(buffers_->values.end(), bytes, bytes + 16);
    ++length_;
    return {};
}

bool ColumnBuilder::append_decimal_unscaled(Int128 unscaled) {
    if (type_.kind() != TypeKind::Decimal128) {
        wrong_type(type_, "decimal");
    }
    if (!Decimal::fits_precision(unscaled, type_.precision())) {
        return false;
    }
    set_valid(true);
    std::uint8_t bytes[16];
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(bytes, &unscaled, sizeof bytes); // Arrow's decimal128 layout exactly
    } else {
        Decimal::from_unscaled(unscaled, 0).value().to_le_bytes(bytes);
    }
    buffers_->values.insert(buffers_->values.end(), bytes, bytes + 16);
    ++length_;
    return true;
}

void ColumnBuilder::append_date(Date value) {
    if (type_.kind() != TypeKind::Date32) {
        wrong_type(type_, "date");
    }
    set_valid(true);
    const std::int32_t days = value.days_since_epoch();
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&days);
    buffers_->values.insert(buffers_->values.end(), bytes, bytes + sizeof days);
    ++length_;
}

void ColumnBuilder::append_timestamp(Timestamp value) {
    if (type_.kind() != TypeKind::TimestampMicros) {
        wrong_type(type_, "timestamp");
    }
    set_valid(true);
    const std::int64_t micros = value.micros_since_epoch();
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&micros);
    buffers_->values.insert(buffers_->values.end(), bytes, bytes + sizeof micros);
    ++length_;
}

Status ColumnBuilder::append_text(std::string_view utf8) {
    FERRY_RETURN_IF_ERROR(validate_utf8(utf8));
    append_text_unchecked(utf8);
    return {};
}

void ColumnBuilder::append_text_unchecked(std::string_view utf8) {
    if (type_.kind() != TypeKind::Utf8) {
        wrong_type(type_, "text");
    }
    append_bytes(utf8);
}

void ColumnBuilder::append_bytes(std::string_view bytes) {
    if (type_.kind() != TypeKind::Utf8 && type_.kind() != TypeKind::Binary) {
        wrong_type(type_, "bytes");
    }
    if (buffers_->data.size() + bytes.size() > static_cast<std::size_t>(INT32_MAX)) {
        throw BadResultAccess(Status::internal(
            "one batch column would exceed 2 GiB of text (int32 offsets): lower batch_rows"));
    }
    set_valid(true);
    buffers_->data.append(bytes);
    buffers_->offsets.push_back(static_cast<std::int32_t>(buffers_->data.size()));
    ++length_;
}

void ColumnBuilder::append_struct() {
    if (type_.kind() != TypeKind::Struct) {
        wrong_type(type_, "struct");
    }
    set_valid(true);
    ++length_;
}

ColumnBuilder& ColumnBuilder::child(std::size_t index) {
    return children_.at(index);
}

Status ColumnBuilder::append_value(const Value& value) {
    if (value.is_null()) {
        append_null();
        return {};
    }
    if (value.type() != type_.value_type()) {
        return Status::data(std::string("a ") + type_id_name(value.type()) +
                            " value cannot fill a " + type_.to_string() + " column");
    }
    switch (value.type()) {
    case TypeId::Bool:
        append_bool(value.as_bool());
        return {};
    case TypeId::Int64:
        append_int64(value.as_int64());
        return {};
    case TypeId::Decimal:
        return append_decimal(value.as_decimal());
    case TypeId::Date:
        append_date(value.as_date());
        return {};
    case TypeId::Timestamp:
        append_timestamp(value.as_timestamp());
        return {};
    case TypeId::Text:
        append_text_unchecked(value.as_text()); // a Text Value is valid UTF-8 by construction
        return {};
    case TypeId::Bytes:
        append_bytes(value.as_bytes());
        return {};
    case TypeId::Null:
        break;
    }
    return Status::internal("unreachable value type");
}

void ColumnBuilder::truncate(std::int64_t length) {
    // Children first and always: a batch's root struct gains its cell only at commit, so while a
    // record is open the children can be longer than their parent.
    for (ColumnBuilder& child : children_) {
        child.truncate(length);
    }
    if (length >= length_) {
        return;
    }
    if (absent_.size() > static_cast<std::size_t>((length + 7) / 8)) {
        absent_.resize(static_cast<std::size_t>((length + 7) / 8));
    }
    if (!absent_.empty() && length % 8 != 0) {
        absent_.back() &= static_cast<std::uint8_t>((1u << static_cast<unsigned>(length % 8)) - 1);
    }
    ColumnBuffers& buf = *buffers_;
    if (!buf.validity.empty()) {
        for (std::int64_t idx = length; idx < length_; ++idx) {
            if (!get_bit(buf.validity, idx)) {
                --null_count_;
            }
        }
        buf.validity.resize(static_cast<std::size_t>((length + 7) / 8));
    }
    const TypeKind kind = type_.kind();
    if (kind == TypeKind::Bool) {
        buf.values.resize(static_cast<std::size_t>((length + 7) / 8));
    } else if (kind == TypeKind::Utf8 || kind == TypeKind::Binary) {
        buf.offsets.resize(static_cast<std::size_t>(length + 1));
        buf.data.resize(static_cast<std::size_t>(buf.offsets.back()));
    } else if (const std::size_t width = fixed_width(kind); width != 0) {
        buf.values.resize(static_cast<std::size_t>(length) * width);
    }
    length_ = length;
}

void ColumnBuilder::finish_into(ArrowArray* out) {
    auto* priv = new ArrayPrivate();
    priv->buffers = std::exchange(buffers_, std::make_unique<ColumnBuffers>());
    ColumnBuffers& buf = *priv->buffers;
    const TypeKind kind = type_.kind();

    std::int64_t n_buffers = 2;
    priv->buffer_ptrs[0] = null_count_ > 0 ? buf.validity.data() : nullptr;
    if (kind == TypeKind::Struct) {
        n_buffers = 1;
    } else if (kind == TypeKind::Utf8 || kind == TypeKind::Binary) {
        n_buffers = 3;
        priv->buffer_ptrs[1] = buf.offsets.data();
        priv->buffer_ptrs[2] =
            buf.data.empty() ? kEmptyBuffer : static_cast<const void*>(buf.data.data());
    } else {
        priv->buffer_ptrs[1] = buf.values.empty() ? kEmptyBuffer : buf.values.data();
    }

    priv->children.resize(children_.size());
    priv->child_ptrs.resize(children_.size());
    for (std::size_t idx = 0; idx < children_.size(); ++idx) {
        children_[idx].finish_into(&priv->children[idx]);
        priv->child_ptrs[idx] = &priv->children[idx];
    }

    out->length = length_;
    out->null_count = null_count_;
    out->offset = 0;
    out->n_buffers = n_buffers;
    out->n_children = static_cast<std::int64_t>(children_.size());
    out->buffers = priv->buffer_ptrs;
    out->children = children_.empty() ? nullptr : priv->child_ptrs.data();
    out->dictionary = nullptr;
    out->release = &release_array;
    out->private_data = priv;

    length_ = 0;
    null_count_ = 0;
    absent_.clear();
}

} // namespace ferry
