// SPDX-License-Identifier: Apache-2.0
// mapping_load.cpp — reads a mapping file: syntax, schema, target, source, secrets, crosswalks;
// then hands over to the field compiler and the policy checks.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "ferry/json_schema.h"
#include "ferry/text.h"

#include "mapping_compiler.h"

namespace ferry {

namespace detail {
extern const char* const kMappingSchemaText;
extern const char* const kDatasetMetadataSchemaText;

void Compiler::report(Severity severity,
                      std::string code,
                      const std::string& pointer,
                      std::string message,
                      std::string hint,
                      bool at_key) {
    const TextPosition at = at_key ? positions.nearest(pointer) : positions.value(pointer);
    const TextPosition where = at.line != 0 ? at : positions.nearest(pointer);
    out.push_back({severity, std::move(code), std::move(message), file, where.line, where.column,
                   pointer, std::move(hint)});
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string best = closest_name(word, candidates);
    return best.empty() ? std::string() : "did you mean \"" + best + "\"?";
}

} // namespace detail

namespace {

using detail::Compiler;

const JsonSchema& embedded_schema(const char* text, const char* origin) {
    // The schemas are part of the build; one that does not compile is a build bug.
    static std::map<const char*, std::unique_ptr<JsonSchema>> cache;
    static std::mutex lock;
    std::lock_guard<std::mutex> guard(lock);
    auto& slot = cache[text];
    if (!slot) {
        slot = std::make_unique<JsonSchema>(JsonSchema::parse_text(text, origin).value());
    }
    return *slot;
}

Result<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Status::not_found("cannot read " + path.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Keys each object may have; anything else is almost always a typo worth a hint.
void check_keys(Compiler& compiler,
                const nlohmann::json& object,
                const std::string& pointer,
                const std::vector<std::string>& allowed,
                const std::string& what) {
    if (!object.is_object()) {
        return;
    }
    for (const auto& [key, value] : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            compiler.report(Severity::Error, "FC003", JsonPositions::child(pointer, key),
                            "unknown key \"" + key + "\" in " + what,
                            detail::did_you_mean(key, allowed));
        }
    }
}

void check_schema(Compiler& compiler, const nlohmann::json& doc) {
    const JsonSchema& schema = embedded_schema(detail::kMappingSchemaText, "mapping.schema.json");
    for (const JsonSchemaViolation& violation : schema.violations(doc)) {
        if (violation.message.find("could not be validated using 'properties'") !=
            std::string::npos) {
            continue; // unknown keys get their own finding with a hint (FC003)
        }
        const std::string pointer = violation.pointer == "/" ? std::string() : violation.pointer;
        compiler.report(Severity::Error, "FC002", pointer,
                        (pointer.empty() ? std::string("the mapping") : pointer) +
                            " does not match mapping.schema.json: " + violation.message,
                        {}, false);
    }
    check_keys(compiler, doc, "",
               {"$schema", "id", "description", "catalog", "source", "target", "dataset", "secrets",
                "crosswalks", "fields", "rejects"},
               "the mapping");
    if (doc.contains("source")) {
        check_keys(compiler, doc["source"], "/source",
                   {"adapter", "plugin", "options", "dataset", "fields"}, "source");
    }
    if (doc.contains("fields") && doc["fields"].is_object()) {
        for (const auto& [name, spec] : doc["fields"].items()) {
            check_keys(compiler, spec, JsonPositions::child("/fields", name),
                       {"from", "value", "transforms", "sharing", "masking", "description"},
                       "field \"" + name + "\"");
        }
    }
}

void check_dataset_metadata(Compiler& compiler, const nlohmann::json& doc) {
    const auto it = doc.find("dataset");
    if (it == doc.end()) {
        compiler.report(Severity::Note, "FC091", "",
                        "no \"dataset\" section: the mapping cannot be published in a catalog");
        return;
    }
    const JsonSchema& schema =
        embedded_schema(detail::kDatasetMetadataSchemaText, "dataset-metadata.schema.json");
    for (const JsonSchemaViolation& violation : schema.violations(*it)) {
        const std::string pointer =
            "/dataset" + (violation.pointer == "/" ? std::string() : violation.pointer);
        compiler.report(Severity::Error, "FC090", pointer,
                        pointer +
                            " does not match dataset-metadata.schema.json: " + violation.message,
                        {}, false);
    }
}

std::string did_you_mean_code(const std::string& code, const CodeTable& table) {
    return detail::did_you_mean(code, table.codes);
}

Result<Sharing> sharing_of(const nlohmann::json& value) {
    return parse_sharing(value.get<std::string>());
}

bool load_source(Compiler& compiler, const nlohmann::json& doc) {
    detail::MappingPlan& plan = *compiler.plan;
    const nlohmann::json& source = doc["source"];
    std::vector<Field> declared;
    if (const auto fields = source.find("fields"); fields != source.end() && fields->is_object()) {
        for (const auto& [name, spec] : fields->items()) {
            const std::string pointer = JsonPositions::child("/source/fields", name);
            const std::string type_text =
                spec.is_string() ? spec.get<std::string>() : spec.value("type", std::string());
            Result<DataType> type = DataType::parse(type_text);
            if (!type.ok()) {
                compiler.report(Severity::Error, "FC004", pointer,
                                "source field \"" + name + "\": " + type.status().message() +
                                    " (Ferry types: bool, int64, decimal(p,s), date, timestamp, "
                                    "text, bytes)");
                compiler.bad_source_fields.insert(name);
                continue;
            }
            if (spec.is_object()) {
                if (spec.contains("sharing")) {
                    compiler.source_sharing[name] = sharing_of(spec["sharing"]).value();
                }
                if (spec.value("sensitive", false)) {
                    compiler.source_sensitive.insert(name);
                }
            }
            declared.push_back({name, *type, true});
        }
    }
    if (!compiler.options.discovered_source) {
        if (declared.empty()) {
            compiler.report(Severity::Error, "FC005", "/source",
                            "the source declares no fields: list them under source.fields "
                            "(ferry-check --live prints what discovery finds)");
            return false;
        }
        plan.source_schema = Schema(std::move(declared));
        return true;
    }
    const Schema& discovered = *compiler.options.discovered_source;
    for (const Field& field : declared) {
        const std::string pointer = JsonPositions::child("/source/fields", field.name);
        const auto index = discovered.index_of(field.name);
        if (!index) {
            std::vector<std::string> names;
            for (const Field& found : discovered.fields()) {
                names.push_back(found.name);
            }
            compiler.report(Severity::Error, "FC100", pointer,
                            "source field \"" + field.name + "\" is not in the discovered " +
                                "dataset \"" + source["dataset"].get<std::string>() + "\"",
                            detail::did_you_mean(field.name, names));
        } else if (!(discovered.field(*index).type == field.type)) {
            compiler.report(Severity::Error, "FC101", pointer,
                            "source field \"" + field.name + "\" is declared " +
                                field.type.to_string() + " but the source has " +
                                discovered.field(*index).type.to_string());
        }
    }
    plan.source_schema = discovered;
    return true;
}

void load_secrets(Compiler& compiler, const nlohmann::json& doc) {
    const auto it = doc.find("secrets");
    if (it == doc.end()) {
        return;
    }
    for (const auto& [name, spec] : it->items()) {
        const std::string pointer = JsonPositions::child("/secrets", name);
        std::string value;
        std::string where;
        if (spec.contains("env")) {
            where = "environment variable " + spec["env"].get<std::string>();
            if (const char* env = std::getenv(spec["env"].get<std::string>().c_str())) {
                value = env;
            }
        } else if (spec.contains("file")) {
            const std::filesystem::path path = compiler.base_dir / spec["file"].get<std::string>();
            where = "file " + path.string();
            if (Result<std::string> text = read_file(path); text.ok()) {
                value = std::string(trim_ascii_spaces(*text));
            }
        }
        if (value.empty()) {
            if (const auto kept = compiler.options.host_secrets.find(name);
                kept != compiler.options.host_secrets.end()) {
                value = kept->second;
            }
        }
        if (value.empty()) {
            if (compiler.options.allow_missing_secrets) {
                compiler.report(Severity::Note, "FC070", pointer,
                                "secret \"" + name + "\" is not set here (" + where +
                                    "); checked with a placeholder key");
                value = "ferry-check placeholder key";
            } else {
                compiler.report(Severity::Error, "FC070", pointer,
                                "secret \"" + name + "\" is not set (" + where + ")");
                continue;
            }
        }
        compiler.plan->secrets[name] = std::move(value);
    }
}

void load_crosswalks(Compiler& compiler, const nlohmann::json& doc) {
    const auto it = doc.find("crosswalks");
    if (it == doc.end()) {
        return;
    }
    const Catalog& catalog = *compiler.plan->catalog;
    for (const auto& [name, inline_spec] : it->items()) {
        const std::string pointer = JsonPositions::child("/crosswalks", name);
        nlohmann::json spec = inline_spec;
        std::string where = "crosswalk \"" + name + "\"";
        if (spec.contains("file")) {
            const std::filesystem::path path = compiler.base_dir / spec["file"].get<std::string>();
            Result<std::string> text = read_file(path);
            Result<nlohmann::json> parsed = text.ok() ? parse_json(*text, path.string())
                                                      : Result<nlohmann::json>(text.status());
            if (!parsed.ok() || !parsed->is_object()) {
                compiler.report(Severity::Error, "FC043", JsonPositions::child(pointer, "file"),
                                "crosswalk file: " + (parsed.ok() ? std::string("not an object")
                                                                  : parsed.status().to_string()),
                                {}, false);
                continue;
            }
            for (const auto& [key, value] : parsed->items()) {
                if (!spec.contains(key)) {
                    spec[key] = value;
                }
            }
            where += " (" + path.filename().string() + ")";
        }
        Crosswalk crosswalk;
        crosswalk.name = name;
        crosswalk.to_table = spec.value("to_table", std::string());
        crosswalk.from_system = spec.value("from_system", std::string());
        const CodeTable* table = catalog.code_table(crosswalk.to_table);
        if (table == nullptr) {
            compiler.report(Severity::Error, "FC040", pointer,
                            where + " maps into unknown code table \"" + crosswalk.to_table + "\"");
        }
        if (spec.contains("map") && spec["map"].is_object()) {
            for (const auto& [from, to] : spec["map"].items()) {
                const std::string target = to.is_string() ? to.get<std::string>() : std::string();
                if (table != nullptr && !table->contains(target)) {
                    compiler.report(
                        Severity::Error, "FC041",
                        JsonPositions::child(JsonPositions::child(pointer, "map"), from),
                        where + " maps \"" + from + "\" to \"" + target +
                            "\", which is not in code table " + table->id,
                        did_you_mean_code(target, *table), false);
                }
                crosswalk.map[from] = target;
            }
        } else {
            compiler.report(Severity::Error, "FC043", pointer, where + " has no \"map\"");
        }
        if (spec.contains("source_codes")) {
            for (const auto& code : spec["source_codes"]) {
                const std::string text = code.get<std::string>();
                crosswalk.source_codes.push_back(text);
                if (!crosswalk.map.contains(text)) {
                    compiler.report(Severity::Warning, "FC042",
                                    JsonPositions::child(pointer, "source_codes"),
                                    where + " does not map source code \"" + text +
                                        "\": records with it follow the unmapped policy");
                }
            }
        }
        compiler.plan->crosswalks.emplace(name, std::move(crosswalk));
    }
}

} // namespace

namespace {

// Where the catalog comes from: the caller's, else the file's "catalog" folder, else the default.
Result<std::shared_ptr<const Catalog>> resolve_catalog(const Compiler& compiler,
                                                       const nlohmann::json& doc) {
    if (compiler.options.catalog) {
        return compiler.options.catalog;
    }
    const std::filesystem::path dir = doc.contains("catalog")
                                          ? compiler.base_dir / doc["catalog"].get<std::string>()
                                          : Catalog::default_dir();
    FERRY_ASSIGN_OR_RETURN(Catalog catalog, Catalog::load(dir));
    return std::make_shared<const Catalog>(std::move(catalog));
}

void load_policy(Compiler& compiler, const nlohmann::json& doc) {
    const auto it = doc.find("rejects");
    if (it == doc.end()) {
        return;
    }
    RejectPolicy& policy = compiler.plan->policy;
    if (it->contains("max_count")) {
        policy.max_count = (*it)["max_count"].get<std::int64_t>();
    }
    if (it->contains("max_ratio")) {
        policy.max_ratio = (*it)["max_ratio"].get<double>();
    }
    policy.min_records = it->value("min_records", policy.min_records);
}

} // namespace

namespace {

// Findings in file order, as compilers print them; those without a place go last.
void sort_by_position(std::vector<Diagnostic>& diagnostics, std::size_t first) {
    std::stable_sort(diagnostics.begin() + static_cast<std::ptrdiff_t>(first), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         const auto key = [](const Diagnostic& d) {
                             return std::pair(d.line == 0 ? INT32_MAX : d.line, d.column);
                         };
                         return key(a) < key(b);
                     });
}

} // namespace

Result<Mapping> Mapping::parse(std::string_view text,
                               const std::string& file,
                               const std::filesystem::path& base_dir,
                               const MappingLoadOptions& options,
                               std::vector<Diagnostic>& diagnostics) {
    const std::size_t first = diagnostics.size();
    auto failed = [&]() -> Status {
        std::size_t errors = 0;
        for (std::size_t idx = first; idx < diagnostics.size(); ++idx) {
            errors += diagnostics[idx].severity == Severity::Error ? 1U : 0U;
        }
        return Status::invalid_argument(file + ": " + std::to_string(errors) + " error" +
                                        (errors == 1 ? "" : "s") + " in the mapping")
            .with_location(file);
    };
    Result<nlohmann::json> parsed = parse_json(text, file);
    if (!parsed.ok()) {
        Diagnostic diagnostic;
        diagnostic.code = "FC001";
        diagnostic.file = file;
        diagnostic.message = "not valid JSON: " + parsed.status().message();
        // parse_json's location reads "file:line:col".
        const std::string& location = parsed.status().location();
        const auto last = location.rfind(':');
        const auto middle = last == std::string::npos ? last : location.rfind(':', last - 1);
        if (middle != std::string::npos) {
            diagnostic.line = std::stoi(location.substr(middle + 1, last - middle - 1));
            diagnostic.column = std::stoi(location.substr(last + 1));
        }
        diagnostics.push_back(std::move(diagnostic));
        return failed();
    }
    const nlohmann::json& doc = *parsed;
    Compiler compiler{options,     file,
                      base_dir,    JsonPositions::index(text),
                      diagnostics, std::make_shared<detail::MappingPlan>(),
                      {},          {},
                      {}};
    for (const std::string& duplicate : compiler.positions.duplicates()) {
        compiler.report(Severity::Error, "FC014", duplicate,
                        "key \"" + duplicate.substr(duplicate.rfind('/') + 1) +
                            "\" appears twice in the same object: only the last one would count");
    }
    check_schema(compiler, doc);
    if (has_errors(diagnostics)) {
        return failed(); // the rest would trip over the same structural problems
    }
    detail::MappingPlan& plan = *compiler.plan;
    plan.id = doc["id"].get<std::string>();
    plan.file = file;
    plan.document = doc;
    Result<std::shared_ptr<const Catalog>> catalog = resolve_catalog(compiler, doc);
    if (!catalog.ok()) {
        compiler.report(Severity::Error, "FC006", doc.contains("catalog") ? "/catalog" : "",
                        "cannot load the catalog: " + catalog.status().to_string());
        return failed();
    }
    plan.catalog = *catalog;
    const std::string target = doc["target"].get<std::string>();
    const CatalogEntity* entity = plan.catalog->entity(target);
    if (entity == nullptr) {
        compiler.report(Severity::Error, "FC010", "/target",
                        "unknown catalog entity \"" + target + "\"",
                        detail::did_you_mean(target, plan.catalog->entity_names()), false);
        return failed();
    }
    plan.entity = *entity;
    if (!load_source(compiler, doc)) {
        return failed();
    }
    load_secrets(compiler, doc);
    load_crosswalks(compiler, doc);
    load_policy(compiler, doc);
    detail::compile_fields(compiler);
    detail::check_policies(compiler);
    check_dataset_metadata(compiler, doc);
    sort_by_position(diagnostics, first);
    if (has_errors(diagnostics)) {
        return failed();
    }
    compiler.plan->text = std::string(text);
    compiler.plan->positions = JsonPositions::index(compiler.plan->text);
    return Mapping(std::move(compiler.plan));
}

Result<Mapping> Mapping::load(const std::filesystem::path& file,
                              const MappingLoadOptions& options,
                              std::vector<Diagnostic>& diagnostics) {
    Result<std::string> text = read_file(file);
    if (!text.ok()) {
        diagnostics.push_back(
            {Severity::Error, "FC001", text.status().message(), file.string(), 0, 0, "", ""});
        return std::move(text).status();
    }
    return parse(*text, file.string(), file.parent_path(), options, diagnostics);
}

const std::string& Mapping::id() const noexcept {
    return plan_->id;
}

const std::string& Mapping::file() const noexcept {
    return plan_->file;
}

const nlohmann::json& Mapping::document() const noexcept {
    return plan_->document;
}

const CatalogEntity& Mapping::entity() const noexcept {
    return plan_->entity;
}

const Schema& Mapping::source_schema() const noexcept {
    return plan_->source_schema;
}

const Schema& Mapping::output_schema() const noexcept {
    return plan_->output_schema;
}

const CatalogField& Mapping::output_field(std::size_t index) const {
    return plan_->fields.at(index).target;
}

const RejectPolicy& Mapping::reject_policy() const noexcept {
    return plan_->policy;
}

std::pair<std::int32_t, std::int32_t> Mapping::position(std::string_view pointer) const {
    const TextPosition at = plan_->positions.nearest(pointer);
    return {at.line, at.column};
}

} // namespace ferry
