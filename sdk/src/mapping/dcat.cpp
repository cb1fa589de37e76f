// SPDX-License-Identifier: Apache-2.0
// dcat.cpp — the 编制指南 ↔ DCAT-AP 3 crosswalk of docs/catalog.md (domain.md §4.4), as JSON-LD.
#include "ferry/dcat.h"

#include <array>
#include <cstddef>
#include <utility>

namespace ferry {

namespace {

using nlohmann::json;

constexpr const char* kFerryNamespace = "urn:ferry:";
constexpr const char* kFrequencyBase =
    "http://publications.europa.eu/resource/authority/frequency/";
constexpr const char* kLanguageBase = "http://publications.europa.eu/resource/authority/language/";
constexpr const char* kMediaTypeBase = "https://www.iana.org/assignments/media-types/";
constexpr const char* kDefaultMediaType = "application/x-ndjson";

struct Code {
    const char* code;
    const char* value; // an IRI suffix or a label, depending on the table
};

// 更新周期 as numbered by the implementation domain.md §2.7 cites; 实时 has no closer EU term
// than "continuous".
constexpr std::array<Code, 6> kFrequencies{{{"1", "CONT"},
                                            {"2", "DAILY"},
                                            {"3", "WEEKLY"},
                                            {"4", "MONTHLY"},
                                            {"5", "QUARTERLY"},
                                            {"6", "ANNUAL"}}};

// The labels travel with the codes so a harvester that knows nothing of the 编制指南 tables still
// shows something readable (schemas/codes/resource_format.json and share_method.json).
constexpr std::array<Code, 7> kFormatCategories{{{"1", "电子文件"},
                                                 {"2", "电子表格"},
                                                 {"3", "数据库"},
                                                 {"4", "图形图像"},
                                                 {"5", "流媒体"},
                                                 {"6", "自描述格式"},
                                                 {"7", "服务接口"}}};
constexpr std::array<Code, 3> kShareMethods{
    {{"1", "数据库"}, {"2", "文件下载"}, {"3", "webservice服务"}}};

template <std::size_t N>
const char* lookup(const std::array<Code, N>& table, std::string_view code) {
    for (const Code& entry : table) {
        if (code == entry.code) {
            return entry.value;
        }
    }
    return nullptr;
}

const char* sharing_label_zh(std::string_view sharing) {
    if (sharing == "unconditional") {
        return "无条件共享";
    }
    if (sharing == "conditional") {
        return "有条件共享";
    }
    return "不予共享";
}

const char* sharing_label_en(std::string_view sharing) {
    if (sharing == "unconditional") {
        return "Shared without conditions";
    }
    if (sharing == "conditional") {
        return "Shared under conditions";
    }
    return "Not shared";
}

// 信息项数据类型 letters of the guide's implementations (domain.md §2.7).
const char* info_item_type_letter(std::string_view type) {
    if (type == "integer") {
        return "I";
    }
    if (type.starts_with("decimal")) {
        return "N";
    }
    if (type == "date") {
        return "D";
    }
    if (type == "datetime") {
        return "T";
    }
    if (type == "boolean") {
        return "L";
    }
    return "C";
}

const json* member(const json& object, const char* key, json::value_t type) {
    if (!object.is_object() || !object.contains(key)) {
        return nullptr;
    }
    const json& value = object.at(key);
    return value.type() == type ? &value : nullptr;
}

std::string text(const json& object, const char* key) {
    const json* value = member(object, key, json::value_t::string);
    return value != nullptr ? value->get<std::string>() : std::string();
}

// Dataset ids come from mapping files; anything outside RFC 3986's unreserved set is escaped so
// the IRIs stay valid whatever the id holds.
std::string escape_segment(std::string_view segment) {
    std::string out;
    for (const char c : segment) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                                (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved) {
            out.push_back(c);
        } else {
            constexpr const char* kHex = "0123456789ABCDEF";
            out.push_back('%');
            out.push_back(kHex[byte >> 4U]);
            out.push_back(kHex[byte & 0x0FU]);
        }
    }
    return out;
}

json iri(std::string value) {
    return json{{"@id", std::move(value)}};
}

json literal(const std::string& value, const std::string& language) {
    if (language.empty()) {
        return value;
    }
    return json{{"@value", value}, {"@language", language}};
}

json agent(const json& party) {
    json node{{"@type", "foaf:Agent"}, {"foaf:name", text(party, "name")}};
    if (const std::string code = text(party, "code"); !code.empty()) {
        node["dct:identifier"] = code;
    }
    return node;
}

json code_concept(const std::string& code, const char* label, const char* scheme) {
    json node{{"@type", "skos:Concept"},
              {"skos:notation", code},
              {"skos:inScheme", iri(std::string(kFerryNamespace) + scheme)}};
    if (label != nullptr) {
        node["skos:prefLabel"] = json{{"@value", label}, {"@language", "zh"}};
    }
    return node;
}

json theme_concept(const json& classification, const std::string& classification_code) {
    // The scheme is the 资源属性 catalog (基础/主题/部门); the concept's notation is the 分类码.
    static constexpr std::array<std::pair<const char*, const char*>, 3> kSchemes{
        {{"基础信息资源", "basic"},
         {"主题信息资源", "thematic"},
         {"部门信息资源", "departmental"}}};
    const std::string theme = text(classification, "theme");
    std::string scheme = "departmental";
    for (const auto& [name, slug] : kSchemes) {
        if (theme == name) {
            scheme = slug;
        }
    }
    std::string path;
    for (const char* level : {"category", "item", "subitem", "detail"}) {
        if (const std::string name = text(classification, level); !name.empty()) {
            path += (path.empty() ? "" : " / ") + name;
        }
    }
    const std::string scheme_iri = std::string(kFerryNamespace) + "classification/" + scheme;
    json node{{"@type", "skos:Concept"}, {"skos:inScheme", iri(scheme_iri)}};
    if (!classification_code.empty()) {
        node["@id"] = scheme_iri + "/" + classification_code;
        node["skos:notation"] = classification_code;
    }
    if (!path.empty()) {
        node["skos:prefLabel"] = json{{"@value", path}, {"@language", "zh"}};
    }
    if (!theme.empty()) {
        node["ferry:resourceCatalog"] = theme;
    }
    return node;
}

json access_rights(const json& sharing) {
    std::string type = text(sharing, "type");
    if (type != "unconditional" && type != "conditional") {
        type = "none"; // an unknown attribute is treated as the most restrictive one
    }
    json node{{"@id", std::string(kFerryNamespace) + "sharing/" + type},
              {"@type", "dct:RightsStatement"},
              {"skos:prefLabel",
               json::array({json{{"@value", sharing_label_zh(type)}, {"@language", "zh"}},
                            json{{"@value", sharing_label_en(type)}, {"@language", "en"}}})}};
    return node;
}

json info_items_of(const json& items) {
    json out = json::array();
    if (!items.is_array()) {
        return out;
    }
    int sequence = 0;
    for (const json& item : items) {
        const std::string sharing = text(item, "sharing");
        // 不予共享 fields never leave the bridge, so the catalog does not advertise them either;
        // an item without a sharing attribute is held back too rather than guessed open.
        if (sharing != "unconditional" && sharing != "conditional") {
            continue;
        }
        ++sequence;
        std::string number = std::to_string(sequence); // 序号 is written 000-999
        number.insert(0, number.size() < 3 ? 3 - number.size() : 0, '0');
        const std::string type = text(item, "type");
        json node{{"@type", "ferry:InfoItem"},
                  {"ferry:sequence", number},
                  {"ferry:name", text(item, "name")},
                  {"ferry:dataType", type},
                  {"ferry:dataTypeCode", info_item_type_letter(type)},
                  {"ferry:sharing", iri(std::string(kFerryNamespace) + "sharing/" + sharing)}};
        json titles = json::array();
        if (const std::string title = text(item, "title"); !title.empty()) {
            titles.push_back(json{{"@value", title}, {"@language", "en"}});
        }
        if (const std::string title_zh = text(item, "title_zh"); !title_zh.empty()) {
            titles.push_back(json{{"@value", title_zh}, {"@language", "zh"}});
        }
        if (!titles.empty()) {
            node["dct:title"] = std::move(titles);
        }
        if (const std::string level = text(item, "sensitivity"); !level.empty()) {
            node["ferry:sensitivity"] = level;
        }
        out.push_back(std::move(node));
    }
    return out;
}

json contact_point(const json& contact) {
    json node{{"@type", "vcard:Kind"}, {"vcard:fn", text(contact, "name")}};
    if (std::string phone = text(contact, "phone"); !phone.empty()) {
        std::string tel;
        for (const char c : phone) {
            if (c != ' ' && c != '(' && c != ')') {
                tel.push_back(c);
            }
        }
        node["vcard:hasTelephone"] = iri("tel:" + tel);
    }
    if (const std::string email = text(contact, "email"); !email.empty()) {
        node["vcard:hasEmail"] = iri("mailto:" + email);
    }
    return node;
}

struct Urls {
    std::string base;    // without a trailing slash
    std::string catalog; // the catalog document itself; nodes are fragments of it
    std::string service;
};

// dct:publisher is mandatory on the catalog: the configured publisher, else the first
// dataset's provider, else the catalog's own title as the agent's name.
json catalog_publisher(const DcatCatalog& catalog,
                       const std::vector<DcatDataset>& datasets,
                       const std::string& title) {
    if (!text(catalog.publisher, "name").empty()) {
        return catalog.publisher;
    }
    for (const DcatDataset& dataset : datasets) {
        if (const json* provider = member(dataset.metadata, "provider", json::value_t::object);
            provider != nullptr && !text(*provider, "name").empty()) {
            return *provider;
        }
    }
    return json{{"name", title}};
}

json dataset_node(const DcatDataset& dataset, const json& publisher, const Urls& urls) {
    const json& meta = dataset.metadata;
    const std::string id = escape_segment(dataset.id);
    const std::string records_schema = urls.base + "/v1/datasets/" + id;
    std::string language = text(meta, "language");
    if (language.empty()) {
        language = "zh";
    }
    std::string title = text(meta, "resource_name");
    if (title.empty()) {
        title = dataset.id;
    }
    std::string description = text(meta, "summary");
    if (description.empty()) {
        description = title;
    }

    json node{{"@id", urls.catalog + "#dataset/" + id},
              {"@type", "dcat:Dataset"},
              {"dct:title", literal(title, language)},
              {"dct:description", literal(description, language)},
              {"adms:identifier", json{{"@type", "adms:Identifier"},
                                       {"skos:notation", dataset.id},
                                       {"dct:description", "Ferry bridge dataset id"}}},
              {"dct:conformsTo", json{{"@id", records_schema},
                                      {"@type", "dct:Standard"},
                                      {"dct:title", "JSON Schema of one record"}}}};

    const std::string resource_code = text(meta, "resource_code");
    std::string classification_code;
    if (!resource_code.empty()) {
        node["dct:identifier"] = resource_code;
        const std::size_t slash = resource_code.find('/');
        classification_code = resource_code.substr(0, slash);
        node["ferry:classificationCode"] = classification_code;
        if (slash != std::string::npos) {
            node["ferry:sequenceCode"] = resource_code.substr(slash + 1);
        }
    } else {
        node["dct:identifier"] = dataset.id;
    }
    if (const json* classification = member(meta, "classification", json::value_t::object)) {
        node["dcat:theme"] = theme_concept(*classification, classification_code);
    }
    const json* provider = member(meta, "provider", json::value_t::object);
    node["dct:publisher"] =
        agent(provider != nullptr && !text(*provider, "name").empty() ? *provider : publisher);

    if (const json* sharing = member(meta, "sharing", json::value_t::object)) {
        node["dct:accessRights"] = access_rights(*sharing);
        if (const std::string conditions = text(*sharing, "conditions"); !conditions.empty()) {
            node["ferry:shareConditions"] = literal(conditions, language);
        }
        if (const std::string method = text(*sharing, "method"); !method.empty()) {
            node["ferry:shareMethod"] =
                code_concept(method, lookup(kShareMethods, method), "share-method");
        }
    }
    if (const json* open = member(meta, "open", json::value_t::object)) {
        if (const json* flag = member(*open, "open", json::value_t::boolean)) {
            node["ferry:open"] = *flag;
        }
        if (const std::string conditions = text(*open, "conditions"); !conditions.empty()) {
            node["ferry:openConditions"] = literal(conditions, language);
        }
    }
    if (const std::string cycle = text(meta, "update_cycle"); !cycle.empty()) {
        const std::string frequency = dcat_frequency_iri(cycle);
        node["dct:accrualPeriodicity"] =
            iri(frequency.empty() ? std::string(kFrequencyBase) + "UNKNOWN" : frequency);
    }
    if (const std::string issued = text(meta, "publish_date"); !issued.empty()) {
        node["dct:issued"] = json{{"@value", issued}, {"@type", "xsd:date"}};
    }
    if (const json* keywords = member(meta, "keywords", json::value_t::array)) {
        json list = json::array();
        for (const json& keyword : *keywords) {
            if (keyword.is_string()) {
                list.push_back(literal(keyword.get<std::string>(), language));
            }
        }
        node["dcat:keyword"] = std::move(list);
    }
    if (const json* related = member(meta, "related_resource_codes", json::value_t::array)) {
        json relations = json::array();
        json codes = json::array();
        for (const json& code : *related) {
            if (code.is_string()) {
                relations.push_back(
                    iri(std::string(kFerryNamespace) + "resource:" + code.get<std::string>()));
                codes.push_back(code);
            }
        }
        node["dct:relation"] = std::move(relations);
        node["ferry:relatedResourceCode"] = std::move(codes);
    }
    if (const json* contact = member(meta, "contact", json::value_t::object)) {
        node["dcat:contactPoint"] = contact_point(*contact);
    }
    if (language == "zh" || language.starts_with("zh-")) {
        node["dct:language"] = iri(std::string(kLanguageBase) + "ZHO");
    } else if (language == "en" || language.starts_with("en-")) {
        node["dct:language"] = iri(std::string(kLanguageBase) + "ENG");
    }
    if (const json* security = member(meta, "security", json::value_t::object)) {
        if (const json* classified = member(*security, "classified", json::value_t::boolean)) {
            node["ferry:classified"] = *classified;
        }
        if (const std::string level = text(*security, "level"); !level.empty()) {
            node["ferry:securityLevel"] = level;
        }
    }

    std::string media_type = kDefaultMediaType;
    if (const json* format = member(meta, "format", json::value_t::object)) {
        if (const std::string category = text(*format, "category"); !category.empty()) {
            node["ferry:resourceFormatCategory"] =
                code_concept(category, lookup(kFormatCategories, category), "resource-format");
        }
        if (std::string declared = text(*format, "media_type"); !declared.empty()) {
            media_type = std::move(declared);
        }
    }
    node["ferry:infoItem"] = info_items_of(dataset.info_items);

    node["dcat:distribution"] =
        json::array({json{{"@id", urls.catalog + "#distribution/" + id},
                          {"@type", "dcat:Distribution"},
                          {"dct:title", literal(title + " (NDJSON)", language)},
                          {"dcat:accessURL", iri(urls.base + "/v1/datasets/" + id + "/records")},
                          {"dcat:accessService", iri(urls.service)},
                          {"dcat:mediaType", iri(kMediaTypeBase + media_type)},
                          {"dct:conformsTo", iri(records_schema)}}});
    return node;
}

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

json context() {
    return json{{"dcat", "http://www.w3.org/ns/dcat#"},
                {"dct", "http://purl.org/dc/terms/"},
                {"foaf", "http://xmlns.com/foaf/0.1/"},
                {"adms", "http://www.w3.org/ns/adms#"},
                {"xsd", "http://www.w3.org/2001/XMLSchema#"},
                {"skos", "http://www.w3.org/2004/02/skos/core#"},
                {"vcard", "http://www.w3.org/2006/vcard/ns#"},
                {"ferry", kFerryNamespace}};
}

} // namespace

std::string dcat_frequency_iri(std::string_view update_cycle) {
    const char* term = lookup(kFrequencies, update_cycle);
    return term == nullptr ? std::string() : std::string(kFrequencyBase) + term;
}

json to_dcat_jsonld(const DcatCatalog& catalog, const std::vector<DcatDataset>& datasets) {
    Urls urls;
    urls.base = without_trailing_slash(catalog.base_url);
    urls.catalog = urls.base + "/v1/catalog";
    urls.service = urls.catalog + "#service";

    const std::string title = catalog.title.empty() ? "Ferry data catalog" : catalog.title;
    const std::string description = catalog.description.empty() ? title : catalog.description;

    const json publisher = catalog_publisher(catalog, datasets, title);

    json dataset_nodes = json::array();
    json served = json::array();
    for (const DcatDataset& dataset : datasets) {
        json node = dataset_node(dataset, publisher, urls);
        served.push_back(iri(node["@id"].get<std::string>()));
        dataset_nodes.push_back(std::move(node));
    }
    json service{{"@id", urls.service},
                 {"@type", "dcat:DataService"},
                 {"dct:title", title + " — API"},
                 {"dcat:endpointURL", iri(urls.base + "/v1")},
                 {"dcat:endpointDescription", iri(urls.base + "/v1/openapi.json")},
                 {"dcat:servesDataset", std::move(served)},
                 {"dct:publisher", agent(publisher)}};

    return json{{"@context", context()},
                {"@id", urls.catalog},
                {"@type", "dcat:Catalog"},
                {"dct:title", title},
                {"dct:description", description},
                {"dct:publisher", agent(publisher)},
                {"dcat:dataset", std::move(dataset_nodes)},
                {"dcat:service", json::array({std::move(service)})}};
}

} // namespace ferry
