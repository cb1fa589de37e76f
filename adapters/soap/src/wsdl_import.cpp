// SPDX-License-Identifier: Apache-2.0
// wsdl_import.cpp — walks definitions → binding → portType → messages → schema elements.
#include "wsdl_import.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include "xml_document.h"
#include "xsd_schema.h"

namespace ferry::soap {

const char* envelope_namespace(SoapVersion version) noexcept {
    return version == SoapVersion::Soap12 ? "http://www.w3.org/2003/05/soap-envelope"
                                          : "http://schemas.xmlsoap.org/soap/envelope/";
}

const Operation* Service::find(std::string_view name) const {
    for (const Operation& operation : operations) {
        if (operation.name == name) {
            return &operation;
        }
    }
    return nullptr;
}

const ElementShape* Operation::shape_at(const std::vector<QName>& path) const {
    for (const ElementShape& shape : shapes) {
        if (shape.path.size() != path.size()) {
            continue;
        }
        bool same = true;
        for (std::size_t step = 0; step < path.size() && same; ++step) {
            same = shape.path[step].local == path[step].local &&
                   (path[step].ns.empty() || shape.path[step].ns == path[step].ns);
        }
        if (same) {
            return &shape;
        }
    }
    return nullptr;
}

std::string path_text(const std::vector<QName>& path) {
    std::string out;
    for (const QName& step : path) {
        out += (out.empty() ? "" : "/") + step.local;
    }
    return out;
}

PageRole page_role(std::string_view local_name) {
    // Compared without case, '_' and '-': TotalCount, total_count and totalCount are one name.
    std::string name;
    for (const char c : local_name) {
        if (c != '_' && c != '-') {
            name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    static constexpr std::array<std::string_view, 12> kTotal{
        "total",        "totalcount",       "totalrecords",  "totalrows",
        "totalresults", "totalitems",       "totalelements", "totalnum",
        "recordcount",  "totalrecordcount", "numfound",      "rowcount"};
    static constexpr std::array<std::string_view, 5> kPageCount{
        "pagecount", "totalpages", "totalpagecount", "numpages", "pages"};
    static constexpr std::array<std::string_view, 7> kHasMore{
        "hasmore", "hasnext", "hasnextpage", "more", "morerecords", "moreresults", "moredata"};
    static constexpr std::array<std::string_view, 3> kIsLast{"islast", "islastpage", "lastpage"};
    auto in = [&](const auto& names) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    if (in(kTotal)) {
        return PageRole::Total;
    }
    if (in(kPageCount)) {
        return PageRole::PageCount;
    }
    if (in(kHasMore)) {
        return PageRole::HasMore;
    }
    if (in(kIsLast)) {
        return PageRole::IsLast;
    }
    return PageRole::None;
}

const char* to_string(PageRole role) noexcept {
    switch (role) {
    case PageRole::Total:
        return "total";
    case PageRole::PageCount:
        return "page_count";
    case PageRole::HasMore:
        return "has_more";
    case PageRole::IsLast:
        return "is_last";
    case PageRole::None:
        break;
    }
    return "";
}

namespace {

struct Part {
    std::string name;
    std::optional<QName> element;
    std::optional<QName> type;
};

struct Definitions {
    std::vector<const xmlNode*> roots; // wsdl:definitions of the document and its imports
    std::vector<XmlDocPtr> documents;
    SchemaSet schemas;
};

template <typename Visit>
void for_each_child(const xmlNode* parent,
                    std::string_view ns,
                    std::string_view name,
                    Visit&& visit) {
    for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
        if (is_element(child, ns, name)) {
            visit(child);
        }
    }
}

const xmlNode* first_child(const xmlNode* parent, std::string_view ns, std::string_view name) {
    const xmlNode* found = nullptr;
    for_each_child(parent, ns, name, [&](const xmlNode* child) {
        if (found == nullptr) {
            found = child;
        }
    });
    return found;
}

// A child in either SOAP binding namespace (soap:binding, soap12:operation, …).
const xmlNode* soap_child(const xmlNode* parent, std::string_view name, SoapVersion* version) {
    for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
        if (is_element(child, kWsdlSoap11Namespace, name)) {
            if (version) {
                *version = SoapVersion::Soap11;
            }
            return child;
        }
        if (is_element(child, kWsdlSoap12Namespace, name)) {
            if (version) {
                *version = SoapVersion::Soap12;
            }
            return child;
        }
    }
    return nullptr;
}

Status load_definitions(XmlDocPtr doc, const std::string& location, Definitions& defs, int depth) {
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (!is_element(root, kWsdlNamespace, "definitions")) {
        return Status::data(location + " is not a WSDL 1.1 document (no wsdl:definitions)");
    }
    defs.roots.push_back(root);
    defs.documents.push_back(std::move(doc));
    Status status;
    for_each_child(root, kWsdlNamespace, "import", [&](const xmlNode* import) {
        if (!status.ok()) {
            return;
        }
        if (depth > 8) {
            status = Status::data("wsdl:import nested deeper than 8 documents");
            return;
        }
        if (location.empty()) {
            status = Status::invalid_argument(
                "a WSDL fetched from the endpoint may not import other documents; configure a "
                "local copy of the WSDL and its imports instead");
            return;
        }
        auto path = resolve_local_location(location, attribute(import, "location").value_or(""));
        if (!path.ok()) {
            status = path.status();
            return;
        }
        auto imported = load_local_document(*path);
        if (!imported.ok()) {
            status = imported.status();
            return;
        }
        const xmlNode* imported_root = xmlDocGetRootElement(imported->get());
        if (is_element(imported_root, kXsdNamespace, "schema")) {
            defs.schemas.keep(std::move(*imported));
            status = defs.schemas.add_schema(imported_root, *path);
        } else {
            status = load_definitions(std::move(*imported), *path, defs, depth + 1);
        }
    });
    FERRY_RETURN_IF_ERROR(status);
    if (const xmlNode* types = first_child(root, kWsdlNamespace, "types")) {
        for (const xmlNode* schema = types->children; schema; schema = schema->next) {
            if (is_element(schema, kXsdNamespace, "schema")) {
                FERRY_RETURN_IF_ERROR(defs.schemas.add_schema(schema, location));
            }
        }
    }
    return Status();
}

// Finds a named top-level WSDL item (message, portType, binding) across all documents.
const xmlNode* find_definition(const Definitions& defs, std::string_view kind, const QName& name) {
    for (const xmlNode* root : defs.roots) {
        const std::string tns = attribute(root, "targetNamespace").value_or("");
        if (tns != name.ns) {
            continue;
        }
        const xmlNode* found = nullptr;
        for_each_child(root, kWsdlNamespace, kind, [&](const xmlNode* child) {
            if (attribute(child, "name").value_or("") == name.local) {
                found = child;
            }
        });
        if (found) {
            return found;
        }
    }
    return nullptr;
}

Result<std::vector<Part>> message_parts(const Definitions& defs, const xmlNode* io) {
    const auto message_name = attribute(io, "message");
    if (!message_name) {
        return std::vector<Part>{};
    }
    const QName name = resolve_qname(io, *message_name);
    const xmlNode* message = find_definition(defs, "message", name);
    if (message == nullptr) {
        return Status::data("WSDL names an unknown message \"" + name.local + "\"");
    }
    std::vector<Part> parts;
    for_each_child(message, kWsdlNamespace, "part", [&](const xmlNode* node) {
        Part part;
        part.name = attribute(node, "name").value_or("");
        if (const auto element = attribute(node, "element")) {
            part.element = resolve_qname(node, *element);
        }
        if (const auto type = attribute(node, "type")) {
            part.type = resolve_qname(node, *type);
        }
        parts.push_back(std::move(part));
    });
    return parts;
}

// Records the structured elements below `decl` as shapes, down to the first repeated ones: a
// repeated element is a list of records, and what lies inside a record is its fields, not
// another candidate. The scalar leaves met on the way down are page metadata for what is below.
constexpr int kMaxShapeDepth = 12;
constexpr std::size_t kMaxShapes = 512;

Status collect_shapes(const SchemaSet& schemas,
                      const ElementDecl& decl,
                      std::vector<QName>& path,
                      std::vector<PageField>& leaves_above,
                      Operation& operation,
                      int depth) {
    if (depth > kMaxShapeDepth || decl.complex_type == nullptr ||
        operation.shapes.size() >= kMaxShapes) {
        return Status();
    }
    FERRY_ASSIGN_OR_RETURN(std::vector<ElementDecl> children, schemas.children(decl.complex_type));
    const std::size_t mark = leaves_above.size();
    for (const ElementDecl& child : children) {
        if (child.complex_type == nullptr && !child.repeated) {
            std::vector<QName> leaf = path;
            leaf.push_back(child.name);
            leaves_above.push_back(PageField{std::move(leaf), page_role(child.name.local)});
        }
    }
    for (const ElementDecl& child : children) {
        if (child.complex_type == nullptr) {
            continue;
        }
        path.push_back(child.name);
        ElementShape shape;
        shape.path = path;
        shape.repeated = child.repeated;
        shape.page_fields = leaves_above;
        // A shape whose fields cannot be flattened (a recursive type) is left out rather than
        // failing the whole WSDL: it only matters if a dataset names it.
        if (schemas.record_fields(child, shape.fields).ok()) {
            operation.shapes.push_back(std::move(shape));
        }
        if (!child.repeated) {
            FERRY_RETURN_IF_ERROR(
                collect_shapes(schemas, child, path, leaves_above, operation, depth + 1));
        }
        path.pop_back();
    }
    leaves_above.resize(mark);
    return Status();
}

// A response without any list: the single record is the first structured element, below the
// wrapper, that has leaf fields.
Status find_single_record(const SchemaSet& schemas,
                          const ElementDecl& decl,
                          std::vector<QName>& path,
                          Operation& operation,
                          int depth) {
    if (depth > kMaxShapeDepth || decl.complex_type == nullptr) {
        return Status();
    }
    FERRY_ASSIGN_OR_RETURN(std::vector<ElementDecl> children, schemas.children(decl.complex_type));
    std::vector<const ElementDecl*> structured;
    bool has_leaves = false;
    for (const ElementDecl& child : children) {
        if (child.complex_type != nullptr) {
            structured.push_back(&child);
        } else {
            has_leaves = true;
        }
    }
    if (has_leaves && depth > 0) {
        operation.record_path = path;
        operation.repeated = false;
        return schemas.record_fields(decl, operation.fields);
    }
    if (structured.size() == 1) {
        path.push_back(structured.front()->name);
        return find_single_record(schemas, *structured.front(), path, operation, depth + 1);
    }
    return Status();
}

// The record is the repeated element below the response, wherever it sits; the scalar leaves
// on the way down (total, page number, "has more") are page metadata, never the record. With
// two or more repeated elements the operation is ambiguous: a dataset must name one.
Status find_record(const SchemaSet& schemas,
                   const ElementDecl& decl,
                   std::vector<QName> path,
                   Operation& operation,
                   int depth) {
    std::vector<PageField> leaves;
    FERRY_RETURN_IF_ERROR(collect_shapes(schemas, decl, path, leaves, operation, depth));
    std::vector<const ElementShape*> lists;
    for (const ElementShape& shape : operation.shapes) {
        if (shape.repeated) {
            lists.push_back(&shape);
        }
    }
    if (lists.size() == 1) {
        operation.record_path = lists.front()->path;
        operation.repeated = true;
        operation.fields = lists.front()->fields;
        operation.page_fields = lists.front()->page_fields;
        return Status();
    }
    if (lists.size() > 1) {
        for (const ElementShape* list : lists) {
            operation.ambiguous_records.push_back(list->path);
        }
        return Status();
    }
    return find_single_record(schemas, decl, path, operation, depth);
}

Status describe_operation(const Definitions& defs,
                          const xmlNode* binding_op,
                          const xmlNode* port_type,
                          std::string_view default_style,
                          Operation& operation) {
    SoapVersion version = operation.version;
    if (const xmlNode* soap_op = soap_child(binding_op, "operation", &version)) {
        operation.soap_action = attribute(soap_op, "soapAction").value_or("");
        operation.rpc = attribute(soap_op, "style").value_or(std::string(default_style)) == "rpc";
    } else {
        operation.rpc = default_style == "rpc";
    }
    std::string body_namespace;
    if (const xmlNode* input = first_child(binding_op, kWsdlNamespace, "input")) {
        if (const xmlNode* body = soap_child(input, "body", nullptr)) {
            body_namespace = attribute(body, "namespace").value_or("");
            if (attribute(body, "use").value_or("literal") == "encoded") {
                // rpc/encoded: the parts are written without xsi:type, which old servers accept.
                operation.rpc = true;
            }
        }
    }
    const xmlNode* abstract = nullptr;
    for_each_child(port_type, kWsdlNamespace, "operation", [&](const xmlNode* candidate) {
        if (attribute(candidate, "name") == operation.name) {
            abstract = candidate;
        }
    });
    if (abstract == nullptr) {
        return Status::data("binding operation \"" + operation.name + "\" is not in its portType");
    }
    std::vector<Part> inputs;
    std::vector<Part> outputs;
    if (const xmlNode* input = first_child(abstract, kWsdlNamespace, "input")) {
        FERRY_ASSIGN_OR_RETURN(inputs, message_parts(defs, input));
    }
    if (const xmlNode* output = first_child(abstract, kWsdlNamespace, "output")) {
        FERRY_ASSIGN_OR_RETURN(outputs, message_parts(defs, output));
    }
    const SchemaSet& schemas = defs.schemas;
    if (!operation.rpc) {
        if (inputs.size() == 1 && inputs.front().element) {
            FERRY_ASSIGN_OR_RETURN(ElementDecl request,
                                   schemas.global_element(*inputs.front().element));
            operation.request_element = request.name;
            FERRY_ASSIGN_OR_RETURN(std::vector<ElementDecl> params,
                                   schemas.children(request.complex_type));
            for (const ElementDecl& param : params) {
                operation.parameters.push_back(
                    {param.name, param.type.local, !param.optional && !param.nillable});
            }
        }
        if (outputs.size() == 1 && outputs.front().element) {
            FERRY_ASSIGN_OR_RETURN(ElementDecl response,
                                   schemas.global_element(*outputs.front().element));
            FERRY_RETURN_IF_ERROR(find_record(schemas, response, {response.name}, operation, 0));
        }
        return Status();
    }
    // rpc: the wrapper is the operation name in the soap:body namespace; parts are unqualified
    // children. The response wrapper is "<operation>Response".
    operation.request_element = QName{body_namespace, operation.name};
    for (const Part& part : inputs) {
        operation.parameters.push_back(
            {QName{"", part.name}, part.type ? part.type->local : std::string(), false});
    }
    const std::vector<QName> wrapper{QName{body_namespace, operation.name + "Response"}};
    for (const Part& part : outputs) {
        if (!part.type || part.type->ns == kXsdNamespace) {
            continue; // a scalar return value is not a record
        }
        FERRY_ASSIGN_OR_RETURN(ElementDecl decl,
                               schemas.typed_element(QName{"", part.name}, *part.type));
        std::vector<QName> path = wrapper;
        path.push_back(decl.name);
        FERRY_RETURN_IF_ERROR(find_record(schemas, decl, path, operation, 1));
        if (!operation.record_path.empty() || !operation.ambiguous_records.empty()) {
            break;
        }
    }
    return Status();
}

} // namespace

Result<Service>
import_wsdl(std::string_view text, const std::string& location, const WsdlOptions& options) {
    const std::string name = location.empty() ? std::string("WSDL from the endpoint") : location;
    FERRY_ASSIGN_OR_RETURN(XmlDocPtr doc, parse_document(text, name));
    Definitions defs;
    FERRY_RETURN_IF_ERROR(load_definitions(std::move(doc), location, defs, 0));

    // Choose the port: the requested SOAP version, else SOAP 1.1, else the first SOAP port.
    const xmlNode* chosen_binding = nullptr;
    SoapVersion chosen_version = SoapVersion::Soap11;
    std::string endpoint;
    int best = -1;
    for (const xmlNode* root : defs.roots) {
        for_each_child(root, kWsdlNamespace, "service", [&](const xmlNode* service) {
            for_each_child(service, kWsdlNamespace, "port", [&](const xmlNode* port) {
                SoapVersion version = SoapVersion::Soap11;
                const xmlNode* address = soap_child(port, "address", &version);
                if (address == nullptr) {
                    return; // an HTTP GET/POST binding
                }
                const QName binding_name =
                    resolve_qname(port, attribute(port, "binding").value_or(""));
                const xmlNode* binding = find_definition(defs, "binding", binding_name);
                if (binding == nullptr) {
                    return;
                }
                const int score = options.version ? (version == *options.version ? 2 : 0)
                                                  : (version == SoapVersion::Soap11 ? 2 : 1);
                if (score > best) {
                    best = score;
                    chosen_binding = binding;
                    chosen_version = version;
                    endpoint = attribute(address, "location").value_or("");
                }
            });
        });
    }
    if (chosen_binding == nullptr || (options.version && best < 2)) {
        return Status::not_found(name + ": no SOAP " +
                                 std::string(options.version == SoapVersion::Soap12 ? "1.2 " : "") +
                                 "port with a binding in the WSDL");
    }
    SoapVersion binding_version = chosen_version;
    const xmlNode* soap_binding = soap_child(chosen_binding, "binding", &binding_version);
    const std::string default_style =
        soap_binding ? attribute(soap_binding, "style").value_or("document") : "document";
    const QName port_type_name =
        resolve_qname(chosen_binding, attribute(chosen_binding, "type").value_or(""));
    const xmlNode* port_type = find_definition(defs, "portType", port_type_name);
    if (port_type == nullptr) {
        return Status::data(name + ": binding names an unknown portType \"" + port_type_name.local +
                            "\"");
    }

    Service service;
    service.target_namespace = attribute(defs.roots.front(), "targetNamespace").value_or("");
    service.endpoint = endpoint;
    Status status;
    for_each_child(chosen_binding, kWsdlNamespace, "operation", [&](const xmlNode* binding_op) {
        if (!status.ok()) {
            return;
        }
        Operation operation;
        operation.name = attribute(binding_op, "name").value_or("");
        operation.version = chosen_version;
        status = describe_operation(defs, binding_op, port_type, default_style, operation)
                     .with_context("operation \"" + operation.name + "\"");
        service.operations.push_back(std::move(operation));
    });
    FERRY_RETURN_IF_ERROR(status);
    return service;
}

Result<Service> import_wsdl_file(const std::string& path, const WsdlOptions& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Status::not_found("cannot open WSDL file " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return import_wsdl(text.str(), path, options);
}

} // namespace ferry::soap
