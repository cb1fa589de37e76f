// SPDX-License-Identifier: Apache-2.0
// data_type.cpp — DataType naming, Arrow format strings and ArrowSchema export/import.
#include "ferry/data_type.h"

#include <charconv>
#include <cstring>
#include <utility>

namespace ferry {

namespace {

const std::vector<Field> kNoFields;

bool parse_int32(std::string_view text, std::int32_t& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

/// Parses "P,S" (the tail of "d:P,S" and of "decimal(P,S)").
Result<DataType> parse_decimal_args(std::string_view args, std::string_view whole) {
    const auto comma = args.find(',');
    std::int32_t precision = 0;
    std::int32_t scale = 0;
    if (comma == std::string_view::npos || !parse_int32(args.substr(0, comma), precision) ||
        !parse_int32(args.substr(comma + 1), scale)) {
        return Status::invalid_argument("malformed decimal type \"" + std::string(whole) +
                                        "\": expected precision,scale");
    }
    return DataType::decimal128(precision, scale);
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t pos = 0; pos < a.size(); ++pos) {
        char ca = a[pos];
        char cb = b[pos];
        if (ca >= 'A' && ca <= 'Z') {
            ca = static_cast<char>(ca - 'A' + 'a');
        }
        if (cb >= 'A' && cb <= 'Z') {
            cb = static_cast<char>(cb - 'A' + 'a');
        }
        if (ca != cb) {
            return false;
        }
    }
    return true;
}

// An exported ArrowSchema owns its strings and children through this.
struct SchemaPrivate {
    std::string format;
    std::string name;
    std::vector<ArrowSchema> children;
    std::vector<ArrowSchema*> child_ptrs;
};

void release_schema(ArrowSchema* schema) {
    if (schema == nullptr || schema->release == nullptr) {
        return;
    }
    for (std::int64_t idx = 0; idx < schema->n_children; ++idx) {
        ArrowSchema* child = schema->children[idx];
        if (child->release != nullptr) {
            child->release(child);
        }
    }
    delete static_cast<SchemaPrivate*>(schema->private_data);
    schema->release = nullptr;
}

void export_node(std::string format,
                 const std::string& name,
                 bool nullable,
                 const std::vector<Field>& children,
                 ArrowSchema* out) {
    auto* priv = new SchemaPrivate{std::move(format), name, {}, {}};
    priv->children.resize(children.size());
    priv->child_ptrs.resize(children.size());
    for (std::size_t idx = 0; idx < children.size(); ++idx) {
        const Field& child = children[idx];
        export_node(child.type.arrow_format(), child.name, child.nullable, child.type.fields(),
                    &priv->children[idx]);
        priv->child_ptrs[idx] = &priv->children[idx];
    }
    out->format = priv->format.c_str();
    out->name = priv->name.c_str();
    out->metadata = nullptr;
    out->flags = nullable ? ARROW_FLAG_NULLABLE : 0;
    out->n_children = static_cast<std::int64_t>(children.size());
    out->children = children.empty() ? nullptr : priv->child_ptrs.data();
    out->dictionary = nullptr;
    out->release = &release_schema;
    out->private_data = priv;
}

Result<DataType> import_type(const ArrowSchema& node, int depth);

Result<std::vector<Field>> import_children(const ArrowSchema& node, int depth) {
    std::vector<Field> fields;
    fields.reserve(static_cast<std::size_t>(node.n_children));
    for (std::int64_t idx = 0; idx < node.n_children; ++idx) {
        const ArrowSchema* child = node.children ? node.children[idx] : nullptr;
        if (child == nullptr || child->format == nullptr) {
            return Status::invalid_argument("ArrowSchema child " + std::to_string(idx) +
                                            " is missing");
        }
        FERRY_ASSIGN_OR_RETURN(DataType type, import_type(*child, depth + 1));
        fields.push_back(Field{child->name ? child->name : "", std::move(type),
                               (child->flags & ARROW_FLAG_NULLABLE) != 0});
    }
    return fields;
}

Result<DataType> import_type(const ArrowSchema& node, int depth) {
    // Legacy records nest a few levels at most; a deep tree is a broken producer.
    if (depth > 32) {
        return Status::invalid_argument("ArrowSchema nests deeper than 32 levels");
    }
    if (node.dictionary != nullptr) {
        return Status::not_implemented("dictionary-encoded columns are not supported");
    }
    if (std::strcmp(node.format, "+s") == 0) {
        FERRY_ASSIGN_OR_RETURN(auto fields, import_children(node, depth));
        return DataType::struct_of(std::move(fields));
    }
    if (node.n_children != 0) {
        return Status::invalid_argument(std::string("ArrowSchema format \"") + node.format +
                                        "\" cannot have children");
    }
    return DataType::from_arrow_format(node.format);
}

} // namespace

Result<DataType> DataType::decimal128(std::int32_t precision, std::int32_t scale) {
    if (precision < 1 || precision > Decimal::kMaxPrecision || scale < 0 || scale > precision) {
        return Status::invalid_argument("invalid decimal(" + std::to_string(precision) + "," +
                                        std::to_string(scale) +
                                        "): need 1 <= precision <= 38 and 0 <= scale <= precision");
    }
    DataType type(TypeKind::Decimal128);
    type.precision_ = precision;
    type.scale_ = scale;
    return type;
}

DataType DataType::timestamp_micros(std::string timezone) {
    DataType type(TypeKind::TimestampMicros);
    type.timezone_ = std::move(timezone);
    return type;
}

DataType DataType::struct_of(std::vector<Field> fields) {
    DataType type(TypeKind::Struct);
    type.children_ = std::make_shared<const std::vector<Field>>(std::move(fields));
    return type;
}

const std::vector<Field>& DataType::fields() const noexcept {
    return children_ ? *children_ : kNoFields;
}

TypeId DataType::value_type() const noexcept {
    switch (kind_) {
    case TypeKind::Bool:
        return TypeId::Bool;
    case TypeKind::Int64:
        return TypeId::Int64;
    case TypeKind::Decimal128:
        return TypeId::Decimal;
    case TypeKind::Date32:
        return TypeId::Date;
    case TypeKind::TimestampMicros:
        return TypeId::Timestamp;
    case TypeKind::Utf8:
        return TypeId::Text;
    case TypeKind::Binary:
        return TypeId::Bytes;
    case TypeKind::Struct:
        break;
    }
    return TypeId::Null;
}

std::string DataType::arrow_format() const {
    switch (kind_) {
    case TypeKind::Bool:
        return "b";
    case TypeKind::Int64:
        return "l";
    case TypeKind::Decimal128:
        return "d:" + std::to_string(precision_) + "," + std::to_string(scale_);
    case TypeKind::Date32:
        return "tdD";
    case TypeKind::TimestampMicros:
        return "tsu:" + timezone_;
    case TypeKind::Utf8:
        return "u";
    case TypeKind::Binary:
        return "z";
    case TypeKind::Struct:
        return "+s";
    }
    return "?";
}

Result<DataType> DataType::from_arrow_format(std::string_view format) {
    if (format == "b") {
        return boolean();
    }
    if (format == "l") {
        return int64();
    }
    if (format == "tdD") {
        return date32();
    }
    if (format == "u") {
        return utf8();
    }
    if (format == "z") {
        return binary();
    }
    if (format.starts_with("tsu:")) {
        const std::string_view tz = format.substr(4);
        if (!tz.empty() && tz != "UTC") {
            return Status::not_implemented("timestamp time zone \"" + std::string(tz) +
                                           "\" is not supported (only none or UTC)");
        }
        return timestamp_micros(std::string(tz));
    }
    if (format.starts_with("d:")) {
        // "d:P,S,128" names the bit width explicitly; only 128 is supported.
        std::string_view args = format.substr(2);
        if (const auto second = args.find(',', args.find(',') + 1); second != args.npos) {
            if (args.substr(second + 1) != "128") {
                return Status::not_implemented("decimal bit width in \"" + std::string(format) +
                                               "\" is not supported (only 128)");
            }
            args = args.substr(0, second);
        }
        return parse_decimal_args(args, format);
    }
    return Status::not_implemented("Arrow format \"" + std::string(format) +
                                   "\" is outside Ferry's supported subset");
}

std::string DataType::to_string() const {
    switch (kind_) {
    case TypeKind::Decimal128:
        return "decimal(" + std::to_string(precision_) + "," + std::to_string(scale_) + ")";
    case TypeKind::TimestampMicros:
        return timezone_.empty() ? "timestamp" : "timestamp_utc";
    case TypeKind::Struct:
        return "struct";
    default:
        return type_id_name(value_type());
    }
}

Result<DataType> DataType::parse(std::string_view text) {
    if (text == "bool") {
        return boolean();
    }
    if (text == "int64") {
        return int64();
    }
    if (text == "date") {
        return date32();
    }
    if (text == "timestamp") {
        return timestamp_micros();
    }
    if (text == "timestamp_utc") {
        return timestamp_micros("UTC");
    }
    if (text == "text") {
        return utf8();
    }
    if (text == "bytes") {
        return binary();
    }
    if (text.starts_with("decimal(") && text.ends_with(")")) {
        return parse_decimal_args(text.substr(8, text.size() - 9), text);
    }
    return Status::invalid_argument("unknown type \"" + std::string(text) + "\"");
}

bool operator==(const DataType& a, const DataType& b) {
    return a.kind_ == b.kind_ && a.precision_ == b.precision_ && a.scale_ == b.scale_ &&
           a.timezone_ == b.timezone_ && a.fields() == b.fields();
}

std::optional<std::size_t> Schema::index_of(std::string_view name) const noexcept {
    for (std::size_t idx = 0; idx < fields_.size(); ++idx) {
        if (iequals(fields_[idx].name, name)) {
            return idx;
        }
    }
    return std::nullopt;
}

void Schema::export_to(ArrowSchema* out) const {
    export_node("+s", "", false, fields_, out);
}

Result<Schema> Schema::import_from(const ArrowSchema& schema) {
    if (schema.release == nullptr || schema.format == nullptr) {
        return Status::invalid_argument("ArrowSchema is released or has no format");
    }
    if (std::strcmp(schema.format, "+s") != 0) {
        return Status::invalid_argument(std::string("a stream schema must be a struct (\"+s\"), "
                                                    "not \"") +
                                        schema.format + "\"");
    }
    FERRY_ASSIGN_OR_RETURN(auto fields, import_children(schema, 0));
    return Schema(std::move(fields));
}

} // namespace ferry
