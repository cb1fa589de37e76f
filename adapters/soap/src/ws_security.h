// SPDX-License-Identifier: Apache-2.0
// ws_security.h — the WS-Security UsernameToken header (OASIS WSS 1.0 UsernameToken Profile),
// with the password as text or as a digest: Base64(SHA-1(nonce + created + password)).
#pragma once

#include <string>

namespace ferry::soap {

struct UsernameToken {
    std::string username;
    std::string password;
    bool digest = false;
};

/// The <wsse:Security> header for one request. `nonce` is raw bytes (16 random ones in
/// production), `created` an xs:dateTime in UTC ("2026-11-29T20:00:00Z").
std::string security_header(const UsernameToken& token,
                            const std::string& nonce,
                            const std::string& created,
                            const char* envelope_prefix);

/// The same with a fresh random nonce and the current time.
std::string security_header(const UsernameToken& token, const char* envelope_prefix);

/// Base64(SHA-1(nonce + created + password)), the PasswordDigest value.
std::string
password_digest(const std::string& nonce, const std::string& created, const std::string& password);

} // namespace ferry::soap
