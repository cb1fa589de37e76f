// SPDX-License-Identifier: Apache-2.0
// registry_wsdl.h — the sample registry's WSDL (document/literal, SOAP 1.1).
#pragma once

#include <string>

namespace ferry::samples {

inline constexpr const char* kRegistryNamespace = "urn:ferry:sample:legacy-registry";

/// The WSDL with `address` as the port's soap:address.
std::string registry_wsdl(const std::string& address);

} // namespace ferry::samples
