// SPDX-License-Identifier: Apache-2.0
// json_schema.cpp — valijson behind a Status-returning facade.
#include "ferry/json_schema.h"

#include <algorithm>
#include <exception>
#include <regex>
#include <span>
#include <utility>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/internal/json_pointer.hpp>
#include <valijson/internal/json_reference.hpp>
#include <valijson/internal/uri.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "ferry/text.h"

namespace ferry {

struct JsonSchema::Impl {
    valijson::Schema schema;
    std::string origin;
    nlohmann::json source; ///< the schema document, to name the properties an object may have
};

namespace {

/// Adds the names under "properties" of every subschema that applies to the value at `path`
/// (object keys and array indexes from the document's root), following properties,
/// additionalProperties, items, local $refs and allOf/anyOf/oneOf. Each node visited spends one
/// of `budget`, so $ref cycles and combinator blow-ups (a fuzzer's favourites) stay bounded.
void collect_properties(const nlohmann::json& root,
                        const nlohmann::json& node,
                        std::span<const std::string> path,
                        std::vector<std::string>& names,
                        int& budget) {
    if (!node.is_object() || --budget < 0) {
        return;
    }
    if (const auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
        const std::string& target = ref->get_ref<const std::string&>();
        if (target.starts_with("#")) {
            try {
                const nlohmann::json::json_pointer pointer(target.substr(1));
                collect_properties(root, root.at(pointer), path, names, budget);
            } catch (const nlohmann::json::exception&) {
                // an unresolvable $ref names nothing; valijson reported the schema already
            }
        }
    }
    for (const char* combinator : {"allOf", "anyOf", "oneOf"}) {
        if (const auto branches = node.find(combinator);
            branches != node.end() && branches->is_array()) {
            for (const nlohmann::json& branch : *branches) {
                collect_properties(root, branch, path, names, budget);
            }
        }
    }
    const auto properties = node.find("properties");
    if (path.empty()) {
        if (properties != node.end() && properties->is_object()) {
            for (const auto& [name, ignored] : properties->items()) {
                names.push_back(name);
            }
        }
        return;
    }
    const std::string& step = path.front();
    if (properties != node.end() && properties->is_object() && properties->contains(step)) {
        collect_properties(root, (*properties)[step], path.subspan(1), names, budget);
    } else if (const auto extra = node.find("additionalProperties");
               extra != node.end() && extra->is_object()) {
        collect_properties(root, *extra, path.subspan(1), names, budget);
    }
    if (const auto items = node.find("items"); items != node.end()) {
        if (items->is_object()) {
            collect_properties(root, *items, path.subspan(1), names, budget);
        } else if (items->is_array() && !step.empty() &&
                   step.find_first_not_of("0123456789") == std::string::npos && step.size() < 10 &&
                   std::stoul(step) < items->size()) {
            collect_properties(root, (*items)[std::stoul(step)], path.subspan(1), names, budget);
        }
    }
}

/// valijson names one property an object may not have: "… constraints: 'dns'.". The hint names
/// the closest property the object's schema allows, or is empty.
std::string did_you_mean_property(const nlohmann::json& schema,
                                  const std::vector<std::string>& path,
                                  const std::string& description) {
    constexpr std::string_view kMarker = "constraints: '";
    const std::size_t begin = description.rfind(kMarker);
    if (begin == std::string::npos || !description.ends_with("'.")) {
        return {};
    }
    const std::size_t name_begin = begin + kMarker.size();
    const std::string unwanted =
        description.substr(name_begin, description.size() - 2 - name_begin);
    std::vector<std::string> allowed;
    int budget = 1000;
    collect_properties(schema, schema, path, allowed, budget);
    const std::string best = closest_name(unwanted, allowed);
    return best.empty() ? std::string() : " (did you mean \"" + best + "\"?)";
}

} // namespace

namespace {

/// nlohmann quotes the bytes it read last, which may be cut inside a UTF-8 sequence or be no
/// UTF-8 at all, and valijson quotes a $ref's %-decoded bytes; a message must stay valid UTF-8
/// (it ends up in JSON and SARIF reports), so such bytes become \xNN.
std::string escape_invalid_utf8(std::string_view text) {
    constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    while (true) {
        const std::size_t bad = find_invalid_utf8(text);
        out.append(text.substr(0, bad));
        if (bad == kAllValid) {
            return out;
        }
        const auto byte = static_cast<unsigned char>(text[bad]);
        out += {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xF]};
        text.remove_prefix(bad + 1);
    }
}

std::size_t digits_at(std::string_view text, std::size_t pos) {
    std::size_t count = 0;
    while (pos + count < text.size() && text[pos + count] >= '0' && text[pos + count] <= '9') {
        ++count;
    }
    return count;
}

/// libstdc++ 12 reads the bounds of a repetition ({n,m}) and a back-reference's number (\n) into
/// a long without an overflow check (undefined behaviour past 19 digits), so such a number of
/// more than 9 digits is refused before std::regex reads it; none that large makes sense.
bool huge_count(std::string_view pattern) {
    bool in_class = false;
    bool in_braces = false;
    for (std::size_t pos = 0; pos < pattern.size(); ++pos) {
        const char ch = pattern[pos];
        if (ch == '\\') {
            if (!in_class && digits_at(pattern, pos + 1) > 9) {
                return true;
            }
            ++pos; // the escaped character is no syntax
        } else if (in_class) {
            in_class = ch != ']';
        } else if (ch == '[') {
            in_class = true;
        } else if (ch == '{' || (ch == ',' && in_braces)) {
            in_braces = true;
            if (digits_at(pattern, pos + 1) > 9) {
                return true;
            }
        } else if (ch == '}') {
            in_braces = false;
        }
    }
    return false;
}

std::string regex_problem(const std::string& pattern, const std::string& pointer) {
    if (huge_count(pattern)) {
        return pointer + ": invalid regular expression \"" + pattern +
               "\": a repetition count or back-reference of more than 9 digits";
    }
    try {
        const std::regex compiled(pattern); // as valijson compiles it: ECMAScript
    } catch (const std::regex_error& bad) {
        return pointer + ": invalid regular expression \"" + pattern + "\": " + bad.what();
    }
    return {};
}

/// Whether following `ref` leads, through nodes that are only "$ref"s, back into a "$ref" again
/// and again: valijson would follow it until the stack overflows (schema_parser.hpp: "TODO: Need
/// to detect degenerate circular references"). Resolved with valijson's own functions, so both
/// agree on where a reference leads; any longer chain of 64 counts as a cycle.
bool ref_cycle(const nlohmann::json& root, std::string ref) {
    namespace reference = valijson::internal::json_reference;
    const valijson::adapters::NlohmannJsonAdapter root_adapter(root);
    for (int hops = 0; hops < 64; ++hops) {
        const auto uri = reference::getJsonReferenceUri(ref);
        if (uri && (valijson::internal::uri::isUriAbsolute(*uri) ||
                    valijson::internal::uri::isUrn(*uri))) {
            return false; // another document: valijson refuses it (no fetcher)
        }
        // Else valijson resolves the pointer (trailing slashes trimmed) in this very document.
        std::string pointer = reference::getJsonReferencePointer(ref).value_or("");
        pointer.erase(pointer.find_last_not_of('/') + 1);
        try {
            const valijson::adapters::NlohmannJsonAdapter target =
                valijson::internal::json_pointer::resolveJsonPointer(root_adapter, pointer);
            if (!target.isObject()) {
                return false;
            }
            const auto object = target.getObject();
            const auto next = object.find("$ref");
            if (next == object.end() || !next->second.getString(ref)) {
                return false;
            }
        } catch (const std::exception&) {
            return false; // an unresolvable reference: valijson reports it
        }
    }
    return true;
}

/// What valijson would only meet while validating, or not survive: a "pattern" or
/// "patternProperties" regex std::regex rejects (compiled only while validating, where the
/// regex_error escapes validate()), a "$ref" cycle, or a "multipleOf" that is not a number above
/// 0 (as draft 7 requires; valijson divides by it: 0 and -1 trap). Rewrites an integer
/// "multipleOf" as a float: valijson's integer check truncates the value into int64, which is
/// undefined for 1e300 and lets 2.5 pass as a multiple of 2; and a "format" into an if/then (see
/// the end). Walks `node` as a schema: every keyword but those whose values are data. "" when
/// there is no such problem.
std::string
prepare_schema(const nlohmann::json& root, nlohmann::json& node, const std::string& pointer) {
    if (node.is_array()) {
        for (std::size_t idx = 0; idx < node.size(); ++idx) {
            std::string problem =
                prepare_schema(root, node[idx], pointer + "/" + std::to_string(idx));
            if (!problem.empty()) {
                return problem;
            }
        }
        return {};
    }
    if (!node.is_object()) {
        return {};
    }
    for (auto& [key, value] : node.items()) {
        const std::string at = pointer + "/" + key;
        std::string problem;
        if (key == "enum" || key == "const" || key == "default" || key == "examples") {
            continue;
        }
        if (key == "$ref" && value.is_string() && ref_cycle(root, value.get<std::string>())) {
            problem = at + ": a cycle of references that never reaches a schema";
        } else if (key == "pattern" && value.is_string()) {
            problem = regex_problem(value.get<std::string>(), at);
        } else if (key == "multipleOf") {
            if (!value.is_number() || !(value.get<double>() > 0)) {
                problem = at + ": must be a number greater than 0";
            } else {
                value = value.get<double>();
            }
        } else if ((key == "properties" || key == "patternProperties" || key == "definitions" ||
                    key == "dependencies") &&
                   value.is_object()) {
            // Names of properties or definitions map to schemas: the names are no keywords.
            for (auto& [name, schema] : value.items()) {
                problem = key == "patternProperties" ? regex_problem(name, at) : std::string();
                if (problem.empty()) {
                    problem = prepare_schema(root, schema, at + "/" + name);
                }
                if (!problem.empty()) {
                    break;
                }
            }
        } else {
            problem = prepare_schema(root, value, at);
        }
        if (!problem.empty()) {
            return problem;
        }
    }
    // valijson reads the value under a "format" as a string and throws for a non-empty array or
    // object; a format only applies to strings (draft 7, 7.1), so it is checked through an
    // if/then that only strings reach: the node's own, else one inside an allOf.
    const auto format = node.find("format");
    if (format != node.end() && format->is_string()) {
        nlohmann::json strings_only = {{"if", {{"type", "string"}}},
                                       {"then", {{"format", *format}}}};
        if (!node.contains("if") && !node.contains("then") && !node.contains("else")) {
            node.erase(format);
            node.update(strings_only);
        } else if (!node.contains("allOf") || node["allOf"].is_array()) {
            node.erase(format);
            node["allOf"].push_back(std::move(strings_only));
        }
    }
    return {};
}

} // namespace

JsonSchema::JsonSchema(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

JsonSchema::JsonSchema(JsonSchema&&) noexcept = default;
JsonSchema& JsonSchema::operator=(JsonSchema&&) noexcept = default;
JsonSchema::~JsonSchema() = default;

Result<JsonSchema> JsonSchema::parse(const nlohmann::json& schema, std::string origin) {
    auto impl = std::make_unique<Impl>();
    impl->origin = std::move(origin);
    impl->source = schema;
    // Before valijson: a $ref cycle would overflow its stack.
    nlohmann::json prepared = schema;
    if (const std::string problem = prepare_schema(schema, prepared, ""); !problem.empty()) {
        return Status::invalid_argument(impl->origin + " is not a usable JSON Schema: " + problem);
    }
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        valijson::adapters::NlohmannJsonAdapter adapter(prepared);
        parser.populateSchema(adapter, impl->schema);
    } catch (const std::exception& bad) {
        return Status::invalid_argument(
            impl->origin + " is not a usable JSON Schema: " + escape_invalid_utf8(bad.what()));
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
        std::vector<std::string> path;
        for (const std::string& part : error.context) {
            if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
                std::string name = part.substr(1, part.size() - 2);
                if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
                    name = name.substr(1, name.size() - 2);
                }
                pointer += "/" + name;
                path.push_back(std::move(name));
            }
        }
        if (pointer.empty()) {
            pointer = "/";
        }
        if (error.description.starts_with("Failed to validate against schema associated") ||
            error.description.starts_with("Failed to validate against a conditional schema")) {
            continue; // the wrapper of a more specific error already listed
        }
        std::string message = error.description;
        if (message.starts_with("Object contains a property that could not be validated")) {
            message += did_you_mean_property(impl_->source, path, message); // a misspelt key
        }
        found.push_back({std::move(pointer), std::move(message)});
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

namespace {

/// Only learns where a text stops being JSON: nlohmann throws a number too large for a double
/// (out_of_range 406) without the offset that it does hand to a SAX parser.
class ErrorOffset : public nlohmann::json_sax<nlohmann::json> {
public:
    std::size_t byte = 0;

    bool null() override { return true; }

    bool boolean(bool /*val*/) override { return true; }

    bool number_integer(number_integer_t /*val*/) override { return true; }

    bool number_unsigned(number_unsigned_t /*val*/) override { return true; }

    bool number_float(number_float_t /*val*/, const string_t& /*s*/) override { return true; }

    bool string(string_t& /*val*/) override { return true; }

    bool binary(binary_t& /*val*/) override { return true; }

    bool start_object(std::size_t /*elements*/) override { return true; }

    bool key(string_t& /*val*/) override { return true; }

    bool end_object() override { return true; }

    bool start_array(std::size_t /*elements*/) override { return true; }

    bool end_array() override { return true; }

    bool parse_error(std::size_t position,
                     const std::string& /*last_token*/,
                     const nlohmann::detail::exception& /*ex*/) override {
        byte = position;
        return false;
    }
};

Status
syntax_error(std::string_view text, std::string_view origin, std::size_t byte, std::string detail) {
    // nlohmann counts bytes; people count lines and columns.
    std::size_t line = 1;
    std::size_t column = 1;
    const std::size_t stop = std::min(byte > 0 ? byte - 1 : 0, text.size());
    for (std::size_t pos = 0; pos < stop; ++pos) {
        if (text[pos] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) {
            ++column; // code points, not UTF-8 continuation bytes
        }
    }
    if (const auto cut = detail.find("parse error"); cut != std::string::npos) {
        detail = detail.substr(cut);
    } else if (const auto id_end = detail.find("] "); id_end != std::string::npos) {
        detail = detail.substr(id_end + 2); // "[json.exception.out_of_range.406] number …"
    }
    // The location says where, in code points; nlohmann's own " at line L, column C" counts
    // bytes and would contradict it.
    if (const auto at = detail.find(" at line "); at != std::string::npos) {
        if (const auto colon = detail.find(": ", at); colon != std::string::npos) {
            detail.erase(at, colon - at);
        }
    }
    return Status::invalid_argument(escape_invalid_utf8(detail))
        .with_location(std::string(origin) + ":" + std::to_string(line) + ":" +
                       std::to_string(column));
}

} // namespace

Result<nlohmann::json> parse_json(std::string_view text, std::string_view origin) {
    try {
        return nlohmann::json::parse(text.begin(), text.end(), nullptr, true, true);
    } catch (const nlohmann::json::parse_error& bad) {
        return syntax_error(text, origin, bad.byte, bad.what());
    } catch (const nlohmann::json::exception& bad) {
        // A number beyond double's range ("1e309"): out_of_range 406, which has no offset.
        ErrorOffset offset;
        static_cast<void>(nlohmann::json::sax_parse(
            text.begin(), text.end(), &offset, nlohmann::json::input_format_t::json, true, true));
        return syntax_error(text, origin, offset.byte, bad.what());
    }
}

} // namespace ferry
