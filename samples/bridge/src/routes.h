// SPDX-License-Identifier: Apache-2.0
// routes.h — the HTTP API: one handler factory for Poco's HTTPServer.
#pragma once

#include <string>

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "bridge_context.h"

namespace ferry::bridge {

/// The OpenAPI document in both forms (JSON may be empty when the build could not convert it).
struct OpenApiDocument {
    std::string yaml;
    std::string json;
};

class BridgeHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    BridgeHandlerFactory(BridgeContext& context, OpenApiDocument openapi)
        : context_(context)
        , openapi_(std::move(openapi)) {}

    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    BridgeContext& context_;
    OpenApiDocument openapi_;
};

} // namespace ferry::bridge
