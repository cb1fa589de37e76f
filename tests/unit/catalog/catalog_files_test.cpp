// SPDX-License-Identifier: Apache-2.0
// catalog_files_test.cpp — the catalog under schemas/ keeps its own rules: entity files and code
// tables pass their meta-schemas, and the rules a schema cannot state hold (code tables exist,
// JSON types agree with the catalog types, sensitive fields carry a masking, keys are required,
// docs/catalog.md lists every field).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ferry/catalog.h"
#include "ferry/json_schema.h"
#include "ferry/transform.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kRoot = FERRY_SOURCE_DIR;
const fs::path kSchemas = kRoot / "schemas";

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    INFO(file.string());
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

json read_json(const fs::path& file) {
    auto parsed = ferry::parse_json(read_text(file), file.string());
    INFO(parsed.status().to_string());
    REQUIRE(parsed.ok());
    return std::move(parsed).value();
}

ferry::JsonSchema compile(const json& schema, const std::string& origin) {
    auto compiled = ferry::JsonSchema::parse(schema, origin);
    INFO(compiled.status().to_string());
    REQUIRE(compiled.ok());
    return std::move(compiled).value();
}

std::vector<fs::path> files_in(const fs::path& dir, const std::string& suffix) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().filename().string().ends_with(suffix)) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string stem_of(const fs::path& file, const std::string& suffix) {
    const std::string name = file.filename().string();
    return name.substr(0, name.size() - suffix.size());
}

// json::value() trips GCC 12's -Wnull-dereference once inlined; contains() + at() does not.
std::string string_at(const json& object, const char* key) {
    return object.contains(key) && object.at(key).is_string() ? object.at(key).get<std::string>()
                                                              : std::string();
}

bool has_code_table(const std::string& id) {
    return fs::is_regular_file(kSchemas / "codes" / (id + ".json"));
}

std::string decimal_pattern(int precision, int scale) {
    const std::string integer = "[0-9]{1," + std::to_string(precision - scale) + "}";
    if (scale == 0) {
        return "^-?" + integer + "$";
    }
    return "^-?" + integer + "\\.[0-9]{" + std::to_string(scale) + "}$";
}

const std::string kDatePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const std::string kDatetimePattern =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{6})?$";

/// What is wrong with one property beyond the meta-schema; empty when nothing is.
std::vector<std::string>
property_problems(const std::string& name, const json& property, bool required) {
    std::vector<std::string> problems;
    const json& ferry = property.at("x-ferry");
    const std::string type = ferry.at("type").get<std::string>();
    std::string json_type = "string";
    std::string pattern; // the pattern the type demands, if any
    static const std::regex kDecimal(R"(decimal\((\d+),(\d+)\))");
    std::smatch decimal;
    if (type == "integer" || type == "boolean") {
        json_type = type;
    } else if (type == "date") {
        pattern = kDatePattern;
    } else if (type == "datetime") {
        pattern = kDatetimePattern;
    } else if (std::regex_match(type, decimal, kDecimal)) {
        const int precision = std::stoi(decimal[1]);
        const int scale = std::stoi(decimal[2]);
        if (scale > precision || precision > 38) {
            problems.push_back(name + ": " + type + " is not a valid decimal");
        } else {
            pattern = decimal_pattern(precision, scale);
        }
    }
    const json expected = required ? json(json_type) : json::array({json_type, "null"});
    if (property.at("type") != expected) {
        problems.push_back(name + ": JSON type " + property.at("type").dump() + " should be " +
                           expected.dump() + " for a " + (required ? "required " : "") + type);
    }
    if (!pattern.empty() && string_at(property, "pattern") != pattern) {
        problems.push_back(name + ": pattern should be " + pattern + " for " + type);
    }
    if (type == "code") {
        const std::string table = string_at(ferry, "code_table");
        if (!has_code_table(table)) {
            problems.push_back(name + ": code table \"" + table +
                               "\" has no file in schemas/codes");
        }
    }
    const json& masking = ferry.at("masking");
    const bool sensitive = ferry.at("sensitivity") != "L1";
    if (sensitive && !masking.is_object()) {
        problems.push_back(name + ": sensitive (" + ferry.at("sensitivity").get<std::string>() +
                           ") but has no masking");
    }
    if (masking.is_object()) {
        // mask and the HMAC pseudonyms take text only; anything else is redacted.
        const std::string op = string_at(masking, "op");
        if (op != "redact" && type != "string" && type != "code") {
            problems.push_back(name + ": masking " + op + " does not take a " + type);
        }
    }
    return problems;
}

/// Everything wrong with an entity document beyond its meta-schema.
std::vector<std::string> entity_problems(const json& entity) {
    std::vector<std::string> problems;
    const json& properties = entity.at("properties");
    std::set<std::string> required;
    for (const json& name : entity.at("required")) {
        required.insert(name.get<std::string>());
        if (!properties.contains(name.get<std::string>())) {
            problems.push_back("required " + name.get<std::string>() + " is not a property");
        }
    }
    for (const json& key : entity.at("x-ferry-entity").at("key")) {
        if (!properties.contains(key.get<std::string>()) ||
            !required.contains(key.get<std::string>())) {
            problems.push_back("key " + key.get<std::string>() + " is not a required property");
        }
    }
    for (const auto& [name, property] : properties.items()) {
        for (std::string& problem : property_problems(name, property, required.contains(name))) {
            problems.push_back(std::move(problem));
        }
    }
    return problems;
}

json entity_file(const std::string& name) {
    return read_json(kSchemas / "catalog" / (name + ".schema.json"));
}

const std::vector<std::string> kEntities{
    "person",       "employer",       "enterprise_registration", "insurance_enrollment",
    "contribution", "benefit_payment"};

} // namespace

TEST_CASE("every entity file passes the catalog-entity meta-schema", "[catalog]") {
    const ferry::JsonSchema meta =
        compile(read_json(kSchemas / "catalog-entity.schema.json"), "catalog-entity.schema.json");
    const auto files = files_in(kSchemas / "catalog", ".schema.json");
    std::set<std::string> names;
    for (const fs::path& file : files) {
        INFO(file.filename().string());
        const json entity = read_json(file);
        const ferry::Status status = meta.validate(entity, "entity");
        INFO(status.to_string());
        CHECK(status.ok());
        const std::string name = stem_of(file, ".schema.json");
        CHECK(entity.at("x-ferry-entity").at("name") == name);
        CHECK(entity.at("$id") == "urn:ferry:catalog:" + name);
        names.insert(name);
    }
    for (const std::string& name : kEntities) {
        INFO(name);
        CHECK(names.contains(name));
    }
}

TEST_CASE("the meta-schema refuses what it should", "[catalog]") {
    const ferry::JsonSchema meta =
        compile(read_json(kSchemas / "catalog-entity.schema.json"), "catalog-entity.schema.json");
    const json person = entity_file("person");
    json broken = person;
    broken["properties"]["sex"]["x-ferry"].erase("code_table");
    CHECK_FALSE(meta.validate(broken, "entity").ok());
    broken = person;
    broken["properties"]["name"]["x-ferry"]["masking"] = nullptr; // L2 without masking
    CHECK_FALSE(meta.validate(broken, "entity").ok());
    broken = person;
    broken["properties"]["name"]["x-ferry"]["sensitivity"] = "L5";
    CHECK_FALSE(meta.validate(broken, "entity").ok());
    broken = person;
    broken["properties"]["name"]["x-ferry"]["sharing"] = "open";
    CHECK_FALSE(meta.validate(broken, "entity").ok());
    broken = person;
    broken["properties"]["name"]["x-ferry"]["type"] = "decimal(14)";
    CHECK_FALSE(meta.validate(broken, "entity").ok());
    broken = person;
    broken["properties"]["name"]["x-ferry"]["masking"] = {{"op", "mask"}, {"keep", 1}};
    CHECK_FALSE(meta.validate(broken, "entity").ok());
    broken = person;
    broken["properties"]["name"].erase("title");
    CHECK_FALSE(meta.validate(broken, "entity").ok());
    broken = person;
    broken["$id"] = "urn:ferry:person";
    CHECK_FALSE(meta.validate(broken, "entity").ok());
}

TEST_CASE("entity fields agree with their catalog types, keys and masking", "[catalog]") {
    for (const std::string& name : kEntities) {
        INFO(name);
        const json entity = entity_file(name);
        const std::vector<std::string> problems = entity_problems(entity);
        for (const std::string& problem : problems) {
            UNSCOPED_INFO(problem);
        }
        CHECK(problems.empty());
        // Lineage fields every entity carries, with their fixed attributes.
        const json& system = entity.at("properties").at("source_system").at("x-ferry");
        CHECK(system.at("sensitivity") == "L1");
        CHECK(system.at("sharing") == "unconditional");
        const json& key = entity.at("properties").at("source_key").at("x-ferry");
        CHECK(key.at("sensitivity") == "L2");
        CHECK(key.at("sharing") == "conditional");
        CHECK(key.at("masking") == json{{"op", "mask"}, {"keep_first", 2}, {"keep_last", 2}});
    }
}

TEST_CASE("the C++ checks catch disagreements", "[catalog]") {
    const json person = entity_file("person");
    json broken = person;
    broken["properties"]["birth_date"]["type"] = "string"; // optional, so must allow null
    CHECK(entity_problems(broken).size() == 1);
    broken = person;
    broken["properties"]["birth_date"]["pattern"] = "^[0-9]{8}$";
    CHECK(entity_problems(broken).size() == 1);
    broken = person;
    broken["properties"]["sex"]["x-ferry"]["code_table"] = "no_such_table";
    CHECK(entity_problems(broken).size() == 1);
    broken = person;
    broken["properties"]["birth_date"]["x-ferry"]["masking"] = {{"op", "mask"}};
    CHECK(entity_problems(broken).size() == 1);
    broken = person;
    broken["properties"]["name"]["x-ferry"]["masking"] = nullptr;
    CHECK(entity_problems(broken).size() == 1);
    broken = person;
    broken["required"] = {"id_number", "name"}; // key not required any more
    CHECK_FALSE(entity_problems(broken).empty());
    json decimal = entity_file("contribution");
    decimal["properties"]["base"]["pattern"] = "^[0-9]+\\.[0-9]{2}$";
    CHECK(entity_problems(decimal).size() == 1);
    CHECK(decimal_pattern(14, 2) == "^-?[0-9]{1,12}\\.[0-9]{2}$");
}

TEST_CASE("code tables pass their meta-schema, match their file names, have unique codes",
          "[catalog]") {
    const ferry::JsonSchema meta =
        compile(read_json(kSchemas / "code-table.schema.json"), "code-table.schema.json");
    std::set<std::string> ids;
    for (const fs::path& file : files_in(kSchemas / "codes", ".json")) {
        INFO(file.filename().string());
        const json table = read_json(file);
        const ferry::Status status = meta.validate(table, "code table");
        INFO(status.to_string());
        CHECK(status.ok());
        CHECK(table.at("id") == stem_of(file, ".json"));
        std::set<std::string> codes;
        for (const json& entry : table.at("codes")) {
            INFO(entry.dump());
            CHECK(codes.insert(entry.at("code").get<std::string>()).second);
        }
        ids.insert(table.at("id").get<std::string>());
    }
    for (const char* id : {"gender", "ethnicity", "insurance_type", "enrollment_status",
                           "enterprise_status", "entity_category", "id_document_type",
                           "enterprise_type", "industry_section", "sharing_type", "update_cycle",
                           "resource_format", "share_method", "currency", "retirement_flag"}) {
        INFO(id);
        CHECK(ids.contains(id));
    }
    CHECK(read_json(kSchemas / "codes" / "ethnicity.json").at("codes").size() == 56);
    CHECK(read_json(kSchemas / "codes" / "industry_section.json").at("codes").size() == 20);
    json broken = read_json(kSchemas / "codes" / "gender.json");
    broken["codes"].push_back({{"code", "1"}});
    CHECK_FALSE(meta.validate(broken, "code table").ok()); // no name_zh
}

namespace {

void check_record(const ferry::JsonSchema& schema, const json& record, bool valid) {
    const ferry::Status status = schema.validate(record, "record");
    INFO(record.dump() << "\n" << status.to_string());
    CHECK(status.ok() == valid);
}

/// Every code field of a record holds a code of its table (the schemas leave that to the
/// mapping's crosswalks, so examples are checked here).
void check_codes(const json& entity, const json& record) {
    for (const auto& [name, value] : record.items()) {
        const json& ferry = entity.at("properties").at(name).at("x-ferry");
        if (ferry.at("type") != "code" || value.is_null()) {
            continue;
        }
        const json table =
            read_json(kSchemas / "codes" / (ferry.at("code_table").get<std::string>() + ".json"));
        const json& codes = table.at("codes");
        const json code = value;
        INFO(name << " = " << code);
        CHECK(std::any_of(codes.begin(), codes.end(),
                          [&code](const json& entry) { return entry.at("code") == code; }));
    }
}

json with(json record, const std::string& key, json value) {
    record[key] = std::move(value);
    return record;
}

json without(json record, const std::string& key) {
    record.erase(key);
    return record;
}

} // namespace

TEST_CASE("person records: a valid one passes, broken ones do not", "[catalog]") {
    const json entity = entity_file("person");
    const ferry::JsonSchema schema = compile(entity, "person.schema.json");
    const json good{{"person_id", "5f0c2a4e-person-0001"},
                    {"id_type", "111"},
                    {"id_number", "11010519900307101X"},
                    {"id_number_valid", true},
                    {"name", "王五"},
                    {"sex", "1"},
                    {"ethnicity", "03"},
                    {"birth_date", "1990-03-07"},
                    {"nationality", "CHN"},
                    {"retired", "0"},
                    {"phone", nullptr},
                    {"source_system", "xa-si"},
                    {"source_key", "1000000003"}};
    check_record(schema, good, true);
    check_codes(entity, good);
    check_record(schema,
                 {{"person_id", "p"}, {"id_number", "110105199003071239"}, {"name", "张三"}}, true);
    check_record(schema, with(good, "id_number", "11010519900307101x"), false); // lower-case x
    check_record(schema, with(good, "id_number", "110105900307123"), false);    // 15 digits
    check_record(schema, with(good, "birth_date", "19900307"), false);
    check_record(schema, with(good, "id_number_valid", "true"), false);
    check_record(schema, with(good, "AAC001", "1000000003"), false); // not a catalog field
    check_record(schema, without(good, "name"), false);
    check_record(schema, with(good, "name", nullptr), false);
}

TEST_CASE("enterprise registration records: a valid one passes, broken ones do not", "[catalog]") {
    const json entity = entity_file("enterprise_registration");
    const ferry::JsonSchema schema = compile(entity, "enterprise_registration.schema.json");
    const json good{{"uscc", "91110105MA01C7K26H"},
                    {"uscc_valid", true},
                    {"legacy_reg_no", "110105012345678"},
                    {"name", "北京示例科技有限公司"},
                    {"entity_category", "01"},
                    {"enterprise_type", "1130"},
                    {"legal_rep_name", "张三"},
                    {"legal_rep_id_type", "111"},
                    {"legal_rep_id_number", "110105199003071239"},
                    {"registered_capital", "1000000.00"},
                    {"capital_currency", "CNY"},
                    {"business_scope", "技术开发、技术咨询"},
                    {"established_on", "2016-05-20"},
                    {"approved_on", "2023-11-02"},
                    {"operating_status", "1"},
                    {"industry_code", "6513"},
                    {"industry_section", "I"},
                    {"registration_authority", "北京市朝阳区市场监督管理局"},
                    {"registered_address", "北京市朝阳区示例路1号"},
                    {"source_system", "samr-gateway"},
                    {"source_key", nullptr}};
    check_record(schema, good, true);
    check_codes(entity, good);
    check_record(schema, with(good, "registered_capital", "1000000.5"), false); // scale 1
    check_record(schema, with(good, "registered_capital", 1000000), false);     // not a string
    check_record(schema, with(good, "registered_capital", "12345678901234567.00"), false);
    check_record(schema, with(good, "registered_capital", "-0.01"), true);
    check_record(schema, with(good, "uscc", "91110105MA01C7K26I"), false); // I is not used
    check_record(schema, with(good, "established_on", "2016-5-20"), false);
    check_record(schema, without(good, "uscc"), false);
}

TEST_CASE("contribution records: periods are ISO year-months", "[catalog]") {
    const json entity = entity_file("contribution");
    const ferry::JsonSchema schema = compile(entity, "contribution.schema.json");
    const json good{{"contribution_id", "2018030000000001"},
                    {"person_id", "5f0c2a4e-person-0001"},
                    {"employer_id", "91110105MA01C7K26H"},
                    {"insurance_type", "110"},
                    {"booking_period", "2018-03"},
                    {"covered_period", "2018-02"},
                    {"base", "8000.00"},
                    {"person_rate", "0.0800"},
                    {"person_amount", "640.00"},
                    {"paid", true}};
    check_record(schema, good, true);
    check_codes(entity, good);
    check_record(schema, with(good, "covered_period", "201802"), false);
    check_record(schema, with(good, "covered_period", "2018-13"), false);
    check_record(schema, with(good, "person_rate", "0.08"), false);
    check_record(schema, without(good, "booking_period"), false);
}

TEST_CASE("every entity field is listed in docs/catalog.md", "[catalog]") {
    const std::string docs = read_text(kRoot / "docs" / "catalog.md");
    for (const std::string& name : kEntities) {
        INFO(name);
        const std::string heading = "### `" + name + "`";
        const std::size_t begin = docs.find(heading);
        REQUIRE(begin != std::string::npos);
        const std::size_t end = docs.find("\n### ", begin + heading.size());
        const std::string section = docs.substr(begin, end - begin);
        const nlohmann::json entity = entity_file(name); // the loop must not outlive it
        for (const auto& [field, property] : entity.at("properties").items()) {
            INFO(field);
            CHECK(section.find("| `" + field + "` | " +
                               property.at("x-ferry").at("title_zh").get<std::string>() + " |") !=
                  std::string::npos);
        }
    }
}

TEST_CASE("the catalog loader reads the shipped catalog", "[catalog]") {
    auto catalog = ferry::Catalog::load(kSchemas);
    INFO(catalog.status().to_string());
    REQUIRE(catalog.ok());
    CHECK(catalog->entity_names().size() == kEntities.size());
    const ferry::CatalogEntity* person = catalog->entity("person");
    REQUIRE(person != nullptr);
    REQUIRE(person->field("id_number") != nullptr);
    CHECK(person->field("id_number")->sensitivity == ferry::Sensitivity::L3);
    CHECK(person->field("id_number")->required);
    const ferry::CatalogEntity* registration = catalog->entity("enterprise_registration");
    REQUIRE(registration != nullptr);
    CHECK(registration->field("registered_capital")->type_name == "decimal(18,2)");
    REQUIRE(catalog->code_table("insurance_type") != nullptr);
    CHECK(catalog->code_table("insurance_type")->names.at("410") == "工伤保险");
}

TEST_CASE("every default masking step is a protecting transform that fits its field", "[catalog]") {
    auto catalog = ferry::Catalog::load(kSchemas);
    REQUIRE(catalog.ok());
    const ferry::TransformRegistry registry = ferry::TransformRegistry::with_builtins();
    const std::string key = "a test key, not a real one";
    for (const std::string& name : catalog->entity_names()) {
        for (const ferry::CatalogField& field : catalog->entity(name)->fields) {
            if (field.masking.is_null()) {
                continue;
            }
            INFO(name << "." << field.name << ": " << field.masking.dump());
            const std::string op = field.masking.at("op").get<std::string>();
            const ferry::TransformDescriptor* descriptor = registry.find(op);
            REQUIRE(descriptor != nullptr);
            CHECK(descriptor->protection != ferry::Protection::None);
            json args = field.masking;
            args.erase("op");
            const std::vector<ferry::DataType> types{field.type};
            ferry::TransformSetup setup{args, types, {}, {}, {}, {}};
            setup.secret = [&key](std::string_view secret) -> const std::string* {
                return secret == "catalog_pseudonym" ? &key : nullptr;
            };
            auto masking = registry.create(op, setup);
            INFO(masking.status().to_string());
            CHECK(masking.ok());
        }
    }
}
