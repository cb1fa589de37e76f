// SPDX-License-Identifier: Apache-2.0
// soap_client.cpp — one attempt of one SOAP call, and what its outcome means.
#include "soap_client.h"

#include <algorithm>
#include <cstring>
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

Result<std::shared_ptr<HttpResponse>> SoapClient::post(const Operation& operation,
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
    return std::shared_ptr<HttpResponse>(std::move(*posted));
}

namespace {

// An answer up to this size is read whole and parsed in memory, libxml2's cheaper mode; a
// larger one is parsed as it streams in, so memory stays bounded on a response of gigabytes.
constexpr std::size_t kWholeAnswerBytes = std::size_t{16} << 20;

// Reads the body until its end or until it holds more than `limit` bytes. True: it ended.
Result<bool> read_body(HttpResponse& response, std::string& body, std::size_t limit) {
    // Room for the declared length and the zero-byte read that ends it: the body grows once.
    if (const std::optional<std::int64_t> length = response.content_length();
        length && *length >= 0 && static_cast<std::uint64_t>(*length) < limit) {
        body.reserve(static_cast<std::size_t>(*length) + 1);
    }
    char buffer[64 * 1024];
    while (body.size() <= limit) {
        FERRY_ASSIGN_OR_RETURN(const std::size_t got, response.read(buffer, sizeof buffer));
        if (got == 0) {
            return true;
        }
        body.append(buffer, got);
    }
    return false;
}

} // namespace

Result<std::unique_ptr<ResponseParser>> SoapClient::attempt(const Operation& operation,
                                                            const ResponseLayout& layout,
                                                            const std::string& body) {
    FERRY_ASSIGN_OR_RETURN(std::shared_ptr<HttpResponse> response, post(operation, body));
    FetchedResponse fetched;
    fetched.answer = {response->status(), response->reason(), response->content_type(),
                      response->retry_after_seconds()};
    FERRY_ASSIGN_OR_RETURN(const bool whole, read_body(*response, fetched.body, kWholeAnswerBytes));
    if (whole) {
        return parse(operation, layout, std::move(fetched));
    }
    // The part already read goes to the parser first, then the rest as it arrives.
    auto head = std::make_shared<std::string>(std::move(fetched.body));
    auto consumed = std::make_shared<std::size_t>(0);
    const XmlLimits& limits = options_.limits;
    return judge(
        operation, layout, fetched.answer,
        [response, head, consumed, &limits](std::string where, const std::string& charset) {
            return XmlReader::open(
                [response, head, consumed](char* buffer, std::size_t size) -> Result<std::size_t> {
                    if (*consumed < head->size()) {
                        const std::size_t count = std::min(size, head->size() - *consumed);
                        std::memcpy(buffer, head->data() + *consumed, count);
                        *consumed += count;
                        return count;
                    }
                    return response->read(buffer, size);
                },
                std::move(where), limits, charset);
        },
        [response]() { (void)response->read_all(4096); });
}

Result<FetchedResponse> SoapClient::fetch(const Operation& operation, const std::string& body) {
    FERRY_ASSIGN_OR_RETURN(std::shared_ptr<HttpResponse> response, post(operation, body));
    FetchedResponse fetched;
    fetched.answer = {response->status(), response->reason(), response->content_type(),
                      response->retry_after_seconds()};
    // Past the document limit the parser reports it, as for a streamed answer.
    FERRY_RETURN_IF_ERROR(
        read_body(*response, fetched.body, static_cast<std::size_t>(options_.limits.max_bytes))
            .status());
    return fetched;
}

Result<std::unique_ptr<ResponseParser>> SoapClient::parse(const Operation& operation,
                                                          const ResponseLayout& layout,
                                                          FetchedResponse fetched) {
    const XmlLimits& limits = options_.limits;
    std::string& body = fetched.body;
    return judge(
        operation, layout, fetched.answer,
        [&body, &limits](std::string where, const std::string& charset) {
            return XmlReader::open_owned(std::move(body), std::move(where), limits, charset);
        },
        []() {});
}

Result<std::unique_ptr<ResponseParser>> SoapClient::judge(const Operation& operation,
                                                          const ResponseLayout& layout,
                                                          const Answer& answer,
                                                          const OpenReader& open_reader,
                                                          const std::function<void()>& drain) {
    const int status = answer.status;
    const bool xml = answer.content_type.find("xml") != std::string::npos;
    const std::string what = "HTTP " + std::to_string(status) + " " + answer.reason + " from " +
                             transport_->endpoint() + " calling " + operation.name;
    if (status / 100 == 2 || (status >= 400 && xml)) {
        if (status / 100 == 2) {
            report(true);
        }
        const std::string where = operation.name + " response from " + transport_->endpoint();
        // The HTTP charset wins over the XML declaration (RFC 7303); legacy servers send GBK.
        std::string charset;
        if (const auto at = answer.content_type.find("charset="); at != std::string::npos) {
            charset = answer.content_type.substr(at + 8);
            charset = charset.substr(0, charset.find_first_of("; "));
            if (!charset.empty() && (charset.front() == '"' || charset.front() == '\'')) {
                charset = charset.substr(1, charset.size() > 2 ? charset.size() - 2 : 0);
            }
        }
        FERRY_ASSIGN_OR_RETURN(std::unique_ptr<XmlReader> reader, open_reader(where, charset));
        auto parser = std::make_unique<ResponseParser>(layout, std::move(reader));
        parser->set_http_status(status);
        if (status / 100 != 2) {
            parser->set_http_failure(status_failure(status, what));
        }
        return parser;
    }
    drain(); // a small error body, so the connection can be reused
    if (status >= 500 || status == 429 || status == 408) {
        report(false);
        if (const auto wait = answer.retry_after_seconds; wait && *wait > 0) {
            // Honour Retry-After, but never wait longer than the backoff policy's ceiling.
            std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
                std::chrono::seconds(*wait), options_.retry.max));
        }
        return Status::unavailable(what).with_native_code(status);
    }
    report(true);
    return status_failure(status, what);
}

Status SoapClient::status_failure(int status, const std::string& what) {
    if (status >= 500 || status == 429 || status == 408) {
        return Status::unavailable(what).with_native_code(status);
    }
    if (status == 401 || status == 403) {
        return Status::unauthorized(what).with_native_code(status);
    }
    if (status == 404) {
        return Status::not_found(what).with_native_code(status);
    }
    return Status::invalid_argument(what).with_native_code(status);
}

namespace {

std::string_view without_prefix(std::string_view code) {
    const std::size_t colon = code.find(':');
    return colon == std::string_view::npos ? code : code.substr(colon + 1);
}

// "Server" matches Server, Server.Unavailable and Server/Busy; prefixes never count.
bool code_matches(std::string_view fault_code, std::string_view configured) {
    const std::string_view code = without_prefix(configured);
    if (code.empty() || fault_code.substr(0, code.size()) != code) {
        return false;
    }
    return fault_code.size() == code.size() || fault_code[code.size()] == '.' ||
           fault_code[code.size()] == '/';
}

bool matches_any(std::string_view fault_code, const std::vector<std::string>& codes) {
    return std::any_of(codes.begin(), codes.end(),
                       [&](const std::string& code) { return code_matches(fault_code, code); });
}

} // namespace

Status SoapClient::fault_status(const SoapFault& fault, const std::string& operation) const {
    const std::string message = operation + ": " + fault.to_string();
    const std::string_view code = without_prefix(fault.code);
    if (matches_any(code, options_.final_faults)) {
        return Status::data(message);
    }
    if (code_matches(code, "Server") || code_matches(code, "Receiver") ||
        matches_any(code, options_.retryable_faults)) {
        return Status::unavailable(message);
    }
    if (code_matches(code, "Client") || code_matches(code, "Sender") ||
        code_matches(code, "VersionMismatch") || code_matches(code, "MustUnderstand") ||
        code_matches(code, "DataEncodingUnknown")) {
        return Status::invalid_argument(message);
    }
    return Status::data(message);
}

} // namespace ferry::soap
