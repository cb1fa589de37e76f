// SPDX-License-Identifier: Apache-2.0
// dcat_test.cpp — the DCAT-AP 3 export: mandatory properties, the crosswalk of 编制指南 metadata,
// and 不予共享 fields kept out of the published info items.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ferry/dcat.h"
#include "ferry/json_schema.h"

namespace {

using nlohmann::json;

json sample_metadata() {
    return json{
        {"resource_name", "参保人员基本信息"},
        {"resource_code", "201001/00012"},
        {"classification",
         {{"theme", "主题信息资源"}, {"category", "社会保障"}, {"item", "社会保险"}}},
        {"provider", {{"name", "示例市人力资源和社会保障局"}, {"code", "11110100MB0000000X"}}},
        {"summary", "本市参保人员的基本信息，每月更新。"},
        {"format", {{"category", "3"}, {"media_type", "application/x-ndjson"}}},
        {"sharing",
         {{"type", "conditional"}, {"conditions", "限社会保障业务使用"}, {"method", "3"}}},
        {"open", {{"open", false}}},
        {"update_cycle", "4"},
        {"publish_date", "2024-03-01"},
        {"related_resource_codes", {"201001/00013"}},
        {"security", {{"classified", false}, {"level", "L3"}}},
        {"keywords", {"社保", "参保"}},
        {"contact", {{"name", "数据管理科"}, {"phone", "010-12345678"}}}};
}

json sample_items() {
    return json::array({{{"name", "person_id"},
                         {"title", "Person id"},
                         {"title_zh", "人员标识"},
                         {"type", "string"},
                         {"sharing", "conditional"},
                         {"sensitivity", "L2"}},
                        {{"name", "sex"},
                         {"title", "Sex"},
                         {"title_zh", "性别"},
                         {"type", "code"},
                         {"sharing", "unconditional"},
                         {"sensitivity", "L1"}},
                        {{"name", "internal_note"},
                         {"title", "Internal note"},
                         {"title_zh", "内部备注"},
                         {"type", "string"},
                         {"sharing", "none"},
                         {"sensitivity", "L4"}},
                        {{"name", "birth_date"},
                         {"title", "Birth date"},
                         {"title_zh", "出生日期"},
                         {"type", "date"},
                         {"sharing", "conditional"},
                         {"sensitivity", "L2"}}});
}

ferry::DcatCatalog sample_catalog() {
    ferry::DcatCatalog catalog;
    catalog.base_url = "http://127.0.0.1:8080/";
    catalog.title = "示例市社保数据目录";
    catalog.description = "Datasets the Ferry bridge serves";
    catalog.publisher = {{"name", "示例市大数据中心"}, {"code", "12110100MB0000000Y"}};
    return catalog;
}

const json& only(const json& value) {
    REQUIRE(value.is_array());
    REQUIRE(value.size() == 1);
    return value.front();
}

bool non_empty(const json& node, const char* key) {
    if (!node.contains(key)) {
        return false;
    }
    const json& value = node.at(key);
    if (value.is_string()) {
        return !value.get<std::string>().empty();
    }
    if (value.is_object() && value.contains("@value")) {
        return !value.at("@value").get<std::string>().empty();
    }
    if (value.is_object() && value.contains("@id")) {
        return !value.at("@id").get<std::string>().empty();
    }
    return !value.empty();
}

} // namespace

TEST_CASE("the sample metadata passes dataset-metadata.schema.json", "[catalog]") {
    std::ifstream in(std::filesystem::path(FERRY_SOURCE_DIR) / "schemas" /
                         "dataset-metadata.schema.json",
                     std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    auto schema = ferry::JsonSchema::parse_text(text.str(), "dataset-metadata.schema.json");
    INFO(schema.status().to_string());
    REQUIRE(schema.ok());
    const json metadata = sample_metadata();
    const ferry::Status status = schema->validate(metadata, "dataset metadata");
    INFO(status.to_string());
    CHECK(status.ok());
    json broken = metadata;
    broken["sharing"].erase("conditions"); // conditional sharing names its conditions
    CHECK_FALSE(schema->validate(broken, "dataset metadata").ok());
    broken = metadata;
    broken["resource_code"] = "201001-00012";
    CHECK_FALSE(schema->validate(broken, "dataset metadata").ok());
    broken = metadata;
    broken["update_cycle"] = "7";
    CHECK_FALSE(schema->validate(broken, "dataset metadata").ok());
    broken = metadata;
    broken["publish_date"] = "2024/03/01";
    CHECK_FALSE(schema->validate(broken, "dataset metadata").ok());
    broken = metadata;
    broken.erase("provider");
    CHECK_FALSE(schema->validate(broken, "dataset metadata").ok());
    broken = metadata;
    broken["info_items"] = json::array(); // derived from the mapping, never written here
    CHECK_FALSE(schema->validate(broken, "dataset metadata").ok());
}

TEST_CASE("the enumerations of the metadata schema match the code tables", "[catalog]") {
    const std::filesystem::path schemas = std::filesystem::path(FERRY_SOURCE_DIR) / "schemas";
    auto read = [](const std::filesystem::path& file) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        auto parsed = ferry::parse_json(text.str(), file.string());
        REQUIRE(parsed.ok());
        return std::move(parsed).value();
    };
    const json schema = read(schemas / "dataset-metadata.schema.json");
    auto codes = [&](const char* table, const char* key) {
        const json file = read(schemas / "codes" / (std::string(table) + ".json"));
        json values = json::array();
        for (const json& entry : file.at("codes")) {
            values.push_back(entry.at(key));
        }
        return values;
    };
    const json& properties = schema.at("properties");
    CHECK(properties.at("update_cycle").at("enum") == codes("update_cycle", "code"));
    CHECK(properties.at("format").at("properties").at("category").at("enum") ==
          codes("resource_format", "code"));
    CHECK(properties.at("sharing").at("properties").at("method").at("enum") ==
          codes("share_method", "code"));
    CHECK(properties.at("sharing").at("properties").at("type").at("enum") ==
          codes("sharing_type", "name"));
}

TEST_CASE("DCAT-AP mandatory properties are present", "[catalog]") {
    const json out =
        ferry::to_dcat_jsonld(sample_catalog(), {{"persons", sample_metadata(), sample_items()}});
    REQUIRE(out.contains("@context"));
    const json& context = out.at("@context");
    for (const char* prefix : {"dcat", "dct", "foaf", "adms", "xsd", "ferry"}) {
        INFO(prefix);
        CHECK(context.contains(prefix));
    }
    CHECK(context.at("dcat") == "http://www.w3.org/ns/dcat#");
    CHECK(context.at("dct") == "http://purl.org/dc/terms/");

    CHECK(out.at("@type") == "dcat:Catalog");
    CHECK(non_empty(out, "dct:title"));
    CHECK(non_empty(out, "dct:description"));
    CHECK(out.at("dct:publisher").at("foaf:name") == "示例市大数据中心");

    const json& dataset = only(out.at("dcat:dataset"));
    CHECK(dataset.at("@type") == "dcat:Dataset");
    CHECK(dataset.at("dct:title").at("@value") == "参保人员基本信息");
    CHECK(dataset.at("dct:title").at("@language") == "zh");
    CHECK(non_empty(dataset, "dct:description"));
    CHECK(dataset.at("dct:identifier") == "201001/00012");
    CHECK(dataset.at("ferry:classificationCode") == "201001");
    CHECK(dataset.at("ferry:sequenceCode") == "00012");
    CHECK(dataset.at("dct:publisher").at("dct:identifier") == "11110100MB0000000X");
    CHECK(dataset.at("dct:issued") == json{{"@value", "2024-03-01"}, {"@type", "xsd:date"}});
    CHECK(dataset.at("dcat:theme").at("skos:notation") == "201001");
    CHECK(dataset.at("dct:accessRights").at("@id") == "urn:ferry:sharing/conditional");
    CHECK(dataset.at("dct:accessRights").at("skos:prefLabel").front().at("@value") == "有条件共享");
    CHECK(dataset.at("ferry:shareConditions").at("@value") == "限社会保障业务使用");
    CHECK(dataset.at("ferry:shareMethod").at("skos:notation") == "3");
    CHECK(dataset.at("ferry:resourceFormatCategory").at("skos:notation") == "3");
    CHECK(dataset.at("ferry:open") == false);
    CHECK(dataset.at("ferry:securityLevel") == "L3");
    CHECK(dataset.at("dcat:keyword").size() == 2);
    CHECK(dataset.at("dct:conformsTo").at("@id") == "http://127.0.0.1:8080/v1/datasets/persons");

    const json& distribution = only(dataset.at("dcat:distribution"));
    CHECK(distribution.at("@type") == "dcat:Distribution");
    CHECK(distribution.at("dcat:accessURL").at("@id") ==
          "http://127.0.0.1:8080/v1/datasets/persons/records");
    CHECK(distribution.at("dcat:mediaType").at("@id") ==
          "https://www.iana.org/assignments/media-types/application/x-ndjson");

    const json& service = only(out.at("dcat:service"));
    CHECK(service.at("@type") == "dcat:DataService");
    CHECK(non_empty(service, "dct:title"));
    CHECK(service.at("dcat:endpointURL").at("@id") == "http://127.0.0.1:8080/v1");
    CHECK(service.at("dcat:endpointDescription").at("@id") ==
          "http://127.0.0.1:8080/v1/openapi.json");
    CHECK(only(service.at("dcat:servesDataset")).at("@id") == dataset.at("@id"));
    CHECK(distribution.at("dcat:accessService").at("@id") == service.at("@id"));
}

TEST_CASE("mandatory properties survive missing metadata", "[catalog]") {
    ferry::DcatCatalog catalog;
    catalog.base_url = "http://bridge";
    const json out = ferry::to_dcat_jsonld(catalog, {{"bare id", json(), json()}});
    CHECK(non_empty(out, "dct:title"));
    CHECK(non_empty(out, "dct:description"));
    CHECK(non_empty(out.at("dct:publisher"), "foaf:name"));
    const json& dataset = only(out.at("dcat:dataset"));
    CHECK(dataset.at("dct:title").at("@value") == "bare id");
    CHECK(non_empty(dataset, "dct:description"));
    CHECK(only(dataset.at("dcat:distribution")).at("dcat:accessURL").at("@id") ==
          "http://bridge/v1/datasets/bare%20id/records");
    CHECK(dataset.at("ferry:infoItem").empty());
    CHECK(non_empty(only(out.at("dcat:service")), "dcat:endpointURL"));
}

TEST_CASE("update cycles map to EU frequencies", "[catalog]") {
    const std::string base = "http://publications.europa.eu/resource/authority/frequency/";
    CHECK(ferry::dcat_frequency_iri("1") == base + "CONT");
    CHECK(ferry::dcat_frequency_iri("2") == base + "DAILY");
    CHECK(ferry::dcat_frequency_iri("3") == base + "WEEKLY");
    CHECK(ferry::dcat_frequency_iri("4") == base + "MONTHLY");
    CHECK(ferry::dcat_frequency_iri("5") == base + "QUARTERLY");
    CHECK(ferry::dcat_frequency_iri("6") == base + "ANNUAL");
    CHECK(ferry::dcat_frequency_iri("7").empty());
    CHECK(ferry::dcat_frequency_iri("每月").empty());

    json metadata = sample_metadata();
    metadata["update_cycle"] = "1";
    json out = ferry::to_dcat_jsonld(sample_catalog(), {{"persons", metadata, json::array()}});
    CHECK(only(out.at("dcat:dataset")).at("dct:accrualPeriodicity").at("@id") == base + "CONT");
    metadata["update_cycle"] = "9";
    out = ferry::to_dcat_jsonld(sample_catalog(), {{"persons", metadata, json::array()}});
    CHECK(only(out.at("dcat:dataset")).at("dct:accrualPeriodicity").at("@id") == base + "UNKNOWN");
}

TEST_CASE("fields that are not shared stay out of the info items", "[catalog]") {
    json items = sample_items();
    items.push_back({{"name", "unlabelled"}, {"type", "string"}}); // no sharing: held back too
    const json out =
        ferry::to_dcat_jsonld(sample_catalog(), {{"persons", sample_metadata(), items}});
    const json& published = only(out.at("dcat:dataset")).at("ferry:infoItem");
    REQUIRE(published.size() == 3);
    std::vector<std::string> names;
    for (const json& item : published) {
        names.push_back(item.at("ferry:name").get<std::string>());
        CHECK(item.at("ferry:sharing").at("@id") != "urn:ferry:sharing/none");
    }
    CHECK(names == std::vector<std::string>{"person_id", "sex", "birth_date"});
    CHECK(published.at(0).at("ferry:sequence") == "001");
    CHECK(published.at(2).at("ferry:dataTypeCode") == "D");
    CHECK(published.at(1).at("dct:title").at(1).at("@value") == "性别");
    CHECK(out.dump().find("internal_note") == std::string::npos);
}
