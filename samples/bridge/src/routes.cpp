// SPDX-License-Identifier: Apache-2.0
// routes.cpp — dispatch, authentication, rate limits, and the audit and metrics record of every
// request. Handlers never let an exception reach Poco: it becomes a 500 without details.
#include "routes.h"

#include <charconv>
#include <iostream>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/URI.h>

#include "routes_internal.h"

namespace ferry::bridge {

namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= path.size()) {
        const std::size_t slash = path.find('/', start);
        const std::size_t end = slash == std::string::npos ? path.size() : slash;
        segments.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    if (!segments.empty() && segments.back().empty()) {
        segments.pop_back(); // a trailing slash
    }
    return segments;
}

std::string api_key_of(const Poco::Net::HTTPServerRequest& request) {
    const std::string authorization = request.get("Authorization", "");
    static const std::string kBearer = "Bearer ";
    if (authorization.compare(0, kBearer.size(), kBearer) == 0) {
        return authorization.substr(kBearer.size());
    }
    return request.get("X-API-Key", "");
}

class BridgeHandler : public Poco::Net::HTTPRequestHandler {
public:
    BridgeHandler(BridgeContext& context, const OpenApiDocument& openapi)
        : context_(context)
        , openapi_(openapi) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        const auto started = std::chrono::steady_clock::now();
        Exchange exchange(request, response);
        bool audited = false;
        try {
            audited = dispatch(exchange);
        } catch (const std::exception& error) {
            std::cerr << "ferry-bridge: internal error on " << exchange.route << ": "
                      << error.what() << '\n';
            if (!exchange.sent) {
                exchange.detail.clear();
                send_json(exchange, 500,
                          error_body(Status::internal("internal error (logged by the bridge)")));
            }
            exchange.result = "error";
            exchange.status = 500;
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const std::string consumer = exchange.consumer ? exchange.consumer->id : "-";
        context_.metrics().observe_request(exchange.route, exchange.dataset, consumer,
                                           exchange.status, seconds);
        if (audited) {
            nlohmann::json event{{"consumer", consumer},
                                 {"route", exchange.route},
                                 {"method", request.getMethod()},
                                 {"dataset", exchange.dataset},
                                 {"fields", exchange.fields},
                                 {"records", exchange.records},
                                 {"purpose", exchange.purpose},
                                 {"status", exchange.status},
                                 {"result", exchange.result},
                                 {"remote", request.clientAddress().host().toString()},
                                 {"ms", static_cast<std::int64_t>(seconds * 1000)}};
            if (!exchange.detail.empty()) {
                event["detail"] = exchange.detail;
            }
            if (!exchange.verdict.empty()) {
                event["verdict"] = exchange.verdict;
            }
            if (Status status = context_.audit().append(std::move(event)); !status.ok()) {
                std::cerr << "ferry-bridge: " << status.to_string() << '\n';
            }
        }
    }

private:
    /// Returns whether the request belongs in the audit log.
    // The methods a known route takes ("GET, HEAD" or "POST"), or "" for no such route.
    static std::string allowed_methods(const std::vector<std::string>& seg) {
        const std::size_t n = seg.size();
        if (n == 1 && (seg[0] == "healthz" || seg[0] == "readyz" || seg[0] == "metrics")) {
            return "GET, HEAD";
        }
        if (n < 2 || seg[0] != "v1") {
            return "";
        }
        if (n == 3 && seg[1] == "admin" && seg[2] == "reload") {
            return "POST";
        }
        if (n == 3 && seg[1] == "admin" && seg[2] == "usage") {
            return "GET, HEAD";
        }
        const bool dataset_route =
            seg[1] == "datasets" &&
            (n == 3 || (n == 4 && (seg[3] == "records" || seg[3] == "rejects")) ||
             (n == 5 && seg[3] == "records"));
        if ((n == 2 &&
             (seg[1] == "catalog" || seg[1] == "openapi.yaml" || seg[1] == "openapi.json")) ||
            dataset_route) {
            return "GET, HEAD";
        }
        return "";
    }

    bool dispatch(Exchange& exchange) {
        Poco::URI uri;
        try {
            uri = Poco::URI(exchange.request.getURI());
            for (auto& [name, value] : uri.getQueryParameters()) {
                if (!exchange.query.emplace(name, value).second) {
                    const std::string shown = name.size() > 40 ? name.substr(0, 40) + "…" : name;
                    send_error(exchange, Status::invalid_argument("parameter \"" + shown +
                                                                  "\" is given more than once")
                                             .with_field(shown));
                    return false;
                }
            }
        } catch (const Poco::Exception&) {
            send_error(exchange, Status::invalid_argument("malformed request URI"));
            return false;
        }
        exchange.segments = split_path(uri.getPath());
        const auto& seg = exchange.segments;
        const std::string& method = exchange.request.getMethod();
        const bool get = method == "GET" || method == "HEAD";
        if (const std::string allow = allowed_methods(seg);
            !allow.empty() && (allow == "POST" ? method != "POST" : !get)) {
            exchange.response.set("Allow", allow);
            send_error(exchange,
                       Status::invalid_argument("method " + method +
                                                " is not allowed on this route (allowed: " + allow +
                                                ")"),
                       405);
            return false;
        }

        if (seg.size() == 1 && get && seg[0] == "healthz") {
            exchange.route = "healthz";
            send_json(exchange, 200, {{"status", "ok"}});
            return false;
        }
        if (seg.size() == 1 && get && seg[0] == "readyz") {
            exchange.route = "readyz";
            // Each source as the requests that reached it found it: one failing source makes the
            // bridge "degraded" (other datasets still answer); 503 when draining or when every
            // dataset's source is failing.
            const nlohmann::json sources = context_.metrics().source_health();
            std::size_t failing = 0;
            for (const auto& [dataset, health] : sources.items()) {
                failing += health["state"] == "failing" ? 1U : 0U;
            }
            const bool draining = context_.draining.load();
            const bool all_failing = failing > 0 && failing == context_.datasets().all().size();
            send_json(exchange, draining || all_failing ? 503 : 200,
                      {{"status", draining      ? "draining"
                                  : failing > 0 ? "degraded"
                                                : "ready"},
                       {"datasets", context_.datasets().all().size()},
                       {"sources", sources}});
            return false;
        }
        if (seg.size() == 1 && get && seg[0] == "metrics") {
            exchange.route = "metrics";
            send_text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                      context_.metrics().render());
            return false;
        }
        if (seg.size() == 2 && get && seg[0] == "v1" &&
            (seg[1] == "openapi.yaml" || seg[1] == "openapi.json")) {
            exchange.route = "openapi";
            const bool json = seg[1] == "openapi.json";
            const std::string& body = json ? openapi_.json : openapi_.yaml;
            if (body.empty()) {
                send_error(exchange, Status::not_found("this build carries no " + seg[1]));
            } else {
                send_text(exchange, 200,
                          json ? "application/json; charset=utf-8"
                               : "application/yaml; charset=utf-8",
                          body);
            }
            return false;
        }
        if (seg.empty() || seg[0] != "v1") {
            send_error(exchange, Status::not_found("no such route"));
            return false;
        }

        exchange.route = "v1";
        exchange.consumers = context_.consumers();
        exchange.consumer = exchange.consumers->authenticate(api_key_of(exchange.request));
        if (exchange.consumer == nullptr) {
            send_error(exchange,
                       Status::unauthorized("missing or unknown API key (send it as "
                                            "\"Authorization: Bearer <key>\")"),
                       401);
            return true;
        }
        int retry_after = 0;
        if (!context_.limiter().allow_request(*exchange.consumer, std::chrono::steady_clock::now(),
                                              retry_after)) {
            exchange.response.set("Retry-After", std::to_string(retry_after));
            send_json(exchange, 429,
                      error_body(Status::unavailable("rate limit exceeded for consumer \"" +
                                                     exchange.consumer->id + "\""),
                                 429));
            exchange.result = "rate_limited";
            return true;
        }
        if (seg.size() == 2 && get && seg[1] == "catalog") {
            exchange.route = "catalog";
            handle_catalog(context_, exchange);
        } else if (seg.size() == 3 && get && seg[1] == "datasets") {
            exchange.route = "dataset";
            handle_dataset(context_, exchange, seg[2]);
        } else if (seg.size() == 4 && get && seg[1] == "datasets" && seg[3] == "records") {
            exchange.route = "records";
            handle_records(context_, exchange, seg[2]);
        } else if (seg.size() == 5 && get && seg[1] == "datasets" && seg[3] == "records") {
            exchange.route = "lookup";
            handle_lookup(context_, exchange, seg[2], seg[4]);
        } else if (seg.size() == 4 && get && seg[1] == "datasets" && seg[3] == "rejects") {
            exchange.route = "rejects";
            handle_rejects(context_, exchange, seg[2]);
        } else if (seg.size() == 3 && method == "POST" && seg[1] == "admin" && seg[2] == "reload") {
            exchange.route = "reload";
            handle_reload(context_, exchange);
        } else if (seg.size() == 3 && get && seg[1] == "admin" && seg[2] == "usage") {
            exchange.route = "usage";
            handle_usage(context_, exchange);
        } else {
            send_error(exchange, Status::not_found("no such route"));
        }
        return true;
    }

    BridgeContext& context_;
    const OpenApiDocument& openapi_;
};

} // namespace

bool check_params(Exchange& exchange, std::initializer_list<const char*> allowed) {
    for (const auto& [name, value] : exchange.query) {
        bool known = false;
        for (const char* candidate : allowed) {
            known = known || name == candidate;
        }
        if (!known) {
            const std::string shown = name.size() > 40 ? name.substr(0, 40) + "…" : name;
            send_error(
                exchange,
                Status::invalid_argument("unknown parameter \"" + shown + "\"").with_field(shown));
            return false;
        }
    }
    return true;
}

bool int_param(Exchange& exchange,
               const std::string& name,
               std::int64_t max,
               std::optional<std::int64_t>& out) {
    const auto found = exchange.query.find(name);
    if (found == exchange.query.end()) {
        return true;
    }
    const std::string& text = found->second;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > max) {
        send_error(exchange, Status::invalid_argument("parameter \"" + name +
                                                      "\" must be an integer from 1 to " +
                                                      std::to_string(max))
                                 .with_field(name));
        return false;
    }
    out = value;
    return true;
}

Poco::Net::HTTPRequestHandler*
BridgeHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
    return new BridgeHandler(context_, openapi_);
}

} // namespace ferry::bridge
