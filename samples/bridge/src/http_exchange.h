// SPDX-License-Identifier: Apache-2.0
// http_exchange.h — one request as the handlers see it: parsed path and query, the consumer,
// and what the audit log and metrics record about it; plus the HTTP mapping of a Status.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <nlohmann/json.hpp>

#include "ferry/status.h"

#include "consumers.h"

namespace ferry::bridge {

struct Exchange {
    Exchange(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out)
        : request(in)
        , response(out) {}

    Poco::Net::HTTPServerRequest& request;
    Poco::Net::HTTPServerResponse& response;
    std::vector<std::string> segments; ///< the decoded path split at '/'
    std::map<std::string, std::string> query;
    std::shared_ptr<const ConsumerRegistry> consumers; ///< keeps `consumer` alive
    const Consumer* consumer = nullptr;

    // What the audit log and metrics record.
    std::string route = "other";
    std::string dataset;
    std::vector<std::string> fields;
    std::int64_t records = 0;
    std::string purpose;
    int status = 0;
    std::string result = "ok";
    std::string detail;
    std::string verdict; ///< a record stream's source verdict, when it read to the end
    bool sent = false;

    /// A query parameter, or "" when absent.
    std::string param(const std::string& name) const;
};

/// InvalidArgument → 400, Unauthorized → 403, NotFound → 404, NotImplemented → 501,
/// Unavailable → 503, everything else → 500.
int http_status_for(const Status& status) noexcept;

/// {"code", "message", "location", "field", "record_no"}; never a value from a record.
/// `http_status` names the code where HTTP says more than the status: 401 "unauthenticated",
/// 403 "forbidden", 405 "method_not_allowed", 429 "rate_limited".
nlohmann::json error_body(const Status& status, int http_status = 0);

void send_json(Exchange& exchange, int status, const nlohmann::json& body);
/// Sends the error with its mapped status (or `http_status` when non-zero); 503 carries
/// Retry-After, 401 WWW-Authenticate.
void send_error(Exchange& exchange, const Status& status, int http_status = 0);
void send_text(Exchange& exchange,
               int status,
               const std::string& content_type,
               const std::string& body);

} // namespace ferry::bridge
