// SPDX-License-Identifier: Apache-2.0
// xsd_schema.cpp — indexing schemas, resolving element declarations, flattening records.
#include "xsd_schema.h"

#include <algorithm>

#include "type_mapping.h"

namespace ferry::soap {

namespace {

constexpr int kMaxNesting = 32; // guards against recursive type definitions

std::pair<std::string, std::string> key(const QName& name) {
    return {name.ns, name.local};
}

const xmlNode* schema_root(const xmlNode* node) {
    while (node != nullptr && !is_element(node, kXsdNamespace, "schema")) {
        node = node->parent;
    }
    return node;
}

std::string target_namespace(const xmlNode* node) {
    const xmlNode* root = schema_root(node);
    return root ? attribute(root, "targetNamespace").value_or("") : std::string();
}

template <typename Visit>
void for_each_xsd_child(const xmlNode* parent, Visit&& visit) {
    for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
        if (child->type == XML_ELEMENT_NODE && node_ns(child) == kXsdNamespace) {
            visit(child);
        }
    }
}

} // namespace

Status SchemaSet::add_schema(const xmlNode* schema, const std::string& base_path) {
    const std::string tns = attribute(schema, "targetNamespace").value_or("");
    Status status;
    for_each_xsd_child(schema, [&](const xmlNode* child) {
        if (!status.ok()) {
            return;
        }
        const std::string name = attribute(child, "name").value_or("");
        const std::string_view kind = node_name(child);
        if (kind == "element") {
            elements_[{tns, name}] = child;
        } else if (kind == "complexType") {
            complex_types_[{tns, name}] = child;
        } else if (kind == "simpleType") {
            simple_types_[{tns, name}] = child;
        } else if (kind == "include" || kind == "import" || kind == "redefine") {
            const auto location = attribute(child, "schemaLocation");
            if (!location) {
                return; // an import of a namespace defined elsewhere in the WSDL
            }
            auto path = resolve_local_location(base_path, *location);
            if (!path.ok()) {
                status = path.status();
                return;
            }
            if (std::find(loaded_paths_.begin(), loaded_paths_.end(), *path) !=
                loaded_paths_.end()) {
                return;
            }
            loaded_paths_.push_back(*path);
            auto doc = load_local_document(*path);
            if (!doc.ok()) {
                status = std::move(doc).status().with_context("schema " + std::string(kind) +
                                                              " from " + base_path);
                return;
            }
            const xmlNode* root = xmlDocGetRootElement(doc->get());
            keep(std::move(*doc));
            if (!is_element(root, kXsdNamespace, "schema")) {
                status = Status::data(*path + " is not an XML Schema document");
                return;
            }
            status = add_schema(root, *path);
        }
    });
    return status;
}

Result<ElementDecl> SchemaSet::global_element(const QName& name) const {
    const auto found = elements_.find(key(name));
    if (found == elements_.end()) {
        return Status::not_found("no global element {" + name.ns + "}" + name.local +
                                 " in the WSDL's schemas");
    }
    return declare(found->second);
}

Result<ElementDecl> SchemaSet::typed_element(const QName& name, const QName& type) const {
    ElementDecl decl;
    decl.name = name;
    decl.type = type;
    decl.optional = true;
    if (const auto complex = complex_types_.find(key(type)); complex != complex_types_.end()) {
        decl.complex_type = complex->second;
    } else if (const auto simple = simple_types_.find(key(type)); simple != simple_types_.end()) {
        decl.simple_type = simple->second;
    } else if (type.ns != kXsdNamespace) {
        return Status::not_found("unknown type {" + type.ns + "}" + type.local);
    }
    return decl;
}

Result<ElementDecl> SchemaSet::declare(const xmlNode* element) const {
    if (const auto ref = attribute(element, "ref")) {
        FERRY_ASSIGN_OR_RETURN(ElementDecl decl, global_element(resolve_qname(element, *ref)));
        decl.repeated = attribute(element, "maxOccurs").value_or("1") != "1";
        decl.optional = attribute(element, "minOccurs").value_or("1") == "0";
        return decl;
    }
    ElementDecl decl;
    decl.name.local = attribute(element, "name").value_or("");
    const bool global = is_element(element->parent, kXsdNamespace, "schema");
    const xmlNode* root = schema_root(element);
    const std::string form =
        attribute(element, "form")
            .value_or(root ? attribute(root, "elementFormDefault").value_or("unqualified")
                           : "unqualified");
    if (global || form == "qualified") {
        decl.name.ns = target_namespace(element);
    }
    decl.repeated = attribute(element, "maxOccurs").value_or("1") != "1";
    decl.optional = attribute(element, "minOccurs").value_or("1") == "0";
    decl.nillable = attribute(element, "nillable").value_or("false") == "true";
    if (const auto type = attribute(element, "type")) {
        decl.type = resolve_qname(element, *type);
        if (decl.type.ns != kXsdNamespace) {
            if (const auto complex = complex_types_.find(key(decl.type));
                complex != complex_types_.end()) {
                decl.complex_type = complex->second;
            } else if (const auto simple = simple_types_.find(key(decl.type));
                       simple != simple_types_.end()) {
                decl.simple_type = simple->second;
            } else {
                return Status::not_found("element \"" + decl.name.local + "\": unknown type {" +
                                         decl.type.ns + "}" + decl.type.local);
            }
        }
    } else {
        for_each_xsd_child(element, [&](const xmlNode* child) {
            if (node_name(child) == "complexType") {
                decl.complex_type = child;
            } else if (node_name(child) == "simpleType") {
                decl.simple_type = child;
            }
        });
    }
    return decl;
}

Status SchemaSet::collect_particles(const xmlNode* group,
                                    bool in_choice,
                                    std::vector<ElementDecl>& out,
                                    int depth) const {
    if (depth > kMaxNesting) {
        return Status::data("XML Schema nested deeper than " + std::to_string(kMaxNesting) +
                            " levels (recursive type?)");
    }
    Status status;
    for_each_xsd_child(group, [&](const xmlNode* child) {
        if (!status.ok()) {
            return;
        }
        const std::string_view kind = node_name(child);
        if (kind == "element") {
            auto decl = declare(child);
            if (!decl.ok()) {
                status = decl.status();
                return;
            }
            decl->optional = decl->optional || in_choice;
            out.push_back(std::move(*decl));
        } else if (kind == "sequence" || kind == "all" || kind == "choice") {
            status = collect_particles(child, in_choice || kind == "choice", out, depth + 1);
        } else if (kind == "complexContent") {
            for_each_xsd_child(child, [&](const xmlNode* derivation) {
                if (!status.ok()) {
                    return;
                }
                if (const auto base = attribute(derivation, "base")) {
                    const auto found = complex_types_.find(key(resolve_qname(derivation, *base)));
                    if (found != complex_types_.end() && node_name(derivation) == "extension") {
                        status = collect_particles(found->second, in_choice, out, depth + 1);
                    }
                }
                if (status.ok()) {
                    status = collect_particles(derivation, in_choice, out, depth + 1);
                }
            });
        }
    });
    return status;
}

Result<std::vector<ElementDecl>> SchemaSet::children(const xmlNode* complex_type) const {
    std::vector<ElementDecl> out;
    if (complex_type != nullptr) {
        FERRY_RETURN_IF_ERROR(collect_particles(complex_type, false, out, 0));
    }
    return out;
}

Status SchemaSet::leaf_type(const ElementDecl& decl, RecordField& field) const {
    Facets facets;
    const xmlNode* simple = decl.simple_type;
    QName base = decl.type;
    for (int hops = 0; simple != nullptr && hops < kMaxNesting; ++hops) {
        const xmlNode* restriction = nullptr;
        for_each_xsd_child(simple, [&](const xmlNode* child) {
            if (node_name(child) == "restriction") {
                restriction = child;
            }
        });
        if (restriction == nullptr) { // xs:list or xs:union: kept as text
            base = QName{std::string(kXsdNamespace), "string"};
            break;
        }
        for_each_xsd_child(restriction, [&](const xmlNode* facet) {
            const std::string value = attribute(facet, "value").value_or("");
            if (node_name(facet) == "totalDigits" && !facets.total_digits) {
                facets.total_digits = std::atoi(value.c_str());
            } else if (node_name(facet) == "fractionDigits" && !facets.fraction_digits) {
                facets.fraction_digits = std::atoi(value.c_str());
            }
        });
        base = resolve_qname(restriction, attribute(restriction, "base").value_or("xs:string"));
        simple = nullptr;
        if (base.ns != kXsdNamespace) {
            const auto found = simple_types_.find(key(base));
            if (found == simple_types_.end()) {
                return Status::not_found("unknown simple type {" + base.ns + "}" + base.local);
            }
            simple = found->second;
        }
    }
    map_builtin_type(base.ns == kXsdNamespace ? base.local : "string", facets, field);
    return Status();
}

Status SchemaSet::flatten(const ElementDecl& decl,
                          std::vector<std::string>& path,
                          std::vector<RecordField>& out,
                          int depth) const {
    if (depth > kMaxNesting) {
        return Status::data("record type nested deeper than " + std::to_string(kMaxNesting));
    }
    FERRY_ASSIGN_OR_RETURN(std::vector<ElementDecl> parts, children(decl.complex_type));
    for (const ElementDecl& part : parts) {
        if (part.repeated) {
            continue; // a list inside a record is not a column; it can be its own dataset
        }
        path.push_back(part.name.local);
        if (part.complex_type != nullptr) {
            FERRY_RETURN_IF_ERROR(flatten(part, path, out, depth + 1));
        } else {
            RecordField field;
            for (const std::string& step : path) {
                field.name += (field.name.empty() ? "" : "_") + step;
            }
            field.path = path;
            field.nullable = part.optional || part.nillable || depth > 0;
            FERRY_RETURN_IF_ERROR(leaf_type(part, field));
            out.push_back(std::move(field));
        }
        path.pop_back();
    }
    return Status();
}

Status SchemaSet::record_fields(const ElementDecl& record, std::vector<RecordField>& out) const {
    std::vector<std::string> path;
    return flatten(record, path, out, 0);
}

} // namespace ferry::soap
