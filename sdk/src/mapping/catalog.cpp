// SPDX-License-Identifier: Apache-2.0
// catalog.cpp — loads the catalog's entity schemas and code tables.
#include "ferry/catalog.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ferry/json_schema.h"

#ifndef FERRY_INSTALLED_SCHEMAS_DIR
#    define FERRY_INSTALLED_SCHEMAS_DIR ""
#endif
#ifndef FERRY_SOURCE_SCHEMAS_DIR
#    define FERRY_SOURCE_SCHEMAS_DIR ""
#endif

namespace ferry {

const char* sharing_name(Sharing sharing) noexcept {
    switch (sharing) {
    case Sharing::Unconditional:
        return "unconditional";
    case Sharing::Conditional:
        return "conditional";
    case Sharing::None:
        return "none";
    }
    return "none";
}

Result<Sharing> parse_sharing(std::string_view name) {
    if (name == "unconditional") {
        return Sharing::Unconditional;
    }
    if (name == "conditional") {
        return Sharing::Conditional;
    }
    if (name == "none") {
        return Sharing::None;
    }
    return Status::invalid_argument("unknown sharing attribute \"" + std::string(name) +
                                    "\" (unconditional, conditional or none)");
}

const char* sensitivity_name(Sensitivity level) noexcept {
    switch (level) {
    case Sensitivity::L1:
        return "L1";
    case Sensitivity::L2:
        return "L2";
    case Sensitivity::L3:
        return "L3";
    case Sensitivity::L4:
        return "L4";
    }
    return "L4";
}

Result<Sensitivity> parse_sensitivity(std::string_view name) {
    if (name.size() == 2 && name[0] == 'L' && name[1] >= '1' && name[1] <= '4') {
        return static_cast<Sensitivity>(name[1] - '0');
    }
    return Status::invalid_argument("unknown sensitivity level \"" + std::string(name) +
                                    "\" (L1 … L4)");
}

const CatalogField* CatalogEntity::field(std::string_view field_name) const noexcept {
    for (const CatalogField& candidate : fields) {
        if (candidate.name == field_name) {
            return &candidate;
        }
    }
    return nullptr;
}

namespace {

Result<std::string> read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return Status::not_found("cannot read " + file.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Result<nlohmann::json> read_json_file(const std::filesystem::path& file) {
    FERRY_ASSIGN_OR_RETURN(std::string text, read_text(file));
    return parse_json(text, file.string());
}

// The order of an object's members as written (nlohmann::json sorts them; the catalog's field
// order is the order records are delivered in).
std::vector<std::string> property_order(const std::string& text) {
    std::vector<std::string> names;
    const auto ordered = nlohmann::ordered_json::parse(text, nullptr, false, true);
    if (ordered.is_object() && ordered.contains("properties") &&
        ordered["properties"].is_object()) {
        for (const auto& item : ordered["properties"].items()) {
            names.push_back(item.key());
        }
    }
    return names;
}

Result<DataType> catalog_type(const std::string& name) {
    if (name == "string" || name == "code") {
        return DataType::utf8();
    }
    if (name == "integer") {
        return DataType::int64();
    }
    if (name == "date") {
        return DataType::date32();
    }
    if (name == "datetime") {
        return DataType::timestamp_micros();
    }
    if (name == "boolean") {
        return DataType::boolean();
    }
    if (name.starts_with("decimal(")) {
        return DataType::parse(name);
    }
    return Status::invalid_argument("unknown catalog type \"" + name +
                                    "\" (string, integer, decimal(p,s), date, datetime, "
                                    "boolean, code)");
}

std::string string_or(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<CatalogEntity> load_entity(const std::filesystem::path& file) {
    FERRY_ASSIGN_OR_RETURN(std::string text, read_text(file));
    FERRY_ASSIGN_OR_RETURN(nlohmann::json schema, parse_json(text, file.string()));
    auto fail = [&](const std::string& what) {
        return Status::invalid_argument(what).with_location(file.string());
    };
    if (!schema.is_object() || !schema.contains("x-ferry-entity") ||
        !schema["x-ferry-entity"].is_object() || !schema.contains("properties") ||
        !schema["properties"].is_object()) {
        return fail("not a catalog entity: needs \"x-ferry-entity\" and \"properties\"");
    }
    const nlohmann::json& meta = schema["x-ferry-entity"];
    CatalogEntity entity;
    entity.file = file;
    entity.name = string_or(meta, "name");
    entity.title = string_or(schema, "title");
    entity.title_zh = string_or(meta, "title_zh");
    if (entity.name.empty()) {
        return fail("x-ferry-entity.name is missing");
    }
    if (const auto key = meta.find("key"); key != meta.end() && key->is_array()) {
        for (const auto& part : *key) {
            entity.key.push_back(part.get<std::string>());
        }
    }
    std::vector<std::string> required;
    if (const auto it = schema.find("required"); it != schema.end() && it->is_array()) {
        for (const auto& name : *it) {
            required.push_back(name.get<std::string>());
        }
    }
    for (const std::string& name : property_order(text)) {
        const nlohmann::json& property = schema["properties"][name];
        const auto annotations = property.find("x-ferry");
        if (annotations == property.end() || !annotations->is_object()) {
            return fail("property " + name + " has no \"x-ferry\" annotations");
        }
        CatalogField field;
        field.name = name;
        field.title = string_or(property, "title");
        field.description = string_or(property, "description");
        field.title_zh = string_or(*annotations, "title_zh");
        field.type_name = string_or(*annotations, "type");
        field.code_table = string_or(*annotations, "code_table");
        field.data_element = string_or(*annotations, "data_element");
        field.required = std::find(required.begin(), required.end(), name) != required.end();
        Result<DataType> type = catalog_type(field.type_name);
        if (!type.ok()) {
            return fail("property " + name + ": " + type.status().message());
        }
        field.type = *type;
        if (field.type_name == "code" && field.code_table.empty()) {
            return fail("property " + name + " is a code without a code_table");
        }
        Result<Sensitivity> level = parse_sensitivity(string_or(*annotations, "sensitivity"));
        if (!level.ok()) {
            return fail("property " + name + ": " + level.status().message());
        }
        field.sensitivity = *level;
        Result<Sharing> sharing = parse_sharing(string_or(*annotations, "sharing"));
        if (!sharing.ok()) {
            return fail("property " + name + ": " + sharing.status().message());
        }
        field.sharing = *sharing;
        field.masking = annotations->value("masking", nlohmann::json());
        entity.fields.push_back(std::move(field));
    }
    for (const std::string& key : entity.key) {
        if (entity.field(key) == nullptr) {
            return fail("key field " + key + " is not a property");
        }
    }
    entity.schema = std::move(schema);
    return entity;
}

Result<CodeTable> load_code_table(const std::filesystem::path& file) {
    FERRY_ASSIGN_OR_RETURN(nlohmann::json doc, read_json_file(file));
    auto fail = [&](const std::string& what) {
        return Status::invalid_argument(what).with_location(file.string());
    };
    if (!doc.is_object() || !doc.contains("codes") || !doc["codes"].is_array()) {
        return fail("not a code table: needs \"codes\"");
    }
    CodeTable table;
    table.id = string_or(doc, "id");
    table.title = string_or(doc, "title");
    table.title_zh = string_or(doc, "title_zh");
    table.standard = string_or(doc, "standard");
    if (table.id != file.stem().string()) {
        return fail("code table id \"" + table.id + "\" differs from its file name");
    }
    for (const auto& entry : doc["codes"]) {
        std::string code = string_or(entry, "code");
        if (code.empty() || table.names.contains(code)) {
            return fail("code table " + table.id + " has an empty or repeated code \"" + code +
                        "\"");
        }
        table.names.emplace(code, string_or(entry, "name_zh"));
        table.codes.push_back(std::move(code));
    }
    return table;
}

} // namespace

Result<Catalog> Catalog::load(const std::filesystem::path& dir) {
    Catalog catalog;
    catalog.dir_ = dir;
    std::error_code error;
    const std::filesystem::path entities_dir = dir / "catalog";
    const std::filesystem::path codes_dir = dir / "codes";
    if (!std::filesystem::is_directory(entities_dir, error) ||
        !std::filesystem::is_directory(codes_dir, error)) {
        return Status::not_found("no catalog at " + dir.string() +
                                 " (expected catalog/ and codes/ folders)");
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(codes_dir)) {
        if (entry.path().extension() == ".json") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        FERRY_ASSIGN_OR_RETURN(CodeTable table, load_code_table(file));
        std::string id = table.id;
        catalog.code_tables_.emplace(std::move(id), std::move(table));
    }
    files.clear();
    for (const auto& entry : std::filesystem::directory_iterator(entities_dir)) {
        if (entry.path().string().ends_with(".schema.json")) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        FERRY_ASSIGN_OR_RETURN(CatalogEntity entity, load_entity(file));
        for (const CatalogField& field : entity.fields) {
            if (!field.code_table.empty() && !catalog.code_tables_.contains(field.code_table)) {
                return Status::invalid_argument("field " + entity.name + "." + field.name +
                                                " names unknown code table " + field.code_table)
                    .with_location(file.string());
            }
        }
        std::string name = entity.name;
        if (!catalog.entities_.emplace(std::move(name), std::move(entity)).second) {
            return Status::invalid_argument("entity defined twice").with_location(file.string());
        }
    }
    return catalog;
}

std::filesystem::path Catalog::default_dir() {
    if (const char* env = std::getenv("FERRY_CATALOG_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    std::error_code error;
    const std::filesystem::path installed = FERRY_INSTALLED_SCHEMAS_DIR;
    if (!installed.empty() && std::filesystem::is_directory(installed / "catalog", error)) {
        return installed;
    }
    return FERRY_SOURCE_SCHEMAS_DIR;
}

const CatalogEntity* Catalog::entity(std::string_view name) const noexcept {
    const auto it = entities_.find(name);
    return it == entities_.end() ? nullptr : &it->second;
}

const CodeTable* Catalog::code_table(std::string_view id) const noexcept {
    const auto it = code_tables_.find(id);
    return it == code_tables_.end() ? nullptr : &it->second;
}

std::vector<std::string> Catalog::entity_names() const {
    std::vector<std::string> names;
    for (const auto& [name, entity] : entities_) {
        names.push_back(name);
    }
    return names;
}

} // namespace ferry
