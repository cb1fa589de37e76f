// SPDX-License-Identifier: Apache-2.0
// bridge_context.h — everything a request handler reaches: config, datasets, consumers, audit
// log, cursors, metrics, limits, quarantine, circuit breakers, and the drain state.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "ferry/retry.h"

#include "audit_log.h"
#include "bridge_config.h"
#include "consumers.h"
#include "cursor.h"
#include "dataset_registry.h"
#include "field_policy.h"
#include "metrics.h"
#include "quarantine.h"
#include "rate_limiter.h"

namespace ferry::bridge {

class BridgeContext {
public:
    /// Opens everything the config names; any error stops the start.
    static Result<std::unique_ptr<BridgeContext>> open(BridgeConfig config);

    const BridgeConfig& config() const noexcept { return config_; }

    DatasetRegistry& datasets() noexcept { return *datasets_; }

    std::shared_ptr<const ConsumerRegistry> consumers() const;

    AuditLog& audit() noexcept { return *audit_; }

    const CursorCodec& cursors() const noexcept { return cursors_; }

    Metrics& metrics() noexcept { return metrics_; }

    RateLimiter& limiter() noexcept { return limiter_; }

    Quarantine& quarantine() noexcept { return quarantine_; }

    /// One breaker per source: a source that keeps failing fails fast for everyone.
    CircuitBreaker& breaker(const std::string& source_id);
    /// How a request that reached `dataset`'s source ended: success closes the source's breaker,
    /// an outage (unavailable, I/O) counts toward opening it; both update the health /readyz
    /// and the metrics show. Other errors (bad data, unreconciled) are counted, not outages.
    void note_source(const Dataset& dataset, const Status& outcome);
    BackoffPolicy backoff() const;

    /// The field policy of a consumer on a dataset (cached per dataset generation).
    Result<std::shared_ptr<const FieldPolicy>> policy(const Consumer& consumer,
                                                      const Dataset& dataset);

    /// Re-reads the mapping files and the consumers file; all or nothing.
    Status reload();

    const std::string& base_url() const noexcept { return base_url_; }

    void set_base_url(std::string url) { base_url_ = std::move(url); }

    /// Set when shutdown begins: readiness fails, new record streams are refused.
    std::atomic<bool> draining{false};
    /// Set when the drain period is over: running streams stop at their next batch.
    std::atomic<bool> cancel_streams{false};

private:
    BridgeContext(BridgeConfig config, CursorCodec cursors)
        : config_(std::move(config))
        , cursors_(std::move(cursors))
        , quarantine_(config_.limits.quarantine_per_dataset) {}

    Status check_grants(const ConsumerRegistry& consumers) const;

    BridgeConfig config_;
    std::unique_ptr<DatasetRegistry> datasets_;
    mutable std::mutex mutex_;
    std::shared_ptr<const ConsumerRegistry> consumers_;
    std::uint64_t consumers_generation_ = 1;
    std::unique_ptr<AuditLog> audit_;
    CursorCodec cursors_;
    Metrics metrics_;
    RateLimiter limiter_;
    Quarantine quarantine_;
    std::map<std::string, std::unique_ptr<CircuitBreaker>> breakers_;
    std::map<std::string, std::shared_ptr<const FieldPolicy>> policies_;
    std::string base_url_;
};

} // namespace ferry::bridge
