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
};

struct Service {
    std::string target_namespace;
    std::string endpoint; ///< soap:address of the chosen port
    std::vector<Operation> operations;

    const Operation* find(std::string_view name) const;
};

} // namespace ferry::soap
