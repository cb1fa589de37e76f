// SPDX-License-Identifier: Apache-2.0
// wsdl_import_test.cpp — WSDL fixtures with local imports, both SOAP versions, rpc style.
#include <string>

#include <catch2/catch.hpp>

#include "request_builder.h"
#include "response_parser.h"
#include "wsdl_import.h"

using namespace ferry::soap;

namespace {

std::string fixture(const char* name) {
    return std::string(FERRY_SOAP_TEST_DATA) + "/" + name;
}

const RecordField* field(const Operation& operation, const std::string& name) {
    for (const RecordField& candidate : operation.fields) {
        if (candidate.name == name) {
            return &candidate;
        }
    }
    return nullptr;
}

} // namespace

TEST_CASE("document/literal WSDL with xs:import and xs:include from local files", "[soap][wsdl]") {
    auto service = import_wsdl_file(fixture("registry.wsdl"), {});
    REQUIRE(service.ok());
    CHECK(service->endpoint == "http://127.0.0.1:9/registry"); // SOAP 1.1 preferred
    const Operation* list = service->find("ListEnterprises");
    REQUIRE(list != nullptr);
    CHECK_FALSE(list->rpc);
    CHECK(list->version == SoapVersion::Soap11);
    CHECK(list->soap_action == "urn:example:registry/ListEnterprises");
    CHECK(list->request_element == QName{"urn:example:registry", "ListEnterprises"});
    REQUIRE(list->parameters.size() == 3);
    CHECK(list->parameters[0].name == QName{"urn:example:registry", "pageNo"});
    CHECK(list->parameters[0].required);
    CHECK_FALSE(list->parameters[2].required);

    REQUIRE(list->record_path.size() == 3);
    CHECK(list->record_path[1] == QName{"urn:example:registry", "items"});
    CHECK(list->record_path[2] == QName{"urn:example:registry", "enterprise"});
    CHECK(list->repeated);

    // Base type fields first (complexContent extension), nested Address flattened, the
    // repeated alias list left out.
    std::vector<std::string> names;
    for (const RecordField& column : list->fields) {
        names.push_back(column.name);
    }
    CHECK(names == std::vector<std::string>{"uscc", "name", "capital", "founded", "updated",
                                            "active", "staff", "seal", "address_city",
                                            "address_street"});
    CHECK(field(*list, "uscc")->type == ferry::DataType::utf8());
    CHECK_FALSE(field(*list, "uscc")->nullable);
    CHECK(field(*list, "capital")->type == ferry::DataType::decimal128(18, 2).value());
    CHECK(field(*list, "capital")->nullable);
    CHECK(field(*list, "capital")->source_type == "xs:decimal(18,2)");
    CHECK(field(*list, "founded")->type == ferry::DataType::date32());
    CHECK(field(*list, "updated")->type.kind() == ferry::TypeKind::TimestampMicros);
    CHECK(field(*list, "active")->type == ferry::DataType::boolean());
    CHECK(field(*list, "staff")->type == ferry::DataType::int64());
    CHECK(field(*list, "seal")->type == ferry::DataType::binary());
    CHECK(field(*list, "address_city")->path == std::vector<std::string>{"address", "city"});

    const Operation* get = service->find("GetEnterprise");
    REQUIRE(get != nullptr);
    CHECK_FALSE(get->repeated);
    REQUIRE(get->record_path.size() == 2);
    CHECK(get->record_path[1].local == "enterprise");
}

TEST_CASE("the SOAP 1.2 port when asked for", "[soap][wsdl]") {
    WsdlOptions options;
    options.version = SoapVersion::Soap12;
    auto service = import_wsdl_file(fixture("registry.wsdl"), options);
    REQUIRE(service.ok());
    CHECK(service->endpoint == "http://127.0.0.1:9/registry12");
    CHECK(service->find("ListEnterprises")->version == SoapVersion::Soap12);
}

TEST_CASE("rpc-style WSDL: typed parts, wrapper named after the operation", "[soap][wsdl]") {
    auto service = import_wsdl_file(fixture("rpc_legacy.wsdl"), {});
    REQUIRE(service.ok());
    const Operation* query = service->find("queryMarriages");
    REQUIRE(query != nullptr);
    CHECK(query->rpc);
    CHECK(query->request_element == QName{"urn:example:civil", "queryMarriages"});
    REQUIRE(query->parameters.size() == 2);
    CHECK(query->parameters[0].name == QName{"", "fromDate"});
    REQUIRE(query->record_path.size() == 3);
    CHECK(query->record_path[0] == QName{"urn:example:civil", "queryMarriagesResponse"});
    CHECK(query->record_path[1] == QName{"", "result"});
    CHECK(query->record_path[2] == QName{"", "item"});
    REQUIRE(query->fields.size() == 3);
    CHECK(query->fields[2].type == ferry::DataType::decimal128(38, 10).value());
}

TEST_CASE("imports over the network are refused", "[soap][wsdl]") {
    auto service = import_wsdl_file(fixture("remote_import.wsdl"), {});
    REQUIRE_FALSE(service.ok());
    CHECK(service.status().code() == ferry::StatusCode::InvalidArgument);
    CHECK_THAT(service.status().message(), Catch::Contains("local files only"));
}

TEST_CASE("a missing WSDL file is NotFound", "[soap][wsdl]") {
    auto service = import_wsdl_file(fixture("no_such.wsdl"), {});
    REQUIRE_FALSE(service.ok());
    CHECK(service.status().code() == ferry::StatusCode::NotFound);
}

TEST_CASE("rpc-style request and response round trip through the imported layout", "[soap][wsdl]") {
    auto service = import_wsdl_file(fixture("rpc_legacy.wsdl"), {});
    REQUIRE(service.ok());
    const Operation& query = *service->find("queryMarriages");
    auto body = build_body(query, {{"fromDate", "2024-01-01"}, {"toDate", "2024-01-31"}});
    REQUIRE(body.ok());
    CHECK(*body == "<m:queryMarriages xmlns:m=\"urn:example:civil\"><fromDate>2024-01-01</fromDate>"
                   "<toDate>2024-01-31</toDate></m:queryMarriages>");

    const std::string answer =
        R"(<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>)"
        R"(<ns1:queryMarriagesResponse xmlns:ns1="urn:example:civil"><result>)"
        R"(<item><certNo>J110105-2024-0001</certNo><regDate>2024-01-05</regDate><fee>9.00</fee></item>)"
        R"(<item><certNo>J110105-2024-0002</certNo><regDate>2024-01-06</regDate><fee>9</fee></item>)"
        R"(</result></ns1:queryMarriagesResponse></soap:Body></soap:Envelope>)";
    ResponseLayout layout;
    layout.record_path = query.record_path;
    layout.fields = query.fields;
    ResponseParser parser(layout, std::move(XmlReader::open_memory(answer, "rpc", {}).value()));
    std::vector<ferry::Field> columns;
    for (const RecordField& column : query.fields) {
        columns.push_back({column.name, column.type, column.nullable});
    }
    ferry::BatchBuilder out(ferry::Schema(columns), 10);
    std::int64_t record_no = 0;
    while (*parser.next_record()) {
        REQUIRE(parser.emit(out, ++record_no, "rpc").ok());
    }
    CHECK(out.num_rows() == 2);
    CHECK(out.num_rejects() == 0);
}
