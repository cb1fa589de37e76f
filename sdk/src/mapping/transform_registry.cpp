// SPDX-License-Identifier: Apache-2.0
// transform_registry.cpp — named transforms, their compiled argument schemas, and row errors.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>

#include "ferry/json_schema.h"
#include "ferry/transform.h"

#include "transforms/builtin.h"

namespace ferry {

const char* protection_name(Protection protection) noexcept {
    switch (protection) {
    case Protection::None:
        return "none";
    case Protection::Masks:
        return "masks";
    case Protection::Pseudonymises:
        return "pseudonymises";
    case Protection::Redacts:
        return "redacts";
    }
    return "none";
}

void RowErrors::reject(std::int64_t row, std::string_view rule, std::string reason) {
    auto& flag = rejected_[static_cast<std::size_t>(row)];
    if (flag != 0) {
        return;
    }
    flag = 1;
    failures_.push_back({row, field_, std::string(rule), std::move(reason)});
}

namespace {

struct Entry {
    TransformDescriptor descriptor;
    std::shared_ptr<const JsonSchema> args_schema;
};

bool is_snake_case(std::string_view name) {
    if (name.empty() || std::islower(static_cast<unsigned char>(name.front())) == 0) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return std::islower(c) != 0 || std::isdigit(c) != 0 || ch == '_';
    });
}

/// The pointer a violation is about. valijson reports a missing required property at the object
/// that lacks it ("/"), naming the property only in its message ("Missing required property
/// 'length'."); tools want the argument's own pointer, "/length".
std::string violation_field(const JsonSchemaViolation& violation) {
    constexpr std::string_view kMissing = "Missing required property '";
    const std::string_view message = violation.message;
    const std::size_t close = message.rfind('\'');
    if (violation.pointer != "/" || !message.starts_with(kMissing) || close < kMissing.size()) {
        return violation.pointer;
    }
    std::string field = "/";
    for (const char ch : message.substr(kMissing.size(), close - kMissing.size())) {
        field += ch == '~' ? "~0" : ch == '/' ? "~1" : std::string(1, ch); // RFC 6901 escapes
    }
    return field;
}

const nlohmann::json& no_arguments_schema() {
    static const nlohmann::json schema = {{"type", "object"}, {"additionalProperties", false}};
    return schema;
}

} // namespace

struct TransformRegistry::Impl {
    std::map<std::string, Entry, std::less<>> entries;
};

TransformRegistry::TransformRegistry()
    : impl_(std::make_shared<Impl>()) {}

TransformRegistry::TransformRegistry(const TransformRegistry&) = default;
TransformRegistry& TransformRegistry::operator=(const TransformRegistry&) = default;
TransformRegistry::TransformRegistry(TransformRegistry&&) noexcept = default;
TransformRegistry& TransformRegistry::operator=(TransformRegistry&&) noexcept = default;
TransformRegistry::~TransformRegistry() = default;

TransformRegistry TransformRegistry::with_builtins() {
    // Built once; every caller gets a copy that shares the compiled schemas and can add more.
    static const TransformRegistry builtins = [] {
        TransformRegistry registry;
        transforms::register_text(registry);
        transforms::register_text_regex(registry);
        transforms::register_charset(registry);
        transforms::register_dates(registry);
        transforms::register_numbers(registry);
        transforms::register_validators(registry);
        transforms::register_privacy(registry);
        transforms::register_codes(registry);
        return registry;
    }();
    return builtins;
}

Status TransformRegistry::add(TransformDescriptor descriptor) {
    if (!is_snake_case(descriptor.name)) {
        return Status::invalid_argument("transform name \"" + descriptor.name +
                                        "\" is not snake_case");
    }
    if (!descriptor.create) {
        return Status::invalid_argument("transform " + descriptor.name + " has no factory");
    }
    if (descriptor.min_inputs < 1 || descriptor.max_inputs < descriptor.min_inputs) {
        return Status::invalid_argument("transform " + descriptor.name +
                                        " declares a bad input count");
    }
    if (impl_->entries.contains(descriptor.name)) {
        return Status::invalid_argument("transform " + descriptor.name + " is already registered");
    }
    Result<JsonSchema> schema =
        descriptor.args_schema.empty()
            ? JsonSchema::parse(no_arguments_schema(), "arguments of " + descriptor.name)
            : JsonSchema::parse_text(descriptor.args_schema, "arguments of " + descriptor.name);
    if (!schema.ok()) {
        return std::move(schema).status();
    }
    if (impl_.use_count() > 1) {
        impl_ = std::make_shared<Impl>(*impl_); // copy on write: other copies keep their set
    }
    std::string name = descriptor.name;
    impl_->entries.emplace(std::move(name),
                           Entry{std::move(descriptor),
                                 std::make_shared<const JsonSchema>(std::move(schema).value())});
    return {};
}

const TransformDescriptor* TransformRegistry::find(std::string_view name) const noexcept {
    const auto it = impl_->entries.find(name);
    return it == impl_->entries.end() ? nullptr : &it->second.descriptor;
}

std::vector<const TransformDescriptor*> TransformRegistry::list() const {
    std::vector<const TransformDescriptor*> out;
    out.reserve(impl_->entries.size());
    for (const auto& [name, entry] : impl_->entries) {
        out.push_back(&entry.descriptor);
    }
    return out;
}

Result<BoundTransform> TransformRegistry::create(std::string_view name,
                                                 const TransformSetup& setup) const {
    const auto it = impl_->entries.find(name);
    if (it == impl_->entries.end()) {
        return Status::not_found("unknown transform \"" + std::string(name) + "\"");
    }
    const Entry& entry = it->second;
    const auto inputs = static_cast<std::int32_t>(setup.input_types.size());
    if (inputs < entry.descriptor.min_inputs || inputs > entry.descriptor.max_inputs) {
        const std::string wanted = entry.descriptor.min_inputs == entry.descriptor.max_inputs
                                       ? std::to_string(entry.descriptor.min_inputs)
                                       : std::to_string(entry.descriptor.min_inputs) + " to " +
                                             std::to_string(entry.descriptor.max_inputs);
        return Status::invalid_argument(std::string(name) + " takes " + wanted + " input" +
                                        (wanted == "1" ? "" : "s") + ", got " +
                                        std::to_string(inputs));
    }
    const std::vector<JsonSchemaViolation> violations = entry.args_schema->violations(setup.args);
    if (!violations.empty()) {
        const JsonSchemaViolation& first = violations.front();
        return Status::invalid_argument(std::string(name) + ": argument " + first.pointer + ": " +
                                        first.message)
            .with_field(violation_field(first));
    }
    return entry.descriptor.create(setup);
}

} // namespace ferry
