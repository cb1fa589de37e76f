// SPDX-License-Identifier: Apache-2.0
// http_exchange.cpp — JSON and error responses.
#include "http_exchange.h"

namespace ferry::bridge {

std::string Exchange::param(const std::string& name) const {
    const auto found = query.find(name);
    return found == query.end() ? std::string() : found->second;
}

int http_status_for(const Status& status) noexcept {
    switch (status.code()) {
    case StatusCode::Ok:
        return 200;
    case StatusCode::InvalidArgument:
        return 400;
    case StatusCode::Unauthorized:
        return 403;
    case StatusCode::NotFound:
        return 404;
    case StatusCode::NotImplemented:
        return 501;
    case StatusCode::Unavailable:
        return 503;
    default:
        return 500;
    }
}

nlohmann::json error_body(const Status& status, int http_status) {
    const auto or_null = [](const std::string& text) {
        return text.empty() ? nlohmann::json() : nlohmann::json(text);
    };
    std::string code = status_code_name(status.code());
    switch (http_status) {
    case 401:
        code = "unauthenticated";
        break;
    case 403:
        code = "forbidden";
        break;
    case 405:
        code = "method_not_allowed";
        break;
    case 429:
        code = "rate_limited";
        break;
    default:
        break;
    }
    return {{"code", code},
            {"message", status.message()},
            {"location", or_null(status.location())},
            {"field", or_null(status.field())},
            {"record_no",
             status.record_no() > 0 ? nlohmann::json(status.record_no()) : nlohmann::json()}};
}

void send_text(Exchange& exchange,
               int status,
               const std::string& content_type,
               const std::string& body) {
    exchange.status = status;
    exchange.sent = true;
    auto& response = exchange.response;
    // With its reason phrase: "503 Service Unavailable", never "503 OK".
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(content_type);
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.set("Cache-Control", "no-store");
    response.sendBuffer(body.data(), body.size());
}

void send_json(Exchange& exchange, int status, const nlohmann::json& body) {
    send_text(exchange, status, "application/json; charset=utf-8", body.dump() + "\n");
}

void send_error(Exchange& exchange, const Status& status, int http_status) {
    const int code = http_status != 0 ? http_status : http_status_for(status);
    if (code == 503) {
        exchange.response.set("Retry-After", "5");
    }
    if (code == 401) {
        exchange.response.set("WWW-Authenticate", "Bearer realm=\"ferry\"");
    }
    exchange.result = code == 401 ? "unauthenticated" : code == 403 ? "forbidden" : "error";
    exchange.detail = status.message();
    send_json(exchange, code, error_body(status, code));
}

} // namespace ferry::bridge
