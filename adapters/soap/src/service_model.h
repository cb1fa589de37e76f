// SPDX-License-Identifier: Apache-2.0
// service_model.h — what a WSDL says about a service, in the terms the adapter needs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ferry/data_type.h"

namespace ferry::soap {

enum class SoapVersion { Soap11, Soap12 };

const char* envelope_namespace(SoapVersion version) noexcept;

/// A namespace-qualified XML name; an empty ns is "no namespace".
struct QName {
    std::string ns;
    std::string local;

    friend bool operator==(const QName&, const QName&) = default;
};

/// How the text of one leaf element becomes a typed cell.
enum class ValueKind { Text, Bool, Int64, Decimal, Date, DateTime, Base64, Hex };

/// One column of a record: a leaf element (nested structures flatten to "parent_child").
struct RecordField {
    std::string name;              ///< column name
    std::vector<std::string> path; ///< local names below the record element
    std::string source_type;       ///< "xs:decimal(18,2)", for discovery
    DataType type = DataType::utf8();
    ValueKind kind = ValueKind::Text;
    bool nullable = true;
};

/// What a scalar element beside the records tells a pager or the reconciliation.
enum class PageRole { None, Total, PageCount, HasMore, IsLast };

/// A scalar element outside the records (a page's TotalCount, PageNo, HasMore).
struct PageField {
    std::vector<QName> path; ///< from the Body's first child, like a record path
    PageRole role = PageRole::None;
};

/// A structured element below an operation's response: what record_path can name.
struct ElementShape {
    std::vector<QName> path;
    bool repeated = false;              ///< maxOccurs > 1: a list of records
    std::vector<RecordField> fields;    ///< its leaves, flattened
    std::vector<PageField> page_fields; ///< the scalar leaves of the elements above it
};

/// One input parameter of an operation (a child of the request wrapper).
struct Parameter {
    QName name; ///< ns is empty for unqualified (elementFormDefault="unqualified") children
    std::string xsd_type;
    bool required = false;
};

struct Operation {
    std::string name;
    std::string soap_action;
    bool rpc = false;
    SoapVersion version = SoapVersion::Soap11;
    QName request_element; ///< document: the input part's element; rpc: operation name + ns
    std::vector<Parameter> parameters;
    /// From the Body's first child down to the record element (each step namespace-qualified).
    std::vector<QName> record_path;
    bool repeated = false; ///< the record element repeats (a list) rather than occurs once
    std::vector<RecordField> fields;
    /// The scalar leaves beside the record list (its page's total, number, size, "has more").
    std::vector<PageField> page_fields;
    /// Every structured element below the response, down to the first repeated ones.
    std::vector<ElementShape> shapes;
    /// Set when more than one repeated element could hold the records: their paths. Such an
    /// operation has no record_path until a dataset names one.
    std::vector<std::vector<QName>> ambiguous_records;

    /// The shape at `path` (local names; a step's ns, when set, must match too), or nullptr.
    const ElementShape* shape_at(const std::vector<QName>& path) const;
};

/// "a/b/c" of a path's local names.
std::string path_text(const std::vector<QName>& path);
/// The role a leaf's name gives it ("TotalCount" -> Total, "hasMore" -> HasMore).
PageRole page_role(std::string_view local_name);
const char* to_string(PageRole role) noexcept;

struct Service {
    std::string target_namespace;
    std::string endpoint; ///< soap:address of the chosen port
    std::vector<Operation> operations;

    const Operation* find(std::string_view name) const;
};

} // namespace ferry::soap
