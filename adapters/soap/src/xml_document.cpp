// SPDX-License-Identifier: Apache-2.0
// xml_document.cpp — hardened DOM parsing of WSDL / XSD files and node helpers.
#include "xml_document.h"

#include <fstream>
#include <sstream>

#include <libxml/parser.h>

namespace ferry::soap {

namespace {

struct FirstError {
    std::string message;
    int line = 0;
};

void keep_first_error(void* arg, xmlErrorPtr error) {
    auto* first = static_cast<FirstError*>(arg);
    if (error == nullptr || !first->message.empty() || error->level < XML_ERR_ERROR) {
        return;
    }
    first->message = error->message ? error->message : "malformed XML";
    while (!first->message.empty() && first->message.back() == '\n') {
        first->message.pop_back();
    }
    first->line = error->line;
}

} // namespace

Result<XmlDocPtr> parse_document(std::string_view text, const std::string& name) {
    xmlParserCtxtPtr context = xmlNewParserCtxt();
    if (context == nullptr) {
        return Status::internal("out of memory creating an XML parser");
    }
    FirstError first;
    xmlSetStructuredErrorFunc(&first, &keep_first_error);
    // Entities are never substituted (no XML_PARSE_NOENT) and no DTD is loaded; a DOCTYPE at all
    // is refused below, so billion-laughs and XXE payloads go no further than this function.
    XmlDocPtr doc(xmlCtxtReadMemory(context, text.data(), static_cast<int>(text.size()),
                                    name.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOBLANKS));
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    xmlFreeParserCtxt(context);
    if (!doc || !first.message.empty()) {
        return Status::data("malformed XML: " +
                            (first.message.empty() ? std::string("parse error") : first.message))
            .with_location(name + ":" + std::to_string(first.line));
    }
    if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
        return Status::data("refused a document type declaration (DTD) in " + name +
                            ": Ferry never loads DTDs or expands entities")
            .with_location(name);
    }
    return doc;
}

Result<XmlDocPtr> load_local_document(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Status::not_found("cannot open " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_document(text.str(), path);
}

bool is_element(const xmlNode* node, std::string_view ns, std::string_view local) {
    return node != nullptr && node->type == XML_ELEMENT_NODE && node_name(node) == local &&
           node_ns(node) == ns;
}

std::string_view node_ns(const xmlNode* node) {
    if (node->ns == nullptr || node->ns->href == nullptr) {
        return {};
    }
    return reinterpret_cast<const char*>(node->ns->href);
}

std::string_view node_name(const xmlNode* node) {
    return reinterpret_cast<const char*>(node->name);
}

std::optional<std::string> attribute(const xmlNode* node, const char* name) {
    xmlChar* value = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
    if (value == nullptr) {
        return std::nullopt;
    }
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return out;
}

QName resolve_qname(const xmlNode* node, std::string_view text) {
    const std::size_t colon = text.find(':');
    std::string prefix =
        colon == std::string_view::npos ? std::string() : std::string(text.substr(0, colon));
    QName out;
    out.local = std::string(colon == std::string_view::npos ? text : text.substr(colon + 1));
    xmlNs* ns =
        xmlSearchNs(node->doc, const_cast<xmlNode*>(node),
                    prefix.empty() ? nullptr : reinterpret_cast<const xmlChar*>(prefix.c_str()));
    if (ns != nullptr && ns->href != nullptr) {
        out.ns = reinterpret_cast<const char*>(ns->href);
    }
    return out;
}

Result<std::string> resolve_local_location(const std::string& base, const std::string& location) {
    std::string path = location;
    if (path.rfind("file://", 0) == 0) {
        path = path.substr(7);
    }
    if (path.find("://") != std::string::npos) {
        return Status::invalid_argument(
            "refusing to fetch \"" + location +
            "\": imports are resolved from local files only; put a copy next to the WSDL");
    }
    if (path.empty() || path.front() == '/' || base.empty()) {
        return path;
    }
    const std::size_t slash = base.rfind('/');
    return slash == std::string::npos ? path : base.substr(0, slash + 1) + path;
}

} // namespace ferry::soap
