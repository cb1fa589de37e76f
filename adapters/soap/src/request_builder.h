// SPDX-License-Identifier: Apache-2.0
// request_builder.h — SOAP request envelopes: from the WSDL's input element and parameter
// values, or from a configured body template with ${name} placeholders.
#pragma once

#include <map>
#include <string>

#include "ferry/result.h"

#include "service_model.h"

namespace ferry::soap {

using ParameterValues = std::map<std::string, std::string>;

/// The Body's content for `operation`: its request wrapper with one child per parameter that
/// has a value, in WSDL order. A parameter the WSDL does not declare is InvalidArgument.
Result<std::string> build_body(const Operation& operation, const ParameterValues& values);

/// Expands ${name} in `body_template` with XML-escaped values; an unknown name is an error.
Result<std::string> expand_template(const std::string& body_template,
                                    const ParameterValues& values);

/// The complete envelope around `body`, with `header` (may be empty) in soap:Header.
std::string build_envelope(SoapVersion version, const std::string& header, const std::string& body);

/// The envelope's namespace prefix used by build_envelope ("soapenv").
inline constexpr const char* kEnvelopePrefix = "soapenv";

} // namespace ferry::soap
