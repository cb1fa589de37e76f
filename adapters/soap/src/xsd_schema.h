// SPDX-License-Identifier: Apache-2.0
// xsd_schema.h — the XML Schema subset WSDL services use: global elements, complex types
// (sequence / all / choice, complexContent extension), simple types with restriction facets;
// xs:include and xs:import resolved from local files only.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "xml_document.h"

namespace ferry::soap {

/// An element declaration, resolved: what it is called and what it holds.
struct ElementDecl {
    QName name;
    bool repeated = false; ///< maxOccurs > 1
    bool optional = false; ///< minOccurs = 0 or inside a choice
    bool nillable = false;
    const xmlNode* complex_type = nullptr; ///< non-null for structured content
    const xmlNode* simple_type = nullptr;  ///< a user simpleType, if any
    QName type;                            ///< the declared type name (may be empty)
};

class SchemaSet {
public:
    SchemaSet() = default;
    SchemaSet(const SchemaSet&) = delete;
    SchemaSet& operator=(const SchemaSet&) = delete;
    SchemaSet(SchemaSet&&) = default;
    SchemaSet& operator=(SchemaSet&&) = default;

    /// Keeps `doc` alive for the set's lifetime.
    void keep(XmlDocPtr doc) { documents_.push_back(std::move(doc)); }

    /// Indexes an xs:schema element found in a document located at `base_path` (for relative
    /// schemaLocation values), loading its includes and imports.
    Status add_schema(const xmlNode* schema, const std::string& base_path);

    Result<ElementDecl> global_element(const QName& name) const;
    /// A synthetic element `name` of named type `type` (rpc-style message parts).
    Result<ElementDecl> typed_element(const QName& name, const QName& type) const;
    /// The element children of a complex type, in document order (extensions: base first).
    Result<std::vector<ElementDecl>> children(const xmlNode* complex_type) const;
    /// Flattens the leaf elements below a record element into columns.
    Status record_fields(const ElementDecl& record, std::vector<RecordField>& out) const;

private:
    Result<ElementDecl> declare(const xmlNode* element) const;
    Status collect_particles(const xmlNode* group,
                             bool in_choice,
                             std::vector<ElementDecl>& out,
                             int depth) const;
    Status flatten(const ElementDecl& decl,
                   std::vector<std::string>& path,
                   std::vector<RecordField>& out,
                   int depth) const;
    Status leaf_type(const ElementDecl& decl, RecordField& field) const;

    std::vector<XmlDocPtr> documents_;
    std::map<std::pair<std::string, std::string>, const xmlNode*> elements_;
    std::map<std::pair<std::string, std::string>, const xmlNode*> complex_types_;
    std::map<std::pair<std::string, std::string>, const xmlNode*> simple_types_;
    std::vector<std::string> loaded_paths_;
};

} // namespace ferry::soap
