// SPDX-License-Identifier: Apache-2.0
// soap_request.h — what the sample registry needs from an incoming SOAP 1.1 request: the
// operation, its simple parameters and a WS-Security UsernameToken.
#pragma once

#include <map>
#include <string>

namespace ferry::samples {

struct SoapRequest {
    std::string operation;                     ///< local name of the Body's first element
    std::map<std::string, std::string> values; ///< its children's text, by local name
    std::string username;
    std::string password;
    std::string password_type; ///< "...#PasswordText" or "...#PasswordDigest"
    std::string nonce;         ///< base64, as sent
    std::string created;
};

/// Parses `body` (no DTD, no network); returns "" or what is wrong.
std::string parse_soap_request(const std::string& body, SoapRequest& out);

/// Checks the UsernameToken against the expected user and password; "" when it matches.
std::string check_username_token(const SoapRequest& request,
                                 const std::string& user,
                                 const std::string& password);

} // namespace ferry::samples
