// SPDX-License-Identifier: Apache-2.0
// soap_client.h — one SOAP call attempt: envelope + WS-Security header, the HTTP exchange, a
// circuit breaker in front, and the judgement of what came back (transient or final).
#pragma once

#include <functional>
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
    /// Fault codes retried besides the server-side ones (Server…, Receiver…), compared without
    /// their namespace prefix; a code matches itself and its dotted or "/" subcodes.
    std::vector<std::string> retryable_faults;
    /// Fault codes never retried, even server-side ones ("Server.Database" for a fault that says
    /// the data itself is wrong). Wins over retryable_faults.
    std::vector<std::string> final_faults;
    std::optional<UsernameToken> ws_security;
    XmlLimits limits;
};

/// The status line and headers of an answer, as the judgement of it needs them.
struct Answer {
    int status = 0;
    std::string reason;
    std::string content_type;
    std::optional<int> retry_after_seconds;
};

/// A whole answer read into memory: a page fetched ahead on another thread.
struct FetchedResponse {
    Answer answer;
    std::string body;
};

/// Not thread-safe (one per stream, or per thread fetching ahead); the breaker is shared by all
/// clients of a source.
class SoapClient {
public:
    static Result<std::unique_ptr<SoapClient>> create(const ClientOptions& options,
                                                      std::shared_ptr<CircuitBreaker> breaker);

    /// Sends one request (no retry). On success the parser is positioned before the first
    /// record; the response streams in as the parser pulls. An XML answer with an error status
    /// (a SOAP 1.1 fault comes with 500, a SOAP 1.2 fault with 400 or 500) is parsed too: the
    /// parser finds the fault, and http_failure() says what the status alone would mean.
    /// Transient failures (connection, timeout, HTTP 5xx without a SOAP fault, an open circuit)
    /// are Unavailable.
    Result<std::unique_ptr<ResponseParser>>
    attempt(const Operation& operation, const ResponseLayout& layout, const std::string& body);

    /// Sends one request and reads its whole answer into memory, without judging it (a page
    /// fetched ahead; parse() judges it later, on the stream's thread). Transport failures only.
    Result<FetchedResponse> fetch(const Operation& operation, const std::string& body);
    /// What attempt() returns, over an answer fetch() read.
    Result<std::unique_ptr<ResponseParser>>
    parse(const Operation& operation, const ResponseLayout& layout, FetchedResponse fetched);

    /// What a fault means: Unavailable for a server-side code (Server…, Receiver…) or one in
    /// retryable_faults, unless final_faults names it; InvalidArgument for a client fault
    /// (Client…, Sender…, VersionMismatch, MustUnderstand); Data otherwise. The message carries
    /// code, reason and detail.
    Status fault_status(const SoapFault& fault, const std::string& operation) const;

    /// Tells the breaker how a call that returned a parser ended.
    void report(bool healthy);

    const ClientOptions& options() const noexcept { return options_; }

    /// Another client with the same options and circuit breaker (for a thread fetching ahead).
    Result<std::unique_ptr<SoapClient>> sibling() const { return create(options_, breaker_); }

    HttpTransport& transport() noexcept { return *transport_; }

private:
    using OpenReader = std::function<Result<std::unique_ptr<XmlReader>>(
        std::string where, const std::string& charset)>;
    static Status status_failure(int status, const std::string& what);
    Result<std::shared_ptr<HttpResponse>> post(const Operation& operation, const std::string& body);
    Result<std::unique_ptr<ResponseParser>> judge(const Operation& operation,
                                                  const ResponseLayout& layout,
                                                  const Answer& answer,
                                                  const OpenReader& open_reader,
                                                  const std::function<void()>& drain);

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
