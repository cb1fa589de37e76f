// SPDX-License-Identifier: Apache-2.0
// xml_document.h — small, hardened DOM helpers for WSDL and XSD files (never for responses,
// which go through the streaming XmlReader).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <libxml/tree.h>

#include "ferry/result.h"

#include "service_model.h"

namespace ferry::soap {

inline constexpr std::string_view kXsdNamespace = "http://www.w3.org/2001/XMLSchema";
inline constexpr std::string_view kWsdlNamespace = "http://schemas.xmlsoap.org/wsdl/";
inline constexpr std::string_view kWsdlSoap11Namespace = "http://schemas.xmlsoap.org/wsdl/soap/";
inline constexpr std::string_view kWsdlSoap12Namespace = "http://schemas.xmlsoap.org/wsdl/soap12/";

struct XmlDocFree {
    void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};

using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

/// Parses a WSDL or XSD held in memory: no network, no DTD, no entity expansion (a document with
/// a DOCTYPE is refused). `name` is used in error messages.
Result<XmlDocPtr> parse_document(std::string_view text, const std::string& name);
/// Reads a local file and parses it; an http(s) location is refused.
Result<XmlDocPtr> load_local_document(const std::string& path);

bool is_element(const xmlNode* node, std::string_view ns, std::string_view local);
std::string_view node_ns(const xmlNode* node);
std::string_view node_name(const xmlNode* node);
std::optional<std::string> attribute(const xmlNode* node, const char* name);
/// Resolves "prefix:local" (or "local", in the default namespace) in the scope of `node`.
QName resolve_qname(const xmlNode* node, std::string_view text);

/// Joins a relative location onto the directory of `base` ("" base: the location as given).
Result<std::string> resolve_local_location(const std::string& base, const std::string& location);

} // namespace ferry::soap
