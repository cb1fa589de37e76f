// SPDX-License-Identifier: Apache-2.0
// routes_internal.h — the handlers behind the routes (data_routes.cpp, ops_routes.cpp).
#pragma once

#include <string>

#include "bridge_context.h"
#include "http_exchange.h"

namespace ferry::bridge {

void handle_catalog(BridgeContext& context, Exchange& exchange);
void handle_dataset(BridgeContext& context, Exchange& exchange, const std::string& id);
void handle_records(BridgeContext& context, Exchange& exchange, const std::string& id);
void handle_lookup(BridgeContext& context,
                   Exchange& exchange,
                   const std::string& id,
                   const std::string& key);
void handle_rejects(BridgeContext& context, Exchange& exchange, const std::string& id);
void handle_reload(BridgeContext& context, Exchange& exchange);
void handle_usage(BridgeContext& context, Exchange& exchange);

/// Fails with 400 when the query holds a parameter outside `allowed`.
bool check_params(Exchange& exchange, std::initializer_list<const char*> allowed);
/// Parses a positive integer parameter within [1, max]; sends 400 and returns false otherwise.
bool int_param(Exchange& exchange,
               const std::string& name,
               std::int64_t max,
               std::optional<std::int64_t>& out);

} // namespace ferry::bridge
