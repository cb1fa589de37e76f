// SPDX-License-Identifier: Apache-2.0
// discovery_shapes_test.cpp — where the records are in the response shapes real services use:
// at the top, wrapped in a page with its counts, beside a cursor, two lists (refused), a single
// record; and what record_path, total_path and fields do to the discovered layout.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ferry/batch.h"

#include "response_parser.h"
#include "soap_options.h"
#include "wsdl_import.h"

using namespace ferry::soap;

namespace {

const std::string kShapes = std::string(FERRY_SOAP_TEST_DATA) + "/shapes.wsdl";

std::vector<std::string> column_names(const std::vector<RecordField>& fields) {
    std::vector<std::string> names;
    for (const RecordField& field : fields) {
        names.push_back(field.name);
    }
    return names;
}

std::string role_of(const Operation& operation, const std::string& path) {
    for (const PageField& field : operation.page_fields) {
        if (path_text(field.path) == path) {
            return to_string(field.role);
        }
    }
    return "(not page metadata)";
}

ferry::Result<std::unique_ptr<SourceConfig>> config_with(const nlohmann::json& dataset) {
    return load_config({{"wsdl", kShapes}, {"datasets", {{"records", dataset}}}});
}

} // namespace

TEST_CASE("records at the top of the response: the repeated element, no page metadata",
          "[soap][discovery]") {
    auto service = import_wsdl_file(kShapes, {});
    REQUIRE(service.ok());
    const Operation* top = service->find("TopList");
    REQUIRE(top != nullptr);
    CHECK(path_text(top->record_path) == "TopListResponse/Enterprise");
    CHECK(top->repeated);
    CHECK(column_names(top->fields) == std::vector<std::string>{"code", "name", "capital"});
    CHECK(top->page_fields.empty());
}

TEST_CASE("a list wrapped in a page: the records are the repeated element, the page's counts "
          "are metadata",
          "[soap][discovery]") {
    auto service = import_wsdl_file(kShapes, {});
    REQUIRE(service.ok());
    const Operation* paged = service->find("PagedList");
    REQUIRE(paged != nullptr);
    // Not the Page (the first structured element with leaves): the repeated Enterprise.
    CHECK(path_text(paged->record_path) == "PagedListResponse/Page/Enterprises/Enterprise");
    CHECK(column_names(paged->fields) == std::vector<std::string>{"code", "name", "capital"});
    REQUIRE(paged->page_fields.size() == 3);
    CHECK(role_of(*paged, "PagedListResponse/Page/TotalCount") == "total");
    CHECK(role_of(*paged, "PagedListResponse/Page/PageNo").empty());
    CHECK(role_of(*paged, "PagedListResponse/Page/PageSize").empty());

    // The dataset over it reconciles against TotalCount without being told to.
    auto config = config_with({{"operation", "PagedList"}});
    REQUIRE(config.ok());
    const DatasetConfig& dataset = config.value()->datasets.front();
    CHECK(dataset.total_path_text == "PagedListResponse/Page/TotalCount");
    CHECK(dataset.schema.size() == 3);
}

TEST_CASE("a cursor page: has_more steers paging, the token is not a record", "[soap][discovery]") {
    auto service = import_wsdl_file(kShapes, {});
    REQUIRE(service.ok());
    const Operation* cursor = service->find("CursorList");
    REQUIRE(cursor != nullptr);
    CHECK(path_text(cursor->record_path) == "CursorListResponse/Items/Enterprise");
    CHECK(role_of(*cursor, "CursorListResponse/has_more") == "has_more");
    CHECK(role_of(*cursor, "CursorListResponse/nextToken").empty());
    auto config = config_with({{"operation", "CursorList"}});
    REQUIRE(config.ok());
    CHECK(path_text(config.value()->datasets.front().layout.has_more_path) ==
          "CursorListResponse/has_more");
}

TEST_CASE("two repeated lists: discovery refuses to guess and names both", "[soap][discovery]") {
    auto service = import_wsdl_file(kShapes, {});
    REQUIRE(service.ok());
    const Operation* two = service->find("TwoLists");
    REQUIRE(two != nullptr);
    CHECK(two->record_path.empty());
    REQUIRE(two->ambiguous_records.size() == 2);

    auto refused = config_with({{"operation", "TwoLists"}});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().code() == ferry::StatusCode::InvalidArgument);
    const std::string& message = refused.status().message();
    CHECK_THAT(message, Catch::Contains("TwoListsResponse/Result/Enterprises/Enterprise"));
    CHECK_THAT(message, Catch::Contains("TwoListsResponse/Result/Branch"));
    CHECK_THAT(message, Catch::Contains("record_path"));

    // Naming one takes that list's fields and the page metadata above it.
    auto chosen =
        config_with({{"operation", "TwoLists"}, {"record_path", "TwoListsResponse/Result/Branch"}});
    REQUIRE(chosen.ok());
    const DatasetConfig& dataset = chosen.value()->datasets.front();
    CHECK(column_names(dataset.layout.fields) ==
          std::vector<std::string>{"code", "name", "capital"});
    CHECK(dataset.total_path_text == "TwoListsResponse/Result/total");
}

TEST_CASE("record_path re-derives the fields from the schema at that path", "[soap][discovery]") {
    // Pointing at the page itself gives the page's fields; pointing at the list gives the
    // records' fields. Neither keeps the other's.
    auto page =
        config_with({{"operation", "PagedList"}, {"record_path", "PagedListResponse/Page"}});
    REQUIRE(page.ok());
    CHECK(column_names(page.value()->datasets.front().layout.fields) ==
          std::vector<std::string>{"TotalCount", "PageNo", "PageSize"});

    auto list = config_with({{"operation", "PagedList"},
                             {"record_path", "PagedListResponse/Page/Enterprises/Enterprise"}});
    REQUIRE(list.ok());
    CHECK(column_names(list.value()->datasets.front().layout.fields) ==
          std::vector<std::string>{"code", "name", "capital"});

    auto wrong =
        config_with({{"operation", "PagedList"}, {"record_path", "PagedListResponse/Nope"}});
    REQUIRE_FALSE(wrong.ok());
    CHECK_THAT(wrong.status().message(),
               Catch::Contains("PagedListResponse/Page/Enterprises/Enterprise (repeated)"));
}

TEST_CASE("fields retypes a discovered field and adds one the WSDL does not list",
          "[soap][discovery]") {
    auto config = config_with(
        {{"operation", "TopList"}, {"fields", {{"capital", "text"}, {"Address/City", "text"}}}});
    REQUIRE(config.ok());
    const DatasetConfig& dataset = config.value()->datasets.front();
    CHECK(column_names(dataset.layout.fields) ==
          std::vector<std::string>{"code", "name", "capital", "Address_City"});
    CHECK(dataset.layout.fields[2].type == ferry::DataType::utf8());
    CHECK(dataset.layout.fields[3].path == std::vector<std::string>{"Address", "City"});
    CHECK(dataset.schema.size() == 4);
}

TEST_CASE("a single record answer is still the record", "[soap][discovery]") {
    auto service = import_wsdl_file(kShapes, {});
    REQUIRE(service.ok());
    const Operation* one = service->find("GetOne");
    REQUIRE(one != nullptr);
    CHECK(path_text(one->record_path) == "GetOneResponse/Enterprise");
    CHECK_FALSE(one->repeated);
}

TEST_CASE("page metadata is read wherever it sits, before or after the records",
          "[soap][discovery]") {
    ResponseLayout layout;
    layout.record_path = {{"", "R"}, {"", "Page"}, {"", "Items"}, {"", "Item"}};
    RecordField code;
    code.name = "code";
    code.path = {"code"};
    layout.fields = {code};
    layout.total_path = {{"", "R"}, {"", "Page"}, {"", "Total"}};
    layout.has_more_path = {{"", "R"}, {"", "Page"}, {"", "More"}};
    const std::string xml =
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><R><Page>"
        "<Total> 7 </Total><Items><Item><code>a</code></Item><Item><code>b</code></Item></Items>"
        "<More>false</More></Page></R></s:Body></s:Envelope>";
    auto reader = XmlReader::open_memory(xml, "test", {});
    REQUIRE(reader.ok());
    ResponseParser parser(layout, std::move(*reader));
    int records = 0;
    while (true) {
        auto more = parser.next_record();
        REQUIRE(more.ok());
        if (!*more) {
            break;
        }
        ++records;
    }
    CHECK(records == 2);
    CHECK(parser.total() == std::optional<std::string>(" 7 "));
    CHECK(parser.watched(Watched::HasMore) == std::optional<std::string>("false"));
}
