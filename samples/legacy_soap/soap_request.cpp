// SPDX-License-Identifier: Apache-2.0
// soap_request.cpp — request parsing (libxml2, hardened) and UsernameToken verification.
#include "soap_request.h"

#include <sstream>

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/SHA1Engine.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

namespace ferry::samples {

namespace {

std::string name_of(const xmlNode* node) {
    return reinterpret_cast<const char*>(node->name);
}

std::string text_of(xmlNode* node) {
    xmlChar* content = xmlNodeGetContent(node);
    std::string out = content ? reinterpret_cast<const char*>(content) : "";
    xmlFree(content);
    return out;
}

xmlNode* first_element(xmlNode* node) {
    for (; node != nullptr; node = node->next) {
        if (node->type == XML_ELEMENT_NODE) {
            return node;
        }
    }
    return nullptr;
}

void read_security(xmlNode* header, SoapRequest& out) {
    for (xmlNode* security = first_element(header->children); security;
         security = first_element(security->next)) {
        if (name_of(security) != "Security") {
            continue;
        }
        for (xmlNode* token = first_element(security->children); token;
             token = first_element(token->next)) {
            if (name_of(token) != "UsernameToken") {
                continue;
            }
            for (xmlNode* part = first_element(token->children); part;
                 part = first_element(part->next)) {
                const std::string name = name_of(part);
                if (name == "Username") {
                    out.username = text_of(part);
                } else if (name == "Password") {
                    out.password = text_of(part);
                    xmlChar* type = xmlGetProp(part, reinterpret_cast<const xmlChar*>("Type"));
                    out.password_type = type ? reinterpret_cast<const char*>(type) : "";
                    xmlFree(type);
                } else if (name == "Nonce") {
                    out.nonce = text_of(part);
                } else if (name == "Created") {
                    out.created = text_of(part);
                }
            }
        }
    }
}

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

} // namespace

std::string parse_soap_request(const std::string& body, SoapRequest& out) {
    xmlDoc* doc = xmlReadMemory(body.data(), static_cast<int>(body.size()), "request", nullptr,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == nullptr) {
        return "the request is not well-formed XML";
    }
    if (doc->intSubset != nullptr) {
        xmlFreeDoc(doc);
        return "a DTD is not allowed in a SOAP request";
    }
    std::string error;
    xmlNode* envelope = xmlDocGetRootElement(doc);
    xmlNode* body_node = nullptr;
    for (xmlNode* child = envelope ? first_element(envelope->children) : nullptr; child;
         child = first_element(child->next)) {
        if (name_of(child) == "Header") {
            read_security(child, out);
        } else if (name_of(child) == "Body") {
            body_node = child;
        }
    }
    xmlNode* operation = body_node ? first_element(body_node->children) : nullptr;
    if (envelope == nullptr || name_of(envelope) != "Envelope" || operation == nullptr) {
        error = "not a SOAP envelope with a Body";
    } else {
        out.operation = name_of(operation);
        for (xmlNode* param = first_element(operation->children); param;
             param = first_element(param->next)) {
            out.values[name_of(param)] = text_of(param);
        }
    }
    xmlFreeDoc(doc);
    return error;
}

std::string check_username_token(const SoapRequest& request,
                                 const std::string& user,
                                 const std::string& password) {
    if (request.username.empty()) {
        return "a WS-Security UsernameToken is required";
    }
    bool matches = request.username == user;
    if (request.password_type.find("#PasswordDigest") != std::string::npos) {
        std::istringstream encoded(request.nonce);
        Poco::Base64Decoder decoder(encoded);
        std::string nonce;
        char buffer[256];
        while (decoder.read(buffer, sizeof buffer) || decoder.gcount() > 0) {
            nonce.append(buffer, static_cast<std::size_t>(decoder.gcount()));
        }
        Poco::SHA1Engine sha1;
        sha1.update(nonce + request.created + password);
        const auto& digest = sha1.digest();
        matches = matches && base64(std::string(digest.begin(), digest.end())) == request.password;
    } else {
        matches = matches && request.password == password;
    }
    return matches ? std::string() : "the UsernameToken does not match";
}

} // namespace ferry::samples
