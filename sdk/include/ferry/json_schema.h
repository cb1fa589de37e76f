// SPDX-License-Identifier: Apache-2.0
// ferry/json_schema.h — JSON Schema (draft-07) validation through valijson, errors as Status.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ferry/result.h"

namespace ferry {

/// One way a document breaks a schema: where (a JSON pointer, "/" for the root) and why.
struct JsonSchemaViolation {
    std::string pointer;
    std::string message;
};

/// A compiled JSON Schema. Immutable after parse(); validate() is safe from several threads.
class JsonSchema {
public:
    /// `origin` names the schema in errors ("plugin odbc options_schema").
    static Result<JsonSchema> parse(const nlohmann::json& schema, std::string origin);
    static Result<JsonSchema> parse_text(std::string_view schema_text, std::string origin);

    JsonSchema(JsonSchema&&) noexcept;
    JsonSchema& operator=(JsonSchema&&) noexcept;
    ~JsonSchema();

    /// InvalidArgument listing up to five violations with their JSON pointers, e.g.
    /// `options: /count: Value is greater than maximum`. A property the object's schema does not
    /// allow gets a hint naming the closest allowed one: `… 'dns'. (did you mean "dsn"?)`.
    Status validate(const nlohmann::json& document, std::string_view what) const;

    /// Every specific violation (wrappers such as "failed to validate against anyOf" dropped),
    /// for tools that point at each one; empty when the document is valid.
    std::vector<JsonSchemaViolation> violations(const nlohmann::json& document) const;

private:
    struct Impl;
    explicit JsonSchema(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// Parses JSON text; a syntax error becomes InvalidArgument with line and column of `origin`.
Result<nlohmann::json> parse_json(std::string_view text, std::string_view origin);

} // namespace ferry
