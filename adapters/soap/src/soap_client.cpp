// SPDX-License-Identifier: Apache-2.0
// soap_client.cpp — one attempt of one SOAP call, and what its outcome means.
#include "soap_client.h"

#include <algorithm>
#include <thread>

#include "request_builder.h"

namespace ferry::soap {

SoapClient::SoapClient(ClientOptions options,
                       std::shared_ptr<CircuitBreaker> breaker,
                       std::unique_ptr<HttpTransport> transport)
    : options_(std::move(options))
    , breaker_(std::move(breaker))
    , transport_(std::move(transport)) {}

Result<std::unique_ptr<SoapClient>> SoapClient::create(const ClientOptions& options,
                                                       std::shared_ptr<CircuitBreaker> breaker) {
    FERRY_ASSIGN_OR_RETURN(std::unique_ptr<HttpTransport> transport,
                           HttpTransport::create(options.transport));
    return std::unique_ptr<SoapClient>(
        new SoapClient(options, std::move(breaker), std::move(transport)));
}

void SoapClient::report(bool healthy) {
    if (healthy) {
        breaker_->record_success();
    } else {
        breaker_->record_failure();
    }
}

Result<std::unique_ptr<ResponseParser>> SoapClient::attempt(const Operation& operation,
                                                            const ResponseLayout& layout,
                                                            const std::string& body) {
    if (!breaker_->allow()) {
        return Status::unavailable("circuit breaker open after repeated failures of " +
                                   transport_->endpoint() + ": failing fast until it cools down")
            .with_location(operation.name);
    }
    const std::string header =
        options_.ws_security ? security_header(*options_.ws_security, kEnvelopePrefix) : "";
    const std::string envelope = build_envelope(operation.version, header, body);
    std::vector<std::pair<std::string, std::string>> headers;
    std::string content_type;
    if (operation.version == SoapVersion::Soap12) {
        content_type =
            "application/soap+xml; charset=utf-8; action=\"" + operation.soap_action + "\"";
    } else {
        content_type = "text/xml; charset=utf-8";
        headers.emplace_back("SOAPAction", "\"" + operation.soap_action + "\"");
    }
    auto posted = transport_->post(envelope, content_type, headers);
    if (!posted.ok()) {
        report(false);
        return std::move(posted).status().with_context("calling " + operation.name);
    }
    std::shared_ptr<HttpResponse> response = std::move(*posted);
    const int status = response->status();
    const bool xml = response->content_type().find("xml") != std::string::npos;
    if (status / 100 == 2 || (status == 500 && xml)) {
        if (status / 100 == 2) {
            report(true);
        }
        const std::string where = operation.name + " response from " + transport_->endpoint();
        // The HTTP charset wins over the XML declaration (RFC 7303); legacy servers send GBK.
        std::string charset;
        if (const auto at = response->content_type().find("charset="); at != std::string::npos) {
            charset = response->content_type().substr(at + 8);
            charset = charset.substr(0, charset.find_first_of("; "));
            if (!charset.empty() && (charset.front() == '"' || charset.front() == '\'')) {
                charset = charset.substr(1, charset.size() > 2 ? charset.size() - 2 : 0);
            }
        }
        FERRY_ASSIGN_OR_RETURN(
            std::unique_ptr<XmlReader> reader,
            XmlReader::open(
                [response](char* buffer, std::size_t size) { return response->read(buffer, size); },
                where, options_.limits, charset));
        auto parser = std::make_unique<ResponseParser>(layout, std::move(reader));
        parser->set_http_status(status);
        return parser;
    }
    const std::string what = "HTTP " + std::to_string(status) + " " + response->reason() +
                             " from " + transport_->endpoint() + " calling " + operation.name;
    (void)response->read_all(4096); // drain a small error body so the connection can be reused
    if (status >= 500 || status == 429 || status == 408) {
        report(false);
        if (const auto wait = response->retry_after_seconds(); wait && *wait > 0) {
            // Honour Retry-After, but never wait longer than the backoff policy's ceiling.
            std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
                std::chrono::seconds(*wait), options_.retry.max));
        }
        return Status::unavailable(what).with_native_code(status);
    }
    report(true);
    if (status == 401 || status == 403) {
        return Status::unauthorized(what).with_native_code(status);
    }
    if (status == 404) {
        return Status::not_found(what).with_native_code(status);
    }
    return Status::invalid_argument(what).with_native_code(status);
}

Status SoapClient::fault_status(const SoapFault& fault, const std::string& operation) const {
    const std::string message = operation + ": " + fault.to_string();
    for (const std::string& code : options_.retryable_faults) {
        if (fault.code == code || fault.code.rfind(code + ".", 0) == 0 ||
            fault.code.rfind(code + "/", 0) == 0) {
            return Status::unavailable(message);
        }
    }
    if (fault.code.rfind("Client", 0) == 0 || fault.code.rfind("Sender", 0) == 0) {
        return Status::invalid_argument(message);
    }
    return Status::data(message);
}

} // namespace ferry::soap
