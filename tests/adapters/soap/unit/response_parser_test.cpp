// SPDX-License-Identifier: Apache-2.0
// response_parser_test.cpp — records out of a streamed response: types, nil, rejects, faults.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "ferry/batch.h"
#include "ferry/ndjson.h"

#include "response_parser.h"
#include "type_mapping.h"

using namespace ferry::soap;

namespace {

RecordField make_field(const std::string& name,
                       const char* xsd,
                       bool nullable = true,
                       ferry::soap::Facets facets = {}) {
    RecordField field;
    field.name = name;
    field.path = {name};
    field.nullable = nullable;
    map_builtin_type(xsd, facets, field);
    return field;
}

ResponseLayout registry_layout() {
    ResponseLayout layout;
    layout.record_path = {{"urn:r", "listResponse"}, {"urn:r", "items"}, {"urn:r", "item"}};
    ferry::soap::Facets money;
    money.total_digits = 10;
    money.fraction_digits = 2;
    layout.fields = {
        make_field("code", "string", false), make_field("capital", "decimal", true, money),
        make_field("founded", "date"),       make_field("updated", "dateTime"),
        make_field("staff", "int"),          make_field("active", "boolean")};
    return layout;
}

ferry::Schema schema_of(const ResponseLayout& layout) {
    std::vector<ferry::Field> fields;
    for (const auto& field : layout.fields) {
        fields.push_back({field.name, field.type, field.nullable});
    }
    return ferry::Schema(fields);
}

const std::string kEnvelope = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                              "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">";

} // namespace

TEST_CASE("records by namespace-qualified path; nil, absent, bad values", "[soap][parser]") {
    const std::string xml =
        kEnvelope +
        R"(<s:Header><r:items xmlns:r="urn:r"><r:item><r:code>H</r:code></r:item></r:items></s:Header>
<s:Body><r:listResponse xmlns:r="urn:r"><r:total>4</r:total><r:items>
<r:item><r:code>A1</r:code><r:capital>12.50</r:capital><r:founded>1990-01-02</r:founded><r:updated>2024-01-01T08:30:00+08:00</r:updated><r:staff>7</r:staff><r:active>true</r:active></r:item>
<r:item><r:code><![CDATA[B<2>]]></r:code><r:capital xsi:nil="true"/><r:extra><r:deep>x</r:deep></r:extra></r:item>
<r:item><r:code>C3</r:code><r:capital>12.345</r:capital></r:item>
<r:item><r:capital>1</r:capital></r:item>
<x:item xmlns:x="urn:other"><x:code>not a record</x:code></x:item>
</r:items></r:listResponse></s:Body></s:Envelope>)";
    const ResponseLayout layout = registry_layout();
    auto reader = XmlReader::open_memory(xml, "response", {});
    REQUIRE(reader.ok());
    ResponseParser parser(layout, std::move(*reader));
    ferry::BatchBuilder out(schema_of(layout), 100);
    std::int64_t record_no = 1;
    while (true) {
        auto more = parser.next_record();
        REQUIRE(more.ok());
        if (!*more) {
            break;
        }
        REQUIRE(parser.emit(out, record_no++, "list page 1").ok());
    }
    CHECK_FALSE(parser.fault());
    CHECK(parser.records() == 4);
    CHECK(out.num_rows() == 2);
    CHECK(out.num_rejects() == 2);
    FerryBatch batch{};
    REQUIRE(out.finish(&batch).ok());
    auto view = std::make_unique<ferry::Batch>(
        std::move(batch), std::make_shared<const ferry::Schema>(schema_of(layout)), nullptr);
    CHECK(view->column(0).value(0).as_text() == "A1");
    CHECK(view->column(1).value(0).to_string() == "12.50");
    CHECK(view->column(2).value(0).to_string() == "1990-01-02");
    // +08:00 normalised to UTC
    CHECK(view->column(3).value(0).to_string().rfind("2024-01-01T00:30:00", 0) == 0);
    CHECK(view->column(4).value(0).to_string() == "7");
    CHECK(view->column(0).value(1).as_text() == "B<2>");
    CHECK(view->column(1).value(1).is_null());
    CHECK(view->column(5).value(1).is_null());
    REQUIRE(view->rejects().size() == 2);
    CHECK(std::string(view->rejects()[0].field) == "capital");
    CHECK(view->rejects()[0].record_no == 3);
    CHECK_THAT(view->rejects()[0].reason, Catch::Contains("decimal(10,2)"));
    CHECK_THAT(view->rejects()[0].reason, !Catch::Contains("12.345"));
    CHECK(std::string(view->rejects()[1].field) == "code");
    CHECK(std::string(view->rejects()[1].rule) == "required");
    // Absent, nil and empty stay apart: a left-out element is no member, nil is null.
    CHECK_FALSE(view->absent(1, 1)); // capital: xsi:nil
    CHECK(view->absent(2, 1));       // founded: not in the record
    CHECK_FALSE(view->absent(2, 0));
    std::string json;
    ferry::append_ndjson(*view, json, {});
    CHECK(json.substr(json.find('\n') + 1) == "{\"code\":\"B<2>\",\"capital\":null}\n");
}

TEST_CASE("an empty text element is \"\", a nil one null, a left-out one no member",
          "[soap][parser][absent]") {
    const std::string xml = kEnvelope + R"(<s:Body><r:listResponse xmlns:r="urn:r"><r:items>
<r:item><r:code>A</r:code><r:name></r:name></r:item>
<r:item><r:code>B</r:code><r:name xsi:nil="true"/></r:item>
<r:item><r:code>C</r:code></r:item>
</r:items></r:listResponse></s:Body></s:Envelope>)";
    ResponseLayout layout;
    layout.record_path = {{"urn:r", "listResponse"}, {"urn:r", "items"}, {"urn:r", "item"}};
    layout.fields = {make_field("code", "string", false), make_field("name", "string")};
    auto reader = XmlReader::open_memory(xml, "response", {});
    REQUIRE(reader.ok());
    ResponseParser parser(layout, std::move(*reader));
    ferry::BatchBuilder out(schema_of(layout), 10);
    for (std::int64_t record_no = 1;; ++record_no) {
        auto more = parser.next_record();
        REQUIRE(more.ok());
        if (!*more) {
            break;
        }
        REQUIRE(parser.emit(out, record_no, "list page 1").ok());
    }
    FerryBatch batch{};
    REQUIRE(out.finish(&batch).ok());
    const ferry::Batch view(std::move(batch),
                            std::make_shared<const ferry::Schema>(schema_of(layout)), nullptr);
    std::string json;
    ferry::append_ndjson(view, json, {});
    CHECK(json ==
          "{\"code\":\"A\",\"name\":\"\"}\n{\"code\":\"B\",\"name\":null}\n{\"code\":\"C\"}\n");
}

TEST_CASE("SOAP 1.1 and 1.2 faults become values", "[soap][parser][fault]") {
    const ResponseLayout layout = registry_layout();
    SECTION("1.1") {
        const std::string xml =
            kEnvelope + R"(<s:Body><s:Fault><faultcode>s:Server.Database</faultcode>
<faultstring>registry database offline</faultstring><detail><ticket>DB-17</ticket></detail></s:Fault></s:Body></s:Envelope>)";
        ResponseParser parser(layout, std::move(XmlReader::open_memory(xml, "r", {}).value()));
        auto more = parser.next_record();
        REQUIRE(more.ok());
        CHECK_FALSE(*more);
        REQUIRE(parser.fault());
        CHECK(parser.fault()->code == "Server.Database");
        CHECK(parser.fault()->to_string() ==
              "SOAP fault Server.Database: registry database offline (detail: ticket=DB-17)");
    }
    SECTION("1.2") {
        const std::string xml =
            R"(<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>
<env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>r:BadPage</env:Value></env:Subcode></env:Code>
<env:Reason><env:Text xml:lang="en">page must be positive</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>)";
        ResponseParser parser(layout, std::move(XmlReader::open_memory(xml, "r", {}).value()));
        REQUIRE_FALSE(*parser.next_record());
        REQUIRE(parser.fault());
        CHECK(parser.fault()->code == "Sender/BadPage");
        CHECK(parser.fault()->reason == "page must be positive");
    }
}

TEST_CASE("not an envelope", "[soap][parser]") {
    const ResponseLayout layout = registry_layout();
    ResponseParser parser(
        layout,
        std::move(XmlReader::open_memory("<html><body>502</body></html>", "r", {}).value()));
    auto more = parser.next_record();
    REQUIRE_FALSE(more.ok());
    CHECK_THAT(more.status().message(), Catch::Contains("not a SOAP envelope"));
}

TEST_CASE("continuation token anywhere below the Body", "[soap][parser]") {
    ResponseLayout layout = registry_layout();
    layout.token_path = {{"", "listResponse"}, {"", "next"}};
    const std::string xml =
        kEnvelope +
        R"(<s:Body><r:listResponse xmlns:r="urn:r"><r:items><r:item><r:code>A</r:code></r:item></r:items><r:next>tok-2</r:next></r:listResponse></s:Body></s:Envelope>)";
    ResponseParser parser(layout, std::move(XmlReader::open_memory(xml, "r", {}).value()));
    REQUIRE(*parser.next_record());
    REQUIRE_FALSE(*parser.next_record());
    REQUIRE(parser.token());
    CHECK(*parser.token() == "tok-2");
}

TEST_CASE("a page header's total beside the records, next to a token", "[soap][parser]") {
    ResponseLayout layout = registry_layout();
    layout.token_path = {{"", "listResponse"}, {"", "next"}};
    layout.total_path = {{"", "listResponse"}, {"", "page"}, {"", "totalCount"}};
    const std::string xml =
        kEnvelope +
        R"(<s:Body><r:listResponse xmlns:r="urn:r"><r:page><r:pageNo>1</r:pageNo><r:totalCount>5000</r:totalCount></r:page><r:items><r:item><r:code>A</r:code></r:item><r:item><r:code>B</r:code></r:item></r:items><r:next>tok-2</r:next></r:listResponse></s:Body></s:Envelope>)";
    ResponseParser parser(layout, std::move(XmlReader::open_memory(xml, "r", {}).value()));
    REQUIRE(*parser.next_record());
    REQUIRE(*parser.next_record());
    REQUIRE_FALSE(*parser.next_record());
    REQUIRE(parser.total());
    CHECK(*parser.total() == "5000");
    REQUIRE(parser.token());
    CHECK(*parser.token() == "tok-2");
}

TEST_CASE("an answer that trickles in a few bytes at a time reads the same", "[soap][parser]") {
    // Texts split across reads reach the parser whole (a fault code cut in two would not match).
    const std::string xml =
        kEnvelope + R"(<s:Body><s:Fault><faultcode>s:Server.Unavailable</faultcode>
<faultstring>registry &amp; database busy</faultstring><detail><retry_after_ms>250</retry_after_ms></detail></s:Fault></s:Body></s:Envelope>)";
    std::size_t offset = 0;
    auto reader = XmlReader::open(
        [&](char* buffer, std::size_t size) -> ferry::Result<std::size_t> {
            const std::size_t count = std::min({size, std::size_t{7}, xml.size() - offset});
            std::memcpy(buffer, xml.data() + offset, count);
            offset += count;
            return count;
        },
        "trickle", {});
    REQUIRE(reader.ok());
    const ResponseLayout layout = registry_layout();
    ResponseParser parser(layout, std::move(*reader));
    auto more = parser.next_record();
    REQUIRE(more.ok());
    CHECK_FALSE(*more);
    REQUIRE(parser.fault());
    CHECK(parser.fault()->code == "Server.Unavailable");
    CHECK(parser.fault()->reason == "registry & database busy");
    CHECK(parser.fault()->retry_after == std::chrono::milliseconds(250));
}
