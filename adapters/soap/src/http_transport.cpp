// SPDX-License-Identifier: Apache-2.0
// http_transport.cpp — Poco HTTP(S) sessions: keep-alive, timeouts, TLS, streamed bodies.
#include "http_transport.h"

#include <istream>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

namespace ferry::soap {

namespace {

Poco::Timespan timespan(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

// Network trouble is transient; everything else from Poco is a permanent I/O problem.
Status from_poco(const Poco::Exception& error, const std::string& where) {
    const bool transient = dynamic_cast<const Poco::Net::NetException*>(&error) != nullptr ||
                           dynamic_cast<const Poco::TimeoutException*>(&error) != nullptr ||
                           dynamic_cast<const Poco::IOException*>(&error) != nullptr;
    Status status =
        transient ? Status::unavailable(error.displayText()) : Status::io(error.displayText());
    return std::move(status).with_location(where);
}

} // namespace

HttpResponse::HttpResponse(HttpTransport& transport,
                           std::istream& body,
                           int status,
                           std::string reason,
                           std::string content_type,
                           std::optional<std::int64_t> content_length,
                           std::optional<int> retry_after_seconds)
    : transport_(transport)
    , body_(body)
    , status_(status)
    , reason_(std::move(reason))
    , content_type_(std::move(content_type))
    , content_length_(content_length)
    , retry_after_(retry_after_seconds) {}

HttpResponse::~HttpResponse() {
    if (!finished_) {
        transport_.reset();
    }
}

Result<std::size_t> HttpResponse::read(char* buffer, std::size_t size) {
    if (finished_) {
        return std::size_t{0};
    }
    try {
        body_.read(buffer, static_cast<std::streamsize>(size));
        const auto got = static_cast<std::size_t>(body_.gcount());
        received_ += static_cast<std::int64_t>(got);
        if (got == 0) {
            if (content_length_ && received_ < *content_length_) {
                transport_.reset();
                finished_ = true;
                return Status::unavailable("connection closed after " + std::to_string(received_) +
                                           " of " + std::to_string(*content_length_) +
                                           " response bytes")
                    .with_location(transport_.endpoint());
            }
            finished_ = true;
        }
        return got;
    } catch (const Poco::Exception& error) {
        transport_.reset();
        finished_ = true;
        return from_poco(error, transport_.endpoint());
    }
}

Result<std::string> HttpResponse::read_all(std::size_t limit) {
    std::string out;
    char buffer[8192];
    while (out.size() < limit) {
        FERRY_ASSIGN_OR_RETURN(std::size_t got, read(buffer, sizeof buffer));
        if (got == 0) {
            break;
        }
        out.append(buffer, got);
    }
    return out;
}

HttpTransport::HttpTransport(TransportOptions options)
    : options_(std::move(options)) {}

HttpTransport::~HttpTransport() = default;

Result<std::unique_ptr<HttpTransport>> HttpTransport::create(const TransportOptions& options) {
    std::unique_ptr<HttpTransport> transport(new HttpTransport(options));
    FERRY_RETURN_IF_ERROR(transport->connect_session());
    return transport;
}

Status HttpTransport::connect_session() {
    try {
        const Poco::URI uri(options_.endpoint);
        if (uri.getScheme() != "http" && uri.getScheme() != "https") {
            return Status::invalid_argument("endpoint \"" + options_.endpoint +
                                            "\" is not an http:// or https:// URL");
        }
        path_ = uri.getPathEtc();
        if (path_.empty()) {
            path_ = "/";
        }
        if (uri.getScheme() == "https") {
            static const bool ssl_ready = [] {
                Poco::Net::initializeSSL();
                return true;
            }();
            (void)ssl_ready;
            // VERIFY_STRICT, not RELAXED: under RELAXED Poco skips the host name check for
            // loopback hosts, which would leave that check untestable and a tunnel unchecked.
            Poco::Net::Context::Ptr context(
                new Poco::Net::Context(Poco::Net::Context::CLIENT_USE, options_.tls_private_key,
                                       options_.tls_certificate, options_.tls_ca,
                                       options_.tls_verify ? Poco::Net::Context::VERIFY_STRICT
                                                           : Poco::Net::Context::VERIFY_NONE,
                                       9, options_.tls_ca.empty()));
            session_ = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(),
                                                                       context);
        } else {
            session_ = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        }
        session_->setKeepAlive(true);
        session_->setTimeout(timespan(options_.connect_timeout), timespan(options_.receive_timeout),
                             timespan(options_.receive_timeout));
        return Status();
    } catch (const Poco::Exception& error) {
        return Status::invalid_argument("endpoint \"" + options_.endpoint +
                                        "\": " + error.displayText());
    }
}

void HttpTransport::reset() noexcept {
    try {
        if (session_) {
            session_->reset();
        }
    } catch (...) { // a socket that cannot even be closed is closed anyway
    }
}

Result<std::unique_ptr<HttpResponse>>
HttpTransport::post(const std::string& body,
                    const std::string& content_type,
                    const std::vector<std::pair<std::string, std::string>>& headers) {
    try {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path_,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType(content_type);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.setKeepAlive(true);
        for (const auto& [name, value] : headers) {
            request.set(name, value);
        }
        if (!options_.basic_user.empty()) {
            Poco::Net::HTTPBasicCredentials(options_.basic_user, options_.basic_password)
                .authenticate(request);
        }
        std::ostream& out = session_->sendRequest(request);
        // Poco writes the headers and the body separately; without TCP_NODELAY the body waits
        // for the server's delayed ACK of the headers (up to 40 ms a request on keep-alive).
        session_->socket().setNoDelay(true);
        out.write(body.data(), static_cast<std::streamsize>(body.size()));
        Poco::Net::HTTPResponse response;
        std::istream& in = session_->receiveResponse(response);
        std::optional<std::int64_t> length;
        if (response.hasContentLength()) {
            length = response.getContentLength64();
        }
        std::optional<int> retry_after;
        if (response.has("Retry-After")) {
            retry_after = std::atoi(response.get("Retry-After").c_str());
        }
        return std::make_unique<HttpResponse>(*this, in, static_cast<int>(response.getStatus()),
                                              response.getReason(), response.getContentType(),
                                              length, retry_after);
    } catch (const Poco::Exception& error) {
        reset();
        return from_poco(error, options_.endpoint);
    }
}

Result<std::string> HttpTransport::get(const std::string& url, std::size_t limit) {
    try {
        const Poco::URI uri(url);
        const Poco::URI endpoint(options_.endpoint);
        if (uri.getHost() != endpoint.getHost() || uri.getPort() != endpoint.getPort() ||
            uri.getScheme() != endpoint.getScheme()) {
            return Status::invalid_argument("refusing to fetch \"" + url +
                                            "\": only the configured endpoint's host is contacted");
        }
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        if (!options_.basic_user.empty()) {
            Poco::Net::HTTPBasicCredentials(options_.basic_user, options_.basic_password)
                .authenticate(request);
        }
        session_->sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session_->receiveResponse(response);
        std::optional<std::int64_t> length;
        if (response.hasContentLength()) {
            length = response.getContentLength64();
        }
        HttpResponse body(*this, in, static_cast<int>(response.getStatus()), response.getReason(),
                          response.getContentType(), length, std::nullopt);
        FERRY_ASSIGN_OR_RETURN(std::string text, body.read_all(limit));
        if (body.status() / 100 != 2) {
            const std::string line = "HTTP " + std::to_string(body.status()) + " " + body.reason();
            Status status = body.status() >= 500 ? Status::unavailable(line)
                            : body.status() == 401 || body.status() == 403
                                ? Status::unauthorized(line)
                                : Status::not_found(line);
            return std::move(status).with_location(url).with_native_code(body.status());
        }
        return text;
    } catch (const Poco::Exception& error) {
        reset();
        return from_poco(error, url);
    }
}

} // namespace ferry::soap
