// SPDX-License-Identifier: Apache-2.0
// ws_security.cpp — UsernameToken headers (Poco's SHA-1, Base64 and random bytes).
#include "ws_security.h"

#include <sstream>

#include <Poco/Base64Encoder.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA1Engine.h>

#include "xml_reader.h"

namespace ferry::soap {

namespace {

constexpr const char* kWsse =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
constexpr const char* kWsu =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
constexpr const char* kProfile =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0";
constexpr const char* kBase64Binary =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#"
    "Base64Binary";

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

} // namespace

std::string
password_digest(const std::string& nonce, const std::string& created, const std::string& password) {
    Poco::SHA1Engine sha1;
    sha1.update(nonce);
    sha1.update(created);
    sha1.update(password);
    const Poco::DigestEngine::Digest& digest = sha1.digest();
    return base64(std::string(digest.begin(), digest.end()));
}

std::string security_header(const UsernameToken& token,
                            const std::string& nonce,
                            const std::string& created,
                            const char* envelope_prefix) {
    std::string out = "<wsse:Security xmlns:wsse=\"";
    out += kWsse;
    out += "\" xmlns:wsu=\"";
    out += kWsu;
    out += "\" ";
    out += envelope_prefix;
    out += ":mustUnderstand=\"1\"><wsse:UsernameToken><wsse:Username>";
    append_xml_escaped(out, token.username);
    out += "</wsse:Username><wsse:Password Type=\"";
    out += kProfile;
    out += token.digest ? "#PasswordDigest\">" : "#PasswordText\">";
    append_xml_escaped(out, token.digest ? password_digest(nonce, created, token.password)
                                         : token.password);
    out += "</wsse:Password><wsse:Nonce EncodingType=\"";
    out += kBase64Binary;
    out += "\">" + base64(nonce) + "</wsse:Nonce><wsu:Created>" + created +
           "</wsu:Created></wsse:UsernameToken></wsse:Security>";
    return out;
}

std::string security_header(const UsernameToken& token, const char* envelope_prefix) {
    std::string nonce(16, '\0');
    Poco::RandomInputStream random;
    random.read(nonce.data(), static_cast<std::streamsize>(nonce.size()));
    const std::string created =
        Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%dT%H:%M:%SZ");
    return security_header(token, nonce, created, envelope_prefix);
}

} // namespace ferry::soap
