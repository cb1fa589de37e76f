// SPDX-License-Identifier: Apache-2.0
// http_transport.h — one keep-alive HTTP(S) connection to the service endpoint (Poco::Net), with
// timeouts, basic auth and client TLS certificates. One attempt per call: retries, the circuit
// breaker and SOAP semantics live in SoapClient.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ferry/result.h"

namespace Poco::Net {
class HTTPClientSession;
} // namespace Poco::Net

namespace ferry::soap {

struct TransportOptions {
    std::string endpoint; ///< http://host:port/path or https://…
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds receive_timeout{60'000};
    std::string basic_user;
    std::string basic_password;
    std::string tls_certificate; ///< PEM client certificate (optional)
    std::string tls_private_key; ///< PEM key of that certificate
    std::string tls_ca;          ///< PEM CA file or directory (empty: system default)
    bool tls_verify = true;
};

class HttpTransport;

/// An open response whose body is read incrementally. Reading past a connection that closed
/// early, or timing out, is Unavailable (transient). Destroying it before the end drops the
/// connection, so the next request starts on a fresh one.
class HttpResponse {
public:
    HttpResponse(HttpTransport& transport,
                 std::istream& body,
                 int status,
                 std::string reason,
                 std::string content_type,
                 std::optional<std::int64_t> content_length,
                 std::optional<int> retry_after_seconds);
    ~HttpResponse();
    HttpResponse(const HttpResponse&) = delete;
    HttpResponse& operator=(const HttpResponse&) = delete;

    int status() const noexcept { return status_; }

    const std::string& reason() const noexcept { return reason_; }

    const std::string& content_type() const noexcept { return content_type_; }

    std::optional<int> retry_after_seconds() const noexcept { return retry_after_; }

    /// The body's length as the headers declare it (none for a chunked body).
    std::optional<std::int64_t> content_length() const noexcept { return content_length_; }

    /// Up to `size` bytes of the body; 0 at its end.
    Result<std::size_t> read(char* buffer, std::size_t size);
    /// The rest of the body (for small error bodies), at most `limit` bytes.
    Result<std::string> read_all(std::size_t limit);

private:
    HttpTransport& transport_;
    std::istream& body_;
    int status_;
    std::string reason_;
    std::string content_type_;
    std::optional<std::int64_t> content_length_;
    std::optional<int> retry_after_;
    std::int64_t received_ = 0;
    bool finished_ = false;
};

class HttpTransport {
public:
    static Result<std::unique_ptr<HttpTransport>> create(const TransportOptions& options);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    /// POSTs `body` to the endpoint. Connection failures and timeouts are Unavailable; any
    /// HTTP status is returned as a response for the caller to judge.
    Result<std::unique_ptr<HttpResponse>>
    post(const std::string& body,
         const std::string& content_type,
         const std::vector<std::pair<std::string, std::string>>& headers);
    /// GETs a document from the endpoint's host (the WSDL); 2xx only, at most `limit` bytes.
    Result<std::string> get(const std::string& url, std::size_t limit);

    const std::string& endpoint() const noexcept { return options_.endpoint; }

    /// Drops the connection (after an abandoned or broken response).
    void reset() noexcept;

private:
    explicit HttpTransport(TransportOptions options);
    Status connect_session();

    TransportOptions options_;
    std::string path_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

} // namespace ferry::soap
