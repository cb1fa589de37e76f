// SPDX-License-Identifier: Apache-2.0
// wsdl_import.h — WSDL 1.1 (SOAP 1.1 and 1.2 bindings, document/literal and rpc style) to a
// Service: its operations, their parameters, and the typed records their responses carry.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ferry/result.h"

#include "service_model.h"

namespace ferry::soap {

struct WsdlOptions {
    /// Which binding to use when the service offers both; nullopt: SOAP 1.1 if present.
    std::optional<SoapVersion> version;
};

/// Imports a WSDL document. `location` names it in errors and is the base for relative
/// wsdl:import / xs:include / xs:import locations (local files only; a WSDL fetched from the
/// endpoint passes "" and may not import anything by location).
Result<Service>
import_wsdl(std::string_view text, const std::string& location, const WsdlOptions& options);

/// Reads and imports a local WSDL file.
Result<Service> import_wsdl_file(const std::string& path, const WsdlOptions& options);

} // namespace ferry::soap
