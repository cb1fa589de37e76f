// SPDX-License-Identifier: Apache-2.0
// soap_client.h — one SOAP call attempt: envelope + WS-Security header, the HTTP exchange, a
// circuit breaker in front, and the judgement of what came back (transient or final).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ferry/retry.h"

#include "http_transport.h"
#include "response_parser.h"
#include "ws_security.h"

namespace ferry::soap {

struct ClientOptions {
    TransportOptions transport;
    BackoffPolicy retry;
    std::vector<std::string> retryable_faults; ///< fault codes (without prefix) worth retrying
    std::optional<UsernameToken> ws_security;
    XmlLimits limits;
};

/// Not thread-safe (one per stream); the breaker is shared by all clients of a source.
class SoapClient {
public:
    static Result<std::unique_ptr<SoapClient>> create(const ClientOptions& options,
                                                      std::shared_ptr<CircuitBreaker> breaker);

    /// Sends one request (no retry). On success the parser is positioned before the first
    /// record; the response streams in as the parser pulls. Transient failures (connection,
    /// timeout, HTTP 5xx without a SOAP fault, an open circuit) are Unavailable.
    Result<std::unique_ptr<ResponseParser>>
    attempt(const Operation& operation, const ResponseLayout& layout, const std::string& body);

    /// What a fault means: Unavailable for a retryable code, InvalidArgument for a client
    /// fault (Client / Sender), Data otherwise. The message carries code, reason and detail.
    Status fault_status(const SoapFault& fault, const std::string& operation) const;

    /// Tells the breaker how a call that returned a parser ended.
    void report(bool healthy);

    const ClientOptions& options() const noexcept { return options_; }

    HttpTransport& transport() noexcept { return *transport_; }

private:
    SoapClient(ClientOptions options,
               std::shared_ptr<CircuitBreaker> breaker,
               std::unique_ptr<HttpTransport> transport);

    ClientOptions options_;
    std::shared_ptr<CircuitBreaker> breaker_;
    std::unique_ptr<HttpTransport> transport_;
};

/// True for the errors a retry may cure.
inline bool transient(const Status& status) {
    return status.code() == StatusCode::Unavailable;
}

} // namespace ferry::soap
