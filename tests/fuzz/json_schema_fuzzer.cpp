// SPDX-License-Identifier: Apache-2.0
// json_schema_fuzzer.cpp — ferry::parse_json, JsonSchema::parse_text and validation. The input is
// a schema, a line "---", and a document; without that line the schema validates itself.
// Nothing may throw out of the facade; validate() and violations() must agree.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ferry/json_schema.h"

#include "fuzz_support.h"

namespace {

using ferry::fuzz::fail;

/// parse_json's errors carry "origin:line:column".
void check_parse_error(const ferry::Status& status, std::string_view origin, std::string_view in) {
    ferry::fuzz::check_message(status.message(), in);
    const std::string& location = status.location();
    if (location.rfind(origin, 0) != 0 ||
        location.find_first_not_of("0123456789:", origin.size()) != std::string::npos) {
        fail("parse error without origin:line:column, location is " + location, in);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = ferry::fuzz::as_text(data, size);
    const std::size_t separator = input.find("\n---\n");
    const std::string_view schema_text = input.substr(0, separator);
    const std::string_view document_text =
        separator == std::string_view::npos ? input : input.substr(separator + 5);

    ferry::Result<ferry::JsonSchema> schema = ferry::JsonSchema::parse_text(schema_text, "schema");
    if (!schema.ok()) {
        if (schema.status().location().empty()) {
            ferry::fuzz::check_message(schema.status().message(), input); // not a usable schema
        } else {
            check_parse_error(schema.status(), "schema", input); // not JSON
        }
        return 0;
    }
    const ferry::Result<nlohmann::json> document = ferry::parse_json(document_text, "document");
    if (!document.ok()) {
        check_parse_error(document.status(), "document", input);
        return 0;
    }
    const std::vector<ferry::JsonSchemaViolation> found = schema->violations(*document);
    const ferry::Status status = schema->validate(*document, "document");
    if (found.empty() != status.ok()) {
        fail("violations() and validate() disagree: " + status.to_string(), input);
    }
    ferry::fuzz::check_message(status.message(), input);
    for (const ferry::JsonSchemaViolation& violation : found) {
        if (violation.pointer.empty() || violation.pointer[0] != '/') {
            fail("violation without a JSON pointer: " + violation.pointer, input);
        }
    }
    // A compiled schema is immutable: a second validation gives the same answer.
    if (schema->violations(*document).size() != found.size()) {
        fail("validation is not repeatable", input);
    }
    return 0;
}
