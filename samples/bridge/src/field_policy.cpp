// SPDX-License-Identifier: Apache-2.0
// field_policy.cpp — per-consumer field rules and the NDJSON writer that applies them.
#include "field_policy.h"

#include <array>
#include <charconv>
#include <optional>

#include "ferry/ndjson.h"

namespace ferry::bridge {

namespace {

void append_int(std::int64_t value, std::string& out) {
    std::array<char, 24> digits{};
    const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), value);
    out.append(digits.data(), end);
}

// One cell of a mapped column or of a masked column, in the NDJSON forms of ferry/ndjson.h.
template <typename Cells>
void append_cell(const Cells& cells, TypeKind kind, std::int64_t row, std::string& out) {
    if (cells.is_null(row)) {
        out += "null";
        return;
    }
    switch (kind) {
    case TypeKind::Bool:
        out += cells.boolean(row) ? "true" : "false";
        return;
    case TypeKind::Int64:
        append_int(cells.int64(row), out);
        return;
    case TypeKind::Decimal128:
        out += '"';
        out += cells.decimal(row).to_string();
        out += '"';
        return;
    case TypeKind::Date32:
        out += '"';
        out += cells.date(row).to_string();
        out += '"';
        return;
    case TypeKind::TimestampMicros:
        out += '"';
        out += cells.timestamp(row).to_string();
        out += '"';
        return;
    case TypeKind::Utf8:
    case TypeKind::Binary: // catalog entities hold no bytes; text form keeps the writer total
        append_json_string(cells.text(row), out);
        return;
    case TypeKind::Struct:
        out += "null"; // catalog entities are flat
        return;
    }
}

std::optional<std::string> masking_op(const nlohmann::json& masking) {
    if (masking.is_object() && masking.contains("op") && masking["op"].is_string()) {
        return masking["op"].get<std::string>();
    }
    return std::nullopt;
}

} // namespace

Result<std::shared_ptr<const FieldPolicy>> FieldPolicy::build(
    const Dataset& dataset, const Grant* grant, std::chrono::system_clock::time_point now) {
    if (grant == nullptr) {
        return Status::unauthorized("no grant for dataset \"" + dataset.id + "\"");
    }
    if (grant->expired(now)) {
        return Status::unauthorized("the grant for dataset \"" + dataset.id + "\" expired on " +
                                    grant->expires_text);
    }
    const nlohmann::json& metadata = dataset.metadata();
    const std::string dataset_sharing = metadata.is_object()
                                            ? metadata.value("sharing", nlohmann::json::object())
                                                  .value("type", std::string("unconditional"))
                                            : std::string("unconditional");
    if (dataset_sharing == "none") {
        return Status::unauthorized("dataset \"" + dataset.id + "\" is 不予共享 (not shared)");
    }
    if (dataset_sharing == "conditional" && !grant->conditional()) {
        return Status::unauthorized(
            "dataset \"" + dataset.id +
            "\" is 有条件共享: the grant must name a purpose and an expiry");
    }
    auto policy = std::make_shared<FieldPolicy>();
    policy->purpose_ = grant->purpose;
    static const TransformRegistry registry = TransformRegistry::with_builtins();
    const Schema& schema = dataset.mapping.output_schema();
    for (std::size_t idx = 0; idx < schema.size(); ++idx) {
        const CatalogField& field = dataset.mapping.output_field(idx);
        FieldRule rule;
        rule.index = idx;
        rule.name = schema.field(idx).name;
        if (field.sharing == Sharing::None) {
            rule.why = "不予共享 (never shared)";
        } else if (!grant->covers(rule.name)) {
            rule.why = "not in the grant's fields";
        } else if (field.sharing == Sharing::Conditional && !grant->conditional()) {
            rule.why = "有条件共享: needs a grant with purpose and expiry";
        } else if (!field.sensitive() || grant->clear.contains(rule.name)) {
            rule.access = FieldAccess::Clear;
        } else if (const auto op = masking_op(field.masking)) {
            nlohmann::json args = field.masking;
            args.erase("op");
            const std::vector<DataType> types{schema.field(idx).type};
            const auto& secrets = dataset.secrets;
            TransformSetup setup{
                args,
                types,
                std::filesystem::path(dataset.mapping.file()).parent_path(),
                [](std::string_view) -> const Crosswalk* { return nullptr; },
                [](std::string_view) -> const std::vector<std::string>* { return nullptr; },
                [&secrets](std::string_view name) -> const std::string* {
                    const auto found = secrets.find(std::string(name));
                    return found == secrets.end() || found->second.empty() ? nullptr
                                                                           : &found->second;
                }};
            Result<BoundTransform> bound = registry.create(*op, setup);
            if (!bound.ok()) {
                // A masking step that cannot run must not leak the clear value: leave it out.
                rule.why = "masking step unavailable: " + bound.status().message();
            } else {
                rule.access = FieldAccess::Masked;
                rule.why = "masked: " + *op;
                rule.mask = std::shared_ptr<const Transform>(std::move(bound->transform));
                rule.mask_type = bound->output_type;
            }
        } else {
            rule.why = "sensitive without a masking step";
        }
        policy->rules_.push_back(std::move(rule));
    }
    return std::shared_ptr<const FieldPolicy>(std::move(policy));
}

std::vector<std::string> FieldPolicy::delivered_fields() const {
    std::vector<std::string> names;
    for (const FieldRule& rule : rules_) {
        if (rule.access != FieldAccess::Omitted) {
            names.push_back(rule.name);
        }
    }
    return names;
}

nlohmann::json FieldPolicy::record_schema(const CatalogEntity& entity) const {
    nlohmann::json schema = entity.schema;
    nlohmann::json properties = nlohmann::json::object();
    nlohmann::json required = nlohmann::json::array();
    const nlohmann::json source_required = schema.value("required", nlohmann::json::array());
    for (const FieldRule& rule : rules_) {
        if (rule.access == FieldAccess::Omitted) {
            continue;
        }
        nlohmann::json property =
            schema.value("properties", nlohmann::json::object()).value(rule.name, nlohmann::json());
        bool nullable_now = false;
        if (rule.access == FieldAccess::Masked) {
            property.erase("pattern");
            const CatalogField* field = entity.field(rule.name);
            const nlohmann::json masking = field != nullptr ? field->masking : nlohmann::json();
            property["x-ferry-masked"] = masking;
            if (rule.mask_type.kind() == TypeKind::Utf8) {
                property["type"] = nlohmann::json::array({"string", "null"});
            }
            nullable_now = masking.value("op", std::string()) == "redact";
            if (nullable_now) {
                property["type"] = "null";
            }
        }
        properties[rule.name] = std::move(property);
        const bool was_required = std::find(source_required.begin(), source_required.end(),
                                            rule.name) != source_required.end();
        if (was_required && !nullable_now) {
            required.push_back(rule.name);
        }
    }
    schema["properties"] = std::move(properties);
    schema["required"] = std::move(required);
    return schema;
}

void FieldPolicy::append_rows(const Batch& batch,
                              std::int64_t first_row,
                              std::int64_t end_row,
                              std::string& out) const {
    if (first_row >= end_row) {
        return;
    }
    // Masking runs over the whole batch column (transforms are columnar); rows outside the
    // range are simply not written.
    std::vector<std::optional<Column>> masked(rules_.size());
    for (std::size_t idx = 0; idx < rules_.size(); ++idx) {
        const FieldRule& rule = rules_[idx];
        if (rule.access != FieldAccess::Masked) {
            continue;
        }
        const Column in = Column::from_view(batch.column(rule.index));
        Column result(rule.mask_type);
        RowErrors errors(in.size());
        const Column* inputs[] = {&in};
        rule.mask->apply(inputs, result, errors);
        masked[idx].emplace(std::move(result));
    }
    std::vector<std::string> keys;
    for (const FieldRule& rule : rules_) {
        std::string key;
        append_json_string(rule.name, key);
        key += ':';
        keys.push_back(std::move(key));
    }
    for (std::int64_t row = first_row; row < end_row; ++row) {
        out += '{';
        bool first = true;
        for (std::size_t idx = 0; idx < rules_.size(); ++idx) {
            const FieldRule& rule = rules_[idx];
            if (rule.access == FieldAccess::Omitted) {
                continue;
            }
            if (!first) {
                out += ',';
            }
            first = false;
            out += keys[idx];
            if (rule.access == FieldAccess::Masked) {
                append_cell(*masked[idx], rule.mask_type.kind(), row, out);
            } else {
                const ColumnView view = batch.column(rule.index);
                append_cell(view, view.type().kind(), row, out);
            }
        }
        out += "}\n";
    }
}

} // namespace ferry::bridge
