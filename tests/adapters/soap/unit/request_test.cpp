// SPDX-License-Identifier: Apache-2.0
// request_test.cpp — request bodies, templates, envelopes and WS-Security tokens.
#include <string>

#include <catch2/catch.hpp>

#include "request_builder.h"
#include "ws_security.h"

using namespace ferry::soap;

TEST_CASE("document/literal body in WSDL order, values escaped", "[soap][request]") {
    Operation operation;
    operation.name = "list";
    operation.request_element = {"urn:r", "list"};
    operation.parameters = {{{"urn:r", "page"}, "int", true}, {{"", "filter"}, "string", false}};
    auto body = build_body(operation, {{"filter", "a<b & \"c\""}, {"page", "3"}});
    REQUIRE(body.ok());
    CHECK(*body == "<m:list xmlns:m=\"urn:r\"><m:page>3</m:page>"
                   "<filter>a&lt;b &amp; &quot;c&quot;</filter></m:list>");
    auto unknown = build_body(operation, {{"pagesize", "3"}});
    REQUIRE_FALSE(unknown.ok());
    CHECK_THAT(unknown.status().message(), Catch::Contains("it has: page, filter"));
}

TEST_CASE("templates expand ${name} escaped, and refuse unknown names", "[soap][request]") {
    auto body = expand_template("<q><from>${from}</from></q>", {{"from", "2024-01-01&"}});
    REQUIRE(body.ok());
    CHECK(*body == "<q><from>2024-01-01&amp;</from></q>");
    CHECK_FALSE(expand_template("<q>${to}</q>", {}).ok());
    CHECK_FALSE(expand_template("<q>${to</q>", {{"to", "x"}}).ok());
}

TEST_CASE("envelopes for both SOAP versions", "[soap][request]") {
    CHECK_THAT(build_envelope(SoapVersion::Soap11, "", "<b/>"),
               Catch::Contains("http://schemas.xmlsoap.org/soap/envelope/") &&
                   Catch::Contains("<soapenv:Body><b/></soapenv:Body>") &&
                   !Catch::Contains("Header"));
    CHECK_THAT(build_envelope(SoapVersion::Soap12, "<h/>", "<b/>"),
               Catch::Contains("http://www.w3.org/2003/05/soap-envelope") &&
                   Catch::Contains("<soapenv:Header><h/></soapenv:Header>"));
}

TEST_CASE("UsernameToken digest matches the WSS profile formula", "[soap][wsse]") {
    // Base64(SHA-1(nonce + created + password)), computed independently with Python's hashlib.
    CHECK(password_digest("0123456789abcdef", "2026-11-29T20:00:00Z", "secret") ==
          "+twUIMB8E/Qk8aHXRQtJmO7czAA=");
    UsernameToken token{"clerk", "secret", true};
    const std::string header =
        security_header(token, "0123456789abcdef", "2026-11-29T20:00:00Z", "soapenv");
    CHECK_THAT(header, Catch::Contains("#PasswordDigest\">+twUIMB8E/Qk8aHXRQtJmO7czAA=<"));
    CHECK_THAT(header, Catch::Contains("<wsse:Nonce EncodingType=") &&
                           Catch::Contains(">MDEyMzQ1Njc4OWFiY2RlZg==</wsse:Nonce>"));
    CHECK_THAT(header, !Catch::Contains("secret"));
    token.digest = false;
    CHECK_THAT(security_header(token, "n", "t", "soapenv"),
               Catch::Contains("#PasswordText\">secret</wsse:Password>"));
}
