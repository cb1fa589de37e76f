// SPDX-License-Identifier: Apache-2.0
// xml_hardening_test.cpp — hostile XML is refused with a clear error, before any expansion.
#include <algorithm>
#include <cstring>
#include <string>

#include <catch2/catch.hpp>

#include "xml_document.h"
#include "xml_reader.h"

using ferry::soap::XmlLimits;
using ferry::soap::XmlReader;

namespace {

// Reads the whole document; returns the first error, or OK.
ferry::Status drain(const std::string& xml, const XmlLimits& limits = {}) {
    auto reader = XmlReader::open_memory(xml, "payload", limits);
    if (!reader.ok()) {
        return reader.status();
    }
    while (true) {
        auto more = (*reader)->next();
        if (!more.ok()) {
            return more.status();
        }
        if (!*more) {
            return ferry::Status();
        }
    }
}

const std::string kBillionLaughs = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><r>&lol9;</r></soap:Body></soap:Envelope>)";

const std::string kXxe = R"(<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><r>&xxe;</r></soap:Body></soap:Envelope>)";

const std::string kExternalDtd = R"(<?xml version="1.0"?>
<!DOCTYPE r SYSTEM "http://198.51.100.7/evil.dtd">
<r/>)";

} // namespace

TEST_CASE("billion laughs is refused at the DTD, with a clear error", "[soap][hardening]") {
    const ferry::Status status = drain(kBillionLaughs);
    REQUIRE_FALSE(status.ok());
    CHECK(status.code() == ferry::StatusCode::Data);
    CHECK_THAT(status.message(), Catch::Contains("DTD"));
}

TEST_CASE("XXE never reads the file", "[soap][hardening]") {
    const ferry::Status status = drain(kXxe);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.message(), Catch::Contains("DTD"));
    CHECK_THAT(status.message(), !Catch::Contains("root:"));
}

TEST_CASE("an external DTD is never fetched", "[soap][hardening]") {
    const ferry::Status status = drain(kExternalDtd);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.message(), Catch::Contains("DTD"));
}

TEST_CASE("WSDL and XSD documents get the same treatment", "[soap][hardening]") {
    for (const std::string* payload : {&kBillionLaughs, &kXxe, &kExternalDtd}) {
        auto doc = ferry::soap::parse_document(*payload, "service.wsdl");
        REQUIRE_FALSE(doc.ok());
        CHECK_THAT(doc.status().message(), Catch::Contains("DTD") || Catch::Contains("entity") ||
                                               Catch::Contains("Entity"));
    }
}

TEST_CASE("depth and size limits", "[soap][hardening]") {
    std::string deep;
    for (int level = 0; level < 60; ++level) {
        deep += "<a>";
    }
    for (int level = 0; level < 60; ++level) {
        deep += "</a>";
    }
    XmlLimits limits;
    limits.max_depth = 50;
    ferry::Status status = drain(deep, limits);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.message(), Catch::Contains("max_depth"));

    limits = {};
    limits.max_bytes = 1024;
    status = drain("<a>" + std::string(4096, 'x') + "</a>", limits);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.message(), Catch::Contains("max_response_bytes"));

    limits = {};
    limits.max_text_bytes = 100;
    const std::string long_text = "<a>" + std::string(200, 'y') + "</a>";
    auto reader = XmlReader::open_memory(long_text, "text", limits);
    REQUIRE(reader.ok());
    REQUIRE(*(*reader)->next());
    std::string text;
    status = (*reader)->element_text(text);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.message(), Catch::Contains("max_text_bytes"));
}

TEST_CASE("malformed XML names the line", "[soap][hardening]") {
    const ferry::Status status = drain("<a>\n<b>\n</a>");
    REQUIRE_FALSE(status.ok());
    CHECK(status.code() == ferry::StatusCode::Data);
    CHECK_THAT(status.location(), Catch::Contains("line 3"));
}

TEST_CASE("declared GBK and GB18030 encodings arrive as UTF-8; CDATA is text", "[soap][encoding]") {
    // "企业" in GBK is C6 F3 D2 B5; GB18030 agrees for these characters.
    for (const char* encoding : {"GBK", "GB18030"}) {
        const std::string xml = std::string("<?xml version=\"1.0\" encoding=\"") + encoding +
                                "\"?><a>\xC6\xF3\xD2\xB5<![CDATA[<&>]]></a>";
        auto reader = XmlReader::open_memory(xml, "gbk", {});
        REQUIRE(reader.ok());
        REQUIRE(*(*reader)->next());
        std::string text;
        REQUIRE((*reader)->element_text(text).ok());
        CHECK(text == "企业<&>");
    }
}

TEST_CASE("an HTTP charset decodes a document without an XML declaration", "[soap][encoding]") {
    const std::string xml = "<a>\xC6\xF3\xD2\xB5</a>"; // "企业" in GBK, no declaration
    std::size_t offset = 0;
    auto reader = XmlReader::open(
        [&](char* buffer, std::size_t size) -> ferry::Result<std::size_t> {
            const std::size_t count = std::min(size, xml.size() - offset);
            std::memcpy(buffer, xml.data() + offset, count);
            offset += count;
            return count;
        },
        "gbk response", {}, "GBK");
    REQUIRE(reader.ok());
    REQUIRE(*(*reader)->next());
    std::string text;
    REQUIRE((*reader)->element_text(text).ok());
    CHECK(text == "企业");
}

TEST_CASE("a text node over libxml2's own 10 MB cap is read up to max_text_bytes",
          "[soap][hardening]") {
    // Before XML_PARSE_HUGE a 12 MB value was "malformed XML" whatever max_text_bytes said.
    const std::string xml = "<a>" + std::string(12u << 20, 'z') + "</a>";
    XmlLimits limits;
    limits.max_text_bytes = 16 << 20;
    auto reader = XmlReader::open_memory(xml, "big", limits);
    REQUIRE(reader.ok());
    REQUIRE(*(*reader)->next());
    std::string text;
    REQUIRE((*reader)->element_text(text).ok());
    CHECK(text.size() == (12u << 20));

    limits.max_text_bytes = 8 << 20;
    reader = XmlReader::open_memory(xml, "big", limits);
    REQUIRE(reader.ok());
    REQUIRE(*(*reader)->next());
    const ferry::Status status = (*reader)->element_text(text);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.message(),
               Catch::Contains("max_text_bytes") && !Catch::Contains("malformed"));
}
