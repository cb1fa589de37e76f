// SPDX-License-Identifier: Apache-2.0
// json_schema.cpp — valijson behind a Status-returning facade.
#include "ferry/json_schema.h"

#include <algorithm>
#include <exception>
#include <utility>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace ferry {

struct JsonSchema::Impl {
    valijson::Schema schema;
    std::string origin;
};

JsonSchema::JsonSchema(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

JsonSchema::JsonSchema(JsonSchema&&) noexcept = default;
JsonSchema& JsonSchema::operator=(JsonSchema&&) noexcept = default;
JsonSchema::~JsonSchema() = default;

Result<JsonSchema> JsonSchema::parse(const nlohmann::json& schema, std::string origin) {
    auto impl = std::make_unique<Impl>();
    impl->origin = std::move(origin);
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        valijson::adapters::NlohmannJsonAdapter adapter(schema);
        parser.populateSchema(adapter, impl->schema);
    } catch (const std::exception& bad) {
        return Status::invalid_argument(impl->origin +
                                        " is not a usable JSON Schema: " + bad.what());
    }
    return JsonSchema(std::move(impl));
}

Result<JsonSchema> JsonSchema::parse_text(std::string_view schema_text, std::string origin) {
    FERRY_ASSIGN_OR_RETURN(nlohmann::json schema, parse_json(schema_text, origin));
    return parse(schema, std::move(origin));
}

std::vector<JsonSchemaViolation> JsonSchema::violations(const nlohmann::json& document) const {
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    std::vector<JsonSchemaViolation> found;
    if (validator.validate(impl_->schema, adapter, &results)) {
        return found;
    }
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        // valijson's context reads "<root>", "[count]", "[0]"; people know JSON pointers.
        std::string pointer;
        for (const std::string& part : error.context) {
            if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
                std::string name = part.substr(1, part.size() - 2);
                if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
                    name = name.substr(1, name.size() - 2);
                }
                pointer += "/" + name;
            }
        }
        if (pointer.empty()) {
            pointer = "/";
        }
        if (error.description.starts_with("Failed to validate against schema associated")) {
            continue; // the wrapper of a more specific error already listed
        }
        found.push_back({std::move(pointer), error.description});
    }
    return found;
}

Status JsonSchema::validate(const nlohmann::json& document, std::string_view what) const {
    const std::vector<JsonSchemaViolation> found = violations(document);
    if (found.empty()) {
        return {};
    }
    std::string message = std::string(what) + " do not match " + impl_->origin + ":";
    const std::size_t shown = std::min<std::size_t>(found.size(), 5);
    for (std::size_t idx = 0; idx < shown; ++idx) {
        message += (idx == 0 ? " " : "; ") + found[idx].pointer + ": " + found[idx].message;
    }
    if (found.size() > shown) {
        message += "; and " + std::to_string(found.size() - shown) + " more";
    }
    return Status::invalid_argument(std::move(message));
}

Result<nlohmann::json> parse_json(std::string_view text, std::string_view origin) {
    try {
        return nlohmann::json::parse(text.begin(), text.end(), nullptr, true, true);
    } catch (const nlohmann::json::parse_error& bad) {
        // nlohmann counts bytes; people count lines and columns.
        std::size_t line = 1;
        std::size_t column = 1;
        const std::size_t stop = std::min(bad.byte > 0 ? bad.byte - 1 : 0, text.size());
        for (std::size_t pos = 0; pos < stop; ++pos) {
            if (text[pos] == '\n') {
                ++line;
                column = 1;
            } else if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) {
                ++column; // code points, not UTF-8 continuation bytes
            }
        }
        std::string detail = bad.what();
        if (const auto cut = detail.find("parse error"); cut != std::string::npos) {
            detail = detail.substr(cut);
        }
        // The location says where, in code points; nlohmann's own " at line L, column C" counts
        // bytes and would contradict it.
        if (const auto at = detail.find(" at line "); at != std::string::npos) {
            if (const auto colon = detail.find(": ", at); colon != std::string::npos) {
                detail.erase(at, colon - at);
            }
        }
        return Status::invalid_argument(detail).with_location(
            std::string(origin) + ":" + std::to_string(line) + ":" + std::to_string(column));
    }
}

} // namespace ferry
