// SPDX-License-Identifier: Apache-2.0
// request_builder.cpp — envelopes, wrappers and templates.
#include "request_builder.h"

#include "xml_reader.h"

namespace ferry::soap {

Result<std::string> build_body(const Operation& operation, const ParameterValues& values) {
    for (const auto& [name, value] : values) {
        bool known = false;
        for (const Parameter& parameter : operation.parameters) {
            known = known || parameter.name.local == name;
        }
        if (!known) {
            std::string declared;
            for (const Parameter& parameter : operation.parameters) {
                declared += (declared.empty() ? "" : ", ") + parameter.name.local;
            }
            return Status::invalid_argument(
                "operation \"" + operation.name + "\" has no parameter \"" + name +
                "\" (it has: " + (declared.empty() ? "none" : declared) + ")");
        }
    }
    const QName& wrapper = operation.request_element;
    std::string out = "<m:" + wrapper.local;
    if (!wrapper.ns.empty()) {
        out += " xmlns:m=\"";
        append_xml_escaped(out, wrapper.ns);
        out += "\"";
    }
    out += ">";
    for (const Parameter& parameter : operation.parameters) {
        const auto value = values.find(parameter.name.local);
        if (value == values.end()) {
            continue;
        }
        // Unqualified children (elementFormDefault="unqualified", rpc parts) carry no prefix and
        // reset the default namespace.
        const std::string tag = parameter.name.ns.empty() ? parameter.name.local
                                                          : (parameter.name.ns == wrapper.ns
                                                                 ? "m:" + parameter.name.local
                                                                 : "p:" + parameter.name.local);
        out += "<" + tag;
        if (!parameter.name.ns.empty() && parameter.name.ns != wrapper.ns) {
            out += " xmlns:p=\"";
            append_xml_escaped(out, parameter.name.ns);
            out += "\"";
        }
        out += ">";
        append_xml_escaped(out, value->second);
        out += "</" + tag + ">";
    }
    out += "</m:" + wrapper.local + ">";
    if (wrapper.ns.empty()) {
        out.replace(0, 3, "<");
        const std::string close = "</m:" + wrapper.local + ">";
        out.replace(out.size() - close.size(), close.size(), "</" + wrapper.local + ">");
    }
    return out;
}

Result<std::string> expand_template(const std::string& body_template,
                                    const ParameterValues& values) {
    std::string out;
    out.reserve(body_template.size() + 64);
    std::size_t position = 0;
    while (true) {
        const std::size_t open = body_template.find("${", position);
        if (open == std::string::npos) {
            out.append(body_template, position, std::string::npos);
            return out;
        }
        const std::size_t close = body_template.find('}', open);
        if (close == std::string::npos) {
            return Status::invalid_argument("request template: \"${\" without a closing \"}\"");
        }
        out.append(body_template, position, open - position);
        const std::string name = body_template.substr(open + 2, close - open - 2);
        const auto value = values.find(name);
        if (value == values.end()) {
            return Status::invalid_argument("request template uses ${" + name +
                                            "}, which has no value");
        }
        append_xml_escaped(out, value->second);
        position = close + 1;
    }
}

std::string
build_envelope(SoapVersion version, const std::string& header, const std::string& body) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soapenv:Envelope xmlns:soapenv=\"";
    out += envelope_namespace(version);
    out += "\">";
    if (!header.empty()) {
        out += "<soapenv:Header>" + header + "</soapenv:Header>";
    }
    out += "<soapenv:Body>" + body + "</soapenv:Body></soapenv:Envelope>";
    return out;
}

} // namespace ferry::soap
